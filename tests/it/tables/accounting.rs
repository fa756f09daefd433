//! Parcel accounting, row placement, rounding and the roll-ups on the fixture.

use std::collections::BTreeMap;

use proptest::prelude::*;
use villageplan::analysis::areas::{AreaBasis, DeductionRule};
use villageplan::analysis::tables::accounting::{ClassKey, ClassSum, ClassSums, ParcelAccounting};
use villageplan::analysis::tables::indicators::IndicatorValue;
use villageplan::analysis::tables::rows::{RowKind, StructureRows};
use villageplan::analysis::tables::structure::structure_table;
use villageplan::analysis::tables::{AreaUnit, Scope};

use super::*;

#[test]
fn a_kcxs_parcel_puts_85_percent_under_its_class_and_15_under_terraces() {
    let p = project();
    let accounting = ParcelAccounting::of(&p, AreaBasis::Planar).unwrap();
    let base = accounting.base.as_ref().unwrap();
    let v1 = &base.villages[V1];
    assert!((class_m2(v1, "0103") - 8_500.0).abs() < 1e-6);
    // 1203 holds parcel 1's 15 % and parcel 2's 20 %.
    assert!((class_m2(v1, "1203") - 3_500.0).abs() < 1e-6);
    assert_eq!(
        v1.parcels, 6,
        "parcel 5 has no ZLDWDM and is placed by location"
    );
    assert_eq!(base.rules[&DeductionRule::Coefficient], 1);
    assert_eq!(base.rules[&DeductionRule::AreaRatio], 1);
    assert_eq!(base.rules[&DeductionRule::None], 6);
    let target = accounting.target.as_ref().unwrap();
    assert!((class_m2(&target.villages[V1], "2303") - 3_500.0).abs() < 1e-6);
    assert!(
        base.notes.iter().any(|n| n.contains("1 个图斑没有村代码")),
        "{:?}",
        base.notes
    );
}

#[test]
fn kcmj_over_tbmj_wins_over_kcxs() {
    let p = project();
    let accounting = ParcelAccounting::of(&p, AreaBasis::Planar).unwrap();
    let v1 = &accounting.base.as_ref().unwrap().villages[V1];
    // Parcel 2 has KCXS 0.15 but KCMJ/TBMJ = 0.2: 8000 m² 水田.
    assert!((class_m2(v1, "0101") - 8_000.0).abs() < 1e-6);
}

#[test]
fn ellipsoidal_and_planar_bases() {
    let p = project();
    let ellipsoidal = ParcelAccounting::of(&p, AreaBasis::Ellipsoidal).unwrap();
    let e = class_m2(&ellipsoidal.base.as_ref().unwrap().villages[V1], "0103");
    assert!(
        (e - 0.85 * P1_PYPROJ_M2).abs() / (0.85 * P1_PYPROJ_M2) < 1e-5,
        "{e} vs pyproj {}",
        0.85 * P1_PYPROJ_M2
    );
    let planar = ParcelAccounting::of(&p, AreaBasis::Planar).unwrap();
    let pl = class_m2(&planar.base.as_ref().unwrap().villages[V1], "0103");
    assert!((pl - 8_500.0).abs() < 1e-9);
    assert!(e < pl, "50 km east of the CM the plane is larger");
    let t = tables(&p, AreaBasis::Planar, Scope::Village(V1.into()));
    assert!(t.basis_zh.starts_with("平面面积"), "{}", t.basis_zh);
    let t = tables(&p, AreaBasis::Ellipsoidal, Scope::Village(V1.into()));
    assert!(t.basis_zh.starts_with("椭球面积"), "{}", t.basis_zh);
}

