//! What leaves the tool for reviewers: map sheets, the review package, the delivery
//! database. Each is assembled from the library's analyses and written through `io`; the
//! CLI and the window only ask for them.

pub mod package;
