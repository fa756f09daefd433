//! The in-memory plan: [`Project`] → [`Layer`] → [`Feature`].

pub mod admin;
pub mod demonstration;
mod feature;
mod file_stamp;
mod layer;
mod project;
mod query;
mod role;
pub mod settlements;
mod style;

pub use feature::{AttrValue, Feature, FieldDef, FieldKind};
pub use file_stamp::{FileStamp, ProjectFile};
pub use layer::{GeometryKind, Layer, LayerSource, LoadReport};
pub use project::{Project, ProjectSettings};
pub use query::{AttributeFilter, Condition, Op, compare_values};
pub use role::{LayerRole, RoleGuess};
pub use style::{Fill, LayerStyle, Rgba};
