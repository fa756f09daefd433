//! The window's panels and dialogs, one file each. A view reads the [`Workspace`] and its
//! own state and changes the document only through [`crate::app::document::Document`]'s
//! methods; it never reaches into another view (a view that wants another window opened
//! asks with a [`crate::app::workspace::Request`]).
//!
//! [`Workspace`]: crate::app::workspace::Workspace

pub mod add_layer;
pub mod checks;
pub mod classify;
pub mod demonstration;
pub mod export;
pub mod identify;
pub mod layers;
pub mod map;
pub mod menu;
pub mod open;
pub mod package;
pub mod preferences;
pub mod recovery;
pub mod save;
pub mod sheets;
pub mod status;
pub mod style;
pub mod table;
pub mod tables;
