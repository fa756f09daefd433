//! The centre lines the sample's road and river bands were built along, as line layers.
//!
//! In the parcels a road or a river is only a chain of 1003 / 1006 / 1101 / 1103 cells; a
//! designer laying a 示范带 along a river or a 示范线 along a road needs the line itself, and
//! the same line the bands follow ([`super::corridors`]), not one traced from the cells.

use geo::{Coord, Geometry, LineString};

use super::corridors::{self, Road, SeedKind};
use super::layers::{features, fields, text};
use super::seeds::CountyMask;
use super::world::World;
use crate::model::{FieldKind, Layer, LayerRole};

/// Where the rivers' lines come from, for the layer's `LY` field.
const LANCANG_SOURCE: &str = "Natural Earth 1:50m 河流中心线（公有领域）";
const HEIHUI_SOURCE: &str = "手绘示意（合成）";

/// Vertex spacing (m) when trimming a river to the county, so the cut lies within this of
/// the outline.
const TRIM_STEP: f64 = 200.0;

/// 道路中心线: one feature per road link, named after the seats it joins, with its class
/// (the 三调 class of its band: 公路 1003 or 农村道路 1006). A road whose seat was moved
/// into its seat village ([`super::township_seats`]) is extended straight to the seat's
/// point (`seats`, by township), so a 示范线 routed along the roads reaches every seat.
pub fn road_layer(world: &World, roads: &[Road], seats: &[Option<Coord>]) -> Layer {
    use FieldKind::Text;
    let towns = &world.inputs.townships;
    let rows = roads
        .iter()
        .map(|road| {
            let (class, dlbm) = match road.kind {
                SeedKind::Highway => ("公路", "1003"),
                _ => ("农村道路", "1006"),
            };
            let [a, b] = road.short_names;
            let mut line = road.line.0.clone();
            if let Some(seat) = seats[road.ends[0]].filter(|s| line.first() != Some(s)) {
                line.insert(0, seat);
            }
            if let Some(seat) = seats[road.ends[1]].filter(|s| line.last() != Some(s)) {
                line.push(seat);
            }
            (
                Geometry::LineString(LineString(line)),
                vec![
                    text(format!("{a}—{b}{class}")),
                    text(class),
                    text(dlbm),
                    text(&towns[road.ends[0]].name),
                    text(&towns[road.ends[1]].name),
                ],
            )
        })
        .collect();
    Layer::new(
        "roads",
        "道路中心线（合成）",
        LayerRole::Road,
        fields(&[
            ("MC", Text),
            ("DJ", Text),
            ("DLBM", Text),
            ("QD", Text),
            ("ZD", Text),
        ]),
        features(rows),
    )
}

/// 河流中心线: 澜沧江 and 黑惠江, each one line from where it enters the county to where it
/// last leaves it.
pub fn river_layer(world: &World) -> Layer {
    use FieldKind::Text;
    let inputs = &world.inputs;
    let mask = CountyMask::new(&inputs.county_in_gk);
    let rows = [
        ("澜沧江", &inputs.lancang_in_gk, LANCANG_SOURCE),
        ("黑惠江", &inputs.heihui_in_gk, HEIHUI_SOURCE),
    ]
    .into_iter()
    .filter_map(|(name, line, source)| {
        let trimmed = within_county(line, &mask)?;
        Some((
            Geometry::LineString(trimmed),
            vec![text(name), text(source)],
        ))
    })
    .collect();
    Layer::new(
        "rivers",
        "河流中心线（示意）",
        LayerRole::River,
        fields(&[("MC", Text), ("LY", Text)]),
        features(rows),
    )
}

/// The part of `line` from where it first enters the county to where it last leaves it.
/// Stretches in between that run outside along the border stay: a river does not stop at a
/// county line, and one piece is what a designer picks. `None` when it never enters.
fn within_county(line: &LineString, county: &CountyMask) -> Option<LineString> {
    let pts = corridors::densify(line, TRIM_STEP);
    let first = pts.iter().position(|p| county.contains(*p))?;
    let last = pts.iter().rposition(|p| county.contains(*p))?;
    let mut out = Vec::with_capacity(last - first + 3);
    if first > 0 {
        out.push(crossing(pts[first - 1], pts[first], county));
    }
    out.extend_from_slice(&pts[first..=last]);
    if last + 1 < pts.len() {
        out.push(crossing(pts[last + 1], pts[last], county));
    }
    (out.len() >= 2).then(|| LineString::from(out))
}

/// A point of the outline between `outside` and `inside`, by bisection (to a millimetre
/// on a 200 m step).
fn crossing(mut outside: Coord, mut inside: Coord, county: &CountyMask) -> Coord {
    for _ in 0..20 {
        let mid = (outside + inside) / 2.0;
        if county.contains(mid) {
            inside = mid;
        } else {
            outside = mid;
        }
    }
    inside
}
