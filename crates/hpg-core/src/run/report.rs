//! The results of a run.

/// The results of running several routers on the same rounds.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct RunReport {
    /// Number of training rounds played.
    pub rounds: usize,
    /// Names of the models, in reward-column order.
    pub model_names: Vec<String>,
    /// Mean over rounds of the largest reward of the round: what the
    /// per-query oracle earns.
    pub oracle_avg_reward: f64,
    /// The model with the largest total reward in hindsight.
    pub best_fixed: BestFixed,
    /// One report per router, in the order the routers were passed.
    pub routers: Vec<RouterReport>,
    /// Number of held-out queries scored after training, 0 when the
    /// environment keeps none out of training.
    pub holdout_rows: usize,
}

/// The best fixed model in hindsight.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct BestFixed {
    /// Index of the model (the lowest index among ties).
    pub model: usize,
    /// Name of the model.
    pub name: String,
    /// Its mean reward over the training rounds.
    pub avg_reward: f64,
    /// The same model's score on the held-out queries, `None` when the
    /// environment keeps none out of training.
    pub holdout: Option<HoldoutScore>,
}

/// The results of one router.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct RouterReport {
    /// The router's name.
    pub name: String,
    /// Mean reward per round of the models it chose.
    pub avg_reward: f64,
    /// Mean suboptimality gap to the per-query oracle:
    /// `(1 / T) sum_t (max_m r_t(m) - r_t(m_t))`.
    pub gap: f64,
    /// Regret against the best fixed model, per round:
    /// `(R_best - R_router) / T` with `R` the total reward over the `T`
    /// training rounds. Negative when the router beats every fixed model.
    pub regret_best_fixed: f64,
    /// Mean wall time of `decide` plus `observe`, in microseconds per round.
    pub us_per_round: f64,
    /// Running mean gap, sampled at about 200 rounds including the last.
    pub curve: Vec<CurvePoint>,
    /// Score of the final policy on the held-out queries, `None` when the
    /// environment keeps none out of training.
    pub holdout: Option<HoldoutScore>,
}

/// One point of a running mean gap curve.
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct CurvePoint {
    /// Number of rounds played, from 1.
    pub round: usize,
    /// Mean gap over those rounds.
    pub avg_gap: f64,
}

/// Score of a final policy on held-out queries, by its expected reward
/// `sum_m pi(m | x) r(m)`, so no draw adds noise.
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct HoldoutScore {
    /// Mean expected reward over the held-out queries.
    pub avg_reward: f64,
    /// Mean of `max_m r(m)` minus the expected reward.
    pub gap: f64,
}
