//! Numerically stable softmax and sampling from a distribution.

use rand::Rng;

/// Writes `softmax(logits)` into `probabilities`.
///
/// The logits are shifted by their maximum first, so the largest term is
/// `exp(0) = 1` and nothing overflows: logits of `+1000` and `-1000` give
/// exactly `1` and `0`. Every output is finite and the outputs sum to 1 up
/// to rounding, for any finite input. An empty input gives an empty output.
///
/// # Examples
/// ```
/// let mut p = [0.0; 2];
/// hpg_policy::softmax(&[1000.0, -1000.0], &mut p);
/// assert_eq!(p, [1.0, 0.0]);
/// ```
pub fn softmax(logits: &[f64], probabilities: &mut [f64]) {
    let max = logits.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let mut total = 0.0;
    for (p, &logit) in probabilities.iter_mut().zip(logits) {
        *p = (logit - max).exp();
        total += *p;
    }
    for p in probabilities.iter_mut() {
        *p /= total;
    }
}

/// Mixes `probabilities` with the uniform distribution:
/// `p = (1 - gamma) p + gamma / M`.
pub fn mix_uniform(probabilities: &mut [f64], gamma: f64) {
    if gamma <= 0.0 || probabilities.is_empty() {
        return;
    }
    let floor = gamma / probabilities.len() as f64;
    for p in probabilities.iter_mut() {
        *p = (1.0 - gamma) * *p + floor;
    }
}

/// Draws an index from `probabilities` by inversion of one uniform number.
///
/// Returns the index and its probability. Rounding can leave the
/// cumulative sum just below the uniform draw; the last index with a
/// positive probability is returned then. Returns `None` for an empty
/// slice.
pub fn sample<R: Rng + ?Sized>(probabilities: &[f64], rng: &mut R) -> Option<(usize, f64)> {
    let draw: f64 = rng.random();
    let mut cumulative = 0.0;
    let mut last_positive = None;
    for (index, &p) in probabilities.iter().enumerate() {
        if p > 0.0 {
            last_positive = Some(index);
        }
        cumulative += p;
        if draw < cumulative && p > 0.0 {
            return Some((index, p));
        }
    }
    last_positive.map(|index| (index, probabilities[index]))
}
