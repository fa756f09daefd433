//! Analyses over a project.
