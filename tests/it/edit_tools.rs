//! The geometry tools behind the editor: split, merge, holes, reshape, tracing and avoid
//! overlaps — each a library call returning an undoable edit or a geometry.

use geo::{Area, BooleanOps, Coord, Geometry, MultiPolygon, Polygon, wkt};
use proptest::prelude::*;
use villageplan::crs::WorkingCrs;
use villageplan::edit::{
    History, add_hole, clip_to_neighbours, merge_features, merge_geometries, remove_hole,
    reshape_geometry, split_feature, split_geometry, trace,
};
use villageplan::model::{AttrValue, Feature, FieldDef, FieldKind, Layer};
use villageplan::{LayerRole, Project};

const X: f64 = 500_000.0;
const Y: f64 = 2_720_000.0;

fn c(x: f64, y: f64) -> Coord<f64> {
    Coord { x: X + x, y: Y + y }
}

fn rect(x0: f64, y0: f64, x1: f64, y1: f64) -> Polygon<f64> {
    geo::Rect::new(c(x0, y0), c(x1, y1)).to_polygon()
}

fn area(g: &Geometry<f64>) -> f64 {
    g.unsigned_area()
}

/// A 三生空间 layer (KJLX, BSM and the area fields) holding `polygons`.
fn project(polygons: Vec<Polygon<f64>>) -> Project {
    let fields = vec![
        FieldDef::new("KJLX", FieldKind::Text),
        FieldDef::new("BSM", FieldKind::Text),
        FieldDef::new("MJ", FieldKind::Real),
        FieldDef::new("MJGQ", FieldKind::Real),
        FieldDef::new("MJM", FieldKind::Real),
    ];
    let features = polygons
        .into_iter()
        .enumerate()
        .map(|(i, p)| Feature {
            id: i as i64 + 1,
            geometry: Some(Geometry::Polygon(p)),
            attributes: vec![
                AttrValue::text(format!("空间{i}")),
                AttrValue::text(format!("B{i}")),
                AttrValue::Null,
                AttrValue::Null,
                AttrValue::Null,
            ],
        })
        .collect();
    let mut p = Project::new("t", WorkingCrs::from_epsg(4542).unwrap());
    p.add_layer(Layer::new(
        "sskj",
        "三生空间",
        LayerRole::ThreeSpaces,
        fields,
        features,
    ));
    p
}

fn text(p: &Project, i: usize, field: &str) -> Option<String> {
    p.layers[0]
        .value(i, field)
        .and_then(|v| v.as_text())
        .map(|v| v.into_owned())
}

#[test]
fn a_split_line_cuts_a_feature_into_parts_with_attributes_and_areas_and_undoes() {
    let mut p = project(vec![rect(0.0, 0.0, 100.0, 100.0)]);
    let before = p.layers[0].features().to_vec();
    let line = [c(30.0, -10.0), c(30.0, 110.0)];
    let edit = split_feature(&p.layers[0], 0, &line).unwrap();
    let mut history = History::default();
    history.apply(&mut p, "分割", edit).unwrap();
    let layer = &p.layers[0];
    assert_eq!(layer.features().len(), 2);
    let areas: Vec<f64> = layer
        .features()
        .iter()
        .map(|f| area(f.geometry.as_ref().unwrap()))
        .collect();
    assert!((areas[0] - 7000.0).abs() < 1e-6, "{areas:?}");
    assert!((areas[1] - 3000.0).abs() < 1e-6, "{areas:?}");
    // Every part keeps the attributes and has its own area fields; BSM stays unique.
    assert_eq!(text(&p, 1, "KJLX").as_deref(), Some("空间0"));
    assert_eq!(text(&p, 0, "BSM").as_deref(), Some("B0"));
    assert_eq!(text(&p, 1, "BSM"), None);
    let mj = |i| p.layers[0].value(i, "MJ").and_then(|v| v.as_f64()).unwrap();
    assert!((mj(0) - 7000.0).abs() < 0.01 && (mj(1) - 3000.0).abs() < 0.01);
    history.undo(&mut p).unwrap();
    assert_eq!(p.layers[0].features(), &before[..]);
}

