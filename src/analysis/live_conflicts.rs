//! Live conflict feedback: while a construction-type feature (村庄建设边界, 生活空间, planned
//! construction land) is being drawn, how much of it lies in 永久基本农田 and 生态保护红线.
//! Only features whose envelope meets the sketch are intersected (rstar), so an update
//! costs the same on a village or a county project.

use geo::{Area, BooleanOps, BoundingRect, Geometry, MultiPolygon, Polygon};

use crate::model::{LayerRole, Project};

/// The overlap of a sketch with the features of one protected layer.
#[derive(Debug, Clone)]
pub struct LiveConflict {
    /// 永久基本农田 or 生态保护红线.
    pub role: LayerRole,
    /// The protected layer.
    pub layer_id: String,
    /// The overlap, to highlight on the map (working CRS).
    pub overlap: MultiPolygon<f64>,
    /// Its area in m² (planar, working CRS).
    pub area_m2: f64,
}

/// The roles a construction sketch must stay out of.
pub const PROTECTED: [LayerRole; 2] = [LayerRole::PermanentFarmland, LayerRole::EcologicalRedLine];

/// Overlaps of `sketch` with every 永久基本农田 and 生态保护红线 layer of the project (empty
/// when it touches none). A sketch that is not a polygon yet (fewer than three points) has
/// no area and no conflict.
pub fn construction_conflicts(project: &Project, sketch: &Polygon<f64>) -> Vec<LiveConflict> {
    let Some(bbox) = sketch.bounding_rect() else {
        return Vec::new();
    };
    if sketch.exterior().0.len() < 4 {
        return Vec::new();
    }
    let sketch = MultiPolygon(vec![sketch.clone()]);
    let mut out = Vec::new();
    for layer in project
        .layers
        .iter()
        .filter(|l| PROTECTED.contains(&l.role))
    {
        let mut parts: Vec<Polygon<f64>> = Vec::new();
        for i in layer.index().query(bbox.min().into(), bbox.max().into()) {
            let protected = match &layer.features()[i].geometry {
                Some(Geometry::Polygon(p)) => MultiPolygon(vec![p.clone()]),
                Some(Geometry::MultiPolygon(m)) => m.clone(),
                _ => continue,
            };
            parts.extend(sketch.intersection(&protected).0);
        }
        let overlap = MultiPolygon(parts);
        let area_m2 = overlap.unsigned_area();
        if area_m2 > 0.0 {
            out.push(LiveConflict {
                role: layer.role,
                layer_id: layer.id.clone(),
                overlap,
                area_m2,
            });
        }
    }
    out
}

/// The field holding a feature's type in layers where the type decides whether it is
/// construction (三生空间: the space; 规划地类: the 用地用海 code; 管控边界: the zone code).
pub fn type_field(role: LayerRole) -> Option<&'static str> {
    match role {
        LayerRole::ThreeSpaces => Some("KJLX"),
        LayerRole::PlannedLandUse => Some("GHDLBM"),
        LayerRole::ControlZone => Some("GKBJLXDM"),
        _ => None,
    }
}

/// True when a feature of a `role` layer with type `value` (see [`type_field`]) is
/// construction-type and so gets live conflict feedback: every 村庄建设边界, a 生活空间,
/// planned construction land (用地用海 06–16), a 村庄集中建设区 or 弹性发展区.
pub fn is_construction(role: LayerRole, value: &str) -> bool {
    let value = value.trim();
    match role {
        LayerRole::VillageConstructionBoundary => true,
        LayerRole::ThreeSpaces => {
            crate::landuse::Space::from_name(value) == Some(crate::landuse::Space::Living)
        }
        LayerRole::PlannedLandUse => crate::landuse::CodeBook::bundled()
            .lookup(crate::landuse::Standard::Ydyh2023, value)
            .is_some_and(|c| c.is_construction()),
        LayerRole::ControlZone => matches!(value, "0301" | "0302"),
        _ => false,
    }
}
