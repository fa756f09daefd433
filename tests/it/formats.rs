//! Every format a planner receives reads; exports round-trip; bad input is an error, never
//! a panic.

use geo::{Area, Geometry, wkt};
use villageplan::crs::WorkingCrs;
use villageplan::io::{ExportFormat, LoadOptions, export_layer, read_all_layers, read_layer};
use villageplan::{AttrValue, Error, Feature, FieldDef, FieldKind, Layer, LayerRole, Silent};

use crate::fixtures::{Row, corpus, write_vector};

fn fengqing() -> WorkingCrs {
    WorkingCrs::from_epsg(4542).unwrap()
}

/// A layer with a hole, a multipolygon, Chinese text, NULLs and numbers.
pub fn sample_layer() -> Layer {
    let fields = vec![
        FieldDef::new("DLBM", FieldKind::Text),
        FieldDef::new("DLMC", FieldKind::Text),
        FieldDef::new("TBMJ", FieldKind::Real),
        FieldDef::new("BH", FieldKind::Integer),
    ];
    let holed: geo::Polygon = wkt!(POLYGON((500000.0 2720000.0, 500400.0 2720000.0, 500400.0 2720300.0, 500000.0 2720300.0, 500000.0 2720000.0), (500100.0 2720100.0, 500200.0 2720100.0, 500200.0 2720200.0, 500100.0 2720200.0, 500100.0 2720100.0)));
    let multi: geo::MultiPolygon = wkt!(MULTIPOLYGON(((501000.0 2721000.0, 501100.0 2721000.0, 501100.0 2721100.0, 501000.0 2721000.0)), ((502000.0 2722000.0, 502050.0 2722000.0, 502050.0 2722050.0, 502000.0 2722000.0))));
    let features = vec![
        Feature {
            id: 1,
            geometry: Some(Geometry::Polygon(holed)),
            attributes: vec![
                AttrValue::text("0103"),
                AttrValue::text("旱地"),
                AttrValue::Real(110000.0),
                AttrValue::Integer(7),
            ],
        },
        Feature {
            id: 2,
            geometry: Some(Geometry::MultiPolygon(multi)),
            attributes: vec![
                AttrValue::text("0702"),
                AttrValue::text("农村宅基地"),
                AttrValue::Null,
                AttrValue::Integer(-3),
            ],
        },
    ];
    Layer::new(
        "dltb",
        "地类图斑",
        LayerRole::CurrentLandUse,
        fields,
        features,
    )
}

fn assert_same_features(a: &Layer, b: &Layer, tolerance_m: f64) {
    assert_eq!(a.features().len(), b.features().len());
    for (fa, fb) in a.features().iter().zip(b.features()) {
        assert_eq!(fa.attributes, fb.attributes, "feature {}", fa.id);
        // Ring orientation is normalised first: RFC 7946 GeoJSON rewinds rings.
        use geo::CoordsIter;
        use geo::orient::{Direction, Orient};
        let orient = |g: &Geometry| match g {
            Geometry::Polygon(p) => Geometry::Polygon(p.orient(Direction::Default)),
            Geometry::MultiPolygon(p) => Geometry::MultiPolygon(p.orient(Direction::Default)),
            other => other.clone(),
        };
        let ga = orient(fa.geometry.as_ref().unwrap());
        let gb = orient(fb.geometry.as_ref().unwrap());
        assert_eq!(ga.coords_count(), gb.coords_count());
        for (ca, cb) in ga.coords_iter().zip(gb.coords_iter()) {
            assert!(
                (ca.x - cb.x).abs() <= tolerance_m && (ca.y - cb.y).abs() <= tolerance_m,
                "feature {}: {ca:?} vs {cb:?}",
                fa.id
            );
        }
        assert!((ga.unsigned_area() - gb.unsigned_area()).abs() <= 1e-4 * ga.unsigned_area());
    }
}

fn round_trip(format: ExportFormat, file: &str, tolerance_m: f64) -> Layer {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(file);
    let layer = sample_layer();
    export_layer(&layer, fengqing(), &path, format).unwrap();
    let back = read_layer(&path, None, &LoadOptions::default(), &Silent)
        .unwrap()
        .into_layer("back".into(), fengqing())
        .unwrap();
    let names: Vec<&str> = back.fields().iter().map(|f| f.name.as_str()).collect();
    assert_eq!(names, ["DLBM", "DLMC", "TBMJ", "BH"]);
    assert_same_features(&layer, &back, tolerance_m);
    back
}

#[test]
fn geopackage_round_trip_is_exact() {
    let back = round_trip(ExportFormat::GeoPackage, "out.gpkg", 0.0);
    assert_eq!(back.features()[0].id, 1);
}

