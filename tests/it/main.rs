//! The integration tests: one binary so the suite links once.

mod checks;
mod cli;
mod crs;
mod encoding;
mod fixtures;
mod formats;
mod gui;
mod project_file;
mod render;
mod sample;
