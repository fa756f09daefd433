//! The shapes a plan cuts out of base-year parcels — a disc for a building site, a strip for
//! a road — and the cut itself, in GEOS through GDAL.
//!
//! GEOS keeps every input vertex as it is (only the crossings are new), so the cut pieces
//! of a parcel tile it to round-off and the parcel's shared edges with its neighbours stay
//! bit-identical; geo's `BooleanOps` snaps to an integer grid and is avoided here for the
//! same reason the 管控边界 draft avoids it (`edit/control_zones/overlay.rs`).

use gdal::vector::ToGdal;
use geo::{Coord, Geometry, LineString, MultiPolygon, Polygon};

use crate::error::{Error, Result};
use crate::geometry::polygons_of;

/// Corners of a disc: enough for a round site, few enough to keep the layer small.
const DISC_CORNERS: usize = 24;

/// A site of `radius` metres around `centre` (a regular polygon, counter-clockwise).
pub fn disc(centre: Coord, radius: f64) -> Polygon {
    let ring: Vec<Coord> = (0..DISC_CORNERS)
        .map(|k| {
            let a = std::f64::consts::TAU * k as f64 / DISC_CORNERS as f64;
            Coord {
                x: centre.x + radius * a.cos(),
                y: centre.y + radius * a.sin(),
            }
        })
        .collect();
    Polygon::new(LineString::from(ring), vec![])
}

/// A strip `width` metres wide along the unit vector `along` through `through`, reaching
/// `reach` metres to each side.
pub fn strip(through: Coord, along: Coord, reach: f64, width: f64) -> Polygon {
    let across = Coord {
        x: -along.y * width / 2.0,
        y: along.x * width / 2.0,
    };
    let (a, b) = (through - along * reach, through + along * reach);
    Polygon::new(
        LineString::from(vec![a - across, b - across, b + across, a + across]),
        vec![],
    )
}

/// `(part ∩ tool, part ∖ tool)`: what the tool takes and what is left. `what` names the
/// cut in an error.
pub fn cut(
    part: &MultiPolygon,
    tool: &Polygon,
    what: &str,
) -> Result<(MultiPolygon, MultiPolygon)> {
    let fail = |e: &dyn std::fmt::Display| Error::geos(format!("cut {what}"), e);
    let a = part.to_gdal().map_err(|e| fail(&e))?;
    let b = tool.to_gdal().map_err(|e| fail(&e))?;
    let inside = a
        .intersection(&b)
        .ok_or_else(|| fail(&"GEOS intersection failed"))?;
    let outside = a
        .difference(&b)
        .ok_or_else(|| fail(&"GEOS difference failed"))?;
    Ok((polygons(&inside, &fail)?, polygons(&outside, &fail)?))
}

/// The polygonal parts of a GEOS result (lines and points of a touching cut dropped).
fn polygons(
    g: &gdal::vector::Geometry,
    fail: &dyn Fn(&dyn std::fmt::Display) -> Error,
) -> Result<MultiPolygon> {
    // The gdal crate cannot convert an empty geometry, which GEOS returns for "nothing".
    if g.is_empty() {
        return Ok(MultiPolygon(Vec::new()));
    }
    Geometry::<f64>::try_from(g)
        .map(|g| MultiPolygon(polygons_of(&g)))
        .map_err(|e| fail(&e))
}

/// The main axis of a ring (unit vector of its vertices' largest spread).
pub fn main_axis(ring: &[Coord]) -> Coord {
    let n = ring.len().max(1) as f64;
    let mean = ring.iter().fold(Coord::zero(), |s, &c| s + c) / n;
    let (mut sxx, mut syy, mut sxy) = (0.0, 0.0, 0.0);
    for c in ring {
        let d = *c - mean;
        sxx += d.x * d.x;
        syy += d.y * d.y;
        sxy += d.x * d.y;
    }
    let angle = 0.5 * (2.0 * sxy).atan2(sxx - syy);
    Coord {
        x: angle.cos(),
        y: angle.sin(),
    }
}

#[cfg(test)]
mod tests {
    use geo::{Area, wkt};

    use super::*;

    #[test]
    fn a_cut_tiles_the_part() {
        let square = MultiPolygon(vec![wkt!(POLYGON((0. 0.,100. 0.,100. 100.,0. 100.,0. 0.)))]);
        let (inside, outside) = cut(&square, &disc(Coord { x: 0.0, y: 50.0 }, 20.0), "t").unwrap();
        let total = inside.unsigned_area() + outside.unsigned_area();
        assert!((total - 10_000.0).abs() < 1e-6, "{total}");
        // Half a 24-gon of radius 20 (area ½·24·½·r²·sin 15°).
        let half = 0.5 * 12.0 * 400.0 * (std::f64::consts::TAU / 24.0).sin();
        assert!((inside.unsigned_area() - half).abs() < 1e-6);
        let (road, rest) = cut(
            &square,
            &strip(
                Coord { x: 50.0, y: 50.0 },
                Coord { x: 0.0, y: 1.0 },
                200.0,
                6.0,
            ),
            "t",
        )
        .unwrap();
        assert!((road.unsigned_area() - 600.0).abs() < 1e-6);
        assert_eq!(rest.0.len(), 2, "the road splits the square");
    }

    #[test]
    fn the_main_axis_follows_the_long_side() {
        let ring = [
            Coord { x: 0.0, y: 0.0 },
            Coord { x: 100.0, y: 0.0 },
            Coord { x: 100.0, y: 10.0 },
            Coord { x: 0.0, y: 10.0 },
        ];
        let axis = main_axis(&ring);
        assert!((axis.x.abs() - 1.0).abs() < 1e-12 && axis.y.abs() < 1e-12);
    }
}
