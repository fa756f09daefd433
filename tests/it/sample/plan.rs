//! The sample's 田坎 deduction and the synthetic plan of the demonstration villages, on a
//! freshly generated sample and on the committed one.

use std::collections::{BTreeMap, BTreeSet};

use geo::{Area, BooleanOps, Contains, Geometry, InteriorPoint, MultiPolygon};
use villageplan::analysis::areas::{AreaBasis, AreaMeasure};
use villageplan::geometry::as_multipolygon;
use villageplan::landuse::{CodeBook, Standard};
use villageplan::{AttrValue, Layer, LayerRole, Project};

use super::{committed, layer, sample, text};

/// The six villages of the demonstration zone (勐佑, 中和, 河东, 新林, 鱼塘, 习谦), by their
/// official codes.
const DEMONSTRATION: [&str; 6] = [
    "530921106201",
    "530921106213",
    "530921106212",
    "530921106203",
    "530921106202",
    "530921106204",
];

fn num(layer: &Layer, i: usize, field: &str) -> f64 {
    layer
        .value(i, field)
        .and_then(AttrValue::as_f64)
        .unwrap_or_else(|| panic!("{}: feature {i} has no number {field}", layer.id))
}

fn polygons(layer: &Layer, i: usize) -> MultiPolygon {
    layer.features()[i]
        .geometry
        .as_ref()
        .and_then(as_multipolygon)
        .unwrap_or_else(|| panic!("{}: feature {i} is not polygonal", layer.id))
}

fn ellipsoidal(project: &Project, layer: &Layer) -> Vec<f64> {
    AreaMeasure::new(AreaBasis::Ellipsoidal, project.crs)
        .layer_areas(layer)
        .expect("ellipsoidal areas")
}

fn assert_within(what: &str, a: f64, b: f64, tolerance: f64) {
    assert!((a - b).abs() <= tolerance, "{what}: {a} vs {b}");
}

/// The village polygon of each code.
fn villages(project: &Project) -> BTreeMap<String, MultiPolygon> {
    let villages = layer(project, "villages");
    (0..villages.features().len())
        .map(|i| (text(villages, i, "XZQDM"), polygons(villages, i)))
        .collect()
}

/// 用地用海 2023 村域建设用地 (docs/domain.md §6.1): 07–16 and 2301.
fn is_construction_land(code: &str) -> bool {
    let book = CodeBook::bundled();
    code.starts_with("2301")
        || book
            .level1(Standard::Ydyh2023, code)
            .is_some_and(|c| ("07".."17").contains(&c.code.as_str()))
}

/// The base parcel holding the interior point of planned parcel `i`.
fn base_parcel(dltb: &Layer, planned: &Layer, i: usize) -> usize {
    let p = polygons(planned, i)
        .interior_point()
        .expect("an interior point");
    dltb.index()
        .query(p.0.into(), p.0.into())
        .find(|&j| polygons(dltb, j).contains(&p))
        .unwrap_or_else(|| panic!("planned parcel {i} lies on no base parcel"))
}

fn assert_deduction(project: &Project) {
    let dltb = layer(project, "dltb");
    let areas = ellipsoidal(project, dltb);
    let kcxs_by_class = [0.0, 0.05, 0.10, 0.15, 0.20];
    let mut deducted = 0;
    for (i, ellipsoidal) in areas.iter().enumerate() {
        let (tbmj, kcxs) = (num(dltb, i, "TBMJ"), num(dltb, i, "KCXS"));
        let (kcmj, tbdlmj) = (num(dltb, i, "KCMJ"), num(dltb, i, "TBDLMJ"));
        assert_within(&format!("TBMJ of parcel {i}"), tbmj, *ellipsoidal, 0.01);
        assert_within(&format!("KCMJ of parcel {i}"), kcmj, tbmj * kcxs, 0.01);
        assert_within(&format!("TBDLMJ of parcel {i}"), tbdlmj, tbmj - kcmj, 0.01);
        let dlbm = text(dltb, i, "DLBM");
        if ["0101", "0102", "0103"].contains(&dlbm.as_str()) {
            let class: usize = text(dltb, i, "GDPDJB").parse().expect("GDPDJB 1–5");
            assert!((1..=5).contains(&class), "GDPDJB {class}");
            assert_eq!(kcxs, kcxs_by_class[class - 1], "KCXS of parcel {i}");
            assert_eq!(
                text(dltb, i, "KCDLBM"),
                if kcxs > 0.0 { "1203" } else { "" },
                "KCDLBM of parcel {i}"
            );
            deducted += usize::from(kcmj > 0.0);
        } else {
            assert_eq!((kcxs, kcmj), (0.0, 0.0), "{dlbm} deducts nothing");
            assert_eq!(text(dltb, i, "GDPDJB"), "");
        }
    }
    assert!(deducted > 10, "only {deducted} parcels deduct 田坎");
}

