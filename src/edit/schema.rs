//! New plan layers with the right columns in one step: the three lines, the three spaces,
//! planned land use and the control zones, each with its role-specific attributes and the
//! three area fields the editor keeps up to date.

use crate::model::{FieldDef, FieldKind, GeometryKind, Layer, LayerRole, Project};

/// The roles a planner draws, in menu order.
pub const DRAWN_ROLES: [LayerRole; 6] = [
    LayerRole::EcologicalRedLine,
    LayerRole::PermanentFarmland,
    LayerRole::VillageConstructionBoundary,
    LayerRole::ThreeSpaces,
    LayerRole::PlannedLandUse,
    LayerRole::ControlZone,
];

/// The role-specific columns (name, kind, Chinese label for forms).
pub fn role_fields(role: LayerRole) -> Vec<(&'static str, FieldKind, &'static str)> {
    use FieldKind::Text;
    match role {
        LayerRole::EcologicalRedLine | LayerRole::PermanentFarmland => vec![
            ("MC", Text, "名称"),
            ("LY", Text, "来源"),
            ("BZ", Text, "备注"),
        ],
        LayerRole::VillageConstructionBoundary => {
            vec![
                ("CZDM", Text, "村代码"),
                ("MC", Text, "名称"),
                ("BZ", Text, "备注"),
            ]
        }
        LayerRole::ThreeSpaces => vec![("KJLX", Text, "空间类型"), ("CZDM", Text, "村代码")],
        LayerRole::PlannedLandUse => vec![
            ("GHDLBM", Text, "规划地类编码"),
            ("GHDLMC", Text, "规划地类名称"),
            ("CZDM", Text, "村代码"),
        ],
        LayerRole::ControlZone => vec![
            ("GKBJLXDM", Text, "管控类型代码"),
            ("GKBJLXMC", Text, "管控类型名称"),
            ("CZDM", Text, "村代码"),
        ],
        _ => vec![("MC", Text, "名称"), ("BZ", Text, "备注")],
    }
}

/// An empty polygon layer for `role`, named in Chinese, with a project-unique id, its
/// role's columns and the area fields MJ (m²), MJGQ (公顷), MJM (亩).
pub fn new_plan_layer(project: &Project, role: LayerRole) -> Layer {
    let mut fields: Vec<FieldDef> = role_fields(role)
        .into_iter()
        .map(|(name, kind, _)| FieldDef::new(name, kind))
        .collect();
    for name in ["MJ", "MJGQ", "MJM"] {
        fields.push(FieldDef::new(name, FieldKind::Real));
    }
    let id = project.unique_layer_id(role.key());
    let mut layer = Layer::new(id, role.name_zh(), role, fields, Vec::new());
    layer.geometry_kind = GeometryKind::Polygon;
    layer
}
