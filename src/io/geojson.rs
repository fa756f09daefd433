//! GeoJSON for reviewers, written with the `geojson` crate rather than GDAL's driver, so
//! that every rule of RFC 7946 is ours to keep and test: lon/lat (CGCS2000 taken as WGS 84,
//! the same at map scale), exterior rings counter-clockwise and holes clockwise (§3.1.6),
//! no `crs` member (§4), UTF-8 without BOM, no duplicate keys, 7 decimals (≈ 1 cm; §11.2
//! suggests 6, a validator's precision warning is accepted for the centimetre), consecutive
//! duplicate vertices removed (a strict validator rejects them). A geometry that is not
//! valid after all this is left out and reported, never written silently.
//!
//! The Gauss-Kruger variant keeps the working CRS's metres (3 decimals, 1 mm) for internal
//! use; it is *not* RFC 7946 and says so in its name and in a `crs_note` member, which
//! RFC 7946 readers ignore.
//!
//! What the properties are is the caller's business (codes, names, areas on a stated
//! basis); this module only takes geometries and property maps to a file.

use std::io::Write;
use std::path::Path;

use geo::orient::{Direction, Orient};
use geo::{Geometry, MapCoords, RemoveRepeatedPoints, Validation};
use geojson::{Feature, FeatureCollection, JsonObject, JsonValue};

use crate::crs::{Transformer, WorkingCrs};
use crate::error::{Error, Result};

/// Which coordinates a file holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GeoJsonVariant {
    /// RFC 7946: lon/lat degrees, 7 decimals.
    Rfc7946,
    /// The working CRS's Gauss-Kruger metres, 3 decimals: not RFC 7946, for internal use.
    GaussKruger,
}

impl GeoJsonVariant {
    /// The decimals coordinates are rounded to.
    pub fn decimals(self) -> i32 {
        match self {
            GeoJsonVariant::Rfc7946 => 7,
            GeoJsonVariant::GaussKruger => 3,
        }
    }
}

/// One feature to write: its id, its geometry in the working CRS, its properties.
#[derive(Debug, Clone)]
pub struct OutFeature {
    /// The feature id (the layer's FID, a result's number).
    pub id: i64,
    /// In the working CRS; `None` writes a feature with `"geometry": null`.
    pub geometry: Option<Geometry<f64>>,
    /// Property name → value; a map, so a key cannot repeat.
    pub properties: JsonObject,
}

/// A feature collection ready to write, and what was left out of it.
#[derive(Debug)]
pub struct GeoJsonOutput {
    /// The collection.
    pub collection: FeatureCollection,
    /// One line per feature left out: which and why (invalid geometry, a coordinate PROJ
    /// cannot take to lon/lat).
    pub left_out: Vec<String>,
}

/// Builds the collection of `features` (named `what` in messages) for `variant`.
pub fn feature_collection(
    what: &str,
    features: impl IntoIterator<Item = OutFeature>,
    crs: WorkingCrs,
    variant: GeoJsonVariant,
) -> Result<GeoJsonOutput> {
    let lonlat = match variant {
        GeoJsonVariant::Rfc7946 => Some(Transformer::lonlat_from_gk(crs)?),
        GeoJsonVariant::GaussKruger => None,
    };
    let mut out = Vec::new();
    let mut left_out = Vec::new();
    for feature in features {
        let geometry = match feature.geometry {
            None => None,
            Some(g) => match prepare(g, lonlat.as_ref(), variant.decimals()) {
                Ok(g) => Some(g),
                Err(why) => {
                    left_out.push(format!("{what}, feature {}: {why}; left out", feature.id));
                    continue;
                }
            },
        };
        out.push(Feature {
            bbox: None,
            geometry: geometry.as_ref().map(|g| geojson::Geometry::new(g.into())),
            id: Some(geojson::feature::Id::Number(feature.id.into())),
            properties: Some(feature.properties),
            foreign_members: None,
        });
    }
    let foreign_members = match variant {
        GeoJsonVariant::Rfc7946 => None,
        GeoJsonVariant::GaussKruger => Some(JsonObject::from_iter([(
            "crs_note".to_string(),
            JsonValue::String(format!(
                "NOT RFC 7946: coordinates in metres, EPSG:{} (CGCS2000 3° Gauss-Kruger, CM {}°E)",
                crs.epsg(),
                crs.central_meridian()
            )),
        )])),
    };
    Ok(GeoJsonOutput {
        collection: FeatureCollection {
            bbox: None,
            features: out,
            foreign_members,
        },
        left_out,
    })
}