#[test]
fn cultivated_land_deducts_tian_kan_and_tbmj_is_ellipsoidal() {
    assert_deduction(sample());
    assert_deduction(committed());
}

/// Every planned parcel: tiling, SSBJLX, areas and deduction (see the test names).
fn assert_planned_parcels(project: &Project) {
    let dltb = layer(project, "dltb");
    let planned = layer(project, "ghdltb");
    assert_eq!(planned.role, LayerRole::PlannedLandUse);
    assert!(planned.name.contains("合成"));
    let villages = villages(project);
    let areas = ellipsoidal(project, planned);
    let mut by_village: BTreeMap<String, f64> = BTreeMap::new();
    let book = CodeBook::bundled();
    let bsm: BTreeSet<String> = (0..planned.features().len())
        .map(|i| text(planned, i, "BSM"))
        .collect();
    assert_eq!(bsm.len(), planned.features().len(), "BSM unique");
    assert_eq!(areas.len(), planned.features().len());
    for (i, ellipsoidal) in areas.iter().enumerate() {
        let code = text(planned, i, "CZDM");
        assert!(DEMONSTRATION.contains(&code.as_str()), "{code} planned");
        assert_eq!(text(planned, i, "ZLDWDM"), format!("{code}0000000"));
        let ghdlbm = text(planned, i, "GHDLBM");
        assert!(
            book.name_matches(Standard::Ydyh2023, &ghdlbm, &text(planned, i, "GHDLMC")),
            "{ghdlbm} / {}",
            text(planned, i, "GHDLMC")
        );
        *by_village.entry(code).or_default() += polygons(planned, i).unsigned_area();
        let base = base_parcel(dltb, planned, i);
        let town = matches!(text(dltb, base, "CZCSXM").as_str(), "201" | "202");
        assert_eq!(
            text(planned, i, "SSBJLX"),
            if town { "Z" } else { "" },
            "SSBJLX of {}",
            text(planned, i, "BSM")
        );
        let (ghdlmj, kcxs) = (num(planned, i, "GHDLMJ"), num(planned, i, "KCXS"));
        let (kcmj, tbdlmj) = (num(planned, i, "KCMJ"), num(planned, i, "TBDLMJ"));
        assert_within("GHDLMJ is ellipsoidal", ghdlmj, *ellipsoidal, 0.01);
        assert_within("KCMJ", kcmj, ghdlmj * kcxs, 0.01);
        assert_within("TBDLMJ", tbdlmj, ghdlmj - kcmj, 0.01);
        // 耕地 that stays 耕地 deducts what its base parcel deducts: no false 田坎 change.
        if ghdlbm.starts_with("01") && text(dltb, base, "DLBM").starts_with("01") {
            assert_eq!(kcxs, num(dltb, base, "KCXS"));
        }
        if !ghdlbm.starts_with("01") {
            assert_eq!(kcxs, 0.0, "{ghdlbm} deducts nothing");
        }
    }
    assert_eq!(
        by_village
            .keys()
            .map(String::as_str)
            .collect::<BTreeSet<_>>(),
        DEMONSTRATION.into_iter().collect::<BTreeSet<_>>(),
        "the six villages have a plan"
    );
    for (code, planned_area) in &by_village {
        let area = villages[code].unsigned_area();
        assert_within(
            &format!("planned parcels tile {code}"),
            *planned_area,
            area,
            0.01,
        );
    }
}

