//! The standard planning tables on a small fixture with exact answers (synthetic: six
//! 100 m parcels of one village, two of another, a plan for the first, lines, zones, a
//! heritage point and two projects), 50 km east of the central meridian so the
//! ellipsoidal and planar areas differ.

use std::collections::BTreeMap;
use std::path::Path;

use geo::{Coord, Geometry, Point, Rect};
use proptest::prelude::*;
use villageplan::analysis::areas::{AreaBasis, DeductionRule};
use villageplan::analysis::tables::accounting::{ClassKey, ClassSum, ClassSums, ParcelAccounting};
use villageplan::analysis::tables::export::json_value;
use villageplan::analysis::tables::rows::{RowKind, StructureRows};
use villageplan::analysis::tables::structure::{StructureTable, structure_table};
use villageplan::analysis::tables::xlsx::write_workbook;
use villageplan::analysis::tables::{AreaUnit, PlanTables, Scope, TableBook, TableKind};
use villageplan::crs::WorkingCrs;
use villageplan::{AttrValue, Feature, FieldDef, FieldKind, Layer, LayerRole, Project};

use crate::fixtures::villageplan;

const X: f64 = 550_000.0;
const Y: f64 = 2_720_000.0;
const V1: &str = "530921103201";
const V2: &str = "530921103202";
const V3: &str = "530921103203";
/// pyproj's geodesic area (GRS 80 = the CGCS2000 figure) of the first parcel after PROJ
/// took it from EPSG:4542 to EPSG:4490: `Geod(ellps="GRS80").polygon_area_perimeter`.
const P1_PYPROJ_M2: f64 = 9_999.381_538_510_672;
/// The same for the whole first village (600 m × 100 m).
const V1_PYPROJ_M2: f64 = 59_996.252_025_874_215;

fn rect(x0: f64, y0: f64, x1: f64, y1: f64) -> Geometry<f64> {
    Geometry::Polygon(
        Rect::new(
            Coord {
                x: X + x0,
                y: Y + y0,
            },
            Coord {
                x: X + x1,
                y: Y + y1,
            },
        )
        .to_polygon(),
    )
}

fn cell(x0: f64, y0: f64) -> Geometry<f64> {
    rect(x0, y0, x0 + 100.0, y0 + 100.0)
}

fn layer(
    id: &str,
    role: LayerRole,
    fields: &[&str],
    rows: Vec<(Geometry<f64>, Vec<&str>)>,
) -> Layer {
    Layer::new(
        id,
        id,
        role,
        fields
            .iter()
            .map(|f| FieldDef::new(*f, FieldKind::Text))
            .collect(),
        rows.into_iter()
            .enumerate()
            .map(|(i, (g, values))| Feature {
                id: i as i64 + 1,
                geometry: Some(g),
                attributes: values
                    .into_iter()
                    .map(|v| AttrValue::Text(v.into()))
                    .collect(),
            })
            .collect(),
    )
}

fn zl(village: &str) -> String {
    format!("{village}0000000")
}