/// Takes a working-CRS geometry to what the file holds: lon/lat when `lonlat` is given,
/// rounded, without repeated vertices, rings oriented; an error says why it cannot be
/// written.
fn prepare(
    mut geometry: Geometry<f64>,
    lonlat: Option<&Transformer>,
    decimals: i32,
) -> std::result::Result<Geometry<f64>, String> {
    if let Some(t) = lonlat {
        t.transform_geometry(&mut geometry)
            .map_err(|e| e.to_string())?;
    }
    let oriented = match rounded(&geometry, decimals).remove_repeated_points() {
        Geometry::Polygon(p) => Geometry::Polygon(p.orient(Direction::Default)),
        Geometry::MultiPolygon(mp) => Geometry::MultiPolygon(mp.orient(Direction::Default)),
        Geometry::Rect(r) => Geometry::Polygon(r.to_polygon().orient(Direction::Default)),
        Geometry::Triangle(t) => Geometry::Polygon(t.to_polygon().orient(Direction::Default)),
        Geometry::Line(l) => Geometry::LineString(l.into()),
        other => other,
    };
    if let Some(problem) = oriented.validation_errors().first() {
        return Err(format!("invalid geometry ({problem})"));
    }
    Ok(oriented)
}

/// A geometry as a GeoJSON geometry object with coordinates rounded to `decimals`, in
/// whatever CRS it is (for JSON reports that name their CRS themselves; files for
/// reviewers go through [`feature_collection`]).
pub fn geometry_json(geometry: &Geometry<f64>, decimals: i32) -> JsonValue {
    let rounded = rounded(geometry, decimals);
    serde_json::to_value(geojson::Geometry::new((&rounded).into())).unwrap_or(JsonValue::Null)
}

/// Every coordinate rounded to `decimals`.
fn rounded(geometry: &Geometry<f64>, decimals: i32) -> Geometry<f64> {
    let scale = 10f64.powi(decimals);
    geometry.map_coords(
        |c| geo::coord! { x: (c.x * scale).round() / scale, y: (c.y * scale).round() / scale },
    )
}

