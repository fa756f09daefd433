//! Handing layers to reviewers and other tools: GeoJSON (RFC 7946, lon/lat, through
//! [`super::geojson`]), GeoPackage (working CRS) and Shapefile (working CRS, UTF-8 with a
//! `.cpg`).

use std::path::Path;

use gdal::DriverManager;

use super::write::write_layer;
use crate::crs::WorkingCrs;
use crate::error::{Error, Result};
use crate::model::{AttrValue, Layer};

/// Output formats for one layer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportFormat {
    /// RFC 7946 GeoJSON: WGS 84 lon/lat (CGCS2000 is the same at map scale), 7 decimals.
    GeoJson,
    /// A GeoPackage table in the working CRS.
    GeoPackage,
    /// A Shapefile in the working CRS, text in UTF-8 declared by a `.cpg` (docs/domain.md §7).
    Shapefile,
}

impl ExportFormat {
    /// Picks the format from a file extension (`.geojson`/`.json`, `.gpkg`, `.shp`).
    pub fn from_path(path: &Path) -> Option<Self> {
        let ext = path.extension()?.to_string_lossy().to_ascii_lowercase();
        match ext.as_str() {
            "geojson" | "json" => Some(ExportFormat::GeoJson),
            "gpkg" => Some(ExportFormat::GeoPackage),
            "shp" => Some(ExportFormat::Shapefile),
            _ => None,
        }
    }
}

/// A layer's attributes as GeoJSON properties, by field name.
pub fn attribute_properties(layer: &Layer, position: usize) -> geojson::JsonObject {
    let feature = &layer.features()[position];
    layer
        .fields()
        .iter()
        .zip(&feature.attributes)
        .map(|(field, value)| {
            let json = match value {
                AttrValue::Null => geojson::JsonValue::Null,
                AttrValue::Integer(i) => (*i).into(),
                AttrValue::Real(r) => serde_json::Number::from_f64(*r)
                    .map_or(geojson::JsonValue::Null, geojson::JsonValue::Number),
                AttrValue::Text(t) => t.clone().into(),
            };
            (field.name.clone(), json)
        })
        .collect()
}

/// Writes `layer` to a new file at `path` (an existing file is replaced only once the new
/// one is complete). Returns what was left out (GeoJSON: features whose geometry is not
/// valid once in lon/lat; see [`super::geojson`]), one line each.
pub fn export_layer(
    layer: &Layer,
    crs: WorkingCrs,
    path: &Path,
    format: ExportFormat,
) -> Result<Vec<String>> {
    let write_err = |detail: String| Error::Write {
        path: path.to_path_buf(),
        detail,
    };
    let (driver_name, options): (&str, &[&str]) = match format {
        ExportFormat::GeoJson => return export_geojson(layer, crs, path),
        ExportFormat::GeoPackage => ("GPKG", &["SPATIAL_INDEX=YES"]),
        ExportFormat::Shapefile => ("ESRI Shapefile", &["ENCODING=UTF-8"]),
    };
    let driver = DriverManager::get_driver_by_name(driver_name)
        .map_err(|e| write_err(format!("{driver_name} driver missing: {e}")))?;
    // Shapefiles are several files named after the .shp, so they cannot be written under
    // a temporary name and renamed; they are written in place.
    let target = match format {
        ExportFormat::Shapefile => path.to_path_buf(),
        _ => super::project_file::temporary_save_path(path),
    };
    if target != path && target.exists() {
        std::fs::remove_file(&target).map_err(|e| Error::io(&target, e))?;
    }
    let result = (|| {
        let mut ds = driver
            .create_vector_only(&target)
            .map_err(|e| write_err(e.to_string()))?;
        let table = path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_else(|| layer.id.clone());
        write_layer(&mut ds, path, layer, &table, &crs.spatial_ref()?, options)?;
        super::ogr::reset_gdal_error();
        ds.close().map_err(|e| write_err(e.to_string()))?;
        if let Some(msg) = super::ogr::take_gdal_failure() {
            return Err(write_err(msg));
        }
        if target != path {
            std::fs::rename(&target, path).map_err(|e| write_err(e.to_string()))?;
        }
        Ok(Vec::new())
    })();
    if result.is_err() && target != path {
        let _ = std::fs::remove_file(&target);
    }
    result
}

/// The layer as RFC 7946 GeoJSON, its attributes as properties.
fn export_geojson(layer: &Layer, crs: WorkingCrs, path: &Path) -> Result<Vec<String>> {
    let features = layer
        .features()
        .iter()
        .enumerate()
        .map(|(i, f)| super::geojson::OutFeature {
            id: f.id,
            geometry: f.geometry.clone(),
            properties: attribute_properties(layer, i),
        });
    let out = super::geojson::feature_collection(
        &layer.name,
        features,
        crs,
        super::geojson::GeoJsonVariant::Rfc7946,
    )?;
    super::geojson::write_geojson(path, &out.collection)?;
    Ok(out.left_out)
}
