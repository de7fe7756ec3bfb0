//! The plot of the running average gap of every learner.

use std::path::{Path, PathBuf};

use hpg_core::RunReport;
use plotters::prelude::*;
use plotters::style::{register_font, FontStyle};

use super::error::CliError;

/// Image size in pixels.
const SIZE: (u32, u32) = (900, 560);

/// Line colors, one per learner, repeated after ten learners (the
/// number of built-in learners).
const COLORS: [RGBColor; 10] = [
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
];

/// Places where common systems keep a sans-serif TrueType font, tried in
/// order after the `HPG_FONT` environment variable.
const FONT_PATHS: [&str; 6] = [
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/TTF/DejaVuSans.ttf",
    "/usr/share/fonts/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf",
    "/System/Library/Fonts/Supplemental/Arial.ttf",
    "C:\\Windows\\Fonts\\arial.ttf",
];

/// The image format, chosen by the file extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Scalable vector graphics.
    Svg,
    /// Portable network graphics.
    Png,
}

/// Checks the plot path and loads the label font before the run, so a bad
/// path fails fast.
///
/// # Errors
/// A usage error for an extension other than .svg or .png or a missing
/// folder, and a failure when no font is found.
pub fn prepare(path: &Path) -> Result<Format, CliError> {
    let extension = path
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_ascii_lowercase();
    let format = match extension.as_str() {
        "svg" => Format::Svg,
        "png" => Format::Png,
        _ => {
            return Err(CliError::usage(format!(
                "--plot {} has extension {extension:?}; name the file .svg or .png",
                path.display()
            )))
        }
    };

    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        if !parent.is_dir() {
            return Err(CliError::usage(format!(
                "--plot {}: folder {} not found; create it first",
                path.display(),
                parent.display()
            )));
        }
    }

    load_font()?;
    Ok(format)
}

/// Registers a system font as `sans-serif`, which plotters needs to measure
/// and draw labels.
fn load_font() -> Result<(), CliError> {
    let from_env = std::env::var_os("HPG_FONT").map(PathBuf::from);
    let candidates = from_env
        .into_iter()
        .chain(FONT_PATHS.iter().map(PathBuf::from));

    for candidate in candidates {
        let Ok(bytes) = std::fs::read(&candidate) else {
            continue;
        };
        // plotters keeps a `&'static` reference to the font; the one copy
        // lives until the process ends.
        let bytes: &'static [u8] = Box::leak(bytes.into_boxed_slice());
        if register_font("sans-serif", FontStyle::Normal, bytes).is_ok() {
            tracing::debug!(font = %candidate.display(), "loaded plot font");
            return Ok(());
        }
    }
    Err(CliError::failure(
        "no TrueType font found for the plot labels; install fonts-dejavu-core or set HPG_FONT to a .ttf file",
    ))
}

/// Draws the running average gap of every learner against the round.
///
/// # Errors
/// A failure naming the file when drawing or writing fails.
pub fn write(path: &Path, format: Format, report: &RunReport) -> Result<(), CliError> {
    let result = match format {
        Format::Svg => draw(SVGBackend::new(path, SIZE).into_drawing_area(), report),
        Format::Png => draw(BitMapBackend::new(path, SIZE).into_drawing_area(), report),
    };
    result.map_err(|error| {
        CliError::failure(format!("failed to write plot {}: {error}", path.display()))
    })?;
    tracing::info!(file = %path.display(), "plot written");
    Ok(())
}

fn draw<B: DrawingBackend>(
    root: DrawingArea<B, plotters::coord::Shift>,
    report: &RunReport,
) -> Result<(), String> {
    root.fill(&WHITE).map_err(|e| e.to_string())?;

    let max_gap = report
        .routers
        .iter()
        .flat_map(|r| r.curve.iter().map(|p| p.avg_gap))
        .fold(0.0_f64, f64::max);
    let y_top = if max_gap > 0.0 { max_gap * 1.05 } else { 1.0 };
    let x_end = report.rounds.max(2) as f64;

    let mut chart = ChartBuilder::on(&root)
        .caption(
            "Running average gap to the per-query oracle",
            ("sans-serif", 22),
        )
        .margin(12)
        .margin_right(32)
        .x_label_area_size(48)
        .y_label_area_size(64)
        .build_cartesian_2d(1.0..x_end, 0.0..y_top)
        .map_err(|e| e.to_string())?;

    chart
        .configure_mesh()
        .x_desc("round")
        .x_label_formatter(&|round| format!("{round:.0}"))
        .y_desc("running average gap")
        .draw()
        .map_err(|e| e.to_string())?;

    for (index, router) in report.routers.iter().enumerate() {
        let color = COLORS[index % COLORS.len()];
        let points = router.curve.iter().map(|p| (p.round as f64, p.avg_gap));
        chart
            .draw_series(LineSeries::new(points, color.stroke_width(2)))
            .map_err(|e| e.to_string())?
            .label(router.name.as_str())
            .legend(move |(x, y)| {
                PathElement::new(vec![(x, y), (x + 20, y)], color.stroke_width(2))
            });
    }

    chart
        .configure_series_labels()
        .background_style(WHITE.mix(0.85))
        .border_style(BLACK)
        .position(SeriesLabelPosition::UpperRight)
        .draw()
        .map_err(|e| e.to_string())?;

    root.present().map_err(|e| e.to_string())
}
