//! SVG plots of an experiment: log-log regret against the swept size with
//! error bars and fitted lines, or gaps per point for the other
//! experiments.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use plotters::prelude::*;
use plotters::style::{register_font, FontStyle, FontTransform};

use crate::slope::SlopeFit;
use crate::stats::Estimate;
use crate::{Error, Result};

/// Image size in pixels.
const SIZE: (u32, u32) = (960, 600);

/// Series colors, repeated after twelve series.
const COLORS: [RGBColor; 12] = [
    RGBColor(31, 119, 180),
    RGBColor(255, 127, 14),
    RGBColor(44, 160, 44),
    RGBColor(214, 39, 40),
    RGBColor(148, 103, 189),
    RGBColor(140, 86, 75),
    RGBColor(227, 119, 194),
    RGBColor(127, 127, 127),
    RGBColor(188, 189, 34),
    RGBColor(23, 190, 207),
    RGBColor(0, 0, 0),
    RGBColor(255, 187, 120),
];

/// Font files tried after the `HPG_FONT` environment variable, as the
/// `hpg` command does.
const FONT_PATHS: [&str; 4] = [
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/TTF/DejaVuSans.ttf",
    "/usr/share/fonts/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf",
];

/// One plotted value: its series, its position and its spread.
#[derive(Debug, Clone, PartialEq)]
pub struct PlotPoint {
    /// Series (legend entry) of the point.
    pub series: String,
    /// Position: the swept value (log-log plots) or a category label.
    pub x: PlotX,
    /// Mean and standard error; the bar spans one standard error.
    pub y: Estimate,
}

/// Horizontal position of a plotted value.
#[derive(Debug, Clone, PartialEq)]
pub enum PlotX {
    /// A positive number on a log axis.
    Value(f64),
    /// A category, placed in order of first appearance.
    Category(String),
}

/// Axis titles and caption of a plot.
#[derive(Debug, Clone, Copy)]
pub struct Labels<'a> {
    /// Caption above the plot.
    pub caption: &'a str,
    /// Title of the horizontal axis.
    pub x: &'a str,
    /// Title of the vertical axis.
    pub y: &'a str,
}

/// Draws a log-log plot of positive points with error bars, and each
/// series' fitted power law as a line.
///
/// # Errors
/// [`Error::MissingFont`] without a font, [`Error::Plot`] when drawing
/// fails.
pub fn write_log_log(
    path: &Path,
    labels: Labels<'_>,
    points: &[PlotPoint],
    fits: &[(String, SlopeFit)],
) -> Result<()> {
    load_font()?;
    let values: Vec<(String, f64, Estimate)> = points
        .iter()
        .filter_map(|p| match p.x {
            PlotX::Value(x) if x > 0.0 && p.y.mean > 0.0 => Some((p.series.clone(), x, p.y)),
            _ => None,
        })
        .collect();
    let root = SVGBackend::new(path, SIZE).into_drawing_area();
    draw_log_log(root, labels, &values, fits).map_err(|message| plot_error(path, message))
}

/// Draws the points of each series over categories with error bars.
///
/// # Errors
/// As [`write_log_log`].
pub fn write_categories(path: &Path, labels: Labels<'_>, points: &[PlotPoint]) -> Result<()> {
    load_font()?;
    let root = SVGBackend::new(path, SIZE).into_drawing_area();
    draw_categories(root, labels, points).map_err(|message| plot_error(path, message))
}

fn plot_error(path: &Path, message: String) -> Error {
    Error::Plot {
        path: PathBuf::from(path),
        message,
    }
}

/// Formats an axis value with about three significant digits.
fn short_number(value: f64) -> String {
    let magnitude = value.abs();
    if magnitude >= 100.0 || magnitude == 0.0 {
        format!("{value:.0}")
    } else if magnitude >= 1.0 {
        format!("{value:.1}")
    } else {
        format!("{value:.3}")
    }
}

