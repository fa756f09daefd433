//! 质检: each rule kind on hand-built fixtures whose problem areas are known exactly
//! (squares offset by known amounts), exceptions across re-runs and save/load, incremental
//! re-checks, the CLI's exit codes, and the sample project's deliberate conflicts.

use crate::fixtures::villageplan;
use std::collections::BTreeSet;

use geo::{Area, Coord, Geometry, LineString, Polygon, Rect};
use villageplan::analysis::areas::AreaBasis;
use villageplan::analysis::checks::{
    Check, CheckReport, CheckResult, CheckScope, Exceptions, RuleSet, Targets, VillageTargets,
    accept_exception, run_checks, set_project_rules,
};
use villageplan::crs::WorkingCrs;
use villageplan::{AttrValue, Feature, FieldDef, FieldKind, Layer, LayerRole, Project, Silent};

/// A Gauss-Kruger origin inside zone CM 99°E; offsets from it are exact in f64.
pub(crate) const X0: f64 = 500_000.0;
pub(crate) const Y0: f64 = 2_700_000.0;
pub(crate) const VILLAGE: &str = "530921100201";
pub(crate) const M2_PER_MU: f64 = 10_000.0 / 15.0;

pub(crate) fn rect(x: f64, y: f64, w: f64, h: f64) -> Geometry {
    Geometry::Polygon(
        Rect::new(
            Coord {
                x: X0 + x,
                y: Y0 + y,
            },
            Coord {
                x: X0 + x + w,
                y: Y0 + y + h,
            },
        )
        .to_polygon(),
    )
}

pub(crate) fn layer(
    id: &str,
    role: LayerRole,
    fields: &[&str],
    rows: Vec<(Geometry, Vec<&str>)>,
) -> Layer {
    let features = rows
        .into_iter()
        .enumerate()
        .map(|(i, (g, values))| Feature {
            id: i as i64 + 1,
            geometry: Some(g),
            attributes: values.into_iter().map(AttrValue::text).collect(),
        })
        .collect();
    let fields = fields
        .iter()
        .map(|f| FieldDef::new(*f, FieldKind::Text))
        .collect();
    Layer::new(id, id, role, fields, features)
}

/// One village 0..20 × 0..10 m.
pub(crate) fn village_layer() -> Layer {
    layer(
        "villages",
        LayerRole::Village,
        &["XZQDM", "XZQMC"],
        vec![(rect(0.0, 0.0, 20.0, 10.0), vec![VILLAGE, "河平村"])],
    )
}

pub(crate) const DLTB_FIELDS: &[&str] = &["BSM", "DLBM", "DLMC", "ZLDWDM"];

pub(crate) fn zldwdm() -> String {
    format!("{VILLAGE}0000000")
}

/// Two 10 × 10 parcels tiling the village exactly, as 水田 (above the 400 m² sliver
/// threshold only in area terms for the fixture's scale, so slivers are switched off).
pub(crate) fn project_with(layers: Vec<Layer>) -> Project {
    let mut p = Project::new("fixture", WorkingCrs::from_epsg(4542).unwrap());
    for layer in layers {
        p.add_layer(layer);
    }
    p
}

pub(crate) fn dltb(rows: Vec<(Geometry, &str, &str, &str)>) -> Layer {
    let z = zldwdm();
    let rows = rows
        .into_iter()
        .map(|(g, bsm, code, name)| {
            (
                g,
                vec![
                    bsm,
                    code,
                    name,
                    Box::leak(z.clone().into_boxed_str()) as &str,
                ],
            )
        })
        .collect();
    layer("dltb", LayerRole::CurrentLandUse, DLTB_FIELDS, rows)
}

/// Only the rules with these ids (so each kind is tested on its own).
pub(crate) fn only(ids: &[&str]) -> RuleSet {
    let mut rules = RuleSet::bundled().unwrap();
    for r in &mut rules.rules {
        r.enabled = ids.contains(&r.id.as_str());
    }
    assert_eq!(
        rules.enabled().count(),
        ids.len(),
        "unknown rule id in {ids:?}"
    );
    rules
}

pub(crate) fn run(project: &Project, ids: &[&str]) -> CheckReport {
    run_checks(project, &only(ids), &CheckScope::All, &Silent).unwrap()
}

pub(crate) fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-6
}

fn tiled() -> Vec<(Geometry, &'static str, &'static str, &'static str)> {
    vec![
        (rect(0.0, 0.0, 10.0, 10.0), "B1", "0101", "水田"),
        (rect(10.0, 0.0, 10.0, 10.0), "B2", "0103", "旱地"),
    ]
}