#[test]
fn the_planned_parcels_tile_the_six_villages_with_survey_areas() {
    assert_planned_parcels(sample());
    assert_planned_parcels(committed());
}

/// Σ base / planned 村域建设用地 (ellipsoidal: TBMJ, GHDLMJ) per village.
fn construction_land(project: &Project) -> BTreeMap<String, (f64, f64)> {
    let book = CodeBook::bundled();
    let dltb = layer(project, "dltb");
    let planned = layer(project, "ghdltb");
    let mut out: BTreeMap<String, (f64, f64)> = BTreeMap::new();
    for i in 0..dltb.features().len() {
        let code = text(dltb, i, "ZLDWDM")[..12].to_string();
        if !DEMONSTRATION.contains(&code.as_str()) {
            continue;
        }
        let dlbm = text(dltb, i, "DLBM");
        let ydyh = book
            .sandiao_to_ydyh2023(&dlbm)
            .unwrap_or_else(|| panic!("{dlbm} converts"));
        if is_construction_land(&ydyh.ydyh2023) {
            out.entry(code).or_default().0 += num(dltb, i, "TBMJ");
        }
    }
    for i in 0..planned.features().len() {
        if is_construction_land(&text(planned, i, "GHDLBM")) {
            out.entry(text(planned, i, "CZDM")).or_default().1 += num(planned, i, "GHDLMJ");
        }
    }
    out
}

fn assert_construction_land(project: &Project) {
    let e = &project.settings.extra["sample_expectations"];
    let growth = e["planned_construction_growth"].as_array().expect("list");
    assert_eq!(growth.len(), 1, "one village grows");
    let grows = growth[0]["XZQDM"].as_str().expect("XZQDM");
    let land = construction_land(project);
    for (code, (base, planned)) in &land {
        if code == grows {
            assert!(planned - base > 1_000.0, "{code}: {base} → {planned}");
            assert_within(
                "growth record",
                growth[0]["growth_m2"].as_f64().unwrap(),
                planned - base,
                0.01,
            );
            assert_within(
                "base record",
                growth[0]["base_m2"].as_f64().unwrap(),
                *base,
                0.01,
            );
        } else {
            assert!(
                planned <= base,
                "{code}: construction land grows {base} → {planned}"
            );
        }
    }
    // The changes the records list exist with their codes and areas.
    let planned = layer(project, "ghdltb");
    let by_bsm: BTreeMap<String, usize> = (0..planned.features().len())
        .map(|i| (text(planned, i, "BSM"), i))
        .collect();
    let mut kinds = BTreeSet::new();
    for v in e["planned_villages"].as_array().expect("list") {
        for c in v["changes"].as_array().expect("changes") {
            let i = by_bsm[c["BSM"].as_str().expect("BSM")];
            assert_eq!(text(planned, i, "GHDLBM"), c["GHDLBM"].as_str().unwrap());
            assert_eq!(num(planned, i, "GHDLMJ"), c["GHDLMJ"].as_f64().unwrap());
            kinds.insert(c["change"].as_str().unwrap().to_string());
        }
    }
    for kind in ["new_housing", "road", "reclaimed"] {
        assert!(
            kinds.contains(kind),
            "no {kind} change in the plan: {kinds:?}"
        );
    }
    let housing = growth[0]["new_housing_BSM"].as_array().expect("list");
    assert!(!housing.is_empty());
    for b in housing {
        assert_eq!(text(planned, by_bsm[b.as_str().unwrap()], "GHDLBM"), "0703");
    }
}

