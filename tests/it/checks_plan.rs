//! 质检 of the plan's own layers (issue 12 §4): 近期建设项目 against the lines (polygon and
//! point), 现状 total = 规划 total, planned 永久基本农田 against the base year, the quantity
//! rules reading the plan and the 田坎 deduction, and the facility type codes — each on a
//! hand-built fixture whose answer is known.
//!
//! The fixtures sit on the central meridian of EPSG:4542 (x = 500 000), where the
//! Gauss-Kruger scale factor is 1: a rule measuring on the ellipsoid (the quantity rules
//! and the plan balance, by default) gives the planar area to within a few 10⁻⁶ m² for
//! these 10-metre squares — pyproj's geodesic area of the 10 × 10 square at the origin is
//! 100.0000027 m². Such values are compared to 10⁻⁴ m²; planar ones exactly.

use crate::checks::{
    M2_PER_MU, VILLAGE, X0, Y0, close, dltb, layer, planned, project_with, rect, run,
    village_layer, zone,
};

use geo::{Area, Geometry, Point};
use villageplan::analysis::checks::{Targets, VillageTargets};
use villageplan::{LayerRole, Project};

fn point(x: f64, y: f64) -> Geometry {
    Geometry::Point(Point::new(X0 + x, Y0 + y))
}

/// Ellipsoidal values on these fixtures: within 10⁻⁴ m² of the planar answer.
fn near(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-4
}

fn projects(rows: Vec<(Geometry, &str)>) -> villageplan::Layer {
    layer(
        "jqjsxm",
        LayerRole::ConstructionProject,
        &["XMLX", "XMMC"],
        rows.into_iter()
            .map(|(g, name)| (g, vec!["基础设施", name]))
            .collect(),
    )
}

#[test]
fn a_project_half_on_farmland_reports_the_exact_overlap() {
    // The project 0..10 × 0..10; the farmland starts at x = 5: a 5 × 10 overlap.
    let p = project_with(vec![
        projects(vec![(rect(0.0, 0.0, 10.0, 10.0), "村道硬化")]),
        zone(
            "farm",
            LayerRole::PermanentFarmland,
            rect(5.0, -5.0, 20.0, 20.0),
        ),
        zone(
            "red",
            LayerRole::EcologicalRedLine,
            rect(12.0, 0.0, 8.0, 10.0),
        ),
        village_layer(),
    ]);
    let report = run(
        &p,
        &["lines.project_in_farmland", "lines.project_in_red_line"],
    );
    assert_eq!(report.results.len(), 1, "{:#?}", report.results);
    let r = &report.results[0];
    assert_eq!(r.rule_id, "lines.project_in_farmland");
    assert_eq!(r.area_m2, Some(50.0));
    assert!(close(r.area_mu().unwrap(), 50.0 / M2_PER_MU));
    assert_eq!(r.geometry.as_ref().unwrap().unsigned_area(), 50.0);
    let bbox = r.bbox().unwrap();
    assert_eq!((bbox.min().x - X0, bbox.max().x - X0), (5.0, 10.0));
    assert_eq!(r.feature_ids, vec![1]);
    assert_eq!(r.village.as_ref().unwrap().code, VILLAGE);
    assert_eq!(r.key, "lines.project_in_farmland|jqjsxm|fid:1|farm:1");
    assert!(r.message_zh.contains("村道硬化") && r.message_zh.contains("50.00 平方米"));
    assert!(r.is_blocking());
}

#[test]
fn a_point_project_inside_the_red_line_is_found_at_its_point() {
    let p = project_with(vec![
        projects(vec![
            (point(3.0, 4.0), "污水处理站"),
            (point(15.0, 4.0), "公厕"),
        ]),
        zone(
            "red",
            LayerRole::EcologicalRedLine,
            rect(0.0, 0.0, 10.0, 10.0),
        ),
        zone(
            "farm",
            LayerRole::PermanentFarmland,
            rect(12.0, 0.0, 8.0, 10.0),
        ),
        village_layer(),
    ]);
    let report = run(&p, &["lines.project_in_red_line"]);
    assert_eq!(report.results.len(), 1, "{:#?}", report.results);
    let r = &report.results[0];
    assert_eq!(r.geometry, Some(point(3.0, 4.0)));
    assert_eq!(r.area_m2, None, "a point has no area");
    assert_eq!(r.feature_ids, vec![1]);
    assert_eq!(r.village.as_ref().unwrap().code, VILLAGE);
    assert!(r.message_zh.contains("污水处理站"), "{}", r.message_zh);
    let report = run(&p, &["lines.project_in_farmland"]);
    assert_eq!(report.results.len(), 1);
    assert_eq!(report.results[0].geometry, Some(point(15.0, 4.0)));
    assert_eq!(report.results[0].feature_ids, vec![2]);
}

