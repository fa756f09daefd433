//! The demonstration layout (一区一带三线): corridors and zones, their summaries, and the
//! designations against the county's targets, on a small synthetic county with exact
//! answers and through the command line on a copy of the sample.

mod cli;
mod corridor;
mod designations;
mod fixture;
mod roads;
mod summary;
