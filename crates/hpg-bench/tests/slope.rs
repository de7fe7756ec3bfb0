//! The log-log slope fit and its confidence interval.

use hpg_bench::slope::fit_power_law;

/// Deterministic multiplicative noise in `[exp(-0.2), exp(0.2)]`.
fn noise(index: usize) -> f64 {
    (0.2 * ((index as f64) * 2.399_963).sin()).exp()
}

#[test]
fn exact_power_law_gives_exact_slope() {
    let points: Vec<(f64, f64)> = [16.0, 32.0, 64.0, 128.0, 256.0]
        .iter()
        .map(|&x: &f64| (x, 3.0 * x.powf(0.5)))
        .collect();
    let fit = fit_power_law(&points).unwrap();
    assert!((fit.slope - 0.5).abs() < 1e-12, "{fit:?}");
    assert!((fit.intercept - 3.0_f64.ln()).abs() < 1e-12, "{fit:?}");
    assert!(fit.ci_high - fit.ci_low < 1e-9, "{fit:?}");
    assert_eq!(fit.points, 5);
}

#[test]
fn interval_shrinks_with_more_points() {
    let sample = |count: usize| -> Vec<(f64, f64)> {
        (0..count)
            .map(|i| {
                let x = 10.0 * (1.0 + i as f64);
                (x, x.powf(-0.7) * noise(i))
            })
            .collect()
    };
    let few = fit_power_law(&sample(5)).unwrap();
    let many = fit_power_law(&sample(60)).unwrap();

    assert!(few.ci_low < few.slope, "{few:?}");
    assert!(few.slope < few.ci_high, "{few:?}");
    assert!(many.ci_low < -0.7, "{many:?}");
    assert!(-0.7 < many.ci_high, "{many:?}");
    let few_width = few.ci_high - few.ci_low;
    let many_width = many.ci_high - many.ci_low;
    assert!(many_width < few_width / 2.0, "{few_width} vs {many_width}");
}

#[test]
fn fit_needs_three_positive_points() {
    assert!(fit_power_law(&[(1.0, 1.0), (2.0, 2.0)]).is_none());
    assert!(fit_power_law(&[(1.0, 1.0), (2.0, -2.0), (3.0, 3.0)]).is_none());
    assert!(fit_power_law(&[(2.0, 1.0), (2.0, 2.0), (2.0, 3.0)]).is_none());
}