/// The fixture village (0..20 × 0..10) tiled by two 三调 parcels, plus a second village
/// (20..40) with 三调 parcels and no plan.
fn two_villages(planned_parcels: Option<villageplan::Layer>) -> Project {
    let second = "530921100202";
    let z2 = format!("{second}0000000");
    let mut current = dltb(vec![
        (rect(0.0, 0.0, 10.0, 10.0), "B1", "0103", "旱地"),
        (rect(10.0, 0.0, 10.0, 10.0), "B2", "0301", "乔木林地"),
    ]);
    let mut features = current.features().to_vec();
    let mut other = features[1].clone();
    other.id = 3;
    other.geometry = Some(rect(20.0, 0.0, 20.0, 10.0));
    other.attributes[0] = villageplan::AttrValue::text("B3");
    other.attributes[3] = villageplan::AttrValue::text(z2);
    features.push(other);
    current = villageplan::Layer::new(
        current.id.clone(),
        current.name.clone(),
        current.role,
        current.fields().to_vec(),
        features,
    );
    let villages = layer(
        "villages",
        LayerRole::Village,
        &["XZQDM", "XZQMC"],
        vec![
            (rect(0.0, 0.0, 20.0, 10.0), vec![VILLAGE, "河平村"]),
            (rect(20.0, 0.0, 20.0, 10.0), vec![second, "牌坊村"]),
        ],
    );
    project_with(
        [Some(current), planned_parcels, Some(villages)]
            .into_iter()
            .flatten()
            .collect(),
    )
}

#[test]
fn the_planned_total_must_equal_the_current_total() {
    // 1 %: the second planned parcel is 0.2 m wider than the village (202 m² against 200).
    let p = two_villages(Some(planned(vec![
        (rect(0.0, 0.0, 10.0, 10.0), "0103", "旱地"),
        (rect(10.0, 0.0, 10.2, 10.0), "0301", "乔木林地"),
    ])));
    let report = run(&p, &["area.plan_balance"]);
    assert_eq!(report.results.len(), 1, "{:#?}", report.results);
    let r = &report.results[0];
    assert!(near(r.area_m2.unwrap(), 2.0), "{:?}", r.area_m2);
    assert_eq!(
        r.village.as_ref().unwrap().code,
        VILLAGE,
        "牌坊村 has no plan"
    );
    assert!(r.message_zh.contains("+1.000%"), "{}", r.message_zh);
    assert!(r.message_zh.contains("椭球面积"), "{}", r.message_zh);
    assert!(r.message_en.contains("ellipsoidal"), "{}", r.message_en);

    // 0.05 %: 0.01 m wider (200.1 m²) is inside the ±0.1 %.
    let p = two_villages(Some(planned(vec![
        (rect(0.0, 0.0, 10.0, 10.0), "0103", "旱地"),
        (rect(10.0, 0.0, 10.01, 10.0), "0301", "乔木林地"),
    ])));
    let report = run(&p, &["area.plan_balance"]);
    assert!(report.results.is_empty(), "{:#?}", report.results);

    // Without any planned layer the rule says why it did not run.
    let p = two_villages(None);
    let report = run(&p, &["area.plan_balance"]);
    assert!(report.results.is_empty());
    assert!(
        report.skipped[0].reason_en.contains("Planned land use"),
        "{:?}",
        report.skipped
    );
}

