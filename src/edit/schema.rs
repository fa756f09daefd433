//! New plan layers with the right columns in one step: the three lines, the three spaces,
//! planned land use, the control zones, the near-term construction projects and the public
//! facilities of the base and the target year, and the county's demonstration zones and
//! corridors, each with its role-specific attributes (docs/domain.md §6, §8.4, §9) and, for
//! polygons, the three area fields the editor keeps up to date.

use crate::model::demonstration as demo;
use crate::model::{FieldDef, FieldKind, GeometryKind, Layer, LayerRole, Project};

/// The roles a planner draws, in menu order.
pub const DRAWN_ROLES: [LayerRole; 10] = [
    LayerRole::EcologicalRedLine,
    LayerRole::PermanentFarmland,
    LayerRole::VillageConstructionBoundary,
    LayerRole::ThreeSpaces,
    LayerRole::PlannedLandUse,
    LayerRole::ControlZone,
    LayerRole::ConstructionProject,
    LayerRole::PublicFacility,
    LayerRole::PlannedFacility,
    LayerRole::Demonstration,
];

/// The geometry a new layer of `role` holds: facilities are points, everything else a
/// polygon (a construction project may also be a point layer, see [`new_plan_layer_of`]).
pub fn default_kind(role: LayerRole) -> GeometryKind {
    match role {
        LayerRole::PublicFacility | LayerRole::PlannedFacility => GeometryKind::Point,
        _ => GeometryKind::Polygon,
    }
}

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
            (
                "SSBJLX",
                Text,
                "所属边界类型（Z 城镇空间、T 村庄弹性发展区）",
            ),
            ("CZDM", Text, "村代码"),
        ],
        LayerRole::ControlZone => vec![
            ("GKBJLXDM", Text, "管控类型代码"),
            ("GKBJLXMC", Text, "管控类型名称"),
            ("CZDM", Text, "村代码"),
        ],
        LayerRole::ConstructionProject => vec![
            ("XMLX", Text, "项目类型"),
            ("XMMC", Text, "项目名称"),
            ("YDMJ", FieldKind::Real, "用地面积（公顷）"),
            ("GDCS", Text, "高度层数"),
            ("FMGK", Text, "风貌管控"),
            ("JSNX", Text, "建设年限"),
            ("TZE", FieldKind::Real, "投资额（万元）"),
            ("JYZJLY", Text, "建议资金来源"),
            ("CZDM", Text, "村代码"),
            ("BZ", Text, "备注"),
        ],
        LayerRole::PublicFacility => vec![
            ("SSLXDM", Text, "设施类型代码"),
            ("SSLXMC", Text, "设施类型名称"),
            ("CZDM", Text, "村代码"),
            ("BZ", Text, "备注"),
        ],
        LayerRole::PlannedFacility => vec![
            ("GHSSLXDM", Text, "规划设施类型代码"),
            ("GHSSLXMC", Text, "规划设施类型名称"),
            ("CZDM", Text, "村代码"),
            ("BZ", Text, "备注"),
        ],
        LayerRole::Demonstration => vec![
            (demo::NAME_FIELD, Text, "名称"),
            (demo::KIND_FIELD, Text, "类型（示范区、示范带、示范线）"),
            (demo::THEME_FIELD, Text, "主题"),
            (
                demo::WIDTH_FIELD,
                FieldKind::Real,
                "宽度（米，示范带、示范线）",
            ),
            (demo::ENDS_FIELD, Text, "端头（圆头、平头）"),
            (demo::CENTRE_FIELD, Text, "中心线（WKT，工作坐标系）"),
            (demo::NOTE_FIELD, Text, "备注"),
        ],
        _ => vec![("MC", Text, "名称"), ("BZ", Text, "备注")],
    }
}

/// An empty layer for `role` of its usual geometry ([`default_kind`]), named in Chinese,
/// with a project-unique id, its role's columns and — for polygons — the area fields MJ
/// (m²), MJGQ (公顷), MJM (亩).
pub fn new_plan_layer(project: &Project, role: LayerRole) -> Layer {
    new_plan_layer_of(project, role, default_kind(role))
}

/// The same with the geometry chosen (a point layer of construction projects).
pub fn new_plan_layer_of(project: &Project, role: LayerRole, kind: GeometryKind) -> Layer {
    let mut fields: Vec<FieldDef> = role_fields(role)
        .into_iter()
        .map(|(name, kind, _)| FieldDef::new(name, kind))
        .collect();
    if kind == GeometryKind::Polygon {
        for name in ["MJ", "MJGQ", "MJM"] {
            fields.push(FieldDef::new(name, FieldKind::Real));
        }
    }
    let id = project.unique_layer_id(role.key());
    let name = match (role, kind) {
        (LayerRole::ConstructionProject, GeometryKind::Point) => "近期建设项目（点）",
        _ => role.name_zh(),
    };
    let mut layer = Layer::new(id, name, role, fields, Vec::new());
    layer.geometry_kind = kind;
    layer
}
