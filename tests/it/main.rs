//! The integration tests: one binary so the suite links once.

mod admin;
mod checks;
mod classify;
mod cli;
mod control_zones;
mod crs;
mod edit;
mod edit_tools;
mod encoding;
mod fixtures;
mod formats;
mod gui;
mod gui_tools;
mod images;
mod locales;
mod project_file;
mod render;
mod sample;