#[test]
fn a_line_that_does_not_cross_is_refused_and_a_zigzag_gives_three_parts() {
    let square = Geometry::Polygon(rect(0.0, 0.0, 100.0, 100.0));
    let inside = [c(10.0, 10.0), c(90.0, 90.0)];
    assert!(
        split_geometry(&square, &inside)
            .unwrap_err()
            .to_string()
            .contains("does not cut")
    );
    let zigzag = [c(20.0, -10.0), c(50.0, 110.0), c(80.0, -10.0)];
    let parts = split_geometry(&square, &zigzag).unwrap();
    assert_eq!(parts.len(), 3);
    let total: f64 = parts.iter().map(Area::unsigned_area).sum();
    assert!((total - 10_000.0).abs() < 1e-6);
    // A hole the line does not touch stays a hole of its part.
    let holed = Geometry::Polygon(
        rect(0.0, 0.0, 100.0, 100.0)
            .difference(&rect(60.0, 40.0, 80.0, 60.0))
            .0
            .remove(0),
    );
    let parts = split_geometry(&holed, &[c(30.0, -1.0), c(30.0, 101.0)]).unwrap();
    assert_eq!(parts.len(), 2);
    assert!((parts[0].unsigned_area() - 6600.0).abs() < 1e-6);
    assert_eq!(parts[0].interiors().len(), 1);
}

/// How closely two results of `geo`'s overlay agree (m²): its BooleanOps snap to an integer
/// grid scaled to the operands' extent, so two different overlay paths differ by ~1e-5 m².
/// (GEOS's polygonised split parts, by contrast, sum to the original within 1e-6 m².)
const OVERLAY_M2: f64 = 1e-4;

/// A star-shaped polygon around (50, 50): radii at increasing angles.
fn star(radii: &[f64]) -> Polygon<f64> {
    let n = radii.len();
    let ring: Vec<Coord<f64>> = radii
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let a = std::f64::consts::TAU * i as f64 / n as f64;
            c(50.0 + r * a.cos(), 50.0 + r * a.sin())
        })
        .collect();
    Polygon::new(geo::LineString::from(ring), vec![])
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn a_split_conserves_area_and_its_parts_tile_the_polygon(
        radii in prop::collection::vec(10.0f64..60.0, 5..14),
        angle in 0.0f64..std::f64::consts::PI,
        offset in -30.0f64..30.0,
        bend in -20.0f64..20.0,
    ) {
        let polygon = star(&radii);
        let (dx, dy) = (angle.cos(), angle.sin());
        let (nx, ny) = (-dy, dx);
        let mid = (50.0 + nx * offset, 50.0 + ny * offset);
        let line = [
            c(mid.0 - 200.0 * dx, mid.1 - 200.0 * dy),
            c(mid.0 + nx * bend, mid.1 + ny * bend),
            c(mid.0 + 200.0 * dx, mid.1 + 200.0 * dy),
        ];
        let geometry = Geometry::Polygon(polygon.clone());
        let parts = match split_geometry(&geometry, &line) {
            Ok(parts) => parts,
            Err(_) => {
                // The line missed the polygon: nothing to conserve.
                prop_assume!(false);
                unreachable!()
            }
        };
        prop_assert!(parts.len() >= 2);
        let total: f64 = parts.iter().map(Area::unsigned_area).sum();
        prop_assert!((total - polygon.unsigned_area()).abs() < 1e-6, "{total} vs {}", polygon.unsigned_area());
        let union: MultiPolygon<f64> = geo::unary_union(parts.iter());
        prop_assert!(union.xor(&MultiPolygon(vec![polygon])).unsigned_area() < OVERLAY_M2);
    }

    #[test]
    fn a_merge_has_the_area_of_the_union(
        squares in prop::collection::vec((0.0f64..80.0, 0.0f64..80.0, 5.0f64..40.0), 2..6),
    ) {
        let polygons: Vec<Polygon<f64>> =
            squares.iter().map(|&(x, y, s)| rect(x, y, x + s, y + s)).collect();
        let mut p = project(polygons.clone());
        let all: Vec<usize> = (0..polygons.len()).collect();
        let keep = polygons.len() / 2;
        let kept_name = text(&p, keep, "KJLX");
        let before = p.layers[0].features().to_vec();
        let mut history = History::default();
        let merge = merge_features(&p.layers[0], &all, keep).unwrap();
        history.apply(&mut p, "合并", merge).unwrap();
        prop_assert_eq!(p.layers[0].features().len(), 1);
        prop_assert_eq!(text(&p, 0, "KJLX"), kept_name);
        // The union by pairwise overlay, a different path from the merge's unary union.
        let folded = polygons.iter().skip(1).fold(MultiPolygon(vec![polygons[0].clone()]), |acc, q| {
            acc.union(&MultiPolygon(vec![q.clone()]))
        });
        let merged = area(p.layers[0].features()[0].geometry.as_ref().unwrap());
        prop_assert!((merged - folded.unsigned_area()).abs() < OVERLAY_M2, "{merged} vs {}", folded.unsigned_area());
        let mj = p.layers[0].value(0, "MJ").and_then(|v| v.as_f64()).unwrap();
        prop_assert!((mj - merged).abs() < 0.01);
        history.undo(&mut p).unwrap();
        prop_assert_eq!(p.layers[0].features(), &before[..]);
    }
}

