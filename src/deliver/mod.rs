//! What leaves the tool for reviewers: the delivery database (成果数据库), the whole plan as
//! one GeoPackage, map sheets and the review package. Each is assembled from the library's
//! analyses and written through `io`; the CLI and the window only ask for them. And what
//! comes back: [`received`] reads a delivered source for review.

pub mod database;
pub mod export;
pub mod package;
pub mod plan_filegdb;
pub mod plan_geopackage;
pub mod qml;
pub mod received;
pub mod sheets;
