//! GeoJSON for reviewers (`villageplan export`, `classify --format geojson`): RFC 7946 on
//! every feature of the committed sample, read back by GDAL, areas on the stated basis.

use std::path::{Path, PathBuf};
use std::process::Command;

use gdal::vector::LayerAccess;
use serde_json::Value;

fn sample() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-maps/fengqing/fengqing.gpkg")
}

fn villageplan(args: &[&str]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_villageplan"))
        .args(args)
        .output()
        .expect("villageplan runs");
    assert!(
        out.status.success(),
        "villageplan {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("UTF-8 output")
}

/// Twice the signed area of a ring of [lon, lat] pairs: > 0 counter-clockwise.
fn twice_signed_area(ring: &[Value]) -> f64 {
    let c = |v: &Value, i: usize| v[i].as_f64().expect("a number");
    ring.windows(2)
        .map(|w| c(&w[0], 0) * c(&w[1], 1) - c(&w[1], 0) * c(&w[0], 1))
        .sum()
}

/// The RFC 7946 rules the writer promises, on one polygon's rings.
fn assert_polygon(rings: &[Value], what: &str) {
    for (k, ring) in rings.iter().enumerate() {
        let ring = ring.as_array().expect("a ring");
        assert!(
            ring.len() >= 4,
            "{what}: ring {k} has {} positions",
            ring.len()
        );
        assert_eq!(ring.first(), ring.last(), "{what}: ring {k} is closed");
        for pair in ring.windows(2) {
            assert_ne!(pair[0], pair[1], "{what}: ring {k} repeats a vertex");
        }
        for position in ring {
            for v in position.as_array().expect("a position") {
                let text = v.to_string();
                let decimals = text.split('.').nth(1).map_or(0, str::len);
                assert!(decimals <= 7, "{what}: {text} has {decimals} decimals");
            }
            let lon = position[0].as_f64().unwrap();
            let lat = position[1].as_f64().unwrap();
            assert!(
                (99.0..101.0).contains(&lon) && (24.0..26.0).contains(&lat),
                "{what}: {lon},{lat}"
            );
        }
        let ccw = twice_signed_area(ring) > 0.0;
        assert_eq!(ccw, k == 0, "{what}: ring {k} winds the wrong way");
    }
}

fn assert_rfc_7946(path: &Path) -> Value {
    let bytes = std::fs::read(path).unwrap();
    assert_ne!(&bytes[..3], b"\xEF\xBB\xBF", "no BOM");
    let json: Value = serde_json::from_slice(&bytes).expect("valid JSON");
    assert_eq!(json["type"], "FeatureCollection");
    assert!(json.get("crs").is_none(), "no crs member");
    let features = json["features"].as_array().unwrap();
    assert!(!features.is_empty());
    for (i, f) in features.iter().enumerate() {
        let g = &f["geometry"];
        let what = format!("{}: feature {i}", path.display());
        match g["type"].as_str().unwrap() {
            "Polygon" => assert_polygon(g["coordinates"].as_array().unwrap(), &what),
            "MultiPolygon" => {
                for p in g["coordinates"].as_array().unwrap() {
                    assert_polygon(p.as_array().unwrap(), &what);
                }
            }
            other => panic!("{what}: unexpected {other}"),
        }
    }
    json
}

#[test]
fn every_parcel_and_village_of_the_sample_is_written_as_rfc_7946() {
    let dir = tempfile::tempdir().unwrap();
    let sample = sample();
    for layer in ["dltb", "villages"] {
        let out = dir.path().join(format!("{layer}.geojson"));
        let said = villageplan(&[
            "export",
            sample.to_str().unwrap(),
            "--layer",
            layer,
            "--out",
            out.to_str().unwrap(),
        ]);
        assert!(
            said.contains("(RFC 7946, lon/lat)") && !said.contains("left out"),
            "{said}"
        );
        let json = assert_rfc_7946(&out);
        let first = &json["features"][0]["properties"];
        assert_eq!(first["area_basis"], "椭球面积（CGCS2000 椭球）", "{first}");
        let m2 = first["area_m2"].as_f64().unwrap();
        let ha = first["area_ha"].as_f64().unwrap();
        let mu = first["area_mu"].as_f64().unwrap();
        assert!(
            (ha - m2 / 1e4).abs() < 1e-4 && (mu - m2 * 15.0 / 1e4).abs() < 1e-3,
            "{first}"
        );
        if layer == "dltb" {
            // The survey's own area agrees with the ellipsoidal area written beside it.
            let tbmj = first["TBMJ"].as_f64().unwrap();
            assert!((tbmj - m2).abs() <= 0.01, "TBMJ {tbmj} vs area_m2 {m2}");
        }
        // GDAL reads it back with every feature.
        let ds = gdal::Dataset::open(&out).unwrap();
        let count = ds.layer(0).unwrap().feature_count() as usize;
        assert_eq!(count, json["features"].as_array().unwrap().len());
    }
}

#[test]
fn the_classification_as_geojson_carries_type_reason_and_area() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("types.geojson");
    villageplan(&[
        "classify",
        sample().to_str().unwrap(),
        "--format",
        "geojson",
        "--out",
        out.to_str().unwrap(),
    ]);
    let json = assert_rfc_7946(&out);
    let features = json["features"].as_array().unwrap();
    assert_eq!(features.len(), 190);
    for f in features {
        let p = &f["properties"];
        assert_eq!(p["code"].as_str().unwrap().len(), 12, "{p}");
        assert!(!p["type"].as_str().unwrap().is_empty(), "{p}");
        assert!(!p["reason_zh"].as_str().unwrap().is_empty(), "{p}");
        assert!(p["area_m2"].as_f64().unwrap() > 0.0, "{p}");
    }
}

#[test]
fn the_gauss_kruger_variant_says_it_is_not_rfc_7946_and_bad_requests_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let sample = sample();
    let out = dir.path().join("villages_gk.geojson");
    villageplan(&[
        "export",
        sample.to_str().unwrap(),
        "--layer",
        "villages",
        "--gauss-kruger",
        "--out",
        out.to_str().unwrap(),
    ]);
    let json: Value = serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
    assert!(json["crs_note"].as_str().unwrap().contains("NOT RFC 7946"));
    let x = json["features"][0]["geometry"]["coordinates"][0][0][0]
        .as_f64()
        .unwrap();
    assert!(x > 400_000.0, "metres, not degrees: {x}");

    let missing = Command::new(env!("CARGO_BIN_EXE_villageplan"))
        .args([
            "export",
            sample.to_str().unwrap(),
            "--layer",
            "nope",
            "--out",
        ])
        .arg(dir.path().join("x.geojson"))
        .output()
        .unwrap();
    assert!(!missing.status.success());
    let err = String::from_utf8_lossy(&missing.stderr);
    assert!(
        err.contains("no layer 'nope'") && err.contains("villages (行政村界)"),
        "{err}"
    );
    assert!(!dir.path().join("x.geojson").exists(), "nothing written");
}
