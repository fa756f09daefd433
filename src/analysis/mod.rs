//! Analyses over a project: area statistics, the 质检 checks, the five-type classification
//! and the live conflict feedback of the editor. Each reads the [`crate::Project`] and returns plain data that the CLI
//! and the GUI only format.

pub mod checks;
pub mod classify;
pub mod live_conflicts;
pub mod stats;
