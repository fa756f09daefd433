//! Reshape: a line drawn from the boundary, out or in, and back to the boundary replaces
//! the stretch of outline between those points — the way a planner pulls a 村庄建设边界 out
//! around a new house plot or in away from farmland. Inside the polygon, the line cuts off
//! the smaller piece(s); outside, it adds the area between it and the outline.

use geo::{Area, BooleanOps, Contains, Coord, Geometry, InteriorPoint, MultiPolygon, Polygon};

use super::faces::{faces, rings};
use crate::error::{Error, Result};
use crate::geometry::polygons_of;

/// Area changes below this (m²) mean the line did not reshape anything.
const NO_CHANGE_M2: f64 = 1e-6;

fn as_geometry(mut m: MultiPolygon<f64>) -> Geometry<f64> {
    match m.0.len() {
        1 => Geometry::Polygon(m.0.remove(0)),
        _ => Geometry::MultiPolygon(m),
    }
}

/// `geometry` reshaped by `line`. [`Error::Refused`] when the line does not start and end
/// on the outline (so nothing changes).
pub fn reshape_geometry(geometry: &Geometry<f64>, line: &[Coord<f64>]) -> Result<Geometry<f64>> {
    let polygons = polygons_of(geometry);
    if polygons.is_empty() {
        return Err(Error::refused("only polygons can be reshaped"));
    }
    if line.len() < 2 {
        return Err(Error::refused("the reshape line needs at least two points"));
    }
    let holes: Vec<Polygon<f64>> = polygons
        .iter()
        .flat_map(|p| {
            p.interiors()
                .iter()
                .map(|r| Polygon::new(r.clone(), vec![]))
        })
        .collect();
    // Per original part, the inside faces; the outside faces the line closed off.
    let mut inside: Vec<Vec<Polygon<f64>>> = vec![Vec::new(); polygons.len()];
    let mut added: Vec<Polygon<f64>> = Vec::new();
    for face in faces(&rings(&polygons), line)? {
        let Some(p) = face.interior_point() else {
            continue;
        };
        match polygons.iter().position(|poly| poly.contains(&p)) {
            Some(i) => inside[i].push(face),
            // A hole the line did not touch comes back as its own face: not new area.
            None if holes.iter().any(|h| {
                h.contains(&p) && (h.unsigned_area() - face.unsigned_area()).abs() <= NO_CHANGE_M2
            }) => {}
            None => added.push(face),
        }
    }
    let mut kept: Vec<Polygon<f64>> = Vec::new();
    for mut pieces in inside {
        pieces.sort_by(|a, b| b.unsigned_area().total_cmp(&a.unsigned_area()));
        kept.extend(pieces.into_iter().next());
    }
    kept.extend(added);
    let result: MultiPolygon<f64> = geo::unary_union(kept.iter());
    let before = MultiPolygon(polygons);
    // geo's overlay rounds to a grid scaled to the extent (~1e-10 of the area): a change
    // below 1e-8 of the area is rounding, not a reshape.
    let tolerance = NO_CHANGE_M2.max(1e-8 * before.unsigned_area());
    if before.xor(&result).unsigned_area() <= tolerance {
        return Err(Error::refused(
            "the line changes nothing: start and end it on the outline",
        ));
    }
    Ok(as_geometry(result))
}

/// `geometry` with `ring` cut out as a hole ([`Error::Refused`] unless the ring lies inside
/// the feature).
pub fn add_hole(geometry: &Geometry<f64>, ring: &Polygon<f64>) -> Result<Geometry<f64>> {
    let polygons = MultiPolygon(polygons_of(geometry));
    if polygons.0.is_empty() {
        return Err(Error::refused("only polygons can have holes"));
    }
    if !polygons.contains(ring) {
        return Err(Error::refused("the hole must lie inside the feature"));
    }
    Ok(as_geometry(
        polygons.difference(&MultiPolygon(vec![ring.clone()])),
    ))
}

/// `geometry` with the hole around `at` filled, or `None` when `at` is in no hole.
pub fn remove_hole(geometry: &Geometry<f64>, at: Coord<f64>) -> Option<Geometry<f64>> {
    let mut polygons = polygons_of(geometry);
    let point = geo::Point::from(at);
    for p in &mut polygons {
        if let Some(k) = p
            .interiors()
            .iter()
            .position(|r| Polygon::new(r.clone(), vec![]).contains(&point))
        {
            let mut interiors = p.interiors().to_vec();
            interiors.remove(k);
            *p = Polygon::new(p.exterior().clone(), interiors);
            return Some(as_geometry(MultiPolygon(polygons)));
        }
    }
    None
}
