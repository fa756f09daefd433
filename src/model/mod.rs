//! The in-memory plan: [`Project`] → [`Layer`] → [`Feature`].

mod feature;
mod layer;
mod project;
mod role;
mod style;

pub use feature::{AttrValue, Feature, FieldDef, FieldKind};
pub use layer::{GeometryKind, Layer, LayerSource, LoadReport};
pub use project::{Project, ProjectSettings};
pub use role::{LayerRole, RoleGuess};
pub use style::{Fill, LayerStyle, Rgba};