#[test]
fn a_clean_tiling_passes_every_topology_rule() {
    let p = project_with(vec![dltb(tiled()), village_layer()]);
    let report = run(
        &p,
        &[
            "geometry.valid",
            "geometry.duplicate",
            "topology.overlap",
            "topology.gap.dltb",
            "area.balance",
            "codes.dltb",
            "attributes.dltb_required",
            "attributes.bsm_unique",
            "attributes.village_code",
            "attributes.zldwdm_village",
        ],
    );
    assert!(report.results.is_empty(), "{:#?}", report.results);
}

#[test]
fn overlap_of_offset_squares_is_measured_exactly() {
    // The second square moved 3 m left: they share a 7 × 10 strip.
    let mut rows = tiled();
    rows[1].0 = rect(7.0, 0.0, 10.0, 10.0);
    let p = project_with(vec![dltb(rows), village_layer()]);
    let report = run(&p, &["topology.overlap"]);
    assert_eq!(report.results.len(), 1, "{:#?}", report.results);
    let r = &report.results[0];
    assert!(close(r.area_m2.unwrap(), 30.0), "{:?}", r.area_m2);
    assert!(close(r.area_mu().unwrap(), 30.0 / M2_PER_MU));
    assert!(close(r.geometry.as_ref().unwrap().unsigned_area(), 30.0));
    assert_eq!(r.feature_ids, vec![1, 2]);
    assert_eq!(r.bsms, vec!["B1", "B2"]);
    assert_eq!(r.village.as_ref().unwrap().code, VILLAGE);
    assert_eq!(r.key, "topology.overlap|dltb|bsm:B1,B2");
    assert!(r.is_blocking());

    // 1 mm × 10 m = 0.01 m² is at the tolerance: not reported; 2 mm is.
    let mut rows = tiled();
    rows[1].0 = rect(9.999, 0.0, 10.0, 10.0);
    let p = project_with(vec![dltb(rows), village_layer()]);
    assert!(run(&p, &["topology.overlap"]).results.is_empty());
    let mut rows = tiled();
    rows[1].0 = rect(9.998, 0.0, 10.0, 10.0);
    let p = project_with(vec![dltb(rows), village_layer()]);
    let report = run(&p, &["topology.overlap"]);
    assert_eq!(report.results.len(), 1);
    assert!((report.results[0].area_m2.unwrap() - 0.02).abs() < 1e-6);
}

#[test]
fn a_parcel_inside_another_and_identical_parcels_overlap() {
    let mut rows = tiled();
    rows.push((rect(2.0, 2.0, 3.0, 4.0), "B3", "0702", "农村宅基地"));
    rows.push((rect(10.0, 0.0, 10.0, 10.0), "B4", "0103", "旱地"));
    let p = project_with(vec![dltb(rows), village_layer()]);
    let report = run(&p, &["topology.overlap", "geometry.duplicate"]);
    let overlaps: Vec<(&Vec<String>, f64)> = report
        .results
        .iter()
        .filter(|r| r.rule_id == "topology.overlap")
        .map(|r| (&r.bsms, r.area_m2.unwrap()))
        .collect();
    assert_eq!(overlaps.len(), 2, "{overlaps:?}");
    assert!(
        overlaps
            .iter()
            .any(|(b, a)| **b == ["B1", "B3"] && close(*a, 12.0))
    );
    assert!(
        overlaps
            .iter()
            .any(|(b, a)| **b == ["B2", "B4"] && close(*a, 100.0))
    );
    let dups: Vec<&CheckResult> = report
        .results
        .iter()
        .filter(|r| r.rule_id == "geometry.duplicate")
        .collect();
    assert_eq!(dups.len(), 1);
    assert_eq!(dups[0].bsms, vec!["B2", "B4"]);
}

#[test]
fn gap_between_squares_is_located_and_measured() {
    // A 0.5 m strip between the parcels and a 2 × 3 hole cut out of nothing: the second
    // parcel starts at x = 10.5.
    let rows = vec![
        (rect(0.0, 0.0, 10.0, 10.0), "B1", "0101", "水田"),
        (rect(10.5, 0.0, 9.5, 10.0), "B2", "0103", "旱地"),
    ];
    let p = project_with(vec![dltb(rows), village_layer()]);
    let report = run(&p, &["topology.gap.dltb", "area.balance"]);
    let gaps: Vec<&CheckResult> = report
        .results
        .iter()
        .filter(|r| r.rule_id == "topology.gap.dltb")
        .collect();
    assert_eq!(gaps.len(), 1, "{:#?}", report.results);
    assert!(close(gaps[0].area_m2.unwrap(), 5.0));
    let g = gaps[0].geometry.as_ref().unwrap();
    assert!(close(g.unsigned_area(), 5.0));
    let bbox = gaps[0].bbox().unwrap();
    assert!(close(bbox.min().x - X0, 10.0) && close(bbox.max().x - X0, 10.5));
    assert_eq!(gaps[0].village.as_ref().unwrap().name, "河平村");
    // Σ parcels 195 m² against 200 m²: 2.5 % off, far beyond 0.1 %.
    let balance: Vec<&CheckResult> = report
        .results
        .iter()
        .filter(|r| r.rule_id == "area.balance")
        .collect();
    assert_eq!(balance.len(), 1);
    assert!(close(balance[0].area_m2.unwrap(), 5.0));
}

