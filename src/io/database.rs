//! Writing a database of typed tables — text of a fixed length, doubles, Float32, Int16,
//! each field with its alias, layers in feature datasets — as a FileGDB (GDAL's OpenFileGDB
//! driver) or a GeoPackage: the delivery database of docs/domain.md §9.
//!
//! What each format keeps: the FileGDB stores feature datasets, layer and field aliases and
//! the subtypes itself. GDAL 3.6's GeoPackage driver drops field aliases on write, so they
//! go into `gpkg_data_columns` by SQL ([`super::gpkg_schema`]); the layer's alias becomes
//! its `gpkg_contents.identifier` and its dataset the description.
//!
//! Atomic as every save: written beside the target under a temporary name, then renamed
//! over it (a FileGDB is a folder: the old one is moved aside first and removed after).

use std::path::Path;

use gdal::spatial_ref::SpatialRef;
use gdal::vector::{Feature as OgrFeature, LayerAccess, LayerOptions, ToGdal};
use gdal::{Dataset, DriverManager};
use gdal_sys::OGRwkbGeometryType;
use geo::{Geometry, MultiLineString, MultiPolygon};

use super::ogr::{FieldType, create_typed_field};
use crate::error::{Error, Result};
use crate::model::{AttrValue, GeometryKind};
use crate::progress::Progress;

/// The container a database is written as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DatabaseFormat {
    /// An Esri file geodatabase folder (`.gdb`).
    FileGdb,
    /// A GeoPackage (`.gpkg`).
    GeoPackage,
}

impl DatabaseFormat {
    /// `gdb` / `gpkg` (as the CLI spells them).
    pub fn parse(text: &str) -> Option<Self> {
        match text.trim().to_ascii_lowercase().as_str() {
            "gdb" | "filegdb" => Some(DatabaseFormat::FileGdb),
            "gpkg" | "geopackage" => Some(DatabaseFormat::GeoPackage),
            _ => None,
        }
    }

    /// The file name extension, without the dot.
    pub fn extension(self) -> &'static str {
        match self {
            DatabaseFormat::FileGdb => "gdb",
            DatabaseFormat::GeoPackage => "gpkg",
        }
    }
}

/// One field of a typed table.
#[derive(Debug, Clone, PartialEq)]
pub struct TypedField {
    pub name: String,
    pub alias: String,
    pub field_type: FieldType,
}

/// One row: its geometry (in the database's CRS) and one value per field, already of the
/// field's type (text for `Text`, real for `Double`/`Float32`, integer for `Int16`).
#[derive(Debug, Clone, PartialEq)]
pub struct TypedRow {
    pub geometry: Option<Geometry<f64>>,
    pub values: Vec<AttrValue>,
}

/// A table (a layer when it has a geometry kind other than `None`).
#[derive(Debug, Clone, PartialEq)]
pub struct TypedTable {
    pub name: String,
    pub alias: String,
    /// The feature dataset holding it (FileGDB); `None` at the top level.
    pub dataset: Option<String>,
    pub geometry: GeometryKind,
    pub fields: Vec<TypedField>,
    pub rows: Vec<TypedRow>,
}

/// Writes `tables` to `path` in `format`, geometries in `srs`, replacing what is there only
/// once everything is written.
pub fn write_database(
    path: &Path,
    format: DatabaseFormat,
    srs: &SpatialRef,
    tables: &[TypedTable],
    progress: &dyn Progress,
) -> Result<()> {
    let temp = super::project_file::temporary_save_path(path);
    remove_any(&temp)?;
    let written = write_into(&temp, path, format, srs, tables, progress);
    if let Err(e) = written {
        let _ = remove_any(&temp);
        return Err(e);
    }
    replace(&temp, path)
}

fn remove_any(path: &Path) -> Result<()> {
    let removed = if path.is_dir() {
        std::fs::remove_dir_all(path)
    } else if path.exists() {
        std::fs::remove_file(path)
    } else {
        Ok(())
    };
    removed.map_err(|e| Error::io(path, e))
}

/// Moves the finished `temp` to `path`; an existing folder is moved aside first, so a
/// failure leaves the old database in place.
fn replace(temp: &Path, path: &Path) -> Result<()> {
    if path.is_dir() {
        let aside = path.with_file_name(format!(
            ".{}.old-{}",
            path.file_name().unwrap_or_default().to_string_lossy(),
            std::process::id()
        ));
        std::fs::rename(path, &aside).map_err(|e| Error::io(path, e))?;
        if let Err(e) = std::fs::rename(temp, path) {
            let _ = std::fs::rename(&aside, path);
            return Err(Error::io(path, e));
        }
        remove_any(&aside)
    } else {
        std::fs::rename(temp, path).map_err(|e| Error::io(path, e))
    }
}

