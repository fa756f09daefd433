//! The demonstration layout as numbers (docs/domain.md §8.4): what each zone or corridor
//! covers ([`SummaryContext::summarise`]), which townships, villages and natural villages
//! are designated against the county's 3 / 24 / 300 targets ([`Designations`]), and how far
//! the designations are — per target, per zone and for the county — with the designations
//! that contradict the classification or carry unresolved check errors flagged.
//!
//! ```no_run
//! use villageplan::analysis::areas::AreaBasis;
//! use villageplan::analysis::demonstration::SummaryContext;
//! use villageplan::model::demonstration::find_demo_area;
//! # fn demo(project: &villageplan::Project) -> villageplan::Result<()> {
//! let context = SummaryContext::new(project, AreaBasis::Ellipsoidal)?; // once
//! let line = find_demo_area(project, "锦秀线")?;
//! let layer = project.layer(&line.layer_id).unwrap();
//! let polygon = villageplan::geometry::as_multipolygon(
//!     layer.features()[line.position].geometry.as_ref().unwrap()).unwrap();
//! let summary = context.summarise(&polygon)?; // every frame the corridor moves
//! println!("{} villages touched", summary.villages.len());
//! # Ok(()) }
//! ```

mod context;
mod designations;
mod export;
mod progress;
mod report;
mod sheets;
mod summary;

pub use context::SummaryContext;
pub use designations::{
    DESIGNATIONS_KEY, DemoTargets, Designation, Designations, designate, set_target,
};
pub use export::{csv_text, write_geojson, write_workbook};
pub use progress::{
    DesignatedUnit, Flag, FlagKind, Review, TargetProgress, project_classification, review,
};
pub use report::{AreaReport, DemoReport, demo_report};
pub use sheets::{Cell, Sheet, explanation, sheets};
pub use summary::{
    ClassArea, MIN_SHARE, NaturalInside, POPULATION_RULE_ZH, Population, Summary, UnitShare,
    VillageShare,
};