/// A village of 240 irregular vertices and its fan of triangle parcels from an off-centre
/// point: vertices at inexact coordinates, shared bit for bit by neighbours, as parcels cut
/// from a village are. The fan tiles the village (no gap, whatever rounding a union of 240
/// triangles would leave); without one triangle, the gap is that triangle.
#[test]
fn a_fan_of_parcels_tiles_its_village_and_a_missing_one_is_the_gap() {
    let n = 240;
    let ring: Vec<Coord> = (0..n)
        .map(|i| {
            let t = std::f64::consts::TAU * i as f64 / n as f64;
            let r = 300.0 + 40.0 * (5.0 * t).sin() + 7.3 * (17.0 * t).cos();
            Coord {
                x: X0 + 1000.0 + r * t.cos(),
                y: Y0 + 1000.0 + r * t.sin(),
            }
        })
        .collect();
    let centre = Coord {
        x: X0 + 1000.0 + 31.7,
        y: Y0 + 1000.0 - 12.9,
    };
    let polygon = |points: Vec<Coord>| Geometry::Polygon(Polygon::new(LineString(points), vec![]));
    let mut closed = ring.clone();
    closed.push(ring[0]);
    let village = layer(
        "villages",
        LayerRole::Village,
        &["XZQDM", "XZQMC"],
        vec![(polygon(closed), vec![VILLAGE, "河平村"])],
    );
    let fan: Vec<(Geometry, &str, &str, &str)> = (0..n)
        .map(|i| {
            let triangle = vec![centre, ring[i], ring[(i + 1) % n], centre];
            (polygon(triangle), "B", "0103", "旱地")
        })
        .collect();
    let gaps = |parcels: Vec<(Geometry, &str, &str, &str)>| {
        let p = project_with(vec![dltb(parcels), village.clone()]);
        run(&p, &["topology.gap.dltb"]).results
    };
    assert!(gaps(fan.clone()).is_empty());
    let mut missing = fan;
    let (taken, ..) = missing.remove(17);
    let found = gaps(missing);
    assert_eq!(found.len(), 1, "{found:#?}");
    let expected = taken.unsigned_area();
    assert!(
        (found[0].area_m2.unwrap() - expected).abs() < 1e-6 * expected,
        "{} m² against the triangle's {expected} m²",
        found[0].area_m2.unwrap()
    );
}

/// A 10 m square's corners joined crosswise: self-intersecting at its centre.
fn bow_tie() -> Polygon {
    Polygon::new(
        LineString::from(vec![
            (X0, Y0),
            (X0 + 10.0, Y0 + 10.0),
            (X0 + 10.0, Y0),
            (X0, Y0 + 10.0),
            (X0, Y0),
        ]),
        vec![],
    )
}

#[test]
fn self_intersection_is_located_at_the_crossing_point() {
    let mut rows = tiled();
    rows[0].0 = Geometry::Polygon(bow_tie());
    let p = project_with(vec![dltb(rows), village_layer()]);
    let report = run(&p, &["geometry.valid"]);
    assert_eq!(report.results.len(), 1, "{:#?}", report.results);
    let r = &report.results[0];
    assert_eq!(
        r.geometry,
        Some(Geometry::Point(geo::Point::new(X0 + 5.0, Y0 + 5.0)))
    );
    assert_eq!(r.bsms, vec!["B1"]);
}

/// The load asks GEOS about every polygon, and the validity rule believes those answers
/// only for geometries nobody changed since: an edit that mends a polygon clears its
/// result, and one that breaks a polygon GEOS once found valid is caught.
#[test]
fn validity_found_by_the_load_is_reused_until_an_edit() {
    let bow = Geometry::Polygon(bow_tie());
    let mut rows = tiled();
    rows[0].0 = bow.clone();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("p.gpkg");
    villageplan::io::save_project(
        &project_with(vec![dltb(rows), village_layer()]),
        &path,
        &Silent,
    )
    .unwrap();
    let mut p = villageplan::io::load_project(&path, &Silent).unwrap();
    let layer = p.layer("dltb").unwrap();
    assert_eq!(
        layer.known_validity(0),
        Some(false),
        "the bow tie, judged by the load"
    );
    assert_eq!(layer.known_validity(1), Some(true));
    let valid = |p: &Project| run(p, &["geometry.valid"]).results.len();
    assert_eq!(valid(&p), 1);

    let mended = tiled()[0].0.clone();
    let layer = p.layer_mut("dltb").unwrap();
    layer.replace_geometry(0, Some(mended)).unwrap();
    layer.replace_geometry(1, Some(bow)).unwrap();
    assert_eq!(layer.known_validity(0), None);
    assert_eq!(layer.known_validity(1), None);
    let report = run(&p, &["geometry.valid"]);
    assert_eq!(report.results.len(), 1, "{:#?}", report.results);
    assert_eq!(report.results[0].bsms, vec!["B2"]);
    assert_eq!(valid(&p), 1);
}