#[test]
fn geojson_round_trip_through_lon_lat() {
    // RFC 7946 writes 7 decimals of a degree: about 1 cm.
    round_trip(ExportFormat::GeoJson, "out.geojson", 0.02);
}

#[test]
fn geojson_export_is_rfc7946_lon_lat() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("x.geojson");
    export_layer(&sample_layer(), fengqing(), &path, ExportFormat::GeoJson).unwrap();
    let text = std::fs::read_to_string(&path).unwrap();
    let json: serde_json::Value = serde_json::from_str(&text).unwrap();
    let first = &json["features"][0]["geometry"]["coordinates"][0][0];
    let (lon, lat) = (first[0].as_f64().unwrap(), first[1].as_f64().unwrap());
    assert!(
        (98.0..100.0).contains(&lon) && (24.0..25.0).contains(&lat),
        "{lon} {lat}"
    );
    assert!(text.contains("旱地"));
}

#[test]
fn shapefile_export_declares_utf8() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("out.shp");
    export_layer(&sample_layer(), fengqing(), &path, ExportFormat::Shapefile).unwrap();
    let cpg = std::fs::read_to_string(dir.path().join("out.cpg")).unwrap();
    assert!(cpg.to_ascii_uppercase().contains("UTF-8"), "{cpg}");
    let back = read_layer(&path, None, &LoadOptions::default(), &Silent).unwrap();
    assert_eq!(crate::fixtures::first_text(&back, "DLMC"), "旱地");
}

#[test]
fn filegdb_inside_zip_with_z_and_m() {
    let layers = read_all_layers(
        &corpus("pyogrio/test_fgdb.gdb.zip"),
        &LoadOptions::default(),
        &Silent,
    )
    .unwrap();
    assert_eq!(layers.len(), 8);
    let areas = layers
        .iter()
        .find(|l| l.description.name == "test_areas")
        .unwrap();
    assert!(!areas.features().is_empty());
    assert_eq!(areas.report().dropped_zm, areas.features().len());
    assert!(areas.description.crs.as_deref().unwrap().contains("4269"));
}

#[test]
fn zipped_shapefile_and_too_few_points() {
    let layer = read_layer(
        &corpus("pyogrio/poly_not_enough_points.shp.zip"),
        None,
        &LoadOptions::default(),
        &Silent,
    );
    // GDAL may refuse the degenerate ring or hand it over; either way: no panic, and if it
    // is read, the polygon is flagged invalid rather than dropped.
    if let Ok(layer) = layer {
        let n = layer.features().len() + layer.report().skipped_null + layer.report().skipped_empty;
        assert!(n >= 1);
    }
}

#[test]
fn kml_and_dxf_read() {
    let dir = tempfile::tempdir().unwrap();
    let kml = dir.path().join("points.kml");
    write_vector(
        &kml,
        "KML",
        Some(4326),
        &["Name"],
        &[Row {
            wkt: "POINT (99.913 24.597)",
            values: &["凤山镇"],
        }],
        &[],
    );
    let layer = read_layer(&kml, None, &LoadOptions::default(), &Silent).unwrap();
    assert_eq!(crate::fixtures::first_text(&layer, "Name"), "凤山镇");
    let projected = layer.into_layer("kml".into(), fengqing()).unwrap();
    let Some(Geometry::Point(p)) = &projected.features()[0].geometry else {
        panic!("point expected")
    };
    assert!((p.x() - 591_700.0).abs() < 1_000.0, "{p:?}");

    let dxf = dir.path().join("lines.dxf");
    write_vector(
        &dxf,
        "DXF",
        None,
        &[],
        &[Row {
            wkt: "LINESTRING (500000 2720000, 500100 2720050)",
            values: &[],
        }],
        &[],
    );
    let layer = read_layer(&dxf, None, &LoadOptions::default(), &Silent).unwrap();
    assert_eq!(layer.features().len(), 1);
    assert!(matches!(
        layer.features()[0].geometry,
        Some(Geometry::LineString(_))
    ));
}

