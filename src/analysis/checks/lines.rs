//! Control lines (三线): selected features must stay out of protected zones (planned
//! construction land, 村庄建设边界, 生活空间 or a 近期建设项目 against 生态保护红线 and
//! 永久基本农田), and planned construction land must stay inside the 村庄建设边界.
//!
//! *Rule source*: docs/domain.md §2, §5.6 and §6.5. *Tolerance*: intersections (or parts
//! outside) up to the rule's `tolerance_m2` are ignored. A point feature (a project placed
//! as a point) conflicts when it lies inside the zone; points on the zone's boundary may go
//! either way. Line features are not checked and are counted in the skipped notes.
//! *Performance*: zones are large; each is prepared once per run ([`super::PreparedArea`])
//! so a parcel query touches a few small tiles; the subject features run on all cores.

use geo::{Area, BoundingRect, Coord, Geometry, MultiPolygon, Rect};
use rayon::prelude::*;

use super::overlap::polygon_slice;
use super::rules::FeatureFilter;
use super::{Ctx, Finding, RuleOutput, missing_field, missing_role};
use crate::model::{Layer, LayerRole};
use crate::units;

/// The subject layers of a filter, with a skip note for each layer missing a field.
fn subjects<'a>(ctx: &Ctx<'a>, subject: &FeatureFilter, out: &mut RuleOutput) -> Vec<&'a Layer> {
    let mut layers = Vec::new();
    for layer in ctx.layers(subject.role) {
        let missing = subject.missing_fields(layer);
        if let Some(field) = missing.first() {
            out.skipped.push(missing_field(layer, field));
        } else {
            layers.push(layer);
        }
    }
    if ctx.layers(subject.role).next().is_none() {
        out.skipped.push(missing_role(subject.role));
    }
    layers
}

/// The features the filter selects, in order; the filter reads attributes of every
/// feature (200 000 parcels in a county), so it runs on all cores.
fn selected(ctx: &Ctx, layer: &Layer, subject: &FeatureFilter) -> Vec<usize> {
    let selects = subject.selector(layer, ctx.book);
    ctx.candidates(layer)
        .into_par_iter()
        .filter(|&i| selects(i))
        .collect()
}

fn describe(layer: &Layer, i: usize) -> String {
    let f = &layer.features()[i];
    let code = ["DLBM", "GHDLBM", "KJLX", "XMMC"].iter().find_map(|c| {
        layer
            .value(i, c)
            .and_then(|v| v.as_text())
            .map(|t| t.into_owned())
    });
    match (layer.value(i, "BSM").and_then(|v| v.as_text()), code) {
        (Some(bsm), Some(code)) => format!("{} {bsm} ({code})", f.id),
        (None, Some(code)) => format!("{} ({code})", f.id),
        _ => f.id.to_string(),
    }
}

/// Selected features intersecting a zone of `zone_role` by more than `tolerance_m2`: one
/// result per feature and zone polygon, located at their intersection.
pub(crate) fn conflicts(
    ctx: &Ctx,
    subject: &FeatureFilter,
    zone_role: LayerRole,
    tolerance_m2: f64,
) -> RuleOutput {
    let mut out = RuleOutput::default();
    let zones: Vec<&Layer> = ctx.layers(zone_role).collect();
    if zones.is_empty() {
        out.skipped.push(missing_role(zone_role));
        return out;
    }
    for layer in subjects(ctx, subject, &mut out) {
        let prepared: Vec<_> = zones.iter().map(|z| ctx.prepared(z)).collect();
        let chosen = selected(ctx, layer, subject);
        let lines = chosen
            .iter()
            .filter(|&&i| {
                matches!(
                    layer.features()[i].geometry,
                    Some(Geometry::LineString(_) | Geometry::MultiLineString(_))
                )
            })
            .count();
        let mut found: Vec<(usize, Finding)> = chosen
            .into_par_iter()
            .flat_map_iter(|i| {
                let mut hits = Vec::new();
                let Some(g) = layer.features()[i].geometry.as_ref() else {
                    return hits;
                };
                if let Some(points) = points_of(g) {
                    for zone in &prepared {
                        hits.extend(points_inside(layer, i, &points, zone).into_iter().map(|f| (i, f)));
                    }
                    return hits;
                }
                let Some(r) = g.bounding_rect() else {
                    return hits;
                };
                // Most parcels lie near no zone polygon: copy the shape only for those that do.
                let mut shape = None;
                for zone in &prepared {
                    for z in zone.candidates(r) {
                        let shape: &MultiPolygon<f64> =
                            shape.get_or_insert_with(|| MultiPolygon(polygon_slice(g).to_vec()));
                        let Some(shared) = zone.get(z).and_then(|p| p.intersection(shape)) else {
                            continue;
                        };
                        let area = shared.unsigned_area();
                        if area <= tolerance_m2 {
                            continue;
                        }
                        let zl = zone.layer;
                        let zid = zl.features()[z].id;
                        let what = describe(layer, i);
                        hits.push((
                            i,
                            Finding::new(
                                layer,
                                vec![i],
                                format!(
                                    "“{}”要素 {what} 与“{}”要素 {zid} 重叠 {:.2} 平方米（{:.4} 亩）",
                                    layer.name,
                                    zl.name,
                                    area,
                                    units::mu(area)
                                ),
                                format!(
                                    "'{}' feature {what} intersects '{}' feature {zid} by {:.2} m² ({:.4} mu)",
                                    layer.name,
                                    zl.name,
                                    area,
                                    units::mu(area)
                                ),
                            )
                            .at(Some(Geometry::MultiPolygon(shared)))
                            .measuring(area)
                            .detail(format!("{}:{zid}", zl.id)),
                        ));
                    }
                }
                hits
            })
            .collect();
        found.sort_by_key(|(i, _)| *i);
        out.findings.extend(found.into_iter().map(|(_, f)| f));
        if lines > 0 {
            out.skipped.push((
                format!("图层“{}”有 {lines} 个线要素，本规则只检查面和点", layer.name),
                format!(
                    "layer '{}' has {lines} line feature(s); this rule checks polygons and points only",
                    layer.name
                ),
            ));
        }
    }
    out
}

