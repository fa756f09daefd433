//! The standard planning tables on a small fixture with exact answers (synthetic: six
//! 100 m parcels of one village, two of another, a plan for the first, lines, zones, a
//! heritage point and two projects), 50 km east of the central meridian so the
//! ellipsoidal and planar areas differ.

use geo::{Coord, Geometry, Point, Rect};
use villageplan::analysis::areas::AreaBasis;
use villageplan::analysis::tables::accounting::ClassSums;
use villageplan::analysis::tables::structure::StructureTable;
use villageplan::analysis::tables::{PlanTables, Scope, TableBook};
use villageplan::crs::WorkingCrs;
use villageplan::{AttrValue, Feature, FieldDef, FieldKind, Layer, LayerRole, Project};

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
                attributes: values.into_iter().map(AttrValue::text).collect(),
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

mod accounting;
mod cli;
mod workbook;