/// Returns the series names in order of first appearance.
fn series_names<'a>(names: impl Iterator<Item = &'a str>) -> Vec<&'a str> {
    let mut out: Vec<&str> = Vec::new();
    for name in names {
        if !out.contains(&name) {
            out.push(name);
        }
    }
    out
}

/// Returns `(low, high)` padded by a factor of 1.5 on each side, for a
/// log axis.
fn log_range(values: impl Iterator<Item = f64>) -> (f64, f64) {
    let (low, high) = values
        .filter(|v| v.is_finite() && *v > 0.0)
        .fold((f64::INFINITY, 0.0_f64), |(l, h), v| (l.min(v), h.max(v)));
    if low > high {
        return (0.1, 10.0);
    }
    (low / 1.5, high * 1.5)
}

fn draw_log_log<B: DrawingBackend>(
    root: DrawingArea<B, plotters::coord::Shift>,
    labels: Labels<'_>,
    values: &[(String, f64, Estimate)],
    fits: &[(String, SlopeFit)],
) -> std::result::Result<(), String> {
    root.fill(&WHITE).map_err(|e| e.to_string())?;
    let x_range = log_range(values.iter().map(|v| v.1));
    let y_range = log_range(
        values
            .iter()
            .flat_map(|v| [v.2.mean, v.2.mean + v.2.stderr, v.2.mean - v.2.stderr]),
    );

    let mut chart = ChartBuilder::on(&root)
        .caption(labels.caption, ("sans-serif", 20))
        .margin(12)
        .margin_right(32)
        .x_label_area_size(48)
        .y_label_area_size(72)
        .build_cartesian_2d(
            (x_range.0..x_range.1).log_scale(),
            (y_range.0..y_range.1).log_scale(),
        )
        .map_err(|e| e.to_string())?;
    chart
        .configure_mesh()
        .x_desc(labels.x)
        .y_desc(labels.y)
        .x_label_formatter(&|x| short_number(*x))
        .y_label_formatter(&|y| short_number(*y))
        .draw()
        .map_err(|e| e.to_string())?;

    let names = series_names(values.iter().map(|v| v.0.as_str()));
    for (index, name) in names.iter().enumerate() {
        let color = COLORS[index % COLORS.len()];
        let own: Vec<&(String, f64, Estimate)> = values.iter().filter(|v| v.0 == *name).collect();
        let floor = y_range.0;
        chart
            .draw_series(own.iter().map(|(_, x, y)| {
                let low = (y.mean - y.stderr).max(floor);
                ErrorBar::new_vertical(*x, low, y.mean, y.mean + y.stderr, color.filled(), 8)
            }))
            .map_err(|e| e.to_string())?
            .label(*name)
            .legend(move |(x, y)| Circle::new((x + 10, y), 4, color.filled()));

        if let Some((_, fit)) = fits.iter().find(|(series, _)| series == name) {
            let line = [x_range.0 * 1.5, x_range.1 / 1.5]
                .map(|x| (x, (fit.intercept + fit.slope * x.ln()).exp()));
            chart
                .draw_series(LineSeries::new(line, color.stroke_width(1)))
                .map_err(|e| e.to_string())?;
        }
    }
    finish(&root, &mut chart, SeriesLabelPosition::UpperLeft)
}

