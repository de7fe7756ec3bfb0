//! Decisions and the tickets that link them to later rewards.

/// Identifies one decision until its reward is observed.
///
/// Tickets are issued by [`crate::Learner::decide`] in increasing order and
/// are accepted once by [`crate::Learner::observe`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Ticket(pub u64);

/// A routing decision.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Decision {
    /// Index of the model that should serve the query.
    pub model: usize,
    /// Probability with which it was drawn.
    pub probability: f64,
    /// Pass this to `observe` with the model's reward.
    pub ticket: Ticket,
}

/// Decision data that the update needs, stored until the reward arrives.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub(crate) struct Pending {
    pub(crate) features: Vec<f64>,
    pub(crate) policy: Vec<f64>,
    pub(crate) model: usize,
    pub(crate) propensity: f64,
}