#[test]
fn merging_needs_two_features_and_a_kept_one_among_them() {
    let p = project(vec![
        rect(0.0, 0.0, 10.0, 10.0),
        rect(10.0, 0.0, 20.0, 10.0),
    ]);
    assert!(merge_features(&p.layers[0], &[0], 0).is_err());
    assert!(merge_features(&p.layers[0], &[0, 1], 5).is_err());
    // Touching squares merge into one polygon, not a multipolygon.
    let g = merge_geometries(
        p.layers[0]
            .features()
            .iter()
            .filter_map(|f| f.geometry.as_ref()),
    );
    assert!(matches!(g, Some(Geometry::Polygon(_))));
}

#[test]
fn holes_are_cut_inside_and_filled_again() {
    let square = Geometry::Polygon(rect(0.0, 0.0, 100.0, 100.0));
    let holed = add_hole(&square, &rect(20.0, 20.0, 40.0, 40.0)).unwrap();
    assert!((area(&holed) - 9600.0).abs() < 1e-6);
    assert!(
        add_hole(&square, &rect(90.0, 90.0, 120.0, 120.0))
            .unwrap_err()
            .to_string()
            .contains("inside")
    );
    assert_eq!(remove_hole(&holed, c(50.0, 50.0)), None);
    let filled = remove_hole(&holed, c(30.0, 30.0)).unwrap();
    assert!((area(&filled) - 10_000.0).abs() < 1e-6);
}

