//! Small widgets the views share: the in-window file browser and the fonts.

pub mod file_browser;
pub mod fonts;