/// The fixture project (synthetic).
fn project() -> Project {
    let mut p = Project::new("测试县", WorkingCrs::from_epsg(4542).unwrap());
    let (z1, z2) = (zl(V1), zl(V2));
    p.add_layer(layer(
        "dltb",
        LayerRole::CurrentLandUse,
        &["BSM", "DLBM", "ZLDWDM", "CZCSXM", "TBMJ", "KCMJ", "KCXS"],
        vec![
            (
                cell(0.0, 0.0),
                vec!["1", "0103", &z1, "", "10000", "", "0.15"],
            ),
            (
                cell(100.0, 0.0),
                vec!["2", "0101", &z1, "", "10000", "2000", "0.15"],
            ),
            (cell(200.0, 0.0), vec!["3", "1004", &z1, "", "", "", ""]),
            (cell(300.0, 0.0), vec!["4", "1004", &z1, "202", "", "", ""]),
            (cell(400.0, 0.0), vec!["5", "1006", "", "", "", "", ""]),
            (cell(500.0, 0.0), vec!["6", "0809", &z1, "", "", "", ""]),
            (cell(0.0, 100.0), vec!["7", "0301", &z2, "", "", "", ""]),
            (cell(100.0, 100.0), vec!["8", "9999", &z2, "", "", "", ""]),
        ],
    ));
    p.add_layer(layer(
        "ghdltb",
        LayerRole::PlannedLandUse,
        &["GHDLBM", "SSBJLX", "CZDM", "TBMJ", "KCMJ", "KCXS"],
        vec![
            (cell(0.0, 0.0), vec!["0103", "", V1, "", "", "0.15"]),
            (
                cell(100.0, 0.0),
                vec!["0101", "", V1, "10000", "2000", "0.15"],
            ),
            (cell(200.0, 0.0), vec!["1207", "", V1, "", "", ""]),
            (cell(300.0, 0.0), vec!["0703", "Z", V1, "", "", ""]),
            (cell(400.0, 0.0), vec!["060102", "", V1, "", "", ""]),
            (cell(500.0, 0.0), vec!["0801", "", V1, "", "", ""]),
        ],
    ));
    p.add_layer(layer(
        "villages",
        LayerRole::Village,
        &["XZQDM", "XZQMC", "CZRK", "GHRK"],
        vec![
            (
                rect(0.0, 0.0, 600.0, 100.0),
                vec![V1, "勐佑村", "400", "500"],
            ),
            (
                rect(0.0, 100.0, 200.0, 200.0),
                vec![V2, "中和村", "100", ""],
            ),
            (
                rect(200.0, 100.0, 400.0, 200.0),
                vec![V3, "河东村", "50", ""],
            ),
        ],
    ));
    p.add_layer(layer(
        "townships",
        LayerRole::Township,
        &["XZQDM", "XZQMC"],
        vec![(rect(0.0, 0.0, 600.0, 200.0), vec!["530921103", "勐佑镇"])],
    ));
    p.add_layer(layer(
        "red_line",
        LayerRole::EcologicalRedLine,
        &["MC"],
        vec![(rect(500.0, 0.0, 550.0, 100.0), vec!["红线"])],
    ));
    p.add_layer(layer(
        "farmland",
        LayerRole::PermanentFarmland,
        &["MC"],
        vec![(rect(0.0, 0.0, 200.0, 100.0), vec!["农田"])],
    ));
    p.add_layer(layer(
        "gkbj",
        LayerRole::ControlZone,
        &["GKBJLXDM", "CZDM"],
        vec![
            (rect(0.0, 0.0, 200.0, 100.0), vec!["0202", V1]),
            (rect(200.0, 0.0, 400.0, 100.0), vec!["0301", V1]),
            (rect(400.0, 0.0, 500.0, 100.0), vec!["0201", V1]),
            (rect(500.0, 0.0, 550.0, 100.0), vec!["0102", V1]),
            (rect(550.0, 0.0, 600.0, 100.0), vec!["0101", V1]),
        ],
    ));
    p.add_layer(layer(
        "heritage",
        LayerRole::Heritage,
        &["MC"],
        vec![(
            Geometry::Point(Point::new(X + 50.0, Y + 50.0)),
            vec!["古井"],
        )],
    ));
    p.add_layer(layer(
        "jqjsxm",
        LayerRole::ConstructionProject,
        &[
            "XMLX", "XMMC", "YDMJ", "GDCS", "FMGK", "JSNX", "TZE", "JYZJLY", "CZDM", "BZ",
        ],
        vec![
            (
                rect(300.0, 0.0, 400.0, 100.0),
                vec![
                    "公共服务",
                    "村综合服务中心",
                    "",
                    "2",
                    "坡屋顶",
                    "2025",
                    "120.5",
                    "财政",
                    V1,
                    "",
                ],
            ),
            (
                Geometry::Point(Point::new(X + 250.0, Y + 50.0)),
                vec![
                    "基础设施",
                    "村道硬化",
                    "0.5",
                    "",
                    "",
                    "2024",
                    "80",
                    "",
                    "",
                    "点状",
                ],
            ),
        ],
    ));
    p
}

fn tables(p: &Project, basis: AreaBasis, scope: Scope) -> PlanTables {
    TableBook::new(p, basis).unwrap().tables(&scope).unwrap()
}

fn line<'a>(
    t: &'a StructureTable,
    name: &str,
) -> &'a villageplan::analysis::tables::structure::StructureLine {
    t.line(name).unwrap_or_else(|| panic!("no line {name}"))
}

fn ha_base(t: &StructureTable, name: &str) -> String {
    line(t, name).base.area.ha.text()
}

fn ha_target(t: &StructureTable, name: &str) -> String {
    line(t, name).target.unwrap().area.ha.text()
}

fn class_m2(sums: &ClassSums, code: &str) -> f64 {
    sums.classes
        .iter()
        .filter(|(k, _)| k.code == code)
        .map(|(_, s)| s.area_m2)
        .sum()
}

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

