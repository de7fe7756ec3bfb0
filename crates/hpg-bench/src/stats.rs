//! Mean and standard error over seeds.

/// Mean and standard error of a sample.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Estimate {
    /// Sample mean.
    pub mean: f64,
    /// Standard error of the mean: the sample standard deviation (with
    /// `k - 1` in the denominator) over `sqrt(k)`; 0 for one value.
    pub stderr: f64,
}

impl Estimate {
    /// Computes the mean and standard error of `values`; `None` when
    /// `values` is empty.
    pub fn of(values: &[f64]) -> Option<Self> {
        if values.is_empty() {
            return None;
        }
        let count = values.len() as f64;
        let mean = values.iter().sum::<f64>() / count;
        if values.len() == 1 {
            return Some(Self { mean, stderr: 0.0 });
        }
        let squares: f64 = values.iter().map(|v| (v - mean) * (v - mean)).sum();
        let variance = squares / (count - 1.0);
        Some(Self {
            mean,
            stderr: (variance / count).sqrt(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn estimate_of_known_sample() {
        let estimate = Estimate::of(&[1.0, 2.0, 3.0, 4.0]).unwrap();
        assert_eq!(estimate.mean, 2.5);
        // Sample variance 5/3, so the standard error is sqrt(5/12).
        assert!((estimate.stderr - (5.0_f64 / 12.0).sqrt()).abs() < 1e-12);
    }

    #[test]
    fn estimate_of_single_and_empty() {
        assert_eq!(
            Estimate::of(&[0.5]),
            Some(Estimate {
                mean: 0.5,
                stderr: 0.0
            })
        );
        assert_eq!(Estimate::of(&[]), None);
    }
}
