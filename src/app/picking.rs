//! Which features are under a click or inside a box, from the layers as the map draws them
//! (Web Mercator), topmost first — the one place map picks are made, for identify, the
//! selection and the editing tools.

use std::sync::Arc;

use geo::{Contains, Distance, Euclidean, Geometry, Point};

use super::document::Document;
use super::selection::FeatureRef;
use crate::model::Fill;
use crate::render::DisplayLayer;

/// Every visible feature under `at` (Web Mercator), topmost layer first: polygons that
/// contain the point — outline-only layers (boundaries) only near their outline — and
/// points or lines within `tolerance` metres, as desktop GIS "identify all layers" does.
pub fn pick_all(doc: &Document, at: [f64; 2], tolerance: f64) -> Vec<FeatureRef> {
    let point = Point::new(at[0], at[1]);
    let mut out = Vec::new();
    for (layer_index, layer) in doc.display().iter().enumerate().rev() {
        if !layer.style.visible {
            continue;
        }
        let min = [at[0] - tolerance, at[1] - tolerance];
        let max = [at[0] + tolerance, at[1] + tolerance];
        let mut candidates: Vec<usize> = layer.query(min, max).collect();
        candidates.sort_unstable();
        let outline_only = matches!(layer.style.fill, Fill::None);
        for i in candidates {
            let Some(g) = &layer.geometries[i] else {
                continue;
            };
            let hit = match g {
                Geometry::Polygon(_) | Geometry::MultiPolygon(_) if outline_only => {
                    Euclidean.distance(&point, &boundary(g)) <= tolerance
                }
                Geometry::Polygon(_) | Geometry::MultiPolygon(_) => g.contains(&point),
                _ => Euclidean.distance(&point, g) <= tolerance,
            };
            if hit {
                out.extend(FeatureRef::at(doc.project(), layer_index, i));
            }
        }
    }
    out
}

fn boundary(g: &Geometry<f64>) -> geo::MultiLineString<f64> {
    let mut lines = Vec::new();
    let mut add = |p: &geo::Polygon<f64>| {
        lines.push(p.exterior().clone());
        lines.extend(p.interiors().iter().cloned());
    };
    match g {
        Geometry::Polygon(p) => add(p),
        Geometry::MultiPolygon(m) => m.0.iter().for_each(&mut add),
        _ => {}
    }
    geo::MultiLineString(lines)
}

/// Every feature of the visible display layer `layer_index` that meets the box `min`–`max`
/// (Web Mercator), in layer order: the box selection.
pub fn pick_box(
    doc: &Document,
    layer_index: usize,
    min: [f64; 2],
    max: [f64; 2],
) -> Vec<FeatureRef> {
    let layers: &[Arc<DisplayLayer>] = doc.display();
    let Some(layer) = layers.get(layer_index).filter(|l| l.style.visible) else {
        return Vec::new();
    };
    let rect = geo::Rect::new(
        geo::Coord::from((min[0], min[1])),
        geo::Coord::from((max[0], max[1])),
    );
    let mut hits: Vec<usize> = layer
        .query(min, max)
        .filter(|&i| {
            layer.geometries[i]
                .as_ref()
                .is_some_and(|g| geo::Intersects::intersects(g, &rect))
        })
        .collect();
    hits.sort_unstable();
    hits.into_iter()
        .filter_map(|i| FeatureRef::at(doc.project(), layer_index, i))
        .collect()
}
