//! A corridor's polygon from its centre line and width: the line buffered by width/2 in the
//! working CRS (metres, Gauss-Kruger), with round joins and round or flat ends (`geo`'s
//! `Buffer`, i_overlay underneath).
//!
//! *Arcs*: ends and joins are drawn with one vertex every [`ARC_STEP`] radians (π/100, the
//! finest i_overlay accepts), so a round end falls short of the true half disc by about
//! ARC_STEP²/6 ≈ 0.02 % of its area — far below what a 1 km corridor is drawn to. A turn
//! sharper than ARC_STEP is joined with a bevel (its missing sliver is even smaller).
//!
//! *Input* is refused with the reason, never repaired silently: a width that is not more than
//! 0 or more than [`MAX_WIDTH_M`], a part with fewer than two distinct vertices, or a part
//! that crosses or doubles back on itself. Two parts may meet or cross each other (a belt
//! along two rivers that join).

use geo::algorithm::buffer::{BufferStyle, LineCap, LineJoin};
use geo::algorithm::sweep::Cross;
use geo::{Buffer, Coord, Intersections, Line, LineIntersection, LineString, MultiLineString};
use geo::{MultiPolygon, Polygon};

use crate::error::{Error, Result};
use crate::model::demonstration::{CorridorLine, LineEnds};

/// The widest corridor accepted (50 km): anything wider is almost surely a unit mistake.
pub const MAX_WIDTH_M: f64 = 50_000.0;

/// Angle between two vertices of an end or a join arc (radians).
pub const ARC_STEP: f64 = std::f64::consts::PI / 100.0;

/// Refuses a width that is not in (0, [`MAX_WIDTH_M`]] metres.
pub fn check_width(width_m: f64) -> Result<()> {
    if !(width_m > 0.0 && width_m.is_finite()) {
        return Err(Error::Invalid(format!(
            "宽度 (width) must be more than 0 m; got {width_m} m"
        )));
    }
    if width_m > MAX_WIDTH_M {
        return Err(Error::Invalid(format!(
            "宽度 (width) {width_m} m is more than 50 km (50000 m): give the width in metres"
        )));
    }
    Ok(())
}

/// A segment of a centre line part with its position, for the sweep.
#[derive(Debug, Clone, Copy)]
struct Segment {
    index: usize,
    line: Line<f64>,
}

impl Cross for Segment {
    type Scalar = f64;
    fn line(&self) -> Line<f64> {
        self.line
    }
}

/// The part without repeated consecutive vertices.
fn distinct(part: &LineString<f64>) -> Vec<Coord<f64>> {
    let mut out: Vec<Coord<f64>> = Vec::with_capacity(part.0.len());
    for c in &part.0 {
        if out.last() != Some(c) {
            out.push(*c);
        }
    }
    out
}

/// Refuses a centre line with no part, a part with fewer than two distinct vertices, a
/// coordinate that is not finite, or a part that crosses, touches or doubles back on itself
/// (a closed loop — last vertex on the first — is allowed). Errors say which part and where.
pub fn check_centre_line(centre: &MultiLineString<f64>) -> Result<()> {
    if centre.0.is_empty() {
        return Err(Error::Invalid(
            "中心线 (centre line) has no vertices: it needs at least 2 distinct vertices".into(),
        ));
    }
    let many = centre.0.len() > 1;
    for (p, part) in centre.0.iter().enumerate() {
        let which = if many {
            format!("中心线 (centre line) part {}", p + 1)
        } else {
            "中心线 (centre line)".to_string()
        };
        if let Some(c) = part
            .0
            .iter()
            .find(|c| !(c.x.is_finite() && c.y.is_finite()))
        {
            return Err(Error::Invalid(format!(
                "{which} has a coordinate that is not a number ({}, {})",
                c.x, c.y
            )));
        }
        let coords = distinct(part);
        if coords.len() < 2 {
            return Err(Error::Invalid(format!(
                "{which} has {} distinct vertex/vertices: a corridor needs at least 2",
                coords.len()
            )));
        }
        if let Some(at) = self_crossing(&coords) {
            return Err(Error::Invalid(format!(
                "{which} crosses itself at ({:.2}, {:.2}): draw it without loops or \
                 doubling back, or split it into parts",
                at.x, at.y
            )));
        }
    }
    Ok(())
}

/// Where the open polyline `coords` (no repeated consecutive vertices) meets itself other
/// than at the vertex two consecutive segments share (or, for a closed loop, the first and
/// last segment at the closing vertex). A sweep over the segments: O((n + m) log n).
fn self_crossing(coords: &[Coord<f64>]) -> Option<Coord<f64>> {
    let segments: Vec<Segment> = coords
        .windows(2)
        .enumerate()
        .map(|(index, w)| Segment {
            index,
            line: Line::new(w[0], w[1]),
        })
        .collect();
    let last = segments.len() - 1;
    let closed = coords.len() > 3 && coords.first() == coords.last();
    for (a, b, meet) in Intersections::from_iter(segments) {
        let (lo, hi) = if a.index < b.index { (a, b) } else { (b, a) };
        match meet {
            LineIntersection::SinglePoint { intersection, .. } => {
                let shared = if hi.index == lo.index + 1 {
                    Some(lo.line.end)
                } else if closed && lo.index == 0 && hi.index == last {
                    Some(lo.line.start)
                } else {
                    None
                };
                if shared != Some(intersection) {
                    return Some(intersection);
                }
            }
            LineIntersection::Collinear { intersection } => return Some(intersection.start),
        }
    }
    None
}

