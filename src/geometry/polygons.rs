//! The polygonal parts of a geometry, whatever its type.
//!
//! Layers mix `Polygon` and `MultiPolygon`, GeoJSON and DXF bring `GeometryCollection`s, and
//! `geo` has `Rect` and `Triangle`: every area computation, overlay and ring walk starts by
//! reducing them to a list of polygons here, so no caller forgets a case.

use geo::{Geometry, MultiPolygon, Polygon};

/// The polygons of a geometry, collections included (points and lines are ignored).
pub fn polygons_of(geometry: &Geometry<f64>) -> Vec<Polygon<f64>> {
    let mut out = Vec::new();
    for_each_polygon(geometry, &mut |p| out.push(p.clone()));
    out
}

/// Calls `f` with each polygon of the geometry, in the order [`polygons_of`] lists them,
/// without copying them: for hot paths that only read the rings (areas of every parcel).
pub fn for_each_polygon(geometry: &Geometry<f64>, f: &mut impl FnMut(&Polygon<f64>)) {
    match geometry {
        Geometry::Polygon(p) => f(p),
        Geometry::MultiPolygon(mp) => {
            for p in &mp.0 {
                f(p);
            }
        }
        Geometry::Rect(r) => f(&r.to_polygon()),
        Geometry::Triangle(t) => f(&t.to_polygon()),
        Geometry::GeometryCollection(gc) => {
            for g in &gc.0 {
                for_each_polygon(g, f);
            }
        }
        _ => {}
    }
}

/// True when the geometry has polygonal parts (the geometries that have an area).
pub fn is_polygonal(geometry: &Geometry<f64>) -> bool {
    let mut any = false;
    for_each_polygon(geometry, &mut |_| any = true);
    any
}

/// The geometry as a multipolygon, when it has polygonal parts (`None` for points and
/// lines).
pub fn as_multipolygon(geometry: &Geometry<f64>) -> Option<MultiPolygon<f64>> {
    let polygons = polygons_of(geometry);
    (!polygons.is_empty()).then_some(MultiPolygon(polygons))
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::{Area, Coord, GeometryCollection, Rect, Triangle, wkt};

    #[test]
    fn every_polygonal_type_gives_its_polygons() {
        let square = wkt!(POLYGON((0. 0.,1. 0.,1. 1.,0. 1.,0. 0.)));
        let rect = Rect::new(Coord { x: 0.0, y: 0.0 }, Coord { x: 2.0, y: 1.0 });
        let triangle = Triangle::new(
            Coord { x: 0.0, y: 0.0 },
            Coord { x: 1.0, y: 0.0 },
            Coord { x: 0.0, y: 1.0 },
        );
        let nested = Geometry::GeometryCollection(GeometryCollection(vec![
            Geometry::Point(wkt!(POINT(5. 5.))),
            Geometry::Rect(rect),
            Geometry::GeometryCollection(GeometryCollection(vec![Geometry::Triangle(triangle)])),
        ]));
        assert_eq!(
            polygons_of(&Geometry::Polygon(square.clone())),
            vec![square]
        );
        assert_eq!(polygons_of(&Geometry::Rect(rect)).len(), 1);
        assert_eq!(polygons_of(&Geometry::Triangle(triangle)).len(), 1);
        let all = as_multipolygon(&nested).unwrap();
        assert_eq!(all.0.len(), 2);
        assert!((all.unsigned_area() - 2.5).abs() < 1e-12);
        assert!(as_multipolygon(&Geometry::Point(wkt!(POINT(0. 0.)))).is_none());
        assert!(is_polygonal(&nested) && is_polygonal(&Geometry::Triangle(triangle)));
        assert!(!is_polygonal(&Geometry::Point(wkt!(POINT(0. 0.)))));
    }
}
