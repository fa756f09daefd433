//! The integration tests: one binary so the suite links once.

mod admin;
mod checks;
mod checks_plan;
mod classify;
mod cli;
mod control_zones;
mod crs;
mod delivery;
mod demonstration;
mod edit;
mod edit_tools;
mod encoding;
mod fixtures;
mod formats;
#[cfg(feature = "gui")]
mod gui;
#[cfg(feature = "gui")]
mod gui_deliverables;
#[cfg(feature = "gui")]
mod gui_demonstration;
#[cfg(feature = "gui")]
mod gui_tables;
#[cfg(feature = "gui")]
mod gui_tools;
#[cfg(feature = "gui")]
mod images;
mod locales;
mod package;
mod project_file;
mod received;
mod render;
mod render_sheets;
mod reviewer_geojson;
mod sample;
mod shapefile_export;
mod tables;
