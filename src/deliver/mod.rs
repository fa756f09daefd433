//! What leaves the tool for reviewers: the delivery database (成果数据库), the whole plan as
//! one GeoPackage, map sheets and the review package. Above the analyses (they deliver their
//! results), below the CLI and the window (which only ask for them).

pub mod database;
pub mod plan_geopackage;
