//! Create from selection: the union of selected polygons (picked on the map or by an
//! attribute query such as `DLBM ^= 01`) becomes one new feature of a target layer — how a
//! planner turns 三调 farmland parcels into a 永久基本农田 or 生产空间 polygon.

use geo::{Geometry, MultiPolygon, Polygon};

use crate::edit::Edit;
use crate::error::{Error, Result};
use crate::model::{Feature, Layer};

/// The edit adding the union of `source`'s features at `positions` to `target`.
pub fn create_from_selection(source: &Layer, positions: &[usize], target: &Layer) -> Result<Edit> {
    let mut polygons: Vec<Polygon<f64>> = Vec::new();
    for &i in positions {
        match source.features().get(i).and_then(|f| f.geometry.as_ref()) {
            Some(Geometry::Polygon(p)) => polygons.push(p.clone()),
            Some(Geometry::MultiPolygon(m)) => polygons.extend(m.0.iter().cloned()),
            _ => {}
        }
    }
    if polygons.is_empty() {
        return Err(Error::refused(format!(
            "no polygon among the {} selected features of '{}'",
            positions.len(),
            source.name
        )));
    }
    let union: MultiPolygon<f64> = geo::unary_union(polygons.iter());
    let geometry = match union.0.len() {
        1 => Geometry::Polygon(union.0.into_iter().next().expect("one polygon")),
        _ => Geometry::MultiPolygon(union),
    };
    Ok(Edit::AddFeature {
        layer: target.id.clone(),
        position: None,
        feature: Feature {
            id: target.next_feature_id(),
            geometry: Some(geometry),
            attributes: Vec::new(),
        },
    })
}
