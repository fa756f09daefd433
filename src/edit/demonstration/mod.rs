//! Drawing the county's demonstration layout (一区一带三线, docs/domain.md §8.4): corridors
//! from a centre line and a width, zones from whole townships and villages or a drawn
//! polygon, and the edits that keep a corridor's polygon following its line.
//!
//! Everything here is a pure function of the project returning an [`crate::edit::Edit`]
//! (or a geometry), so a window can rebuild a corridor every frame while a width slider
//! moves ([`corridor_polygon`] only — no project change) and commit one undoable step when
//! it is released ([`set_corridor_width`]).
//!
//! ```
//! use villageplan::edit::History;
//! use villageplan::edit::demonstration::{DemoLabel, add_corridor, new_demonstration_layer, set_corridor_width};
//! use villageplan::model::demonstration::{CorridorLine, DemoKind, LineEnds};
//! # fn demo(project: &mut villageplan::Project) -> villageplan::Result<()> {
//! let layer = new_demonstration_layer(project);
//! let id = layer.id.clone();
//! project.add_layer(layer);
//! let line = CorridorLine {
//!     centre: geo::wkt!(MULTILINESTRING((500000. 2700000., 510000. 2700000.))),
//!     width_m: 1000.0,
//!     ends: LineEnds::Round,
//! };
//! let label = DemoLabel { name: "锦秀线".into(), ..DemoLabel::default() };
//! let mut history = History::default();
//! history.apply(project, "新建示范线", add_corridor(project, &id, &label, DemoKind::Line, &line)?)?;
//! history.apply(project, "宽度", set_corridor_width(project, &id, 0, 800.0)?)?;
//! history.undo(project)?; // 1000 m again, polygon and all
//! # Ok(()) }
//! ```

mod corridor;
mod edits;
mod road_network;
mod route;
mod zone;

pub use corridor::{ARC_STEP, MAX_WIDTH_M, check_centre_line, check_width, corridor_polygon};
pub use edits::{
    CentreVertex, DemoLabel, add_corridor, add_zone, change_corridor, move_centre_vertex,
    set_corridor_width,
};
pub use road_network::{JOIN_M, NearestNode, RoadNetwork};
pub use route::{MAX_ACCESS_M, line_along_roads, line_through_seats};
pub use zone::zone_geometry;

use crate::model::{Layer, LayerRole, Project};

/// An empty 示范区带线 layer with its columns ([`crate::edit::role_fields`]) and area fields.
pub fn new_demonstration_layer(project: &Project) -> Layer {
    super::new_plan_layer(project, LayerRole::Demonstration)
}