#[test]
fn planned_farmland_smaller_than_the_base_year_is_flagged() {
    // The line covers 0..10 × 0..10. Base year: 耕地 on 0..10 × 0..8, a legacy house on
    // 0..10 × 8..10 (in the line, not 耕地: counted in neither year).
    let current = dltb(vec![
        (rect(0.0, 0.0, 10.0, 8.0), "B1", "0103", "旱地"),
        (rect(0.0, 8.0, 10.0, 2.0), "B2", "0702", "农村宅基地"),
        (rect(10.0, 0.0, 10.0, 10.0), "B3", "0301", "乔木林地"),
    ]);
    let farm = || {
        zone(
            "farm",
            LayerRole::PermanentFarmland,
            rect(0.0, 0.0, 10.0, 10.0),
        )
    };
    // The plan builds houses on 4 × 8 of the farmland and keeps the legacy house.
    let ghdltb = planned(vec![
        (rect(0.0, 0.0, 6.0, 8.0), "0103", "旱地"),
        (rect(6.0, 0.0, 4.0, 8.0), "0703", "农村宅基地"),
        (rect(0.0, 8.0, 10.0, 2.0), "0703", "农村宅基地"),
        (rect(10.0, 0.0, 10.0, 10.0), "0301", "乔木林地"),
    ]);
    let p = project_with(vec![current.clone(), ghdltb, farm(), village_layer()]);
    let report = run(&p, &["quantity.planned_farmland"]);
    assert_eq!(report.results.len(), 1, "{:#?}", report.results);
    let r = &report.results[0];
    // 80 m² of 耕地 in the line in the base year, 48 m² planned.
    assert!(near(r.area_m2.unwrap(), 32.0), "{:?}", r.area_m2);
    assert!(
        r.message_zh.contains("椭球面积") && r.message_zh.contains("不扣除田坎"),
        "{}",
        r.message_zh
    );
    assert!(report.skipped.is_empty(), "{:?}", report.skipped);

    // An orchard on the farmland reduces it too (§2.3); returning the house to 耕地 does
    // not make up for it here: 6 × 8 orchard − 10 × 2 restored = −28 m².
    let ghdltb = planned(vec![
        (rect(0.0, 0.0, 6.0, 8.0), "0201", "果园"),
        (rect(6.0, 0.0, 4.0, 8.0), "0103", "旱地"),
        (rect(0.0, 8.0, 10.0, 2.0), "0103", "旱地"),
        (rect(10.0, 0.0, 10.0, 10.0), "0301", "乔木林地"),
    ]);
    let p = project_with(vec![current.clone(), ghdltb, farm(), village_layer()]);
    let report = run(&p, &["quantity.planned_farmland"]);
    assert_eq!(report.results.len(), 1, "{:#?}", report.results);
    assert!(near(report.results[0].area_m2.unwrap(), 28.0));

    // A plan that keeps the 耕地 and restores the house's plot raises it: no result.
    let ghdltb = planned(vec![
        (rect(0.0, 0.0, 10.0, 10.0), "0103", "旱地"),
        (rect(10.0, 0.0, 10.0, 10.0), "0301", "乔木林地"),
    ]);
    let p = project_with(vec![current, ghdltb, farm(), village_layer()]);
    assert!(run(&p, &["quantity.planned_farmland"]).results.is_empty());
}

/// A layer of one 耕地 parcel covering the fixture village's left half, with deduction
/// fields `fields` = values.
fn cultivated(role: LayerRole, fields: &[&str], values: &[&str]) -> villageplan::Layer {
    let mut names = vec!["BSM", "DLBM", "GHDLBM", "ZLDWDM"];
    names.extend_from_slice(fields);
    let z = format!("{VILLAGE}0000000");
    let mut row = vec!["B1", "0103", "0103", Box::leak(z.into_boxed_str()) as &str];
    row.extend_from_slice(values);
    layer(
        "parcels",
        role,
        &names,
        vec![(rect(0.0, 0.0, 10.0, 10.0), row)],
    )
}

/// Counted 耕地 (m²) of the fixture village, read back from the shortfall against a
/// target of 1000 m².
fn counted_cultivated_land(parcels: villageplan::Layer) -> f64 {
    let mut p = project_with(vec![parcels, village_layer()]);
    let mut targets = Targets::default();
    targets.by_village.insert(
        VILLAGE.into(),
        VillageTargets {
            cultivated_land_m2: Some(1000.0),
            ..VillageTargets::default()
        },
    );
    targets.store(&mut p.settings);
    let report = run(&p, &["quantity.cultivated_land"]);
    assert_eq!(report.results.len(), 1, "{:#?}", report.results);
    1000.0 - report.results[0].area_m2.unwrap()
}