/// The points of a point geometry; `None` for any other geometry.
fn points_of(g: &Geometry<f64>) -> Option<Vec<Coord>> {
    match g {
        Geometry::Point(p) => Some(vec![p.0]),
        Geometry::MultiPoint(mp) => Some(mp.0.iter().map(|p| p.0).collect()),
        _ => None,
    }
}

/// One finding per point of feature `i` inside a zone polygon, located at the point.
fn points_inside(
    layer: &Layer,
    i: usize,
    points: &[Coord],
    zone: &super::zones::PreparedLayer,
) -> Vec<Finding> {
    let mut hits = Vec::new();
    for &c in points {
        for z in zone.candidates(Rect::new(c, c)) {
            if !zone.get(z).is_some_and(|p| p.contains(c)) {
                continue;
            }
            let zl = zone.layer;
            let zid = zl.features()[z].id;
            let what = describe(layer, i);
            hits.push(
                Finding::new(
                    layer,
                    vec![i],
                    format!(
                        "“{}”点要素 {what} 位于“{}”要素 {zid} 内（点状要素无面积，以点位判断）",
                        layer.name, zl.name
                    ),
                    format!(
                        "'{}' point feature {what} lies inside '{}' feature {zid} (a point has no area; judged by its position)",
                        layer.name, zl.name
                    ),
                )
                .at(Some(Geometry::Point(geo::Point(c))))
                .detail(format!("{}:{zid}", zl.id)),
            );
        }
    }
    hits
}

/// Selected features reaching outside every polygon of `boundary_role` by more than
/// `tolerance_m2`, located at the part outside.
pub(crate) fn containment(
    ctx: &Ctx,
    subject: &FeatureFilter,
    boundary_role: LayerRole,
    tolerance_m2: f64,
) -> RuleOutput {
    let mut out = RuleOutput::default();
    let boundaries: Vec<&Layer> = ctx.layers(boundary_role).collect();
    if boundaries.is_empty() {
        out.skipped.push(missing_role(boundary_role));
        return out;
    }
    for layer in subjects(ctx, subject, &mut out) {
        let prepared: Vec<_> = boundaries.iter().map(|b| ctx.prepared(b)).collect();
        let mut found: Vec<(usize, Finding)> = selected(ctx, layer, subject)
            .into_par_iter()
            .filter_map(|i| {
                let g = layer.features()[i].geometry.as_ref()?;
                let r = g.bounding_rect()?;
                let mut outside = MultiPolygon(polygon_slice(g).to_vec());
                for boundary in &prepared {
                    for b in boundary.candidates(r) {
                        if let Some(p) = boundary.get(b) {
                            outside = p.difference(&outside)?;
                        }
                    }
                }
                let area = outside.unsigned_area();
                (area > tolerance_m2).then(|| {
                    let what = describe(layer, i);
                    (
                        i,
                        Finding::new(
                            layer,
                            vec![i],
                            format!(
                                "“{}”要素 {what} 有 {:.2} 平方米（{:.4} 亩）位于{}之外",
                                layer.name,
                                area,
                                units::mu(area),
                                boundary_role.name_zh()
                            ),
                            format!(
                                "'{}' feature {what}: {:.2} m² ({:.4} mu) outside the {}",
                                layer.name,
                                area,
                                units::mu(area),
                                boundary_role.name_en()
                            ),
                        )
                        .at(Some(Geometry::MultiPolygon(outside)))
                        .measuring(area),
                    )
                })
            })
            .collect();
        found.sort_by_key(|(i, _)| *i);
        out.findings.extend(found.into_iter().map(|(_, f)| f));
    }
    out
}
