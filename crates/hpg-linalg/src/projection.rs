//! Bregman projections that act on dual eigenvalues only.
//!
//! For a spectral potential and a unitarily invariant constraint set, the
//! Bregman projection keeps the eigenvectors and changes the eigenvalues.
//! Each projection below takes the dual eigenvalues `u` of every block,
//! changes them in place, and guarantees that the primal eigenvalues
//! `(f')^{-1}(u)` satisfy the constraint.

use crate::{Error, MirrorMap, Result};

/// Sharing of the nuclear-norm budget between blocks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum Scope {
    /// One budget over all blocks: `sum_m ||Theta_m||_* <= radius`.
    Joint,
    /// One budget per block: `||Theta_m||_* <= radius` for every `m`.
    PerBlock,
}

/// A unitarily invariant constraint set on the primal matrices.
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum Ball {
    /// Nuclear-norm ball (sum of absolute eigenvalues) of the given radius.
    Nuclear {
        /// Radius, in logit units.
        radius: f64,
        /// Joint over all blocks or per block.
        scope: Scope,
    },
    /// Operator-norm ball (largest absolute eigenvalue) of the given radius.
    Operator {
        /// Radius, in logit units.
        radius: f64,
    },
    /// Frobenius-norm ball over all blocks, `sum_m ||Theta_m||_F^2 <=
    /// radius^2`: the ball of Euclidean projected gradient ascent.
    Frobenius {
        /// Radius, in logit units.
        radius: f64,
    },
    /// No constraint. Dual values are still clamped to
    /// `[-map.dual_limit(), map.dual_limit()]` so that no primal value
    /// overflows.
    Unconstrained,
}

impl Ball {
    /// Checks the radius.
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] unless the radius is finite and positive.
    pub fn validate(&self) -> Result<()> {
        let radius = match *self {
            Ball::Nuclear { radius, .. }
            | Ball::Operator { radius }
            | Ball::Frobenius { radius } => radius,
            Ball::Unconstrained => return Ok(()),
        };
        if !(radius.is_finite() && radius > 0.0) {
            return Err(Error::InvalidParameter {
                name: "radius",
                value: radius,
                expected: "a finite radius > 0",
            });
        }
        Ok(())
    }

    /// Projects the dual eigenvalues of every block in place and returns the
    /// dual threshold `nu` that was subtracted (0 when nothing moved or the
    /// ball is not a nuclear-norm ball).
    ///
    /// # Examples
    /// ```
    /// use hpg_linalg::{Ball, Euclidean, Scope};
    /// let ball = Ball::Nuclear { radius: 1.0, scope: Scope::Joint };
    /// let mut first = vec![2.0, -0.5];
    /// let mut second = vec![0.25];
    /// ball.project(&Euclidean, &mut [&mut first[..], &mut second[..]]);
    /// assert_eq!(first, vec![1.0, 0.0]);
    /// assert_eq!(second, vec![0.0]);
    /// ```
    pub fn project<M: MirrorMap>(&self, map: &M, blocks: &mut [&mut [f64]]) -> f64 {
        let dual_limit = map.dual_limit();
        for value in blocks.iter_mut().flat_map(|block| block.iter_mut()) {
            *value = value.clamp(-dual_limit, dual_limit);
        }

        match *self {
            Ball::Nuclear {
                radius,
                scope: Scope::Joint,
            } => {
                let nu = nuclear_threshold(map, radius, blocks.iter().flat_map(|b| b.iter()));
                blocks
                    .iter_mut()
                    .for_each(|block| soft_threshold(block, nu));
                nu
            }
            Ball::Nuclear {
                radius,
                scope: Scope::PerBlock,
            } => {
                let mut largest = 0.0_f64;
                for block in blocks.iter_mut() {
                    let nu = nuclear_threshold(map, radius, block.iter());
                    soft_threshold(block, nu);
                    largest = largest.max(nu);
                }
                largest
            }
            Ball::Operator { radius } => {
                let limit = map.grad(radius);
                for value in blocks.iter_mut().flat_map(|block| block.iter_mut()) {
                    *value = value.clamp(-limit, limit);
                }
                0.0
            }
            Ball::Frobenius { radius } => {
                project_frobenius(map, radius, blocks);
                0.0
            }
            Ball::Unconstrained => 0.0,
        }
    }
}

