//! The whole plan as one GeoPackage for reviewers and other tools: every layer as a table
//! under the name the caller gives (docs/domain.md §9's where it has one), its Chinese name as
//! `gpkg_contents.identifier`, its fields' Chinese names in `gpkg_data_columns` and its QGIS
//! style in `layer_styles` ([`super::gpkg_schema`]), in the working CRS. Written under a
//! temporary name and renamed once complete, as every save.

use std::path::Path;

use gdal::DriverManager;

use super::write::{Table, write_layer};
use crate::crs::WorkingCrs;
use crate::error::{Error, Result};
use crate::model::Layer;
use crate::progress::Progress;

/// One layer of the plan GeoPackage.
pub struct PlanTable<'a> {
    pub layer: &'a Layer,
    /// The table's name (ASCII: CJDCQ, STBHHX, …).
    pub name: String,
    /// Its Chinese name (the layer's display name).
    pub identifier: String,
    /// What the layer is (its role), for `gpkg_contents.description`.
    pub description: String,
    /// `(field, alias)` for the fields that have a Chinese name.
    pub aliases: Vec<(String, String)>,
    /// The layer's style as a QGIS QML document, for `layer_styles`.
    pub style_qml: String,
}

/// Writes `tables` to the GeoPackage `path`.
pub fn write_plan_geopackage(
    path: &Path,
    crs: WorkingCrs,
    tables: &[PlanTable],
    progress: &dyn Progress,
) -> Result<()> {
    let fail = |detail: String| Error::Write {
        path: path.to_path_buf(),
        detail,
    };
    let driver = DriverManager::get_driver_by_name("GPKG")
        .map_err(|e| fail(format!("GeoPackage driver missing: {e}")))?;
    let temp = super::project_file::temporary_save_path(path);
    if temp.exists() {
        std::fs::remove_file(&temp).map_err(|e| Error::io(&temp, e))?;
    }
    let srs = crs.spatial_ref()?;
    let written = (|| {
        let mut ds = driver
            .create_vector_only(&temp)
            .map_err(|e| fail(e.to_string()))?;
        progress.begin(
            "写出规划数据 GeoPackage",
            tables.iter().map(|t| t.layer.features().len() as u64).sum(),
        );
        for t in tables {
            let identifier = format!("IDENTIFIER={}", t.identifier);
            let description = format!("DESCRIPTION={}", t.description);
            let options = ["SPATIAL_INDEX=YES", &identifier, &description];
            write_layer(
                &mut ds,
                path,
                t.layer,
                Table::named(&t.name),
                &srs,
                &options,
            )?;
            progress.advance(t.layer.features().len() as u64);
        }
        let aliases = tables.iter().map(|t| {
            let pairs = t.aliases.iter().map(|(f, a)| (f.as_str(), a.as_str()));
            (t.name.as_str(), pairs.collect())
        });
        super::gpkg_schema::write_field_aliases(&ds, aliases)
            .map_err(|detail| fail(format!("field aliases: {detail}")))?;
        let styles = tables
            .iter()
            .map(|t| (t.name.as_str(), t.identifier.as_str(), t.style_qml.as_str()));
        super::gpkg_schema::write_layer_styles(&ds, styles)
            .map_err(|detail| fail(format!("layer styles: {detail}")))?;
        super::ogr::reset_gdal_error();
        ds.close().map_err(|e| fail(e.to_string()))?;
        if let Some(msg) = super::ogr::take_gdal_failure() {
            return Err(fail(msg));
        }
        std::fs::rename(&temp, path).map_err(|e| Error::io(path, e))
    })();
    if written.is_err() {
        let _ = std::fs::remove_file(&temp);
    }
    written
}