#[test]
fn construction_land_grows_only_in_the_deliberate_village() {
    assert_construction_land(sample());
    assert_construction_land(committed());
    // The committed sample shows every kind of change.
    let kinds: BTreeSet<&str> =
        committed().settings.extra["sample_expectations"]["planned_villages"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|v| v["changes"].as_array().unwrap())
            .filter_map(|c| c["change"].as_str())
            .collect();
    assert_eq!(
        kinds,
        BTreeSet::from([
            "new_housing",
            "public_service",
            "reclaimed",
            "road",
            "workshop"
        ])
    );
}

fn union_area_with(layer: &Layer, g: &MultiPolygon) -> f64 {
    layer
        .features()
        .iter()
        .filter_map(|f| f.geometry.as_ref().and_then(as_multipolygon))
        .map(|m| m.intersection(g).unsigned_area())
        .sum()
}

fn assert_projects(project: &Project, at_least: usize) {
    let projects = layer(project, "jqjsxm");
    assert_eq!(projects.role, LayerRole::ConstructionProject);
    let n = projects.features().len();
    assert!((at_least..=8).contains(&n), "{n} projects");
    let kinds = ["特色产业", "稳岗就业", "基础设施", "公共服务", "综合保障"];
    for i in 0..n {
        for field in [
            "XMLX", "XMMC", "GDCS", "FMGK", "JSNX", "JYZJLY", "CZDM", "BZ",
        ] {
            assert!(
                !text(projects, i, field).is_empty(),
                "project {i}: no {field}"
            );
        }
        assert!(kinds.contains(&text(projects, i, "XMLX").as_str()));
        let area = ellipsoidal(project, projects)[i];
        assert_within(
            "YDMJ in 公顷",
            num(projects, i, "YDMJ"),
            area / 10_000.0,
            1e-4,
        );
        assert!(num(projects, i, "TZE") > 0.0);
    }
    let e = &project.settings.extra["sample_expectations"]["project_farmland_conflicts"];
    let list = e.as_array().expect("list");
    assert_eq!(list.len(), 1, "one project on 永久基本农田");
    let id = list[0]["feature_id"].as_i64().unwrap();
    let i = projects.position_of(id).expect("the project exists");
    assert_eq!(text(projects, i, "XMMC"), list[0]["XMMC"].as_str().unwrap());
    let site = polygons(projects, i);
    let farmland = project.layer_by_role(LayerRole::PermanentFarmland).unwrap();
    let on_farmland = union_area_with(farmland, &site);
    assert_within(
        "the project lies on farmland",
        on_farmland,
        site.unsigned_area(),
        0.01,
    );
    assert_within(
        "recorded area",
        list[0]["area_m2"].as_f64().unwrap(),
        site.unsigned_area(),
        0.01,
    );
    // Every other project keeps off the farmland.
    for k in (0..n).filter(|&k| k != i) {
        assert!(
            union_area_with(farmland, &polygons(projects, k)) < 0.01,
            "project {k}"
        );
    }
}

#[test]
fn one_project_stands_on_permanent_farmland() {
    assert_projects(sample(), 1);
    assert_projects(committed(), 5);
}

/// §6.6 of docs/domain.md, read from the file itself: code → name.
fn facility_codes() -> BTreeMap<String, String> {
    let doc = include_str!("../../../docs/domain.md");
    let section = &doc[doc.find("### §6.6").expect("§6.6")..];
    let list = &section[section.find("Codes: ").expect("codes") + 7..];
    let list = &list[..list.find("99 其他").expect("99") + "99 其他".len()];
    list.split(',')
        .map(|item| {
            let item = item.trim();
            let (code, name) = item.split_once(' ').expect("code name");
            (code.to_string(), name.trim().to_string())
        })
        .collect()
}

