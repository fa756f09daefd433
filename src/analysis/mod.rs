//! Analyses over a project: area statistics and the 质检 checks (classification in a later
//! module). Each reads the [`crate::Project`] and returns plain data that the CLI
//! and the GUI only format.

pub mod checks;
pub mod classify;
pub mod stats;
