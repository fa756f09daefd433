//! The command line: argument parsing and formatting only; every capability is a library
//! call.

pub mod check;
pub mod classify;
pub mod import;
pub mod info;
pub mod progress;
pub mod sample;
pub mod spaces;
pub mod stats;
pub mod table;
pub mod zones;
