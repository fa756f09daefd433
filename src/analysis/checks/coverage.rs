//! Gaps in a layer's coverage of a boundary (缝隙): the parts of each village not covered by
//! the land-use parcels, the planned land use or the three spaces.
//!
//! *Rule source*: docs/domain.md §5.3 — no gaps inside the village boundary; the parcels' union
//! equals the village. Plan layers are checked in the villages they plan (a village with no
//! planned feature inside it has no plan yet). *Tolerance*: gap pieces up to `tolerance_m2` are ignored.
//! *Performance*: per boundary polygon, first the edges of the features inside it: when they
//! tile it exactly (`tiling`), there is no gap and nothing more is computed. Otherwise one
//! `unary_union` of the features whose envelopes meet it — less those the prepared boundary
//! shows wholly outside — and one difference. Boundaries run on all cores.

use geo::{
    Area, BooleanOps, Contains, Geometry, InteriorPoint, Orient, Polygon, Winding,
    orient::Direction, unary_union, winding_order::WindingOrder,
};
use rayon::prelude::*;

use super::overlap::polygon_slice;
use super::prepared::Relation;
use super::tiling::tiles_exactly;
use super::{Ctx, Finding, RuleOutput, feature_bbox, missing_role};
use crate::geometry::as_multipolygon;
use crate::model::LayerRole;
use crate::model::admin::{CODE_FIELDS, NAME_FIELDS};
use crate::units;

/// Gaps of the `role` layer(s) inside each `boundary` polygon.
pub(crate) fn gaps(
    ctx: &Ctx,
    role: LayerRole,
    boundary: LayerRole,
    tolerance_m2: f64,
) -> RuleOutput {
    let Some(boundaries) = ctx.layers(boundary).next() else {
        let (zh, en) = missing_role(boundary);
        return RuleOutput::skip(zh, en);
    };
    let layers: Vec<_> = ctx.layers(role).collect();
    let Some(first) = layers.first() else {
        let (zh, en) = missing_role(role);
        return RuleOutput::skip(zh, en);
    };
    let prepared = ctx.prepared(boundaries);
    let mut findings: Vec<(usize, Finding)> = ctx
        .candidates(boundaries)
        .into_par_iter()
        .flat_map_iter(|b| {
            let mut found = Vec::new();
            let (Some(shape), Some(r)) = (
                boundaries.features()[b].geometry.as_ref().and_then(as_multipolygon),
                feature_bbox(boundaries, b),
            ) else {
                return found;
            };
            // Parcels near the village but wholly outside it cannot change what of it is
            // uncovered: leaving them out of the union is exact and makes it smaller. The
            // index gives each parcel's envelope, and the prepared village places it.
            let zone = prepared.get(b);
            let near: Vec<(&Polygon<f64>, Relation)> = layers
                .iter()
                .flat_map(|l| {
                    l.index()
                        .query_envelopes(r.min().into(), r.max().into())
                        .filter_map(|(i, envelope)| {
                            let place = zone.map_or(Relation::Crossing, |z| z.relation(envelope));
                            let g = l.features()[i].geometry.as_ref()?;
                            (place != Relation::Outside).then_some((g, place))
                        })
                        .flat_map(|(g, place)| polygon_slice(g).iter().map(move |p| (p, place)))
                })
                .collect();
            // Plans are drawn village by village: a village none of whose planned features
            // lies inside it has no plan yet (its tables show "—"), which is not a gap. The
            // base-year parcels must cover every village.
            let planned_here = near.iter().any(|(p, _)| {
                p.unsigned_area() > tolerance_m2
                    && p.interior_point().is_some_and(|pt| shape.contains(&pt))
            });
            if role != LayerRole::CurrentLandUse && !planned_here {
                return found;
            }
            // Most villages are tiled edge to edge by the parcels inside them: their edges
            // then prove there is no gap, and no union is needed (exact, see `tiling`).
            let tiled = zone.is_some_and(|z| {
                let inside = near.iter().filter(|(p, place)| {
                    *place == Relation::Inside || corner_point(p).is_some_and(|c| z.contains(c))
                });
                tiles_exactly(inside.map(|(p, _)| *p), &shape)
            });
            if tiled {
                return found;
            }
            let members: Vec<Polygon<f64>> = near
                .iter()
                .map(|(p, _)| p.orient(Direction::Default))
                .collect();
            let covered = unary_union(&members);
            let gap = shape.difference(&covered);
            let (code, name) = text_of(boundaries, b);
            for piece in gap.0 {
                let area = piece.unsigned_area();
                if area <= tolerance_m2 {
                    continue;
                }
                let at = piece.interior_point().map(|p| p.0).unwrap_or_default();
                let finding = Finding::new(
                    first,
                    Vec::new(),
                    format!(
                        "{name}（{code}）内有 {:.2} 平方米（{:.4} 亩）未被“{}”覆盖（缝隙），位于 ({:.1}, {:.1})",
                        area,
                        units::mu(area),
                        role.name_zh(),
                        at.x,
                        at.y
                    ),
                    format!(
                        "{name} ({code}): {:.2} m² ({:.4} mu) not covered by {} (gap) at ({:.1}, {:.1})",
                        area,
                        units::mu(area),
                        role.name_en(),
                        at.x,
                        at.y
                    ),
                )
                .at(Some(Geometry::Polygon(piece)))
                .measuring(area)
                .detail(format!("{code}@{:.0},{:.0}", at.x, at.y));
                found.push((b, finding));
            }
            found
        })
        .collect();
    findings.sort_by_key(|(b, _)| *b);
    RuleOutput {
        findings: findings.into_iter().map(|(_, f)| f).collect(),
        skipped: Vec::new(),
    }
}

/// A point just inside `p` near a convex corner of its exterior: which village a parcel on
/// a village's edge belongs to, cheaply. It can be wrong for a contorted parcel, which only
/// makes the edge test fail and the exact union run.
fn corner_point(p: &Polygon<f64>) -> Option<geo::Coord> {
    let sense = match p.exterior().winding_order()? {
        WindingOrder::CounterClockwise => 1.0,
        WindingOrder::Clockwise => -1.0,
    };
    p.exterior().0.windows(3).find_map(|w| {
        let (a, b, c) = (w[0], w[1], w[2]);
        let turn = (b.x - a.x) * (c.y - a.y) - (b.y - a.y) * (c.x - a.x);
        (turn * sense > 0.0).then(|| (a + b + c) / 3.0)
    })
}

/// The code and name of a boundary feature (the administrative code and name columns the
/// village reader accepts, [`CODE_FIELDS`] / [`NAME_FIELDS`], where present; else its id).
fn text_of(layer: &crate::model::Layer, i: usize) -> (String, String) {
    let get = |names: &[&str]| {
        names.iter().find_map(|f| {
            layer
                .value(i, f)
                .and_then(|v| v.as_text())
                .map(|t| t.trim().to_string())
        })
    };
    let id = layer.features()[i].id.to_string();
    (
        get(CODE_FIELDS).unwrap_or_else(|| id.clone()),
        get(NAME_FIELDS).unwrap_or_else(|| format!("{} {id}", layer.name)),
    )
}