/// Every cell of every sheet of a workbook, as GDAL's XLSX driver reads it (all text).
fn read_workbook(path: &Path) -> BTreeMap<String, Vec<Vec<String>>> {
    use gdal::vector::LayerAccess;
    let ds = gdal::Dataset::open_ex(
        path,
        gdal::DatasetOptions {
            open_flags: gdal::GdalOpenFlags::GDAL_OF_VECTOR,
            allowed_drivers: Some(&["XLSX"]),
            open_options: Some(&["FIELD_TYPES=STRING", "HEADERS=DISABLE"]),
            ..Default::default()
        },
    )
    .unwrap();
    let mut out = BTreeMap::new();
    for mut layer in ds.layers() {
        let width = layer.defn().fields().count();
        let rows: Vec<Vec<String>> = layer
            .features()
            .map(|f| {
                (0..width)
                    .map(|i| f.field_as_string(i).ok().flatten().unwrap_or_default())
                    .collect()
            })
            .collect();
        out.insert(layer.name(), rows);
    }
    out
}

fn as_number(cell: &str) -> f64 {
    cell.parse()
        .unwrap_or_else(|_| panic!("'{cell}' is not a number"))
}

#[test]
fn the_workbook_read_back_through_gdal_equals_the_json() {
    let p = project();
    let t = tables(&p, AreaBasis::Ellipsoidal, Scope::Village(V1.into()));
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("tables.xlsx");
    write_workbook(&t, None, AreaUnit::Hectare, &path).unwrap();
    let book = read_workbook(&path);
    let names: Vec<&str> = book.keys().map(String::as_str).collect();
    for kind in TableKind::ALL {
        assert!(names.contains(&kind.sheet_name()), "{names:?}");
    }
    assert!(names.contains(&"说明"));
    let json = json_value(&t, None).unwrap();

    let sheet = &book["空间功能结构调整表"];
    assert_eq!(sheet[0][0], "勐佑村空间功能结构调整表");
    assert_eq!(sheet[1][0], "单位：公顷、%");
    assert_eq!(sheet[2][0], "用地类型名称及编码");
    assert_eq!(
        (
            sheet[2][4].as_str(),
            sheet[2][6].as_str(),
            sheet[2][8].as_str()
        ),
        ("规划基期年", "规划目标年", "规划期内面积增减")
    );
    assert_eq!(
        (sheet[3][4].as_str(), sheet[3][5].as_str()),
        ("面积", "比重")
    );
    let lines = json["structure"]["lines"].as_array().unwrap();
    assert_eq!(sheet.len(), 4 + lines.len());
    for (i, line) in lines.iter().enumerate() {
        let row = &sheet[4 + i];
        let depth = line["label"].as_array().unwrap().len();
        let own = if line["kind"] == "subtotal" {
            "小计".to_string()
        } else {
            line["display"].as_str().unwrap().to_string()
        };
        assert_eq!(row[depth - 1], own, "row {i}");
        let cells = [
            (4, &line["base"]["area"]["ha"]),
            (5, &line["base"]["share_percent"]),
            (6, &line["target"]["area"]["ha"]),
            (7, &line["target"]["share_percent"]),
            (8, &line["change"]["ha"]),
        ];
        for (c, value) in cells {
            assert_eq!(
                as_number(&row[c]),
                value.as_f64().unwrap(),
                "row {i} col {c}"
            );
        }
    }
    // The nesting: 村域建设用地 heads its first row, its other rows leave the merged cell.
    let first = lines
        .iter()
        .position(|l| l["label"][0] == "村域建设用地")
        .unwrap();
    assert_eq!(sheet[4 + first][0], "村域建设用地");
    assert_eq!(sheet[4 + first + 1][0], "");
    assert_eq!(sheet[4 + first][2], "城镇用地");

    let current = &book["现状指标表"];
    assert_eq!(current[0][0], "勐佑村现状指标表");
    assert_eq!(
        as_number(&current[4][4]),
        json["structure"]["lines"][0]["base"]["area"]["ha"]
            .as_f64()
            .unwrap()
    );

    let control = &book["国土空间管控表"];
    for (i, line) in json["control"]["lines"]
        .as_array()
        .unwrap()
        .iter()
        .enumerate()
    {
        assert_eq!(
            as_number(&control[3 + i][1]),
            line["area"]["ha"].as_f64().unwrap()
        );
        assert_eq!(
            as_number(&control[3 + i][2]),
            line["share_percent"].as_f64().unwrap()
        );
    }
    assert_eq!(control[3][0], "城镇空间（0400）");

    let survey = &book["土地利用现状分类面积汇总表"];
    let row = &json["survey"]["rows"][0];
    assert_eq!(survey[4][0], V1, "codes are text");
    assert_eq!(
        as_number(&survey[4][2]),
        row["total"]["ha"].as_f64().unwrap()
    );
    for (j, v) in row["values"].as_array().unwrap().iter().enumerate() {
        assert_eq!(
            as_number(&survey[4][3 + j]),
            v["ha"].as_f64().unwrap(),
            "column {j}"
        );
    }

    let indicators = &book["规划指标一览表"];
    assert_eq!(indicators[3][0], "一、村庄发展性指标");
    let per_capita = indicators
        .iter()
        .find(|r| r[1] == "人均村庄建设用地面积")
        .unwrap();
    let json_line = json["indicators"]["lines"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["name"] == "人均村庄建设用地面积")
        .unwrap();
    assert_eq!(
        as_number(&per_capita[4]),
        json_line["base"]["value"].as_f64().unwrap()
    );
    let coast = indicators
        .iter()
        .find(|r| r[1] == "大陆自然海岸线保有率")
        .unwrap();
    assert_eq!((coast[4].as_str(), coast[5].as_str()), ("—", "—"));

    let projects = &book["近期建设项目表"];
    assert_eq!(projects[3][2], "村综合服务中心");
    assert_eq!(
        as_number(&projects[3][3]),
        0.9999,
        "ellipsoidal 用地面积 from the polygon"
    );

    let notes = &book["说明"];
    let text: String = notes
        .iter()
        .map(|r| r.join("|"))
        .collect::<Vec<_>>()
        .join("\n");
    assert!(text.contains("椭球面积（CGCS2000 椭球）"), "{text}");
    assert!(text.contains("扣除面积比例 KCMJ/TBMJ：1 个图斑"), "{text}");
    assert!(text.contains("VillagePlan "), "{text}");

    // 亩: the same tables.
    write_workbook(&t, Some(TableKind::Structure), AreaUnit::Mu, &path).unwrap();
    let book = read_workbook(&path);
    assert_eq!(
        book.keys().collect::<Vec<_>>(),
        ["空间功能结构调整表", "说明"]
    );
    let sheet = &book["空间功能结构调整表"];
    assert_eq!(sheet[1][0], "单位：亩、%");
    let total = lines.iter().position(|l| l["kind"] == "total").unwrap();
    assert_eq!(
        as_number(&sheet[4 + total][4]),
        json["structure"]["lines"][total]["base"]["area"]["mu"]
            .as_f64()
            .unwrap()
    );
}

