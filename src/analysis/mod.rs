//! Analyses over a project: area statistics (and, in later modules, checks and
//! classification). Each reads the [`crate::Project`] and returns plain data that the CLI
//! and the GUI only format.

pub mod classify;
pub mod stats;
