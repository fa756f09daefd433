//! Handing layers to reviewers and other tools: GeoJSON (RFC 7946, lon/lat, through
//! [`super::geojson`]), GeoPackage (working CRS) and Shapefile (working CRS, GBK or UTF-8
//! with a `.cpg`, through [`super::shapefile`]).

use std::path::Path;

use gdal::DriverManager;

use super::shapefile::{DBF_NAME_BYTES, ShapefileEncoding, ShapefileExport};
use super::write::{Table, write_layer};
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
    /// A Shapefile in the working CRS, text in UTF-8 declared by a `.cpg` (docs/domain.md §7;
    /// [`super::write_shapefile`] for GBK).
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
                AttrValue::Text(t) => t.to_string().into(),
            };
            (field.name.clone(), json)
        })
        .collect()
}

/// Writes `layer` to a new file at `path` (an existing file is replaced only once the new
/// one is complete). Returns what was left out or changed (GeoJSON: features whose geometry
/// is not valid once in lon/lat, see [`super::geojson`]; Shapefile: fields renamed to fit
/// the DBF), one line each.
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
        ExportFormat::Shapefile => {
            let done = super::write_shapefile(layer, crs, path, ShapefileEncoding::Utf8)?;
            return Ok(rename_notes(&done));
        }
    };
    let driver = DriverManager::get_driver_by_name(driver_name)
        .map_err(|e| write_err(format!("{driver_name} driver missing: {e}")))?;
    let target = super::project_file::temporary_save_path(path);
    if target.exists() {
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
        write_layer(
            &mut ds,
            path,
            layer,
            Table::named(&table),
            &crs.spatial_ref()?,
            options,
        )?;
        super::ogr::reset_gdal_error();
        ds.close().map_err(|e| write_err(e.to_string()))?;
        if let Some(msg) = super::ogr::take_gdal_failure() {
            return Err(write_err(msg));
        }
        std::fs::rename(&target, path).map_err(|e| write_err(e.to_string()))?;
        Ok(Vec::new())
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&target);
    }
    result
}

/// One line per renamed Shapefile field, and where the mapping was written.
pub fn rename_notes(done: &ShapefileExport) -> Vec<String> {
    done.renamed
        .iter()
        .map(|r| {
            let file = done
                .mapping_file
                .as_ref()
                .map_or(String::new(), |p| format!(" (mapping in {})", p.display()));
            format!(
                "field '{}' is longer than {DBF_NAME_BYTES} bytes: written as '{}'{file}",
                r.original, r.short
            )
        })
        .collect()
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
