//! Land-use composition of each village from the 三调 parcels: settlement land (农村宅基地),
//! construction land and farmland.
//!
//! A parcel belongs to the village of its `ZLDWDM` (first 12 characters); a parcel without
//! one, or whose code names no village, is placed by its interior point (rstar candidates,
//! then point-in-polygon). *Area basis*: planar Gauss-Kruger area of the geometry.

use geo::Area;

use super::villages::Villages;
use crate::landuse::{CodeBook, Standard};
use crate::model::{LayerRole, Project};

/// Land-use sums of one village.
#[derive(Debug, Clone, Default)]
pub struct VillageLandUse {
    /// Positions (in the land-use layer) of the village's settlement parcels.
    pub settlement_parcels: Vec<usize>,
    /// Settlement land area, m².
    pub settlement_m2: f64,
    /// Construction land (三调 三大类 建设用地), m².
    pub construction_m2: f64,
    /// Farmland, m².
    pub farmland_m2: f64,
    /// All parcels, m².
    pub total_m2: f64,
}

/// Sums per village (same order as `villages.list`); `None` when the project has no
/// current land-use layer. Parcels that fall in no village are counted in the warning.
pub fn land_use_by_village(
    project: &Project,
    villages: &Villages,
    settlement_codes: &[String],
    farmland_codes: &[String],
    warnings: &mut Vec<String>,
) -> Option<Vec<VillageLandUse>> {
    let layer = project.layer_by_role(LayerRole::CurrentLandUse)?;
    let Some(dlbm) = layer.field_index("DLBM") else {
        warnings.push(format!(
            "layer '{}' has no DLBM field: land-use indicators unknown",
            layer.name
        ));
        return None;
    };
    let zldwdm = layer.field_index("ZLDWDM");
    let book = CodeBook::bundled();
    let mut out = vec![VillageLandUse::default(); villages.list.len()];
    let mut unplaced = 0usize;
    for (i, f) in layer.features().iter().enumerate() {
        let Some(geometry) = &f.geometry else {
            continue;
        };
        let by_code = zldwdm
            .and_then(|c| f.attributes[c].as_text())
            .and_then(|z| {
                let code: String = z.trim().chars().take(12).collect();
                villages.by_code.get(&code).copied()
            });
        let Some(v) = by_code.or_else(|| villages.containing(geometry)) else {
            unplaced += 1;
            continue;
        };
        let code = f.attributes[dlbm].as_text().unwrap_or_default();
        let code = code.trim();
        let area = geometry.unsigned_area();
        let sums = &mut out[v];
        sums.total_m2 += area;
        if settlement_codes.iter().any(|c| c == code) {
            sums.settlement_m2 += area;
            sums.settlement_parcels.push(i);
        }
        if farmland_codes.iter().any(|c| code.starts_with(c.as_str())) {
            sums.farmland_m2 += area;
        }
        if book
            .lookup(Standard::Sandiao, code)
            .is_some_and(|c| c.is_construction())
        {
            sums.construction_m2 += area;
        }
    }
    if unplaced > 0 {
        warnings.push(format!(
            "layer '{}': {unplaced} parcel(s) lie in no classified village and were not counted",
            layer.name
        ));
    }
    Some(out)
}