pub(crate) fn planned(rows: Vec<(Geometry, &str, &str)>) -> Layer {
    layer(
        "ghdltb",
        LayerRole::PlannedLandUse,
        &["GHDLBM", "GHDLMC"],
        rows.into_iter().map(|(g, c, n)| (g, vec![c, n])).collect(),
    )
}

pub(crate) fn zone(id: &str, role: LayerRole, g: Geometry) -> Layer {
    layer(id, role, &["MC"], vec![(g, vec![id])])
}

#[test]
fn planned_construction_in_red_line_and_farmland_and_outside_the_boundary() {
    let ghdltb = planned(vec![
        // Housing 0..10 × 0..10; a farm road (06, excluded) 10..20.
        (rect(0.0, 0.0, 10.0, 10.0), "0703", "农村宅基地"),
        (rect(10.0, 0.0, 10.0, 10.0), "0601", "农村道路"),
    ]);
    let red = zone(
        "red",
        LayerRole::EcologicalRedLine,
        rect(8.0, -5.0, 20.0, 20.0),
    );
    let farm = zone(
        "farm",
        LayerRole::PermanentFarmland,
        rect(-5.0, 6.0, 8.0, 8.0),
    );
    let boundary = zone(
        "czjsbj",
        LayerRole::VillageConstructionBoundary,
        rect(0.0, 0.0, 6.0, 10.0),
    );
    let p = project_with(vec![ghdltb, red, farm, boundary, village_layer()]);
    let report = run(
        &p,
        &[
            "lines.planned_construction_in_red_line",
            "lines.planned_construction_in_farmland",
            "lines.construction_outside_boundary",
            "lines.construction_boundary_in_red_line",
            "lines.construction_boundary_in_farmland",
        ],
    );
    let area = |rule: &str| -> Vec<f64> {
        report
            .results
            .iter()
            .filter(|r| r.rule_id == rule)
            .map(|r| r.area_m2.unwrap())
            .collect()
    };
    // 2 × 10 of the house plot in the red line; the farm road is not construction here.
    assert_eq!(area("lines.planned_construction_in_red_line").len(), 1);
    assert!(close(
        area("lines.planned_construction_in_red_line")[0],
        20.0
    ));
    // 3 × 4 of the house plot on farmland.
    assert!(close(
        area("lines.planned_construction_in_farmland")[0],
        12.0
    ));
    // 4 × 10 of the house plot outside the construction boundary.
    assert!(close(area("lines.construction_outside_boundary")[0], 40.0));
    // The boundary itself: 3 × 4 on farmland, nothing in the red line (it stops at x = 6).
    assert!(area("lines.construction_boundary_in_red_line").is_empty());
    assert!(close(
        area("lines.construction_boundary_in_farmland")[0],
        12.0
    ));
    let conflict = report
        .results
        .iter()
        .find(|r| r.rule_id == "lines.planned_construction_in_red_line")
        .unwrap();
    let g = conflict.geometry.as_ref().unwrap();
    assert!(close(g.unsigned_area(), 20.0));
    assert_eq!(conflict.feature_ids, vec![1]);
}

#[test]
fn living_space_conflict_reads_the_space_type() {
    let spaces = layer(
        "sansheng",
        LayerRole::ThreeSpaces,
        &["KJLX"],
        vec![
            (rect(0.0, 0.0, 10.0, 10.0), vec!["生活空间"]),
            (rect(10.0, 0.0, 10.0, 10.0), vec!["生态空间"]),
        ],
    );
    let red = zone(
        "red",
        LayerRole::EcologicalRedLine,
        rect(5.0, 0.0, 15.0, 10.0),
    );
    let p = project_with(vec![spaces, red, village_layer()]);
    let report = run(
        &p,
        &["lines.living_space_in_red_line", "topology.gap.sansheng"],
    );
    assert_eq!(report.results.len(), 1, "{:#?}", report.results);
    assert!(close(report.results[0].area_m2.unwrap(), 50.0));
}

/// Like [`run`], with the quantity rules measuring planar areas: this test's answers are
/// the exact planar ones (the ellipsoidal default is tested in `checks_plan`).
fn run_planar(project: &Project, ids: &[&str]) -> CheckReport {
    let mut rules = only(ids);
    for rule in &mut rules.rules {
        if let Check::Quantity(q) = &mut rule.check {
            q.basis = AreaBasis::Planar;
        }
    }
    run_checks(project, &rules, &CheckScope::All, &Silent).unwrap()
}

