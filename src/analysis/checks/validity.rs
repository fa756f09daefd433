//! Geometry validity (GEOS through GDAL) with the location of each problem, and duplicate
//! features.
//!
//! *Rule source*: docs/domain.md §5.2 — valid geometry (no self-intersection, closed rings,
//! enough points) and no duplicates. *Tolerance*: validity is exact (GEOS); duplicates
//! compare vertex sets rounded to 1 mm (the usual 0.001 m tolerance, docs/domain.md §5.3).
//! *Performance*: the load already asked GEOS about every polygon it read
//! ([`Layer::known_validity`]), so only geometries drawn or edited since are asked again,
//! one GEOS call each on all cores; GEOS rather than `geo`'s `Validation`, which is
//! quadratic in ring size. Locating runs only for invalid polygons.

use std::collections::HashMap;

use gdal::vector::ToGdal;
use geo::{Area, BoundingRect, CoordsIter, Geometry, MultiPoint, Point};
use rayon::prelude::*;

use super::{Ctx, Finding, RuleOutput};
use crate::geometry::{Defect, defects, polygons_of};
use crate::model::{GeometryKind, Layer, LayerRole};

fn selected<'a>(ctx: &Ctx<'a>, roles: &[LayerRole], polygons_only: bool) -> Vec<&'a Layer> {
    ctx.project
        .layers
        .iter()
        .map(|l| l.as_ref())
        .filter(|l| roles.is_empty() || roles.contains(&l.role))
        .filter(|l| {
            !polygons_only || matches!(l.geometry_kind, GeometryKind::Polygon | GeometryKind::Mixed)
        })
        .collect()
}

/// True when GEOS finds the polygonal geometry valid (other geometry types pass). A
/// geometry GDAL cannot even build counts as invalid.
fn geos_valid(geometry: &Geometry<f64>) -> bool {
    if polygons_of(geometry).is_empty() {
        return true;
    }
    geometry.to_gdal().is_ok_and(|g| g.is_valid())
}

/// Validity of every polygon of the selected layers (all polygon layers when `roles` is
/// empty).
pub(crate) fn validity(ctx: &Ctx, roles: &[LayerRole]) -> RuleOutput {
    let mut out = RuleOutput::default();
    for layer in selected(ctx, roles, true) {
        let invalid: Vec<usize> = ctx
            .candidates(layer)
            .into_par_iter()
            .filter(|&i| match layer.known_validity(i) {
                Some(valid) => !valid,
                None => layer.features()[i]
                    .geometry
                    .as_ref()
                    .is_some_and(|g| !geos_valid(g)),
            })
            .collect();
        for i in invalid {
            out.findings.extend(located(layer, i));
        }
    }
    out
}

/// One finding per located defect of an invalid feature.
fn located(layer: &Layer, i: usize) -> Vec<Finding> {
    let Some(geometry) = layer.features()[i].geometry.as_ref() else {
        return Vec::new();
    };
    let id = layer.features()[i].id;
    let found = defects(&polygons_of(geometry));
    if found.is_empty() {
        // GEOS says invalid but no crossing was found: a hole outside its shell or parts
        // nested in each other. The feature itself is the problem geometry.
        return vec![
            Finding::new(
                layer,
                vec![i],
                format!("图层“{}”要素 {id} 几何无效（内环在外环之外或部件嵌套）", layer.name),
                format!(
                    "layer '{}', feature {id}: invalid geometry (hole outside its shell or nested parts)",
                    layer.name
                ),
            )
            .at(Some(geometry.clone()))
            .detail("shape"),
        ];
    }
    found
        .into_iter()
        .map(|d| {
            let (points, what_zh, what_en, tag) = match d {
                Defect::TooFewPoints(c) => (
                    vec![c],
                    "环的点数不足（少于 3 个不同点）",
                    "a ring has fewer than 3 distinct points",
                    "few",
                ),
                Defect::Intersections(p) => (
                    p,
                    "自相交（环交叉或自接触）",
                    "self-intersection (rings cross or touch themselves)",
                    "cross",
                ),
                Defect::Overlapping(p) => (
                    p,
                    "边界重合（尖刺或部件重叠）",
                    "boundaries run along each other (spike or overlapping parts)",
                    "overlap",
                ),
            };
            let first = points[0];
            let g = if points.len() == 1 {
                Geometry::Point(Point(first))
            } else {
                Geometry::MultiPoint(MultiPoint(points.iter().map(|&c| Point(c)).collect()))
            };
            Finding::new(
                layer,
                vec![i],
                format!(
                    "图层“{}”要素 {id}：{what_zh}，位于 ({:.3}, {:.3}) 等 {} 处",
                    layer.name,
                    first.x,
                    first.y,
                    points.len()
                ),
                format!(
                    "layer '{}', feature {id}: {what_en} at ({:.3}, {:.3}), {} place(s)",
                    layer.name,
                    first.x,
                    first.y,
                    points.len()
                ),
            )
            .at(Some(g))
            .detail(tag)
        })
        .collect()
}

