//! The planner's own line and point layers (a planned road, a 示范带 axis, a public toilet,
//! a viewpoint): drawn in the project like the plan polygons, with a name, a type and a note.

use crate::model::{FieldDef, FieldKind, GeometryKind, Layer, LayerRole, Project};

/// An empty line or point layer named `name`, with MC (名称), LX (类型), BZ (备注).
pub fn new_drawing_layer(project: &Project, kind: GeometryKind, name: &str) -> Layer {
    let key = match kind {
        GeometryKind::Point => "points",
        _ => "lines",
    };
    let fields = ["MC", "LX", "BZ"]
        .into_iter()
        .map(|f| FieldDef::new(f, FieldKind::Text))
        .collect();
    let id = project.unique_layer_id(key);
    let mut layer = Layer::new(id, name, LayerRole::Other, fields, Vec::new());
    layer.geometry_kind = kind;
    layer
}

/// True for line and point layers of no particular role — the ones a planner draws into.
pub fn is_drawing_layer(layer: &Layer) -> bool {
    layer.role == LayerRole::Other
        && matches!(
            layer.geometry_kind,
            GeometryKind::Line | GeometryKind::Point
        )
}
