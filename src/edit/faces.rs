//! The faces a drawn line makes with a polygon's boundary. Splitting and reshaping both need
//! the linework noded at every crossing and polygonised; `geo` has no polygoniser, so this
//! one step goes to GEOS through GDAL (`OGR_G_Union` nodes the lines, `io`'s GEOS wrapper
//! polygonises them). Everything around it stays in `geo`.

use gdal::vector::ToGdal;
use geo::{Coord, LineString, MultiLineString, Polygon};

use crate::error::{Error, Result};
use crate::geometry::polygons_of;

/// Every ring of `polygons` as a line.
pub(crate) fn rings(polygons: &[Polygon<f64>]) -> Vec<LineString<f64>> {
    polygons
        .iter()
        .flat_map(|p| std::iter::once(p.exterior()).chain(p.interiors()))
        .cloned()
        .collect()
}

/// How far (m) a drawn line is extended past its ends. A click snapped onto an edge lies on
/// it only to within rounding (1e-10 m), possibly just inside: a line starting there would
/// never cross the edge, GEOS would not node it, and the split or reshape would silently do
/// nothing. Extended straight on by a millimetre, it crosses at the same point, and the
/// extension is a dangle that polygonising drops.
const EXTEND_M: f64 = 1e-3;

/// `line` with its first and last segments extended by [`EXTEND_M`].
fn extended(line: &[Coord<f64>]) -> Vec<Coord<f64>> {
    let mut out = line.to_vec();
    let push_out = |from: Coord<f64>, to: Coord<f64>| {
        let (dx, dy) = (to.x - from.x, to.y - from.y);
        let length = dx.hypot(dy);
        if length == 0.0 {
            return to;
        }
        Coord {
            x: to.x + dx / length * EXTEND_M,
            y: to.y + dy / length * EXTEND_M,
        }
    };
    let n = out.len();
    if n >= 2 {
        out[0] = push_out(line[1], line[0]);
        out[n - 1] = push_out(line[n - 2], line[n - 1]);
    }
    out
}

/// The faces of `boundary` and `line` noded together. Dangling pieces of the line (outside
/// any face) are ignored, as a planner expects of a line drawn a little past an edge.
pub(crate) fn faces(
    boundary: &[LineString<f64>],
    line: &[Coord<f64>],
) -> Result<Vec<Polygon<f64>>> {
    let boundary = MultiLineString(boundary.to_vec())
        .to_gdal()
        .map_err(|e| Error::geos("take the boundary", e))?;
    let line = LineString(extended(line))
        .to_gdal()
        .map_err(|e| Error::geos("take the line", e))?;
    let noded = boundary
        .union(&line)
        .ok_or_else(|| Error::geos("node the line with the boundary", ""))?;
    Ok(crate::io::polygonize(&noded, "build faces from the line")?
        .map(|g| polygons_of(&g))
        .unwrap_or_default())
}