#[test]
fn quantities_compare_with_targets_or_say_not_configured() {
    let farm = zone(
        "farm",
        LayerRole::PermanentFarmland,
        rect(0.0, 0.0, 10.0, 10.0),
    );
    let red = zone(
        "red",
        LayerRole::EcologicalRedLine,
        rect(15.0, 0.0, 10.0, 10.0),
    );
    let ghdltb = planned(vec![
        (rect(0.0, 0.0, 10.0, 10.0), "0103", "旱地"),
        (rect(10.0, 0.0, 10.0, 10.0), "0703", "农村宅基地"),
    ]);
    let current = dltb(vec![
        (rect(0.0, 0.0, 16.0, 10.0), "B1", "0103", "旱地"),
        (rect(16.0, 0.0, 4.0, 10.0), "B2", "0702", "农村宅基地"),
    ]);
    let mut p = project_with(vec![farm, red, ghdltb, current, village_layer()]);
    let ids = [
        "quantity.cultivated_land",
        "quantity.permanent_farmland",
        "quantity.red_line",
        "quantity.construction_land",
        "quantity.reserve_quota",
    ];
    let report = run_planar(&p, &ids);
    // Without targets only construction land runs (against the current 40 m²: planned
    // 100 m² is 60 m² more).
    assert_eq!(report.results.len(), 1, "{:#?}", report.results);
    assert_eq!(report.results[0].rule_id, "quantity.construction_land");
    assert!(close(report.results[0].area_m2.unwrap(), 60.0));
    for id in [
        "quantity.cultivated_land",
        "quantity.permanent_farmland",
        "quantity.red_line",
        "quantity.reserve_quota",
    ] {
        let s = report.skipped.iter().find(|s| s.rule_id == id).unwrap();
        assert!(s.reason_en.contains("not configured"), "{s:?}");
    }

    let mut targets = Targets::default();
    targets.by_village.insert(
        VILLAGE.into(),
        VillageTargets {
            cultivated_land_m2: Some(120.0),
            permanent_farmland_m2: Some(100.0),
            red_line_m2: Some(60.0),
            construction_land_m2: Some(100.0),
            reserve_quota_m2: Some(6.0),
        },
    );
    targets.store(&mut p.settings);
    let report = run_planar(&p, &ids);
    let shortfall = |id: &str| {
        report
            .results
            .iter()
            .find(|r| r.rule_id == id)
            .and_then(|r| r.area_m2)
    };
    assert!(close(shortfall("quantity.cultivated_land").unwrap(), 20.0));
    assert_eq!(shortfall("quantity.permanent_farmland"), None, "100 ≥ 100");
    // Only 5 × 10 of the red line lies in the village.
    assert!(close(shortfall("quantity.red_line").unwrap(), 10.0));
    assert_eq!(shortfall("quantity.construction_land"), None, "cap 100");
    // 5 % of 100 m² is 5 m²; 6 m² kept.
    assert!(close(shortfall("quantity.reserve_quota").unwrap(), 1.0));
    assert!(report.skipped.is_empty(), "{:?}", report.skipped);
}

#[test]
fn codes_attributes_and_slivers() {
    let rows = vec![
        (rect(0.0, 0.0, 10.0, 10.0), "B1", "9999", "水田"),
        (rect(10.0, 0.0, 10.0, 5.0), "B1", "0103", "水田"),
        (rect(10.0, 5.0, 10.0, 5.0), "B3", "0702", ""),
    ];
    let villages = layer(
        "villages",
        LayerRole::Village,
        &["XZQDM", "XZQMC"],
        vec![(rect(0.0, 0.0, 20.0, 10.0), vec!["53092110020", "河平村"])],
    );
    let p = project_with(vec![dltb(rows), villages]);
    let report = run(
        &p,
        &[
            "codes.dltb",
            "attributes.dltb_required",
            "attributes.bsm_unique",
            "attributes.village_code",
            "sliver.dltb",
        ],
    );
    let of = |id: &str| -> Vec<&CheckResult> {
        report.results.iter().filter(|r| r.rule_id == id).collect()
    };
    let codes = of("codes.dltb");
    assert_eq!(codes.len(), 2, "{codes:#?}");
    assert!(
        codes
            .iter()
            .any(|r| r.feature_ids == [1] && r.message_en.contains("9999"))
    );
    assert!(
        codes
            .iter()
            .any(|r| r.feature_ids == [2] && r.message_en.contains("旱地"))
    );
    let required = of("attributes.dltb_required");
    assert_eq!(required.len(), 1);
    assert!(required[0].message_en.contains("DLMC"));
    let unique = of("attributes.bsm_unique");
    assert_eq!(unique.len(), 1);
    assert_eq!(unique[0].feature_ids, vec![1, 2]);
    assert_eq!(of("attributes.village_code").len(), 1);
    // 0103 needs 400 m², 0702 200 m²: all three 50–100 m² parcels are slivers; 9999 has no
    // threshold.
    let slivers = of("sliver.dltb");
    assert_eq!(slivers.len(), 2);
    assert!(slivers.iter().all(|r| close(r.area_m2.unwrap(), 50.0)));
}