fn saved(p: &Project, dir: &Path) -> String {
    let path = dir.join("p.gpkg");
    villageplan::io::save_project(p, &path, &villageplan::Silent).unwrap();
    path.to_str().unwrap().to_string()
}

#[test]
fn the_command_line_and_its_messages_for_bad_input() {
    let dir = tempfile::tempdir().unwrap();
    let path = saved(&project(), dir.path());
    let (code, out, err) = villageplan(&[
        "tables",
        &path,
        "--village",
        V1,
        "--table",
        "结构调整",
        "--basis",
        "planar",
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("勐佑村空间功能结构调整表"), "{out}");
    assert!(out.contains("平面面积"), "{out}");
    let total = out
        .lines()
        .find(|l| l.trim_start().starts_with("总计"))
        .unwrap();
    assert!(
        total.contains("6.0000") && total.contains("90.0000") && total.contains("100.00"),
        "{total}"
    );

    let (code, _, err) = villageplan(&["tables", &path, "--village", V3]);
    assert_eq!(code, 2);
    assert!(
        err.contains("has no parcels in village 河东村 (530921103203)"),
        "{err}"
    );
    let (code, _, err) = villageplan(&["tables", &path, "--village", "530921999999"]);
    assert_eq!(code, 2);
    assert!(err.contains("no village with code 530921999999"), "{err}");
    let (code, _, err) = villageplan(&["tables", &path, "--township", "530921999"]);
    assert_eq!(code, 2);
    assert!(
        err.contains("no village lies in township 530921999"),
        "{err}"
    );
    let (code, _, err) = villageplan(&["tables", &path, "--table", "面积"]);
    assert_eq!(code, 2);
    assert!(err.contains("unknown table '面积'"), "{err}");
    let (code, out, err) = villageplan(&[
        "tables",
        &path,
        "--village",
        V2,
        "--format",
        "csv",
        "--unit",
        "亩",
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(out.starts_with('\u{feff}'), "CSV starts with a BOM");
    assert!(
        out.contains("9999") && out.contains("编码不在分类表中"),
        "unknown codes are listed: {out}"
    );
    assert!(out.contains("单位：亩、%"), "{out}");

    // No KCXS / KCMJ: one message naming the layer and what was assumed.
    let mut p = project();
    p.layers.retain(|l| l.id != "dltb");
    p.add_layer(layer(
        "dltb",
        LayerRole::CurrentLandUse,
        &["DLBM", "ZLDWDM"],
        vec![(cell(0.0, 0.0), vec!["0103", &zl(V1)])],
    ));
    let no_kcxs = tempfile::tempdir().unwrap();
    let path = saved(&p, no_kcxs.path());
    let (code, out, err) = villageplan(&["tables", &path, "--village", V1, "--format", "json"]);
    assert_eq!(code, 0, "{err}");
    let json: serde_json::Value = serde_json::from_str(&out).unwrap();
    let notes: Vec<&str> = json["notes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n.as_str().unwrap())
        .collect();
    assert_eq!(
        notes
            .iter()
            .filter(|n| n.contains("没有 KCXS 字段"))
            .count(),
        1,
        "{notes:?}"
    );
    assert!(
        notes
            .iter()
            .any(|n| n.contains("layer 'dltb' has no KCXS field")),
        "{notes:?}"
    );
    assert_eq!(
        json["layers"][0]["deduction_zh"],
        "无扣除字段，未扣除：1 个图斑"
    );
    assert_eq!(
        json["structure"]["lines"][0]["base"]["area"]["m2"]
            .as_f64()
            .unwrap()
            .round(),
        9_999.0
    );

    // No village layer.
    p.layers.retain(|l| l.role != LayerRole::Village);
    let no_villages = tempfile::tempdir().unwrap();
    let path = saved(&p, no_villages.path());
    let (code, _, err) = villageplan(&["tables", &path]);
    assert_eq!(code, 2);
    assert!(
        err.contains("has no 行政村界 (village boundary) layer"),
        "{err}"
    );
    let (code, out, err) = villageplan(&["stats", &path, "--basis", "planar"]);
    assert_eq!(code, 0, "stats still works without villages: {err}");
    assert!(
        out.contains("平面面积") && out.contains("无扣除字段"),
        "{out}"
    );
}

#[test]
fn stats_counts_terraces_and_states_basis_and_rule() {
    let dir = tempfile::tempdir().unwrap();
    let path = saved(&project(), dir.path());
    let (code, out, err) = villageplan(&[
        "stats",
        &path,
        "--basis",
        "planar",
        "--format",
        "csv",
        "--village",
        V1,
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.starts_with("村代码,村名称,地类编码,地类名称,面积_平方米"),
        "{out}"
    );
    assert!(
        out.contains(&format!("{V1},勐佑村,01,耕地,16500.00,1.6500")),
        "{out}"
    );
    assert!(
        out.contains(&format!("{V1},勐佑村,12,其他土地,3500.00,0.3500")),
        "{out}"
    );
    let (code, out, _) = villageplan(&["stats", &path]);
    assert_eq!(code, 0);
    assert!(
        out.contains("椭球面积") && out.contains("扣除系数 KCXS：1 个图斑"),
        "{out}"
    );
}

#[test]
fn the_committed_sample_has_a_base_year_and_no_target_yet() {
    let sample = Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-maps/fengqing/fengqing.gpkg");
    let p = villageplan::io::load_project(&sample, &villageplan::Silent).unwrap();
    let book = TableBook::new(&p, AreaBasis::Ellipsoidal).unwrap();
    let village = book.village_codes()[0].clone();
    let t = book.tables(&Scope::Village(village)).unwrap();
    assert!(t.synthetic);
    let total = t.structure.total().unwrap();
    assert!((total.base.area.m2 - t.village_area_m2).abs() / t.village_area_m2 < 1e-3);
    let has_plan = p
        .layer_by_role(LayerRole::PlannedLandUse)
        .is_some_and(|l| !l.features().is_empty());
    if !has_plan {
        assert!(total.target.is_none());
        assert!(
            t.indicators
                .lines
                .iter()
                .all(|l| l.target.text(AreaUnit::Hectare) == "—")
        );
    }
    let has_kcxs = p
        .layer_by_role(LayerRole::CurrentLandUse)
        .is_some_and(|l| l.field_index("KCXS").is_some());
    if !has_kcxs {
        assert_eq!(
            t.layers[0].deduction_en.split(':').next(),
            Some("no deduction fields, nothing deducted")
        );
    }
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