#[test]
fn each_code_lands_in_its_row_and_the_planner_sees_every_undecided_class() {
    let p = project();
    let t = tables(&p, AreaBasis::Planar, Scope::Village(V1.into()));
    let s = &t.structure;
    assert!(s.has_target);
    assert_eq!(ha_base(s, "耕地"), "1.6500");
    assert_eq!(ha_base(s, "其他土地"), "0.3500", "田坎 2303 under 其他土地");
    assert_eq!(
        ha_base(s, "村庄内部道路用地"),
        "1.0000",
        "1207 outside towns"
    );
    assert_eq!(ha_base(s, "城镇用地"), "1.0000", "1004 with CZCSXM 202");
    assert_eq!(ha_base(s, "农业设施建设用地"), "1.0000", "1006 → 0601");
    assert_eq!(ha_base(s, "待细分（须规划确定）"), "1.0000", "0809 → 13");
    assert_eq!(ha_base(s, "总计"), "6.0000");
    assert_eq!(ha_target(s, "农业设施建设用地"), "1.0000", "060102 田间道");
    assert_eq!(ha_target(s, "城镇用地"), "1.0000", "0703 with SSBJLX = Z");
    assert_eq!(ha_target(s, "居住用地"), "0.0000");
    assert_eq!(ha_target(s, "公共管理与公共服务用地"), "1.0000");
    assert_eq!(ha_target(s, "待细分（须规划确定）"), "0.0000");
    assert_eq!(ha_target(s, "总计"), "6.0000");
    assert_eq!(
        line(s, "待细分（须规划确定）").change.unwrap().ha.text(),
        "-1.0000"
    );
    assert_eq!(line(s, "村庄建设用地").base.area.ha.text(), "1.0000");
    assert_eq!(
        line(s, "村庄建设用地").target.unwrap().area.ha.text(),
        "2.0000"
    );
    assert_eq!(line(s, "村域城乡建设用地").base.area.ha.text(), "2.0000");
    assert_eq!(line(s, "村域建设用地").change.unwrap().ha.text(), "1.0000");
    let listed: BTreeMap<&str, &str> = s
        .listed
        .iter()
        .map(|l| (l.code.as_str(), l.row.as_str()))
        .collect();
    assert_eq!(
        listed,
        BTreeMap::from([
            ("0809", "待细分（须规划确定）"),
            ("1006", "农业设施建设用地")
        ])
    );
    assert!(
        t.notes
            .iter()
            .any(|n| n.contains("0809") && n.contains("公用设施用地、区域基础设施用地")),
        "{:?}",
        t.notes
    );
    // 比重: 27.50 + four sixths + 5.83, the three missing hundredths to the first sixths.
    let shares: Vec<String> = [
        "耕地",
        "农业设施建设用地",
        "城镇用地",
        "村庄内部道路用地",
        "待细分（须规划确定）",
        "其他土地",
        "总计",
    ]
    .iter()
    .map(|n| line(s, n).base.share_percent.text())
    .collect();
    assert_eq!(
        shares,
        [
            "27.50", "16.67", "16.67", "16.67", "16.66", "5.83", "100.00"
        ]
    );
}

#[test]
fn the_total_is_the_village_area_on_the_basis() {
    let p = project();
    let t = tables(&p, AreaBasis::Ellipsoidal, Scope::Village(V1.into()));
    let total = t.structure.total().unwrap();
    assert!((t.village_area_m2 - V1_PYPROJ_M2).abs() / V1_PYPROJ_M2 < 1e-5);
    assert!((total.base.area.m2 - t.village_area_m2).abs() < 1e-6 * t.village_area_m2);
    assert_eq!(total.base.area.ha.text(), "5.9996");
    assert_eq!(total.target.unwrap().area.ha.text(), "5.9996");
    assert_eq!(total.base.area.mu.text(), "89.9944");
    let leaves: i64 = t
        .structure
        .lines
        .iter()
        .filter(|l| l.kind.is_leaf())
        .map(|l| l.base.area.ha.units)
        .sum();
    assert_eq!(leaves, total.base.area.ha.units);
}

/// pyproj's geodesic area (GRS 80) of the fixture's 永久基本农田, 200 m × 100 m, after PROJ
/// took it to EPSG:4490.
const FARMLAND_PYPROJ_M2: f64 = 19_998.760_603_495_874;

/// The line layers are intersected with the village in GEOS, which writes clockwise
/// rings: on the ellipsoid their area is still the ring's (it once was the rest of the
/// Earth, 5.1 × 10¹⁰ 公顷).
#[test]
fn the_lines_inside_a_village_on_the_ellipsoid() {
    let p = project();
    let t = tables(&p, AreaBasis::Ellipsoidal, Scope::Village(V1.into()));
    let farmland = t
        .indicators
        .lines
        .iter()
        .find(|l| l.name == "永久基本农田保护面积")
        .unwrap();
    let IndicatorValue::Area { area } = &farmland.base else {
        panic!("{:?}", farmland.base)
    };
    assert!(
        (area.m2 - FARMLAND_PYPROJ_M2).abs() / FARMLAND_PYPROJ_M2 < 1e-5,
        "{} vs pyproj {FARMLAND_PYPROJ_M2}",
        area.m2
    );
    assert_eq!(area.ha.text(), "1.9999");
}