#[test]
fn exceptions_survive_a_rerun_and_a_save_load_round_trip() {
    let mut rows = tiled();
    rows[1].0 = rect(7.0, 0.0, 10.0, 10.0);
    let mut p = project_with(vec![dltb(rows), village_layer()]);
    let first = run(&p, &["topology.overlap"]);
    assert_eq!(first.blocking_count(), 1);
    accept_exception(&mut p.settings, &first.results[0], "经批准的重大项目用地").unwrap();
    assert!(accept_exception(&mut p.settings, &first.results[0], "  ").is_err());

    let again = run(&p, &["topology.overlap"]);
    assert_eq!(again.results.len(), 1);
    assert_eq!(
        again.results[0].exception.as_deref(),
        Some("经批准的重大项目用地")
    );
    assert_eq!(again.blocking_count(), 0);

    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("fixture.gpkg");
    villageplan::io::save_project(&p, &path, &Silent).unwrap();
    let loaded = villageplan::io::load_project(&path, &Silent).unwrap();
    let after = run(&loaded, &["topology.overlap"]);
    assert_eq!(after.results[0].key, first.results[0].key);
    assert_eq!(after.blocking_count(), 0);
    let mut exceptions = Exceptions::from_settings(&loaded.settings).unwrap();
    assert!(exceptions.withdraw(&first.results[0].key));
    let mut withdrawn = loaded.clone();
    exceptions.store(&mut withdrawn.settings);
    assert_eq!(run(&withdrawn, &["topology.overlap"]).blocking_count(), 1);
}

/// A 3 × 3 km grid of 100 m parcels; returns the project.
fn grid_project() -> Project {
    let mut rows = Vec::new();
    let mut names = Vec::new();
    for i in 0..30 {
        for j in 0..30 {
            names.push(format!("G{i:02}{j:02}"));
            rows.push(rect(i as f64 * 100.0, j as f64 * 100.0, 100.0, 100.0));
        }
    }
    let z = zldwdm();
    let rows: Vec<(Geometry, Vec<&str>)> = rows
        .into_iter()
        .zip(&names)
        .map(|(g, n)| (g, vec![n.as_str(), "0103", "旱地", z.as_str()]))
        .collect();
    let dltb = layer("dltb", LayerRole::CurrentLandUse, DLTB_FIELDS, rows);
    let villages = layer(
        "villages",
        LayerRole::Village,
        &["XZQDM", "XZQMC"],
        vec![
            (rect(0.0, 0.0, 1500.0, 3000.0), vec![VILLAGE, "河平村"]),
            (
                rect(1500.0, 0.0, 1500.0, 3000.0),
                vec!["530921100202", "牌坊村"],
            ),
        ],
    );
    project_with(vec![dltb, villages])
}

fn moved(project: &Project, feature: usize, dx: f64) -> Project {
    let mut p = project.clone();
    let layer = &p.layers[0];
    let mut features = layer.features().to_vec();
    let g = features[feature].geometry.as_mut().unwrap();
    use geo::Translate;
    g.translate_mut(dx, 0.0);
    p.layers[0] = std::sync::Arc::new(Layer::new(
        layer.id.clone(),
        layer.name.clone(),
        layer.role,
        layer.fields().to_vec(),
        features,
    ));
    p
}

#[test]
fn a_window_recheck_after_an_edit_equals_a_full_run() {
    let ids = ["topology.overlap", "topology.gap.dltb", "geometry.valid"];
    let rules = only(&ids);
    let before = grid_project();
    let mut report = run_checks(&before, &rules, &CheckScope::All, &Silent).unwrap();
    assert!(report.results.is_empty());

    // Edit: parcel (5, 5) moves 30 m right — a 30 × 100 overlap with its right neighbour
    // and a 30 × 100 gap on its left.
    let edited = moved(&before, 5 * 30 + 5, 30.0);
    let edit_box = Rect::new(
        Coord {
            x: X0 + 500.0,
            y: Y0 + 500.0,
        },
        Coord {
            x: X0 + 630.0,
            y: Y0 + 600.0,
        },
    );
    let scope = CheckScope::Window(edit_box);
    let partial = run_checks(&edited, &rules, &scope, &Silent).unwrap();
    report.merge(&scope, partial);
    let full = run_checks(&edited, &rules, &CheckScope::All, &Silent).unwrap();
    assert_eq!(report.results, full.results);
    let areas: BTreeSet<(String, i64)> = full
        .results
        .iter()
        .map(|r| (r.rule_id.clone(), r.area_m2.unwrap().round() as i64))
        .collect();
    assert_eq!(
        areas,
        BTreeSet::from([
            ("topology.gap.dltb".to_string(), 3000),
            ("topology.overlap".to_string(), 3000)
        ])
    );

    // Moving it back and re-checking the same window clears both.
    let scope = CheckScope::Window(edit_box);
    report.merge(
        &scope,
        run_checks(&before, &rules, &scope, &Silent).unwrap(),
    );
    assert!(report.results.is_empty(), "{:#?}", report.results);
}

