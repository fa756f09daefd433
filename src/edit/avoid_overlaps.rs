//! Avoid overlaps, a per-layer option: a new or edited polygon is clipped by the other
//! features of its layer, so spaces and zones tile without overlaps as they are drawn.
//! The neighbours are validated first; an invalid neighbour stops the edit with its name —
//! clipping against it would give a wrong result, and skipping it would hide an overlap.

use geo::{BooleanOps, BoundingRect, Geometry, Intersects, MultiPolygon};

use crate::edit::validate_geometry;
use crate::error::{Error, Result};
use crate::geometry::polygons_of;
use crate::model::{Layer, ProjectSettings};

/// `geometry` minus the other features of `layer` it overlaps (`editing`: the position of
/// the feature being edited, which is not its own neighbour).
pub fn clip_to_neighbours(
    layer: &Layer,
    editing: Option<usize>,
    geometry: &Geometry<f64>,
) -> Result<Geometry<f64>> {
    let polygons = MultiPolygon(polygons_of(geometry));
    let Some(bbox) = polygons.bounding_rect() else {
        return Ok(geometry.clone());
    };
    let mut neighbours: Vec<geo::Polygon<f64>> = Vec::new();
    for i in layer.index().query(bbox.min().into(), bbox.max().into()) {
        if Some(i) == editing {
            continue;
        }
        let feature = &layer.features()[i];
        let Some(g) = &feature.geometry else { continue };
        if !g.intersects(&polygons) {
            continue;
        }
        if let Err(invalid) = validate_geometry(g) {
            return Err(Error::InvalidNeighbour {
                layer: layer.name.clone(),
                feature: feature.id,
                reason: invalid.message,
                at: invalid.at,
            });
        }
        neighbours.extend(polygons_of(g));
    }
    if neighbours.is_empty() {
        return Ok(geometry.clone());
    }
    let others: MultiPolygon<f64> = geo::unary_union(neighbours.iter());
    let mut clipped = polygons.difference(&others);
    // Slivers of rounding along shared edges are not parts a planner drew.
    clipped.0.retain(|p| geo::Area::unsigned_area(p) > 1e-6);
    match clipped.0.len() {
        0 => Err(Error::Refused {
            layer: Some(layer.name.clone()),
            feature: None,
            reason: "nothing remains once the overlaps with other features are removed".into(),
        }),
        1 => Ok(Geometry::Polygon(clipped.0.remove(0))),
        _ => Ok(Geometry::MultiPolygon(clipped)),
    }
}

/// Where the layers with the option on are kept in the project's settings (saved with it).
const AVOID_OVERLAPS_KEY: &str = "avoid_overlaps";

/// True when new and edited polygons of layer `layer_id` are clipped by its other features.
pub fn avoids_overlaps(settings: &ProjectSettings, layer_id: &str) -> bool {
    settings
        .extra
        .get(AVOID_OVERLAPS_KEY)
        .and_then(|v| v.as_array())
        .is_some_and(|ids| ids.iter().any(|id| id.as_str() == Some(layer_id)))
}

/// Turns the option on or off for layer `layer_id`.
pub fn set_avoid_overlaps(settings: &mut ProjectSettings, layer_id: &str, on: bool) {
    let mut ids: Vec<String> = settings
        .extra
        .get(AVOID_OVERLAPS_KEY)
        .and_then(|v| v.as_array())
        .map(|ids| {
            ids.iter()
                .filter_map(|id| id.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default();
    ids.retain(|id| id != layer_id);
    if on {
        ids.push(layer_id.to_string());
    }
    settings
        .extra
        .insert(AVOID_OVERLAPS_KEY.to_string(), serde_json::json!(ids));
}
