//! What leaves the tool for reviewers: map sheets, the review package, the delivery
//! database.

pub mod sheets;
