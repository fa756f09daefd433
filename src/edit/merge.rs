//! Merge: selected polygons of one layer become one feature. The planner chooses whose
//! attributes survive; the others are removed, all as one undoable step.

use geo::{Geometry, MultiPolygon};

use crate::edit::Edit;
use crate::error::{Error, Result};
use crate::geometry::polygons_of;
use crate::model::Layer;

/// The union of polygonal geometries: one polygon when they touch or overlap, otherwise a
/// multipolygon.
pub fn merge_geometries<'a>(
    geometries: impl IntoIterator<Item = &'a Geometry<f64>>,
) -> Option<Geometry<f64>> {
    let polygons: Vec<geo::Polygon<f64>> = geometries.into_iter().flat_map(polygons_of).collect();
    if polygons.is_empty() {
        return None;
    }
    let mut union: MultiPolygon<f64> = geo::unary_union(polygons.iter());
    Some(match union.0.len() {
        1 => Geometry::Polygon(union.0.remove(0)),
        _ => Geometry::MultiPolygon(union),
    })
}

/// The edit merging the features at `positions` of `layer` into the one at `keep`, whose
/// attributes survive.
pub fn merge_features(layer: &Layer, positions: &[usize], keep: usize) -> Result<Edit> {
    let mut positions: Vec<usize> = positions.to_vec();
    positions.sort_unstable();
    positions.dedup();
    let refused = |reason: &str| Error::Refused {
        layer: Some(layer.name.clone()),
        feature: None,
        reason: reason.into(),
    };
    if positions.len() < 2 {
        return Err(refused("select at least two features to merge"));
    }
    if !positions.contains(&keep) {
        return Err(refused(
            "the feature whose attributes survive must be one of the merged",
        ));
    }
    let mut geometries = Vec::new();
    for &i in &positions {
        let feature = layer.features().get(i).ok_or_else(|| Error::NoFeature {
            layer: layer.name.clone(),
            position: i,
        })?;
        match &feature.geometry {
            Some(g @ (Geometry::Polygon(_) | Geometry::MultiPolygon(_))) => geometries.push(g),
            _ => {
                return Err(
                    Error::refused("it is not a polygon").in_feature(&layer.name, feature.id)
                );
            }
        }
    }
    let merged = merge_geometries(geometries);
    let mut edits = vec![Edit::ReplaceGeometry {
        layer: layer.id.clone(),
        position: keep,
        geometry: merged,
    }];
    // Highest positions first, so the others do not shift.
    edits.extend(
        positions
            .iter()
            .rev()
            .filter(|&&i| i != keep)
            .map(|&i| Edit::RemoveFeature {
                layer: layer.id.clone(),
                position: i,
            }),
    );
    Ok(Edit::Batch(edits))
}