#[test]
fn a_village_run_reports_only_that_village() {
    let ids = ["topology.overlap", "area.balance"];
    let edited = moved(&grid_project(), 25 * 30 + 5, 30.0);
    let all = run(&edited, &ids);
    assert!(all.results.iter().any(|r| r.rule_id == "topology.overlap"));
    let mine = run_checks(
        &edited,
        &only(&ids),
        &CheckScope::Village(VILLAGE.into()),
        &Silent,
    )
    .unwrap();
    assert!(
        mine.results
            .iter()
            .all(|r| r.village.as_ref().unwrap().code == VILLAGE)
    );
    let other = run_checks(
        &edited,
        &only(&ids),
        &CheckScope::Village("530921100202".into()),
        &Silent,
    )
    .unwrap();
    assert!(
        other
            .results
            .iter()
            .any(|r| r.rule_id == "topology.overlap")
    );
    assert!(
        run_checks(
            &edited,
            &only(&ids),
            &CheckScope::Village("000".into()),
            &Silent
        )
        .is_err()
    );
}

#[test]
fn project_rules_are_saved_and_applied() {
    let mut rows = tiled();
    rows[1].0 = rect(7.0, 0.0, 10.0, 10.0);
    let mut p = project_with(vec![dltb(rows), village_layer()]);
    assert!(set_project_rules(&mut p.settings, Some("[[rule]]\nid = 1")).is_err());
    set_project_rules(
        &mut p.settings,
        Some("[[override]]\nid = \"topology.overlap\"\nseverity = \"warning\"\n"),
    )
    .unwrap();
    let rules = RuleSet::for_project(&p.settings).unwrap();
    let report = run_checks(&p, &rules, &CheckScope::All, &Silent).unwrap();
    let overlap = report
        .results
        .iter()
        .find(|r| r.rule_id == "topology.overlap")
        .unwrap();
    assert!(!overlap.is_blocking());
}

#[test]
fn cli_exit_codes_and_formats() {
    let dir = tempfile::tempdir().unwrap();
    let clean = dir.path().join("clean.gpkg");
    villageplan::io::save_project(
        &project_with(vec![dltb(tiled()), village_layer()]),
        &clean,
        &Silent,
    )
    .unwrap();
    let mut rows = tiled();
    rows[1].0 = rect(7.0, 0.0, 10.0, 10.0);
    let broken = dir.path().join("broken.gpkg");
    villageplan::io::save_project(
        &project_with(vec![dltb(rows), village_layer()]),
        &broken,
        &Silent,
    )
    .unwrap();
    let no_slivers = dir.path().join("rules.toml");
    std::fs::write(
        &no_slivers,
        "[[override]]\nid = \"sliver.dltb\"\nenabled = false\n",
    )
    .unwrap();
    let rules = no_slivers.to_str().unwrap();

    let (code, out, err) = villageplan(&["check", clean.to_str().unwrap(), "--rules", rules]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(!err.contains("timing"), "{err}");
    let (code, _, err) = villageplan(&[
        "check",
        clean.to_str().unwrap(),
        "--rules",
        rules,
        "--timings",
    ]);
    assert_eq!(code, 0);
    let timed: Vec<&str> = err
        .lines()
        .filter_map(|l| l.strip_prefix("timing "))
        .filter_map(|l| l.split_once(' '))
        .filter(|(s, _)| s.parse::<f64>().is_ok())
        .map(|(_, what)| what)
        .collect();
    assert_eq!(timed.first(), Some(&"load"), "{err}");
    assert_eq!(timed.last(), Some(&"rules"), "{err}");
    assert!(
        timed.contains(&"geometry.valid") && !timed.contains(&"sliver.dltb"),
        "{err}"
    );
    let (code, out, _) = villageplan(&["check", broken.to_str().unwrap(), "--rules", rules]);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("topology.overlap") && out.contains("30.00"),
        "{out}"
    );

    let (code, out, _) = villageplan(&[
        "check",
        broken.to_str().unwrap(),
        "--rules",
        rules,
        "--format",
        "json",
    ]);
    assert_eq!(code, 1);
    let json: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(json["blocking_errors"], 2, "overlap and area balance");

    let geojson_path = dir.path().join("results.geojson");
    let (code, _, _) = villageplan(&[
        "check",
        broken.to_str().unwrap(),
        "--rules",
        rules,
        "--format",
        "geojson",
        "--out",
        geojson_path.to_str().unwrap(),
    ]);
    assert_eq!(code, 1);
    let fc: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&geojson_path).unwrap()).unwrap();
    let overlap = fc["features"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["properties"]["rule_id"] == "topology.overlap")
        .unwrap();
    let lon = overlap["geometry"]["coordinates"][0][0][0][0]
        .as_f64()
        .unwrap();
    assert!((98.0..100.0).contains(&lon), "RFC 7946 lon/lat: {lon}");

    let (code, out, _) = villageplan(&["check", broken.to_str().unwrap(), "--format", "csv"]);
    assert_eq!(code, 1);
    assert!(out.lines().next().unwrap().starts_with("severity,rule_id"));

    let (code, _, err) = villageplan(&["check", "/no/such/project.gpkg"]);
    assert_eq!(code, 2);
    assert!(err.contains("/no/such/project.gpkg"), "{err}");
    let (code, _, err) = villageplan(&[
        "check",
        clean.to_str().unwrap(),
        "--rules",
        "/no/rules.toml",
    ]);
    assert_eq!(code, 2, "{err}");
}