#[test]
fn a_deduction_of_fifteen_hundredths_reduces_counted_cultivated_land_by_exactly_15_percent() {
    for role in [LayerRole::PlannedLandUse, LayerRole::CurrentLandUse] {
        let gross = counted_cultivated_land(cultivated(role, &[], &[]));
        assert!(near(gross, 100.0), "{role:?}: {gross}");
        let net = counted_cultivated_land(cultivated(role, &["KCXS"], &["0.15"]));
        assert!(
            (net / gross - 0.85).abs() < 1e-12,
            "{role:?}: {net} / {gross}"
        );
        // KCMJ / TBMJ wins over KCXS: 20 of 100.
        let by_area = counted_cultivated_land(cultivated(
            role,
            &["KCXS", "TBMJ", "KCMJ"],
            &["0.15", "100", "20"],
        ));
        assert!((by_area / gross - 0.8).abs() < 1e-12, "{role:?}: {by_area}");
    }
    // The message says which basis and which deduction rule held.
    let mut p = project_with(vec![
        cultivated(LayerRole::PlannedLandUse, &["KCXS"], &["0.15"]),
        village_layer(),
    ]);
    let mut targets = Targets::default();
    targets.by_village.insert(
        VILLAGE.into(),
        VillageTargets {
            cultivated_land_m2: Some(90.0),
            ..VillageTargets::default()
        },
    );
    targets.store(&mut p.settings);
    let report = run(&p, &["quantity.cultivated_land"]);
    let r = &report.results[0];
    assert!(near(r.area_m2.unwrap(), 5.0), "{:?}", r.area_m2);
    assert!(
        r.message_zh.contains("规划耕地")
            && r.message_zh.contains("椭球面积")
            && r.message_zh.contains("扣除系数 KCXS"),
        "{}",
        r.message_zh
    );
}

#[test]
fn construction_land_compares_both_years_in_the_same_classification() {
    // Base year: 农村道路 1006 (农用地 in 三调, 0601 in 用地用海), 空闲地 1201 (2301, counted as
    // 村庄建设用地), 旱地. The plan keeps the road, builds on the idle plot and on 2 × 10 of
    // the 旱地: only those 20 m² are new construction land.
    let current = dltb(vec![
        (rect(0.0, 0.0, 5.0, 10.0), "B1", "1006", "农村道路"),
        (rect(5.0, 0.0, 5.0, 10.0), "B2", "1201", "空闲地"),
        (rect(10.0, 0.0, 10.0, 10.0), "B3", "0103", "旱地"),
    ]);
    let ghdltb = planned(vec![
        (rect(0.0, 0.0, 5.0, 10.0), "060101", "村道用地"),
        (rect(5.0, 0.0, 5.0, 10.0), "0703", "农村宅基地"),
        (rect(10.0, 0.0, 2.0, 10.0), "0703", "农村宅基地"),
        (rect(12.0, 0.0, 8.0, 10.0), "0103", "旱地"),
    ]);
    let p = project_with(vec![current, ghdltb, village_layer()]);
    let report = run(&p, &["quantity.construction_land"]);
    assert_eq!(report.results.len(), 1, "{:#?}", report.results);
    let r = &report.results[0];
    assert!(near(r.area_m2.unwrap(), 20.0), "{:?}", r.area_m2);
    assert!(
        r.message_zh.contains("超过现状村域建设用地"),
        "{}",
        r.message_zh
    );
}

#[test]
fn an_unknown_facility_code_is_a_code_error() {
    let current = layer(
        "ggjcssd",
        LayerRole::PublicFacility,
        &["SSLXDM", "SSLXMC"],
        vec![
            (point(1.0, 1.0), vec!["01", "村委会"]),
            (point(2.0, 1.0), vec!["30", "村委会"]),
            (point(3.0, 1.0), vec!["08", "中学"]),
        ],
    );
    let planned_points = layer(
        "ghggjcssd",
        LayerRole::PlannedFacility,
        &["GHSSLXDM", "GHSSLXMC"],
        vec![
            (point(1.0, 2.0), vec!["99", "其他"]),
            (point(2.0, 2.0), vec!["5", "健身场地"]),
        ],
    );
    let p = project_with(vec![current, planned_points, village_layer()]);
    let report = run(&p, &["codes.ggjcssd", "codes.ghggjcssd"]);
    let found: Vec<(&str, &[i64], &str)> = report
        .results
        .iter()
        .map(|r| (r.rule_id.as_str(), r.feature_ids.as_slice(), r.key.as_str()))
        .collect();
    assert_eq!(
        found,
        vec![
            (
                "codes.ggjcssd",
                &[2][..],
                "codes.ggjcssd|ggjcssd|fid:2|code"
            ),
            (
                "codes.ggjcssd",
                &[3][..],
                "codes.ggjcssd|ggjcssd|fid:3|name"
            ),
            (
                "codes.ghggjcssd",
                &[2][..],
                "codes.ghggjcssd|ghggjcssd|fid:2|code"
            ),
        ]
    );
    assert!(report.results[0].message_zh.contains("SSLXDM = 30"));
    assert!(report.results[1].message_zh.contains("小学"));
    assert_eq!(report.results[0].geometry, Some(point(2.0, 1.0)));
}