#[test]
fn indicators_control_zones_survey_and_projects() {
    let p = project();
    let t = tables(&p, AreaBasis::Planar, Scope::Village(V1.into()));
    let ind = |name: &str| {
        let l = t.indicators.lines.iter().find(|l| l.name == name).unwrap();
        (
            l.base.text(AreaUnit::Hectare),
            l.target.text(AreaUnit::Hectare),
        )
    };
    assert_eq!(ind("村庄建设用地规模"), ("1.0000".into(), "2.0000".into()));
    assert_eq!(
        ind("人均村庄建设用地面积"),
        ("25.00".into(), "40.00".into())
    );
    assert_eq!(ind("生态保护红线面积"), ("0.5000".into(), "0.5000".into()));
    assert_eq!(
        ind("永久基本农田保护面积"),
        ("2.0000".into(), "2.0000".into())
    );
    assert_eq!(ind("耕地保有量"), ("1.6500".into(), "1.6500".into()));
    assert_eq!(ind("大陆自然海岸线保有率"), ("—".into(), "—".into()));
    assert_eq!(ind("自然和文化遗产"), ("1".into(), "1".into()));
    assert_eq!(t.indicators.lines.len(), 13);

    let zone = |code: &str| {
        let l = t.control.lines.iter().find(|l| l.code == code).unwrap();
        (l.area.ha.text(), l.share_percent.text())
    };
    assert_eq!(zone("0202").0, "2.0000");
    assert_eq!(zone("0201"), ("1.0000".into(), "16.67".into()));
    assert_eq!(zone("0400"), ("0.0000".into(), "0.00".into()));
    let total = t.control.lines.last().unwrap();
    assert_eq!(
        (
            total.name.as_str(),
            total.area.ha.text(),
            total.share_percent.text()
        ),
        ("合计", "6.0000".into(), "100.00".into())
    );

    let survey = &t.survey;
    assert_eq!(survey.rows.len(), 1);
    let col = |code: &str| survey.columns.iter().position(|c| c.code == code).unwrap();
    let row = &survey.rows[0];
    assert_eq!(row.total.ha.text(), "6.0000");
    assert_eq!(row.values[col("1203")].ha.text(), "0.3500");
    assert_eq!(row.values[col("0103")].ha.text(), "0.8500");
    assert_eq!(
        row.values[col("01")].ha.text(),
        "1.6500",
        "first-level = sum of its classes"
    );
    assert_eq!(row.values[col("12")].ha.text(), "0.3500");

    let projects = &t.projects;
    assert_eq!(
        projects.lines.len(),
        2,
        "the point project is placed by location"
    );
    assert_eq!(
        projects.lines[0].land.unwrap().ha.text(),
        "1.0000",
        "computed from the polygon"
    );
    assert_eq!(projects.lines[1].land.unwrap().ha.text(), "0.5000", "YDMJ");
    assert_eq!(projects.total_land.ha.text(), "1.5000");
    assert_eq!(projects.total_investment.text(), "200.50");
}

