//! Sample generator (being written on the sample-generator branch).
use crate::{Progress, Project, Result};
/// Options.
pub struct SampleOptions {
    /// Seed.
    pub seed: u64,
    /// Parcels.
    pub parcels: usize,
}
/// Placeholder until the generator lands.
pub fn generate(_o: &SampleOptions, _p: &dyn Progress) -> Result<Project> {
    Err(crate::Error::Invalid(
        "sample generator not merged yet".into(),
    ))
}