fn assert_facilities(project: &Project) {
    let codes = facility_codes();
    assert_eq!(codes.len(), 29);
    let villages = villages(project);
    for (id, role, code_field, name_field) in [
        ("ggjcssd", LayerRole::PublicFacility, "SSLXDM", "SSLXMC"),
        (
            "ghggjcssd",
            LayerRole::PlannedFacility,
            "GHSSLXDM",
            "GHSSLXMC",
        ),
    ] {
        let points = layer(project, id);
        assert_eq!(points.role, role);
        let mut per_village: BTreeMap<String, usize> = BTreeMap::new();
        for i in 0..points.features().len() {
            let code = text(points, i, code_field);
            assert_eq!(
                codes.get(&code),
                Some(&text(points, i, name_field)),
                "{id}: {code}"
            );
            let village = text(points, i, "CZDM");
            let Some(Geometry::Point(p)) = &points.features()[i].geometry else {
                panic!("{id}: feature {i} is not a point")
            };
            assert!(
                villages[&village].contains(p),
                "{id}: {code} outside {village}"
            );
            *per_village.entry(village).or_default() += 1;
        }
        assert!(!per_village.is_empty(), "{id} is empty");
        assert!(
            per_village.values().all(|&n| (2..=8).contains(&n)),
            "{id}: {per_village:?}"
        );
    }
}

#[test]
fn facilities_use_the_code_list_and_stand_in_their_villages() {
    assert_facilities(sample());
    assert_facilities(committed());
}

/// The layers that must tile each planned village.
fn assert_boundary_zones_spaces_population(project: &Project) {
    let villages = villages(project);
    for id in ["gkbj", "sskj"] {
        let l = layer(project, id);
        let mut total: BTreeMap<String, f64> = BTreeMap::new();
        for i in 0..l.features().len() {
            *total.entry(text(l, i, "CZDM")).or_default() += polygons(l, i).unsigned_area();
        }
        assert_eq!(total.len(), 6, "{id}: {total:?}");
        for (code, area) in total {
            let village = villages[&code].unsigned_area();
            // The 三生空间 draft overlays with geo's BooleanOps, which snaps to a grid: its
            // pieces tile the village to a few cm² in km² (1e-8), the 管控边界 draft (GEOS) to
            // round-off.
            let tolerance = if id == "sskj" { 1e-8 * village } else { 0.01 };
            assert_within(&format!("{id} tiles {code}"), area, village, tolerance);
        }
    }
    // The 村庄建设边界 holds the planned village construction land outside towns and keeps
    // off both lines.
    let boundary = layer(project, "czjsbj");
    let planned = layer(project, "ghdltb");
    let red = project.layer_by_role(LayerRole::EcologicalRedLine).unwrap();
    let farmland = project.layer_by_role(LayerRole::PermanentFarmland).unwrap();
    for i in 0..boundary.features().len() {
        let g = polygons(boundary, i);
        assert!(union_area_with(red, &g) < 0.01 && union_area_with(farmland, &g) < 0.01);
    }
    for i in 0..planned.features().len() {
        let code = text(planned, i, "GHDLBM");
        let housing = code.starts_with("0703") || code.starts_with("08") || code == "1207";
        if housing && text(planned, i, "SSBJLX").is_empty() {
            let piece = polygons(planned, i);
            let inside = union_area_with(boundary, &piece);
            assert_within(
                &format!("{} inside the boundary", text(planned, i, "BSM")),
                inside,
                piece.unsigned_area(),
                0.01,
            );
        }
    }
    let v = layer(project, "villages");
    for i in 0..v.features().len() {
        let code = text(v, i, "XZQDM");
        let ghrk = v.value(i, "GHRK").cloned().unwrap_or(AttrValue::Null);
        if DEMONSTRATION.contains(&code.as_str()) {
            let (AttrValue::Integer(ghrk), Some(czrk)) =
                (ghrk, v.value(i, "CZRK").and_then(AttrValue::as_f64))
            else {
                panic!("{code}: no GHRK")
            };
            let ratio = ghrk as f64 / czrk;
            assert!(
                (0.95..=1.15).contains(&ratio),
                "{code}: GHRK {ghrk} vs CZRK {czrk}"
            );
        } else {
            assert_eq!(ghrk, AttrValue::Null, "{code} has no plan");
        }
    }
}

#[test]
fn zones_spaces_boundary_and_population_of_the_plan() {
    assert_boundary_zones_spaces_population(sample());
    assert_boundary_zones_spaces_population(committed());
}
