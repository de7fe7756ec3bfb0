//! Least-squares slopes on log-log axes, with a t confidence interval.
//!
//! A power law `y = c x^b` is a line of slope `b` in `(ln x, ln y)`. The
//! fit is ordinary least squares on those logarithms, and the interval is
//! `b ± t_{0.975, k-2} se(b)` for `k` points, which is exact when the
//! log residuals are independent and normal with equal variance.

/// Confidence level of the slope intervals.
pub const CONFIDENCE: f64 = 0.95;

/// A fitted power law `y = exp(intercept) x^slope`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SlopeFit {
    /// Exponent `b`, the slope in log-log axes.
    pub slope: f64,
    /// Intercept `ln c` in log-log axes.
    pub intercept: f64,
    /// Lower end of the 95% confidence interval of the slope.
    pub ci_low: f64,
    /// Upper end of the 95% confidence interval of the slope.
    pub ci_high: f64,
    /// Number of points in the fit.
    pub points: usize,
}

/// Fits `ln y = intercept + slope ln x` by least squares.
///
/// Returns `None` unless there are at least 3 points (one residual degree
/// of freedom), every `x` and `y` is finite and positive, and the `x`
/// values are not all equal.
pub fn fit_power_law(points: &[(f64, f64)]) -> Option<SlopeFit> {
    let valid = |v: f64| v.is_finite() && v > 0.0;
    if points.len() < 3 || !points.iter().all(|&(x, y)| valid(x) && valid(y)) {
        return None;
    }
    let logs: Vec<(f64, f64)> = points.iter().map(|&(x, y)| (x.ln(), y.ln())).collect();

    let count = logs.len() as f64;
    let mean_u = logs.iter().map(|p| p.0).sum::<f64>() / count;
    let mean_v = logs.iter().map(|p| p.1).sum::<f64>() / count;
    let sxx: f64 = logs.iter().map(|p| (p.0 - mean_u).powi(2)).sum();
    let sxy: f64 = logs.iter().map(|p| (p.0 - mean_u) * (p.1 - mean_v)).sum();
    if sxx <= 0.0 {
        return None;
    }

    let slope = sxy / sxx;
    let intercept = mean_v - slope * mean_u;
    let residual_squares: f64 = logs
        .iter()
        .map(|&(u, v)| (v - intercept - slope * u).powi(2))
        .sum();
    let degrees = logs.len() - 2;
    let standard_error = (residual_squares / degrees as f64 / sxx).sqrt();
    let half_width = student_t_quantile(degrees, CONFIDENCE) * standard_error;

    Some(SlopeFit {
        slope,
        intercept,
        ci_low: slope - half_width,
        ci_high: slope + half_width,
        points: logs.len(),
    })
}

/// Returns the `t` with `P(|T| < t) = level` for Student's t with
/// `degrees` degrees of freedom (at least 1), by bisection on
/// [`student_t_central`].
pub fn student_t_quantile(degrees: usize, level: f64) -> f64 {
    let degrees = degrees.max(1);
    let mut high = 1.0;
    while student_t_central(high, degrees) < level && high < 1e12 {
        high *= 2.0;
    }
    let mut low = 0.0;
    for _ in 0..200 {
        let middle = 0.5 * (low + high);
        if student_t_central(middle, degrees) < level {
            low = middle;
        } else {
            high = middle;
        }
    }
    0.5 * (low + high)
}

/// Computes `P(|T| < t)` for Student's t with `degrees` degrees of
/// freedom, by the finite trigonometric series for integer degrees
/// (Abramowitz and Stegun, Handbook of Mathematical Functions, 26.7.3 and
/// 26.7.4), with `theta = atan(t / sqrt(degrees))`.
pub fn student_t_central(t: f64, degrees: usize) -> f64 {
    let theta = (t.abs() / (degrees as f64).sqrt()).atan();
    let (sin, cos) = theta.sin_cos();
    let cos_squared = cos * cos;

    if degrees % 2 == 1 {
        // Odd: (2 / pi) (theta + sin (cos + 2/3 cos^3 + ... up to cos^(d-2))).
        let mut sum = 0.0;
        let mut term = cos;
        let mut exponent = 1;
        while exponent + 2 <= degrees {
            sum += term;
            let k = exponent.div_ceil(2) as f64;
            term *= cos_squared * (2.0 * k) / (2.0 * k + 1.0);
            exponent += 2;
        }
        std::f64::consts::FRAC_2_PI * (theta + sin * sum)
    } else {
        // Even: sin (1 + 1/2 cos^2 + 1*3/(2*4) cos^4 + ... up to cos^(d-2)).
        let mut sum = 0.0;
        let mut term = 1.0;
        let mut exponent = 0;
        while exponent + 2 <= degrees {
            sum += term;
            let k = (exponent / 2 + 1) as f64;
            term *= cos_squared * (2.0 * k - 1.0) / (2.0 * k);
            exponent += 2;
        }
        sin * sum
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn t_quantile_matches_tables() {
        // Two-sided 95% points of Student's t from standard tables.
        let table = [
            (1, 12.706),
            (2, 4.303),
            (3, 3.182),
            (5, 2.571),
            (10, 2.228),
            (30, 2.042),
        ];
        for (degrees, expected) in table {
            let t = student_t_quantile(degrees, 0.95);
            assert!((t - expected).abs() < 1e-3, "df {degrees}: {t}");
        }
    }

    #[test]
    fn t_quantile_approaches_normal() {
        let t = student_t_quantile(2000, 0.95);
        assert!((t - 1.96).abs() < 2e-3, "{t}");
    }
}