/// The corridor polygon of `line`: checked ([`check_width`], [`check_centre_line`]), then
/// buffered by width/2 with round joins and the line's ends.
pub fn corridor_polygon(line: &CorridorLine) -> Result<MultiPolygon<f64>> {
    check_width(line.width_m)?;
    check_centre_line(&line.centre)?;
    let cap = match line.ends {
        LineEnds::Round => LineCap::Round(ARC_STEP),
        LineEnds::Flat => LineCap::Butt,
    };
    let style = BufferStyle::new(line.width_m / 2.0)
        .line_cap(cap)
        .line_join(LineJoin::Round(ARC_STEP));
    // Repeated vertices carry no direction; the buffer gets each part without them.
    let centre = MultiLineString(
        line.centre
            .0
            .iter()
            .map(|p| LineString(distinct(p)))
            .collect(),
    );
    let polygon = centre.buffer_with_style(style);
    if polygon
        .0
        .iter()
        .all(|p: &Polygon<f64>| p.exterior().0.is_empty())
    {
        return Err(Error::Invalid(
            "the corridor polygon came out empty: check the centre line and the width".into(),
        ));
    }
    Ok(polygon)
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::{Area, wkt};

    fn line(l: LineString<f64>, width_m: f64, ends: LineEnds) -> CorridorLine {
        CorridorLine {
            centre: MultiLineString(vec![l]),
            width_m,
            ends,
        }
    }

    #[test]
    fn widths_outside_the_range_are_refused() {
        for w in [0.0, -5.0, f64::NAN, f64::INFINITY] {
            let err = check_width(w).unwrap_err().to_string();
            assert!(err.contains("more than 0 m"), "{w}: {err}");
        }
        let err = check_width(50_001.0).unwrap_err().to_string();
        assert!(err.contains("more than 50 km"), "{err}");
        check_width(50_000.0).unwrap();
        check_width(0.5).unwrap();
    }

    #[test]
    fn self_crossings_and_doubling_back_are_found_and_loops_pass() {
        let crossing = wkt!(LINESTRING(0. 0., 10. 0., 10. 10., 5. -5.));
        let err = check_centre_line(&MultiLineString(vec![crossing]))
            .unwrap_err()
            .to_string();
        assert!(err.contains("crosses itself at (6.67, 0.00)"), "{err}");
        let back = wkt!(LINESTRING(0. 0., 10. 0., 4. 0.));
        assert!(check_centre_line(&MultiLineString(vec![back])).is_err());
        let touching = wkt!(LINESTRING(0. 0., 10. 0., 10. 10., 5. 0.));
        assert!(check_centre_line(&MultiLineString(vec![touching])).is_err());
        let loop_ = wkt!(LINESTRING(0. 0., 10. 0., 10. 10., 0. 0.));
        check_centre_line(&MultiLineString(vec![loop_])).unwrap();
        let repeated = wkt!(LINESTRING(0. 0., 0. 0., 10. 0., 10. 0., 20. 5.));
        check_centre_line(&MultiLineString(vec![repeated])).unwrap();
        // Two parts may cross each other.
        let parts = MultiLineString(vec![
            wkt!(LINESTRING(0. 0., 10. 10.)),
            wkt!(LINESTRING(0. 10., 10. 0.)),
        ]);
        check_centre_line(&parts).unwrap();
    }

    #[test]
    fn too_few_vertices_are_refused() {
        let one = wkt!(LINESTRING(3. 3., 3. 3.));
        let err = check_centre_line(&MultiLineString(vec![one]))
            .unwrap_err()
            .to_string();
        assert!(err.contains("1 distinct vertex"), "{err}");
        let err = check_centre_line(&MultiLineString(vec![]))
            .unwrap_err()
            .to_string();
        assert!(err.contains("at least 2"), "{err}");
    }

    #[test]
    fn a_short_corridor_has_the_pill_area() {
        let pill = corridor_polygon(&line(
            wkt!(LINESTRING(0. 0., 100. 0.)),
            20.0,
            LineEnds::Round,
        ))
        .unwrap();
        let exact = 100.0 * 20.0 + std::f64::consts::PI * 100.0;
        assert!(
            (pill.unsigned_area() - exact).abs() / exact < 1e-3,
            "{}",
            pill.unsigned_area()
        );
        let flat = corridor_polygon(&line(
            wkt!(LINESTRING(0. 0., 100. 0.)),
            20.0,
            LineEnds::Flat,
        ))
        .unwrap();
        assert!((flat.unsigned_area() - 2000.0).abs() < 1e-3 * 2000.0);
    }
}