#[test]
fn the_sample_projects_deliberate_conflicts_are_all_found() {
    let path =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-maps/fengqing/fengqing.gpkg");
    let project = villageplan::io::load_project(&path, &Silent).unwrap();
    let rules = RuleSet::for_project(&project.settings).unwrap();
    let report = run_checks(&project, &rules, &CheckScope::All, &Silent).unwrap();
    let expectations = &project.settings.extra["sample_expectations"];
    for (list, rule) in [
        (
            "red_line_settlement_conflicts",
            "lines.current_construction_in_red_line",
        ),
        (
            "farmland_construction_conflicts",
            "lines.current_construction_in_farmland",
        ),
    ] {
        let expected = expectations[list].as_array().unwrap();
        assert!(!expected.is_empty(), "{list}");
        for e in expected {
            let bsm = e["BSM"].as_str().unwrap();
            let hit = report
                .results
                .iter()
                .find(|r| r.rule_id == rule && r.bsms == [bsm])
                .unwrap_or_else(|| panic!("{list}: {bsm} not found by {rule}"));
            // The conflict parcels lie wholly in the zone.
            let dltb = project.layer_by_role(LayerRole::CurrentLandUse).unwrap();
            let parcel = dltb
                .features()
                .iter()
                .position(|f| f.id == hit.feature_ids[0])
                .unwrap();
            let full = dltb.features()[parcel]
                .geometry
                .as_ref()
                .unwrap()
                .unsigned_area();
            assert!((hit.area_m2.unwrap() - full).abs() < 1e-3 * full);
            assert_eq!(
                hit.village.as_ref().unwrap().code,
                e["XZQDM"].as_str().unwrap()
            );
        }
    }
    // The village whose planned construction land grows on purpose is found, by its code.
    let grows: Vec<&str> = expectations["planned_construction_growth"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["XZQDM"].as_str().unwrap())
        .collect();
    assert_eq!(grows.len(), 1);
    let deliberate = |r: &&CheckResult| {
        r.rule_id == "quantity.construction_land"
            && r.village
                .as_ref()
                .is_some_and(|v| grows.contains(&v.code.as_str()))
    };
    assert_eq!(report.results.iter().filter(deliberate).count(), 1);
    // The near-term project placed on 永久基本农田 on purpose is found, with its overlap.
    let projects = expectations["project_farmland_conflicts"]
        .as_array()
        .unwrap();
    assert_eq!(projects.len(), 1);
    let on_farmland = |r: &&CheckResult| r.rule_id == "lines.project_in_farmland";
    let found: Vec<_> = report.results.iter().filter(on_farmland).collect();
    assert_eq!(found.len(), 1, "{found:#?}");
    let expected = &projects[0];
    assert_eq!(
        found[0].feature_ids,
        [expected["feature_id"].as_i64().unwrap()]
    );
    assert_eq!(
        found[0].village.as_ref().unwrap().code,
        expected["XZQDM"].as_str().unwrap()
    );
    let overlap = found[0].area_m2.unwrap();
    let recorded = expected["area_m2"].as_f64().unwrap();
    assert!(
        (overlap - recorded).abs() < 0.01,
        "overlap {overlap} m² vs the recorded {recorded} m²"
    );
    // The sample tiles exactly: no topology or attribute errors, nothing blocking but the
    // deliberate plan problems.
    let blocking: Vec<_> = report
        .results
        .iter()
        .filter(|r| r.is_blocking() && !deliberate(r) && !on_farmland(r))
        .collect();
    assert_eq!(
        blocking.len(),
        0,
        "{:#?}",
        blocking.iter().take(5).collect::<Vec<_>>()
    );
}