fn write_into(
    temp: &Path,
    path: &Path,
    format: DatabaseFormat,
    srs: &SpatialRef,
    tables: &[TypedTable],
    progress: &dyn Progress,
) -> Result<()> {
    let fail = |detail: String| Error::Write {
        path: path.to_path_buf(),
        detail,
    };
    let driver_name = match format {
        DatabaseFormat::FileGdb => "OpenFileGDB",
        DatabaseFormat::GeoPackage => "GPKG",
    };
    let driver = DriverManager::get_driver_by_name(driver_name)
        .map_err(|e| fail(format!("{driver_name} driver missing: {e}")))?;
    let mut ds = driver
        .create_vector_only(temp)
        .map_err(|e| fail(e.to_string()))?;
    progress.begin(
        "写出成果数据库",
        tables.iter().map(|t| t.rows.len() as u64).sum(),
    );
    for table in tables {
        super::ogr::reset_gdal_error();
        let in_transaction = super::ogr::begin_transaction(&ds);
        let written = write_table(&mut ds, format, srs, table, progress)
            .map_err(|detail| fail(format!("table '{}': {detail}", table.name)));
        if in_transaction {
            let ended = super::ogr::end_transaction(&ds, written.is_ok());
            if written.is_ok() && !ended {
                return Err(fail(format!("table '{}': commit failed", table.name)));
            }
        }
        written?;
        if let Some(msg) = super::ogr::take_gdal_failure() {
            return Err(fail(format!("table '{}': {msg}", table.name)));
        }
    }
    if format == DatabaseFormat::GeoPackage {
        super::gpkg_schema::write_field_aliases(
            &ds,
            tables.iter().map(|t| {
                let fields = t.fields.iter().map(|f| (f.name.as_str(), f.alias.as_str()));
                (t.name.as_str(), fields.collect())
            }),
        )
        .map_err(|detail| fail(format!("field aliases: {detail}")))?;
    }
    super::ogr::reset_gdal_error();
    ds.close().map_err(|e| fail(e.to_string()))?;
    match super::ogr::take_gdal_failure() {
        Some(msg) => Err(fail(msg)),
        None => Ok(()),
    }
}

fn write_table(
    ds: &mut Dataset,
    format: DatabaseFormat,
    srs: &SpatialRef,
    table: &TypedTable,
    progress: &dyn Progress,
) -> std::result::Result<(), String> {
    let ty = match table.geometry {
        GeometryKind::Polygon => OGRwkbGeometryType::wkbMultiPolygon,
        GeometryKind::Line => OGRwkbGeometryType::wkbMultiLineString,
        GeometryKind::Point => OGRwkbGeometryType::wkbPoint,
        GeometryKind::Mixed => OGRwkbGeometryType::wkbUnknown,
        GeometryKind::None => OGRwkbGeometryType::wkbNone,
    };
    let mut options: Vec<String> = match format {
        DatabaseFormat::FileGdb => {
            let mut o = vec![format!("LAYER_ALIAS={}", table.alias)];
            if let Some(dataset) = &table.dataset {
                o.push(format!("FEATURE_DATASET={dataset}"));
            }
            o
        }
        DatabaseFormat::GeoPackage => {
            let mut o = vec![format!("IDENTIFIER={}", table.alias)];
            if let Some(dataset) = &table.dataset {
                o.push(format!("DESCRIPTION={dataset}/{}", table.name));
            }
            o
        }
    };
    if ty != OGRwkbGeometryType::wkbNone && format == DatabaseFormat::GeoPackage {
        options.push("SPATIAL_INDEX=YES".into());
    }
    let options: Vec<&str> = options.iter().map(String::as_str).collect();
    let layer = ds
        .create_layer(LayerOptions {
            name: &table.name,
            srs: (ty != OGRwkbGeometryType::wkbNone).then_some(srs),
            ty,
            options: Some(&options),
        })
        .map_err(|e| format!("cannot create it: {e}"))?;
    for field in &table.fields {
        create_typed_field(&layer, &field.name, &field.alias, field.field_type)
            .map_err(|e| format!("field '{}': {e}", field.name))?;
    }
    for (n, row) in table.rows.iter().enumerate() {
        let fail = |e: gdal::errors::GdalError| format!("row {}: {e}", n + 1);
        let mut f = OgrFeature::new(layer.defn()).map_err(fail)?;
        if let Some(g) = &row.geometry {
            let g = as_layer_type(g, table.geometry);
            f.set_geometry(g.to_gdal().map_err(fail)?).map_err(fail)?;
        }
        for (i, value) in row.values.iter().enumerate() {
            if let (AttrValue::Text(v), Some(field)) = (value, table.fields.get(i))
                && let FieldType::Text(max) = field.field_type
                && v.chars().count() > max as usize
            {
                return Err(format!(
                    "row {}: {} holds {} characters, the field {max}: '{v}'",
                    n + 1,
                    field.name,
                    v.chars().count()
                ));
            }
            super::write::set_value(&mut f, i, value).map_err(fail)?;
        }
        f.create(&layer).map_err(fail)?;
        progress.advance(1);
    }
    Ok(())
}

/// Single parts promoted to the layer's multi type (a delivery layer has one type).
fn as_layer_type(geometry: &Geometry<f64>, kind: GeometryKind) -> Geometry<f64> {
    match (kind, geometry) {
        (GeometryKind::Polygon, Geometry::Polygon(p)) => {
            Geometry::MultiPolygon(MultiPolygon(vec![p.clone()]))
        }
        (GeometryKind::Line, Geometry::LineString(l)) => {
            Geometry::MultiLineString(MultiLineString(vec![l.clone()]))
        }
        (GeometryKind::Point, Geometry::MultiPoint(m)) if m.0.len() == 1 => Geometry::Point(m.0[0]),
        _ => geometry.clone(),
    }
}
