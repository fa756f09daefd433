//! Split: a line drawn across a polygon cuts it into parts. Every part keeps the feature's
//! attributes (except its BSM, which must stay unique) and gets its own area fields; the
//! largest part keeps the feature's place, so a table sorted by position barely moves.

use geo::{Area, Contains, Coord, Geometry, InteriorPoint, Polygon};

use super::faces::{faces, rings};
use crate::edit::Edit;
use crate::error::{Error, Result};
use crate::geometry::polygons_of;
use crate::model::{AttrValue, Feature, Layer};

/// The parts of `geometry` cut by `line`, largest first. [`Error::Refused`] when the line
/// does not cut it (it must cross the polygon from edge to edge).
pub fn split_geometry(geometry: &Geometry<f64>, line: &[Coord<f64>]) -> Result<Vec<Polygon<f64>>> {
    let polygons = polygons_of(geometry);
    if polygons.is_empty() {
        return Err(Error::refused("only polygons can be split"));
    }
    if line.len() < 2 {
        return Err(Error::refused("the split line needs at least two points"));
    }
    let mut parts: Vec<Polygon<f64>> = faces(&rings(&polygons), line)?
        .into_iter()
        .filter(|face| {
            face.interior_point()
                .is_some_and(|p| polygons.iter().any(|poly| poly.contains(&p)))
        })
        .collect();
    if parts.len() <= polygons.len() {
        return Err(Error::refused(
            "the line does not cut the feature: draw it across, from outside to outside",
        ));
    }
    parts.sort_by(|a, b| b.unsigned_area().total_cmp(&a.unsigned_area()));
    Ok(parts)
}

/// The edit splitting the feature at `position` of `layer` by `line`: the largest part
/// replaces it, the others are added with its attributes, as one undoable step.
pub fn split_feature(layer: &Layer, position: usize, line: &[Coord<f64>]) -> Result<Edit> {
    let feature = layer
        .features()
        .get(position)
        .ok_or_else(|| Error::NoFeature {
            layer: layer.name.clone(),
            position,
        })?;
    let parts = feature
        .geometry
        .as_ref()
        .ok_or_else(|| Error::refused("it has no geometry to split"))
        .and_then(|geometry| split_geometry(geometry, line))
        .map_err(|e| e.in_feature(&layer.name, feature.id))?;
    let bsm = layer.field_index("BSM");
    let mut parts = parts.into_iter();
    let mut edits = vec![Edit::ReplaceGeometry {
        layer: layer.id.clone(),
        position,
        geometry: parts.next().map(Geometry::Polygon),
    }];
    let first_id = layer.next_feature_id();
    for (k, part) in parts.enumerate() {
        let mut attributes = feature.attributes.clone();
        if let Some(slot) = bsm.and_then(|b| attributes.get_mut(b)) {
            *slot = AttrValue::Null;
        }
        edits.push(Edit::AddFeature {
            layer: layer.id.clone(),
            position: None,
            feature: Feature {
                id: first_id + k as i64,
                geometry: Some(Geometry::Polygon(part)),
                attributes,
            },
        });
    }
    Ok(Edit::Batch(edits))
}

/// The edit splitting every feature of `layer` that `line` cuts (the split tool: no need to
/// pick the feature first). Features the line only touches are left alone; an error when it
/// cuts none.
pub fn split_features(layer: &Layer, line: &[Coord<f64>]) -> Result<Edit> {
    let Some(bbox) = geo::BoundingRect::bounding_rect(&geo::LineString(line.to_vec())) else {
        return Err(Error::refused("the split line has no points"));
    };
    let mut positions: Vec<usize> = layer
        .index()
        .query(bbox.min().into(), bbox.max().into())
        .collect();
    positions.sort_unstable();
    let mut edits = Vec::new();
    let mut next_id = layer.next_feature_id();
    for position in positions {
        let Ok(Edit::Batch(parts)) = split_feature(layer, position, line) else {
            continue;
        };
        for mut edit in parts {
            if let Edit::AddFeature { feature, .. } = &mut edit {
                feature.id = next_id;
                next_id += 1;
            }
            edits.push(edit);
        }
    }
    if edits.is_empty() {
        return Err(Error::Refused {
            layer: Some(layer.name.clone()),
            feature: None,
            reason: "the line cuts no feature — draw it across a polygon, from outside to outside"
                .into(),
        });
    }
    Ok(Edit::Batch(edits))
}
