//! Analyses over a project: areas on a stated basis with the 田坎 deduction, area statistics, the 质检 checks, the five-type classification
//! and the live conflict feedback of the editor. Each reads the [`crate::Project`] and returns plain data that the CLI
//! and the GUI only format.

pub mod areas;
pub mod checks;
pub mod classify;
pub mod demonstration;
pub mod live_conflicts;
pub mod review;
pub mod stats;
pub mod tables;
