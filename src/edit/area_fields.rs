//! Area columns follow the geometry: after any geometry change the feature's area fields
//! are recomputed in the working CRS (planar Gauss-Kruger, as every area in the project).

use geo::Area;

use crate::error::Result;
use crate::model::{AttrValue, Layer};
use crate::units::{M2_PER_HECTARE, M2_PER_MU};

/// Recognised area columns (case-insensitive) and the metres² in one of their units:
/// 三调's `TBMJ`, the new-layer schema's `MJ` / `MJGQ` / `MJM`, and their Chinese names.
pub const AREA_FIELDS: &[(&str, f64)] = &[
    ("TBMJ", 1.0),
    ("MJ", 1.0),
    ("SHAPE_AREA", 1.0),
    ("面积", 1.0),
    ("MJGQ", M2_PER_HECTARE),
    ("面积公顷", M2_PER_HECTARE),
    ("MJM", M2_PER_MU),
    ("面积亩", M2_PER_MU),
];

/// Rewrites every area field of the feature at `position` from its geometry (NULL when it
/// has none). Values are rounded to 0.01 of their unit, as survey tables are.
pub fn update_area_fields(layer: &mut Layer, position: usize) -> Result<()> {
    let Some(feature) = layer.features().get(position) else {
        return Ok(());
    };
    let area = feature.geometry.as_ref().map(|g| g.unsigned_area());
    let columns: Vec<(usize, f64)> = AREA_FIELDS
        .iter()
        .filter_map(|(name, unit)| Some((layer.field_index(name)?, *unit)))
        .collect();
    for (col, unit) in columns {
        let value = match area {
            Some(a) => AttrValue::Real(((a / unit) * 100.0).round() / 100.0),
            None => AttrValue::Null,
        };
        layer.set_value(position, col, value)?;
    }
    Ok(())
}