#[test]
fn curves_are_linearised_nulls_skipped_invalid_flagged() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("mixed.gpkg");
    write_vector(
        &path,
        "GPKG",
        Some(4542),
        &["NAME"],
        &[
            Row {
                wkt: "CURVEPOLYGON (CIRCULARSTRING (500000 2720000, 500100 2720000, 500000 2720000))",
                values: &["circle"],
            },
            Row {
                wkt: "POLYGON ((0 0, 10 10, 10 0, 0 10, 0 0))",
                values: &["bowtie"],
            },
            Row {
                wkt: "POLYGON EMPTY",
                values: &["empty"],
            },
            Row {
                wkt: "POLYGON Z ((0 0 5, 10 0 5, 10 10 5, 0 0 5))",
                values: &["with z"],
            },
        ],
        &[],
    );
    let layer = read_layer(&path, None, &LoadOptions::default(), &Silent).unwrap();
    let report = layer.report();
    assert_eq!(report.linearised, 1);
    assert_eq!(report.skipped_empty, 1);
    assert_eq!(report.dropped_zm, 1);
    assert_eq!(report.invalid_ids, vec![2]);
    assert_eq!(layer.features().len(), 3);
    let circle = layer.features()[0].geometry.as_ref().unwrap();
    let expected = std::f64::consts::PI * 50.0 * 50.0;
    assert!((circle.unsigned_area() / expected - 1.0).abs() < 0.01);
}

#[test]
fn null_geometries_are_counted() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("nulls.geojson");
    std::fs::write(
        &path,
        r#"{"type":"FeatureCollection","features":[
        {"type":"Feature","properties":{"a":"x"},"geometry":null},
        {"type":"Feature","properties":{"a":"y"},"geometry":{"type":"Point","coordinates":[99.9,24.6]}}]}"#,
    )
    .unwrap();
    let layer = read_layer(&path, None, &LoadOptions::default(), &Silent).unwrap();
    assert_eq!(layer.report().skipped_null, 1);
    assert_eq!(layer.features().len(), 1);
}

#[test]
fn a_source_repeating_feature_ids_gets_unique_ones_and_says_so() {
    // GDAL gives FID 0 to all three: two declare it, the first has no id.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("mixed_ids.geojson");
    std::fs::write(
        &path,
        r#"{"type":"FeatureCollection","features":[
        {"type":"Feature","properties":{"n":"a"},"geometry":{"type":"Point","coordinates":[99.9,24.6]}},
        {"type":"Feature","id":0,"properties":{"n":"b"},"geometry":{"type":"Point","coordinates":[99.91,24.6]}},
        {"type":"Feature","id":0,"properties":{"n":"c"},"geometry":{"type":"Point","coordinates":[99.92,24.6]}}]}"#,
    )
    .unwrap();
    let source = read_layer(&path, None, &LoadOptions::default(), &Silent).unwrap();
    let layer = source.into_layer("mixed".into(), fengqing()).unwrap();
    let mut ids: Vec<i64> = layer.features().iter().map(|f| f.id).collect();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), 3, "{ids:?}");
    for (i, f) in layer.features().iter().enumerate() {
        assert_eq!(layer.position_of(f.id), Some(i));
    }
    assert_eq!(layer.load_report.duplicate_ids.len(), 2);
    assert!(
        layer
            .load_report
            .lines()
            .iter()
            .any(|l| l.contains("duplicate feature ids renumbered")),
        "{:?}",
        layer.load_report.lines()
    );
}

#[test]
fn bad_input_is_a_clear_error_not_a_panic() {
    let missing = std::path::Path::new("/no/such/村界.shp");
    let err = read_layer(missing, None, &LoadOptions::default(), &Silent)
        .err()
        .unwrap();
    assert!(matches!(err, Error::NotFound { .. }));
    assert!(err.to_string().contains("村界.shp"));

    let dir = tempfile::tempdir().unwrap();
    let garbage = dir.path().join("garbage.geojson");
    std::fs::write(&garbage, "this is not json").unwrap();
    let err = read_layer(&garbage, None, &LoadOptions::default(), &Silent)
        .err()
        .unwrap();
    assert!(err.to_string().contains("garbage.geojson"), "{err}");

    let err = read_layer(
        &corpus("mapshaper/dbf/gbk.dbf"),
        Some("nope"),
        &LoadOptions::default(),
        &Silent,
    )
    .err()
    .unwrap();
    assert!(err.to_string().contains("no layer named 'nope'"), "{err}");

    // Real files that crashed other readers, and every bad GeoJSON of geojsonhint.
    let mut files = vec![
        corpus("mapshaper/issues/518_519_shp_reading/data_corruption_error.shp"),
        corpus("mapshaper/issues/518_519_shp_reading/max_callstack_error.shp"),
        corpus("mapshaper/issues/invalid_coords/invalid_coordinates.shp"),
        corpus("mapshaper/issues/125/openring.json"),
    ];
    for entry in std::fs::read_dir(corpus("geojsonhint/bad")).unwrap() {
        let p = entry.unwrap().path();
        if p.extension().is_some_and(|e| e == "geojson") {
            files.push(p);
        }
    }
    for file in files {
        // Ok or Err are both acceptable; panics are not.
        let _ = read_all_layers(&file, &LoadOptions::default(), &Silent);
    }
}