fn draw_categories<B: DrawingBackend>(
    root: DrawingArea<B, plotters::coord::Shift>,
    labels: Labels<'_>,
    points: &[PlotPoint],
) -> std::result::Result<(), String> {
    root.fill(&WHITE).map_err(|e| e.to_string())?;
    let categories = series_names(points.iter().filter_map(|p| match &p.x {
        PlotX::Category(c) => Some(c.as_str()),
        PlotX::Value(_) => None,
    }));
    let top = points
        .iter()
        .map(|p| p.y.mean + p.y.stderr)
        .fold(0.0_f64, f64::max);
    let bottom = points
        .iter()
        .map(|p| p.y.mean - p.y.stderr)
        .fold(0.0_f64, f64::min);
    let span = (top - bottom).max(1e-9);
    // One empty category on the right keeps the legend off the points.
    let x_end = categories.len().max(1) as f64 + 0.5;

    let mut chart = ChartBuilder::on(&root)
        .caption(labels.caption, ("sans-serif", 20))
        .margin(12)
        .margin_right(32)
        .x_label_area_size(150)
        .y_label_area_size(72)
        .build_cartesian_2d(-0.5..x_end, (bottom - 0.05 * span)..(top + 0.05 * span))
        .map_err(|e| e.to_string())?;
    let label_of = |x: &f64| {
        let index = x.round();
        let near = (x - index).abs() < 1e-6 && index >= 0.0;
        categories
            .get(index as usize)
            .filter(|_| near)
            .map_or(String::new(), |c| (*c).to_owned())
    };
    let label_style = ("sans-serif", 11)
        .into_font()
        .transform(FontTransform::Rotate90);
    chart
        .configure_mesh()
        // More ticks than categories, so that the tick step divides 1 and
        // every category gets a tick; the formatter leaves the others blank.
        .x_labels(4 * categories.len() + 4)
        .disable_x_mesh()
        .x_label_formatter(&label_of)
        .x_label_style(label_style)
        .x_desc(labels.x)
        .y_desc(labels.y)
        .draw()
        .map_err(|e| e.to_string())?;

    let names = series_names(points.iter().map(|p| p.series.as_str()));
    let width = 0.6 / names.len().max(1) as f64;
    for (index, name) in names.iter().enumerate() {
        let color = COLORS[index % COLORS.len()];
        let offset = (index as f64 - (names.len() as f64 - 1.0) / 2.0) * width;
        let bars = points.iter().filter(|p| p.series == *name).filter_map(|p| {
            let PlotX::Category(c) = &p.x else {
                return None;
            };
            let position = categories.iter().position(|k| k == c)? as f64 + offset;
            let (mean, stderr) = (p.y.mean, p.y.stderr);
            Some(ErrorBar::new_vertical(
                position,
                mean - stderr,
                mean,
                mean + stderr,
                color.filled(),
                6,
            ))
        });
        chart
            .draw_series(bars)
            .map_err(|e| e.to_string())?
            .label(*name)
            .legend(move |(x, y)| Circle::new((x + 10, y), 4, color.filled()));
    }
    finish(&root, &mut chart, SeriesLabelPosition::UpperRight)
}

fn finish<'a, B: DrawingBackend + 'a, X: Ranged, Y: Ranged>(
    root: &DrawingArea<B, plotters::coord::Shift>,
    chart: &mut ChartContext<'a, B, Cartesian2d<X, Y>>,
    legend: SeriesLabelPosition,
) -> std::result::Result<(), String> {
    chart
        .configure_series_labels()
        .background_style(WHITE.mix(0.85))
        .border_style(BLACK)
        .position(legend)
        .draw()
        .map_err(|e| e.to_string())?;
    root.present().map_err(|e| e.to_string())
}

/// Registers a TrueType font as `sans-serif` once per process, which
/// plotters needs to measure and draw text.
fn load_font() -> Result<()> {
    static LOADED: OnceLock<bool> = OnceLock::new();
    let loaded = *LOADED.get_or_init(|| {
        let from_env = std::env::var_os("HPG_FONT").map(PathBuf::from);
        let candidates = from_env
            .into_iter()
            .chain(FONT_PATHS.iter().map(PathBuf::from));
        for candidate in candidates {
            let Ok(bytes) = std::fs::read(&candidate) else {
                continue;
            };
            // plotters keeps a `&'static` reference to the font, so this
            // one copy lives until the process ends.
            let bytes: &'static [u8] = Box::leak(bytes.into_boxed_slice());
            if register_font("sans-serif", FontStyle::Normal, bytes).is_ok() {
                tracing::debug!(font = %candidate.display(), "loaded plot font");
                return true;
            }
        }
        false
    });
    if loaded {
        Ok(())
    } else {
        Err(Error::MissingFont)
    }
}