/// Writes `collection` to `path` as UTF-8 without BOM, atomically (a temporary file renamed
/// over the target once complete).
pub fn write_geojson(path: &Path, collection: &FeatureCollection) -> Result<()> {
    let text = serde_json::to_string(collection).map_err(|e| Error::Write {
        path: path.to_path_buf(),
        detail: e.to_string(),
    })?;
    let temp = super::temporary_save_path(path);
    let result = (|| {
        let mut file = std::fs::File::create(&temp).map_err(|e| Error::io(&temp, e))?;
        file.write_all(text.as_bytes())
            .and_then(|()| file.write_all(b"\n"))
            .and_then(|()| file.sync_all())
            .map_err(|e| Error::io(&temp, e))?;
        std::fs::rename(&temp, path).map_err(|e| Error::io(path, e))
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&temp);
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::{LineString, Polygon};

    fn crs() -> WorkingCrs {
        WorkingCrs::from_epsg(4542).unwrap()
    }

    fn square(x: f64, y: f64, size: f64, clockwise: bool) -> LineString<f64> {
        let mut ring = vec![
            (x, y),
            (x + size, y),
            (x + size, y + size),
            (x, y + size),
            (x, y),
        ];
        if clockwise {
            ring.reverse();
        }
        LineString::from(ring)
    }

    fn feature(geometry: Geometry<f64>) -> OutFeature {
        let mut properties = JsonObject::new();
        properties.insert("名称".into(), "测试".into());
        OutFeature {
            id: 7,
            geometry: Some(geometry),
            properties,
        }
    }

    fn ring_is_ccw(ring: &[Vec<f64>]) -> bool {
        let twice: f64 = ring
            .windows(2)
            .map(|w| w[0][0] * w[1][1] - w[1][0] * w[0][1])
            .sum();
        twice > 0.0
    }

    /// A clockwise exterior with a counter-clockwise hole and a repeated vertex comes out
    /// as RFC 7946 asks: lon/lat with 7 decimals at most, exterior counter-clockwise, hole
    /// clockwise, no repeated vertex, no `crs`, UTF-8 without BOM.
    #[test]
    fn polygons_are_written_as_rfc_7946_asks() {
        let mut exterior = square(500_000.0, 2_720_000.0, 100.0, true);
        exterior.0.insert(1, exterior.0[1]);
        let hole = square(500_040.0, 2_720_040.0, 20.0, false);
        let polygon = Geometry::Polygon(Polygon::new(exterior, vec![hole]));
        let out =
            feature_collection("t", [feature(polygon)], crs(), GeoJsonVariant::Rfc7946).unwrap();
        assert!(out.left_out.is_empty());
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.geojson");
        write_geojson(&path, &out.collection).unwrap();
        let bytes = std::fs::read(&path).unwrap();
        assert_ne!(&bytes[..3], b"\xEF\xBB\xBF");
        let json: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
        assert!(json.get("crs").is_none());
        let rings = &json["features"][0]["geometry"]["coordinates"];
        let exterior: Vec<Vec<f64>> = serde_json::from_value(rings[0].clone()).unwrap();
        let hole: Vec<Vec<f64>> = serde_json::from_value(rings[1].clone()).unwrap();
        assert!(ring_is_ccw(&exterior), "exterior counter-clockwise");
        assert!(!ring_is_ccw(&hole), "hole clockwise");
        assert_eq!(
            exterior.len(),
            5,
            "the repeated vertex is gone: {exterior:?}"
        );
        assert!((exterior[0][0] - 99.0).abs() < 0.01 && (exterior[0][1] - 24.58).abs() < 0.1);
        for c in exterior.iter().flatten() {
            let text = c.to_string();
            let decimals = text.split('.').nth(1).map_or(0, str::len);
            assert!(decimals <= 7, "{text}");
        }
        assert_eq!(json["features"][0]["properties"]["名称"], "测试");
        assert_eq!(json["features"][0]["id"], 7);
    }

    #[test]
    fn an_invalid_polygon_is_left_out_and_named() {
        let bowtie = Geometry::Polygon(Polygon::new(
            LineString::from(vec![
                (500_000.0, 2_720_000.0),
                (500_100.0, 2_720_100.0),
                (500_100.0, 2_720_000.0),
                (500_000.0, 2_720_100.0),
                (500_000.0, 2_720_000.0),
            ]),
            vec![],
        ));
        let out =
            feature_collection("村界", [feature(bowtie)], crs(), GeoJsonVariant::Rfc7946).unwrap();
        assert!(out.collection.features.is_empty());
        assert_eq!(out.left_out.len(), 1);
        assert!(
            out.left_out[0].starts_with("村界, feature 7: invalid geometry"),
            "{}",
            out.left_out[0]
        );
    }

    #[test]
    fn the_gauss_kruger_variant_keeps_metres_and_says_it_is_not_rfc_7946() {
        let polygon = Geometry::Polygon(Polygon::new(
            square(500_000.123_44, 2_720_000.0, 10.0, false),
            vec![],
        ));
        let out = feature_collection("t", [feature(polygon)], crs(), GeoJsonVariant::GaussKruger)
            .unwrap();
        let json = serde_json::to_value(&out.collection).unwrap();
        assert!(
            json["crs_note"]
                .as_str()
                .unwrap()
                .starts_with("NOT RFC 7946")
        );
        assert_eq!(
            json["features"][0]["geometry"]["coordinates"][0][0][0],
            500_000.123
        );
    }
}
