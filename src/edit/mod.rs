//! Editing a plan: every change is an [`Edit`] that, applied, returns its inverse, and a
//! [`History`] keeps both directions for unlimited undo/redo. The GUI's tools only build
//! edits; validation, area fields and the spatial index are kept right here, so a tool can
//! never leave the project half-changed.
//!
//! ```
//! use villageplan::edit::{Edit, History};
//! # fn demo(project: &mut villageplan::Project, feature: villageplan::Feature) -> villageplan::Result<()> {
//! let mut history = History::default();
//! history.apply(project, "绘制", Edit::AddFeature { layer: "yjjbnt".into(), position: None, feature })?;
//! history.undo(project)?; // the feature is gone again
//! history.redo(project)?; // and back
//! # Ok(()) }
//! ```

mod area_fields;
mod avoid_overlaps;
mod command;
mod control_zones;
pub mod demonstration;
mod drafts;
mod drawing_layers;
mod faces;
mod from_selection;
mod history;
mod merge;
mod reshape;
mod schema;
mod snap;
mod split;
mod three_spaces;
mod trace;
mod validate;
mod vertex;

pub use area_fields::{AREA_FIELDS, update_area_fields};
pub use avoid_overlaps::{avoids_overlaps, clip_to_neighbours, set_avoid_overlaps};
pub use command::Edit;
pub use control_zones::{LandUseSource, ZoneDraft, control_zones_edit, draft_control_zones};
pub use drawing_layers::{is_drawing_layer, new_drawing_layer};
pub use from_selection::create_from_selection;
pub use history::History;
pub use merge::{merge_features, merge_geometries};
pub use reshape::{add_hole, remove_hole, reshape_geometry};
pub use schema::{DRAWN_ROLES, default_kind, new_plan_layer, new_plan_layer_of, role_fields};
pub use snap::{Snap, SnapKind, snap};
pub use split::{split_feature, split_features, split_geometry};
pub use three_spaces::{SpaceDraft, draft_three_spaces, three_spaces_edit};
pub use trace::trace;
pub use validate::{InvalidEdit, validate_geometry};
pub use vertex::{
    VertexId, insert_vertex, move_vertex, nearest_edge, nearest_vertex, remove_vertex,
};