#[test]
fn townships_and_the_county_are_summed_from_square_metres() {
    let p = project();
    let t = tables(&p, AreaBasis::Planar, Scope::Township("530921103".into()));
    assert_eq!(t.scope.name, "勐佑镇");
    assert_eq!(t.scope.villages.len(), 3);
    assert!(
        !t.structure.has_target,
        "only one of three villages has a plan"
    );
    assert!(t.structure.lines.iter().all(|l| l.target.is_none()));
    assert_eq!(ha_base(&t.structure, "总计"), "8.0000");
    assert_eq!(ha_base(&t.structure, "林地"), "1.0000");
    assert_eq!(
        ha_base(&t.structure, "未归类（编码无法归入表行）"),
        "1.0000",
        "9999"
    );
    assert!(
        t.notes.iter().any(|n| n.contains("河东村 (530921103203)")),
        "{:?}",
        t.notes
    );
    assert!(
        t.notes.iter().any(|n| n.contains("只有 1 个有规划")),
        "{:?}",
        t.notes
    );
    let survey: Vec<(&str, String)> = t
        .survey
        .rows
        .iter()
        .map(|r| (r.name.as_str(), r.total.ha.text()))
        .collect();
    assert_eq!(
        survey,
        [
            ("勐佑村", "6.0000".into()),
            ("中和村", "2.0000".into()),
            ("河东村", "0.0000".into()),
            ("勐佑镇", "8.0000".into())
        ]
    );
    assert_eq!(t.survey.unknown_codes.keys().collect::<Vec<_>>(), ["9999"]);
    let county = tables(&p, AreaBasis::Planar, Scope::County);
    assert_eq!(county.scope.code, "530921");
    assert_eq!(county.survey.rows.last().unwrap().total.ha.text(), "8.0000");
    assert_eq!(county.projects.lines.len(), 2);
    let indicators = county
        .indicators
        .lines
        .iter()
        .find(|l| l.name == "人均村庄建设用地面积")
        .unwrap();
    // 村庄建设用地 1 ha over 400 + 100 + 50 residents.
    assert_eq!(indicators.base.text(AreaUnit::Hectare), "18.18");
}

fn sums(areas: &[(String, bool, f64)]) -> ClassSums {
    let mut s = ClassSums::default();
    for (code, in_town, m2) in areas {
        let sum = s
            .classes
            .entry(ClassKey {
                code: code.clone(),
                in_town: *in_town,
            })
            .or_insert(ClassSum::default());
        sum.area_m2 += m2;
        sum.parcels += 1;
        s.parcels += 1;
    }
    s
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]
    /// Whatever the areas, the shown rows add up: leaves to the rounded total (both units),
    /// 小计 to their rows, 比重 to 100.00, 增减 to target − base.
    #[test]
    fn the_rounded_rows_always_add_up(
        base in prop::collection::vec((prop::sample::select(vec!["0101", "0103", "0301", "0702", "1004", "1006", "0809", "1203", "1001", "9999"]), any::<bool>(), 0.0f64..5.0e6), 1..25),
        target in prop::collection::vec((prop::sample::select(vec!["0101", "0301", "0703", "1207", "060102", "0801", "13", "2303", "1501"]), any::<bool>(), 0.0f64..5.0e6), 1..25),
    ) {
        let rows = StructureRows::bundled().unwrap();
        let own = |v: &Vec<(&str, bool, f64)>| v.iter().map(|(c, t, a)| (c.to_string(), *t, *a)).collect::<Vec<_>>();
        let t = structure_table(&rows, &sums(&own(&base)), Some(&sums(&own(&target))));
        let total = t.total().unwrap();
        let exact: f64 = base.iter().map(|b| b.2).sum();
        prop_assert_eq!(total.base.area.ha.units, (exact / 1e4 * 1e4).round() as i64);
        for year in [0, 1] {
            let cell = |l: &villageplan::analysis::tables::structure::StructureLine| if year == 0 { l.base } else { l.target.unwrap() };
            let leaves: Vec<_> = t.lines.iter().filter(|l| l.kind.is_leaf()).collect();
            prop_assert_eq!(leaves.iter().map(|l| cell(l).area.ha.units).sum::<i64>(), cell(total).area.ha.units);
            prop_assert_eq!(leaves.iter().map(|l| cell(l).area.mu.units).sum::<i64>(), cell(total).area.mu.units);
            let shares: i64 = leaves.iter().map(|l| cell(l).share_percent.units).sum();
            prop_assert!(shares == 10_000 || cell(total).area.m2 == 0.0, "shares {}", shares);
            for l in t.lines.iter().filter(|l| l.kind == RowKind::Subtotal) {
                let prefix = &l.label[..l.label.len() - 1];
                let members: i64 = leaves.iter().filter(|m| m.label.starts_with(prefix)).map(|m| cell(m).area.ha.units).sum();
                prop_assert_eq!(members, cell(l).area.ha.units);
            }
        }
        for l in &t.lines {
            prop_assert_eq!(l.change.unwrap().ha.units, l.target.unwrap().area.ha.units - l.base.area.ha.units);
        }
    }
}
