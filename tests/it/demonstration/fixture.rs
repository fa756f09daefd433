//! A small synthetic county with exact answers: three 10 km × 10 km townships side by side
//! (凤山镇, 新华彝族苗族乡, 小湾镇), each split into two 5 km × 10 km villages, each village
//! into two 5 km × 5 km parcels (水田 below with 10 % 田坎, 乔木林地 above), a 三生空间
//! polygon, township seats and natural villages. Kilometre `(x, y)` is working-CRS
//! (EPSG:4542) `(X + 1000 x, Y + 1000 y)`.

use geo::{Geometry, Point, Polygon, Rect};
use villageplan::crs::WorkingCrs;
use villageplan::{AttrValue, Feature, FieldDef, FieldKind, Layer, LayerRole, Project};

pub const X: f64 = 500_000.0;
pub const Y: f64 = 2_720_000.0;

/// The townships: code, name, leftmost kilometre.
pub const TOWNSHIPS: [(&str, &str, f64); 3] = [
    ("530921101", "凤山镇", 0.0),
    ("530921102", "新华彝族苗族乡", 10.0),
    ("530921103", "小湾镇", 20.0),
];

/// The working-CRS coordinate of kilometre `(x, y)`.
pub fn km(x: f64, y: f64) -> geo::Coord<f64> {
    geo::Coord {
        x: X + 1000.0 * x,
        y: Y + 1000.0 * y,
    }
}

/// The rectangle between kilometres `(x0, y0)` and `(x1, y1)`.
pub fn rect(x0: f64, y0: f64, x1: f64, y1: f64) -> Polygon<f64> {
    Rect::new(km(x0, y0), km(x1, y1)).to_polygon()
}

fn text(t: &str) -> AttrValue {
    AttrValue::text(t)
}

fn layer(
    id: &str,
    role: LayerRole,
    fields: &[(&str, FieldKind)],
    rows: Vec<(Geometry<f64>, Vec<AttrValue>)>,
) -> Layer {
    let fields = fields.iter().map(|(n, k)| FieldDef::new(*n, *k)).collect();
    let features = rows
        .into_iter()
        .enumerate()
        .map(|(i, (g, attributes))| Feature {
            id: i as i64 + 1,
            geometry: Some(g),
            attributes,
        })
        .collect();
    Layer::new(id, id, role, fields, features)
}

/// The village code of village `v` (1 or 2) of township `t`.
pub fn village_code(t: usize, v: usize) -> String {
    format!("{}00{v}", TOWNSHIPS[t].0)
}

/// Registered, resident and 脱贫 population of village `v` of township `t`.
pub fn population(t: usize, v: usize) -> (i64, i64, i64) {
    let n = (t * 2 + v) as i64;
    (1000 * n, 800 * n, 100 * n)
}

/// The county without seats or natural villages.
pub fn county() -> Project {
    use FieldKind::{Integer, Real, Text};
    let mut project = Project::new("示范县", WorkingCrs::from_epsg(4542).unwrap());
    let townships = TOWNSHIPS
        .iter()
        .map(|(code, name, x)| {
            (
                Geometry::Polygon(rect(*x, 0.0, x + 10.0, 10.0)),
                vec![text(code), text(name)],
            )
        })
        .collect();
    let mut villages = Vec::new();
    let mut parcels = Vec::new();
    for (t, (_, name, x)) in TOWNSHIPS.iter().enumerate() {
        for v in 1..=2 {
            let x0 = x + 5.0 * (v - 1) as f64;
            let code = village_code(t, v);
            let (hj, cz, tp) = population(t, v);
            villages.push((
                Geometry::Polygon(rect(x0, 0.0, x0 + 5.0, 10.0)),
                vec![
                    text(&code),
                    text(&format!("{name}{v}村")),
                    AttrValue::Integer(hj),
                    AttrValue::Integer(cz),
                    AttrValue::Integer(tp),
                ],
            ));
            for (y0, dlbm, kcxs) in [(0.0, "0101", 0.1), (5.0, "0301", 0.0)] {
                parcels.push((
                    Geometry::Polygon(rect(x0, y0, x0 + 5.0, y0 + 5.0)),
                    vec![
                        text(dlbm),
                        text(&format!("{code}0000000")),
                        AttrValue::Real(kcxs),
                    ],
                ));
            }
        }
    }
    project.add_layer(layer(
        "townships",
        LayerRole::Township,
        &[("XZQDM", Text), ("XZQMC", Text)],
        townships,
    ));
    project.add_layer(layer(
        "villages",
        LayerRole::Village,
        &[
            ("XZQDM", Text),
            ("XZQMC", Text),
            ("HJRK", Integer),
            ("CZRK", Integer),
            ("TPRK", Integer),
        ],
        villages,
    ));
    project.add_layer(layer(
        "dltb",
        LayerRole::CurrentLandUse,
        &[("DLBM", Text), ("ZLDWDM", Text), ("KCXS", Real)],
        parcels,
    ));
    // 三生空间 only over the first township's lower half: 生产空间.
    project.add_layer(layer(
        "sskj",
        LayerRole::ThreeSpaces,
        &[("KJLX", Text)],
        vec![(
            Geometry::Polygon(rect(0.0, 0.0, 10.0, 5.0)),
            vec![text("生产空间")],
        )],
    ));
    project
}

/// Seats at the townships' centres: 凤山镇 by its full name, 新华 as the layer spells it
/// (新华乡), 小湾 with a code and no name.
pub fn with_seats(mut project: Project) -> Project {
    let rows = [("凤山镇", ""), ("新华乡", ""), ("", "530921103")]
        .iter()
        .zip(TOWNSHIPS)
        .map(|((name, code), (_, _, x))| {
            (
                Geometry::Point(Point::from(km(x + 5.0, 5.0))),
                vec![text(name), text(code)],
            )
        })
        .collect();
    project.add_layer(layer(
        "seats",
        LayerRole::TownshipSeat,
        &[("NAME", FieldKind::Text), ("XZQDM", FieldKind::Text)],
        rows,
    ));
    project
}

/// Two natural villages in each village, at (x0 + 1, 1) and (x0 + 4, 9) km.
pub fn with_natural_villages(mut project: Project) -> Project {
    let mut rows = Vec::new();
    for (t, (_, _, x)) in TOWNSHIPS.iter().enumerate() {
        for v in 1..=2 {
            let x0 = x + 5.0 * (v - 1) as f64;
            for (n, (dx, y)) in [(1.0, 1.0), (4.0, 9.0)].into_iter().enumerate() {
                rows.push((
                    Geometry::Point(Point::from(km(x0 + dx, y))),
                    vec![
                        text(&format!("{}{:03}", village_code(t, v), n + 1)),
                        text(&format!("自然村{t}{v}{n}")),
                        AttrValue::Integer(30),
                    ],
                ));
            }
        }
    }
    project.add_layer(layer(
        "zrc",
        LayerRole::NaturalVillage,
        &[
            ("ZRCDM", FieldKind::Text),
            ("ZRCMC", FieldKind::Text),
            ("HS", FieldKind::Integer),
        ],
        rows,
    ));
    project
}
