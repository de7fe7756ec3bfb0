//! Saving the `hpg` router to a checkpoint file, with its form, and
//! resuming from it.

use std::path::Path;

use super::HpgRouter;
use crate::{ExpectedConfig, Result};

impl HpgRouter {
    /// Saves the router to `path` as a checkpoint that records its form.
    ///
    /// The payload is the variant's index followed by the state that
    /// [`crate::Learner::save`] or [`RadiusEnsemble::save`] writes, so the
    /// files of the three are not interchangeable. The write is atomic, as
    /// for [`crate::Learner::save`].
    ///
    /// # Errors
    /// [`crate::Error::Io`] with [`hpg_io::Error::Io`] when the file cannot
    /// be written.
    ///
    /// # Examples
    /// ```
    /// use hpg_core::{ExpectedConfig, HpgRouter, Router, RouterOptions};
    ///
    /// let dir = tempfile::tempdir().unwrap();
    /// let path = dir.path().join("hpg.ckpt");
    /// let mut router = HpgRouter::new(3, 2, 7, &RouterOptions::default())?;
    /// let decision = router.decide(&[0.5, 0.0, -0.5])?;
    /// router.observe(decision.ticket, 1.0, None)?;
    /// router.save(&path)?;
    ///
    /// let expected = ExpectedConfig { models: 2, input_dim: 3 };
    /// let mut resumed = HpgRouter::load(&path, &expected)?;
    /// assert!(resumed.is_ensemble());
    /// assert_eq!(resumed.observed(), 1);
    /// let query = [0.1, 0.2, 0.3];
    /// assert_eq!(resumed.decide(&query)?, router.decide(&query)?);
    /// # Ok::<(), hpg_core::Error>(())
    /// ```
    ///
    /// [`RadiusEnsemble::save`]: crate::RadiusEnsemble::save
    pub fn save(&self, path: &Path) -> Result<()> {
        Ok(hpg_io::save_checkpoint(path, self)?)
    }

    /// Loads a router saved by [`HpgRouter::save`], in the form it was
    /// saved in, and checks it against `expected` and against itself as
    /// [`crate::Learner::load`] and [`RadiusEnsemble::load`] do.
    ///
    /// # Errors
    /// [`crate::Error::Io`] wrapping the [`hpg_io::Error`] that names the
    /// file: [`hpg_io::Error::CheckpointMismatch`] naming the first field
    /// of `expected` that differs, [`hpg_io::Error::CheckpointInvalid`]
    /// for a state whose parts disagree, and the errors of
    /// [`hpg_io::load_checkpoint`] for a file that is missing, damaged or
    /// not a checkpoint of this type.
    ///
    /// [`RadiusEnsemble::load`]: crate::RadiusEnsemble::load
    pub fn load(path: &Path, expected: &ExpectedConfig) -> Result<Self> {
        let router: Self = hpg_io::load_checkpoint(path)?;
        let file = path.display().to_string();
        match &router {
            Self::Single(learner) => learner.check_loaded(&file, expected)?,
            Self::Ensemble(ensemble) => ensemble.check_loaded(&file, expected)?,
            #[cfg(feature = "estimators")]
            Self::SingleDoublyRobust(learner) => learner.check_loaded(&file, expected)?,
            #[cfg(feature = "estimators")]
            Self::EnsembleDoublyRobust(ensemble) => ensemble.check_loaded(&file, expected)?,
        }
        Ok(router)
    }
}
