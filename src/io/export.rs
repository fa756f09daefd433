//! Handing layers to reviewers and other tools: GeoJSON (RFC 7946, lon/lat), GeoPackage
//! (working CRS) and Shapefile (working CRS, UTF-8 with a `.cpg`).

use std::path::Path;

use gdal::DriverManager;

use super::write::write_layer;
use crate::crs::WorkingCrs;
use crate::error::{Error, Result};
use crate::model::Layer;

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

/// Writes `layer` to a new file at `path` (an existing file is replaced only once the new
/// one is complete).
pub fn export_layer(
    layer: &Layer,
    crs: WorkingCrs,
    path: &Path,
    format: ExportFormat,
) -> Result<()> {
    let write_err = |detail: String| Error::Write {
        path: path.to_path_buf(),
        detail,
    };
    let (driver_name, options): (&str, &[&str]) = match format {
        ExportFormat::GeoJson => ("GeoJSON", &["RFC7946=YES", "WRITE_NAME=NO"]),
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
        Ok(())
    })();
    if result.is_err() && target != path {
        let _ = std::fs::remove_file(&target);
    }
    result
}