/// A geometry's identity up to vertex order, at 1 mm.
fn vertex_key(geometry: &Geometry<f64>) -> Vec<(i64, i64)> {
    let mut v: Vec<(i64, i64)> = geometry
        .coords_iter()
        .map(|c| ((c.x * 1000.0).round() as i64, (c.y * 1000.0).round() as i64))
        .collect();
    v.sort_unstable();
    v.dedup();
    v
}

/// Groups of features with the same geometry in the selected layers.
pub(crate) fn duplicates(ctx: &Ctx, roles: &[LayerRole]) -> RuleOutput {
    let mut out = RuleOutput::default();
    for layer in selected(ctx, roles, false) {
        // A cheap key first (envelope at 1 mm, vertex count); the full vertex set only for
        // features sharing it.
        let mut coarse: HashMap<(i64, i64, i64, i64, usize), Vec<usize>> = HashMap::new();
        for i in ctx.candidates(layer) {
            let Some(g) = layer.features()[i].geometry.as_ref() else {
                continue;
            };
            let Some(r) = g.bounding_rect() else { continue };
            let mm = |v: f64| (v * 1000.0).round() as i64;
            let key = (
                mm(r.min().x),
                mm(r.min().y),
                mm(r.max().x),
                mm(r.max().y),
                g.coords_count(),
            );
            coarse.entry(key).or_default().push(i);
        }
        let mut groups: HashMap<Vec<(i64, i64)>, Vec<usize>> = HashMap::new();
        for members in coarse.into_values().filter(|m| m.len() > 1) {
            for i in members {
                if let Some(g) = layer.features()[i].geometry.as_ref() {
                    groups.entry(vertex_key(g)).or_default().push(i);
                }
            }
        }
        let mut dups: Vec<Vec<usize>> = groups.into_values().filter(|g| g.len() > 1).collect();
        dups.sort();
        for group in dups {
            let g = layer.features()[group[0]].geometry.clone();
            let area = g.as_ref().map_or(0.0, |g| g.unsigned_area());
            let ids: Vec<String> = group
                .iter()
                .map(|&i| layer.features()[i].id.to_string())
                .collect();
            let finding = Finding::new(
                layer,
                group.clone(),
                format!(
                    "图层“{}”要素 {} 几何完全相同（重复）",
                    layer.name,
                    ids.join("、")
                ),
                format!(
                    "layer '{}': features {} have the same geometry",
                    layer.name,
                    ids.join(", ")
                ),
            );
            let finding = if g.as_ref().and_then(|g| g.bounding_rect()).is_some() && area > 0.0 {
                finding.at(g).measuring(area)
            } else {
                finding.at(g)
            };
            out.findings.push(finding);
        }
    }
    out
}