#[test]
fn reshape_pulls_the_outline_out_or_in_between_two_boundary_points() {
    let square = Geometry::Polygon(rect(0.0, 0.0, 100.0, 100.0));
    let out = [
        c(30.0, 100.0),
        c(30.0, 120.0),
        c(60.0, 120.0),
        c(60.0, 100.0),
    ];
    assert!((area(&reshape_geometry(&square, &out).unwrap()) - 10_600.0).abs() < 1e-6);
    let inward = [c(30.0, 100.0), c(30.0, 80.0), c(60.0, 80.0), c(60.0, 100.0)];
    assert!((area(&reshape_geometry(&square, &inward).unwrap()) - 9400.0).abs() < 1e-6);
    // A line drawn a little past the edge still reshapes (its dangling ends are ignored).
    let past = [c(30.0, 101.0), c(30.0, 80.0), c(60.0, 80.0), c(60.0, 101.0)];
    assert!((area(&reshape_geometry(&square, &past).unwrap()) - 9400.0).abs() < 1e-6);
    // Clicks snapped onto a slanted edge lie a rounding error inside or outside it; the
    // reshape still happens (the line is extended a millimetre past its ends).
    let tilted: Polygon<f64> = wkt! { POLYGON((0. 0.,100. 7.,93. 107.,-7. 100.,0. 0.)) };
    let tilted = Geometry::Polygon(geo::Translate::translate(&tilted, X, Y));
    let on_edge = |t: f64| {
        let (a, b) = (c(0.0, 0.0), c(100.0, 7.0));
        // A point on the bottom edge, nudged 1e-9 m into the polygon.
        Coord {
            x: a.x + t * (b.x - a.x) - 0.07e-9,
            y: a.y + t * (b.y - a.y) + 1e-9,
        }
    };
    let notch = [on_edge(0.3), c(30.0, 30.0), c(60.0, 30.0), on_edge(0.6)];
    let before = area(&tilted);
    let after = area(&reshape_geometry(&tilted, &notch).unwrap());
    assert!(before - after > 500.0, "{before} -> {after}");
    let floating = [c(30.0, 110.0), c(60.0, 130.0)];
    assert!(
        reshape_geometry(&square, &floating)
            .unwrap_err()
            .to_string()
            .contains("changes nothing")
    );
}

#[test]
fn tracing_follows_the_boundary_the_short_way_round() {
    // An L-shaped parcel: from the bottom edge to the right edge of the foot, the short way
    // passes the corner (100, 0); the long way would pass five vertices.
    let l_shape: Polygon<f64> =
        wkt! { POLYGON((0. 0.,100. 0.,100. 40.,40. 40.,40. 100.,0. 100.,0. 0.)) };
    let l_shape = geo::Translate::translate(&l_shape, X, Y);
    let p = project(vec![l_shape]);
    let path = trace(&[&p.layers[0]], c(70.0, 0.0), c(100.0, 20.0), 0.01).unwrap();
    assert_eq!(path, vec![c(70.0, 0.0), c(100.0, 0.0), c(100.0, 20.0)]);
    // The other way round gives the same points reversed.
    let back = trace(&[&p.layers[0]], c(100.0, 20.0), c(70.0, 0.0), 0.01).unwrap();
    assert_eq!(back, vec![c(100.0, 20.0), c(100.0, 0.0), c(70.0, 0.0)]);
    // Points on no common boundary cannot be traced.
    assert_eq!(
        trace(&[&p.layers[0]], c(70.0, 0.0), c(70.0, 70.0), 0.01),
        None
    );
}

#[test]
fn avoid_overlaps_clips_a_new_polygon_and_refuses_against_an_invalid_neighbour() {
    let p = project(vec![rect(0.0, 0.0, 100.0, 100.0)]);
    let new = Geometry::Polygon(rect(50.0, 0.0, 150.0, 100.0));
    let clipped = clip_to_neighbours(&p.layers[0], None, &new).unwrap();
    assert!((area(&clipped) - 5000.0).abs() < 1e-6);
    // The feature being edited is not its own neighbour.
    let edited = clip_to_neighbours(&p.layers[0], Some(0), &new).unwrap();
    assert!((area(&edited) - 10_000.0).abs() < 1e-6);
    // Entirely covered: refused.
    let covered = Geometry::Polygon(rect(10.0, 10.0, 20.0, 20.0));
    assert!(clip_to_neighbours(&p.layers[0], None, &covered).is_err());
    // An invalid (bow-tie) neighbour is named, never skipped.
    let bowtie: Polygon<f64> = wkt! { POLYGON((0. 0.,100. 100.,100. 0.,0. 100.,0. 0.)) };
    let bad = project(vec![geo::Translate::translate(&bowtie, X, Y)]);
    let err = clip_to_neighbours(&bad.layers[0], None, &new)
        .unwrap_err()
        .to_string();
    assert!(err.contains("neighbour feature 1 is invalid"), "{err}");
}