/// Bregman projection of the dual values of all blocks onto the Frobenius
/// ball of the given radius.
///
/// The projection minimizes `sum_i D_f(l_i, l~_i)` subject to `sum_i l_i^2
/// <= radius^2`. Its optimality condition is `f'(l_i) + 2 lambda l_i = u_i`
/// with one multiplier `lambda >= 0` for all values, and the squared norm
/// falls as `lambda` grows, so `lambda` is found by bisection. Each value is
/// then solved with [`MirrorMap::solve_penalized`]. The bisection stops on
/// the feasible side, so the result is never outside the ball.
fn project_frobenius<M: MirrorMap>(map: &M, radius: f64, blocks: &mut [&mut [f64]]) {
    let squared_norm = |lambda: f64, blocks: &[&mut [f64]]| -> f64 {
        blocks
            .iter()
            .flat_map(|block| block.iter())
            .map(|&u| map.solve_penalized(u, lambda).powi(2))
            .sum()
    };
    let target = radius * radius;
    if squared_norm(0.0, blocks) <= target {
        return;
    }

    let mut high = 1.0;
    while squared_norm(high, blocks) > target && high < 1e300 {
        high *= 2.0;
    }
    let mut low = 0.0;
    for _ in 0..100 {
        let middle = 0.5 * (low + high);
        if squared_norm(middle, blocks) > target {
            low = middle;
        } else {
            high = middle;
        }
    }

    for value in blocks.iter_mut().flat_map(|block| block.iter_mut()) {
        *value = map.grad(map.solve_penalized(*value, high));
    }
}

/// Shrinks every dual value towards 0 by `nu`, stopping at 0.
pub fn soft_threshold(values: &mut [f64], nu: f64) {
    for value in values {
        *value = value.signum() * (value.abs() - nu).max(0.0);
    }
}

/// Finds the smallest `nu >= 0` with `sum_i (f')^{-1}((|u_i| - nu)_+) <= radius`.
///
/// The search is exact: sort the magnitudes in descending order, find by
/// binary search the segment between two consecutive magnitudes where the
/// constraint becomes tight, and solve on it with
/// [`MirrorMap::solve_segment`] (a closed form for [`crate::Hypentropy`] and
/// [`crate::Euclidean`]). Cost: `O(k log k)` for `k` values.
pub fn nuclear_threshold<'a, M: MirrorMap>(
    map: &M,
    radius: f64,
    duals: impl Iterator<Item = &'a f64>,
) -> f64 {
    let mut magnitudes: Vec<f64> = duals.map(|u| u.abs()).filter(|&a| a > 0.0).collect();
    magnitudes.sort_by(|a, b| b.total_cmp(a));

    let mass = |nu: f64, active: usize| -> f64 {
        magnitudes[..active]
            .iter()
            .map(|&a| map.grad_inverse(a - nu))
            .sum()
    };
    let count = magnitudes.len();
    if count == 0 || mass(0.0, count) <= radius {
        return 0.0;
    }

    // Largest `active` in 1..=count whose breakpoint nu = magnitudes[active - 1]
    // keeps the mass within the radius (true for active = 1, where it is 0).
    let (mut feasible, mut infeasible) = (1, count + 1);
    while infeasible - feasible > 1 {
        let middle = (feasible + infeasible) / 2;
        if mass(magnitudes[middle - 1], middle - 1) <= radius {
            feasible = middle;
        } else {
            infeasible = middle;
        }
    }

    let high = magnitudes[feasible - 1];
    let low = magnitudes.get(feasible).copied().unwrap_or(0.0);
    let shifted: Vec<f64> = magnitudes[..feasible].iter().map(|&a| a - high).collect();
    let delta = map.solve_segment(&shifted, radius, high - low);
    high - delta
}
