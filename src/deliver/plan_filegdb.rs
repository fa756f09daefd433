//! The whole plan, or one layer, as a FileGDB (`villageplan export --format gdb`): the plan
//! GeoPackage's table names ([`table_names`]), the layer's display name as its FileGDB
//! alias and the fields' Chinese names (from the delivery structure file, else the field's
//! own name) as field aliases, which the FileGDB stores itself; written by the delivery
//! database's writer ([`write_database`], atomic). Unlike the delivery database
//! (`villageplan deliver`) it keeps every layer with the project's own fields; a text field
//! is as wide as its longest value. No styles: a FileGDB has no table QGIS reads them from.

use std::path::Path;

use super::database::schema::DeliverySchema;
use super::plan_geopackage::{Written, table_names};
use crate::error::Result;
use crate::io::{DatabaseFormat, FieldType, TypedField, TypedRow, TypedTable, write_database};
use crate::model::{FieldKind, Layer, Project};
use crate::progress::Progress;

/// Writes `layers` of `project` into the FileGDB folder `path` in the working CRS.
pub fn write_plan_filegdb(
    project: &Project,
    layers: &[&Layer],
    path: &Path,
    progress: &dyn Progress,
) -> Result<Written> {
    let schema = DeliverySchema::bundled()?;
    let names = table_names(layers.iter().copied());
    let tables: Vec<TypedTable> = layers
        .iter()
        .zip(names)
        .map(|(layer, name)| typed_table(layer, name, &schema))
        .collect();
    let srs = project.crs.spatial_ref()?;
    write_database(path, DatabaseFormat::FileGdb, &srs, &tables, progress)?;
    Ok(tables
        .iter()
        .map(|t| format!("{}: {} ({} features)", t.name, t.alias, t.rows.len()))
        .collect())
}

fn typed_table(layer: &Layer, name: String, schema: &DeliverySchema) -> TypedTable {
    let fields = layer
        .fields()
        .iter()
        .enumerate()
        .map(|(i, f)| TypedField {
            name: f.name.clone(),
            alias: schema.alias_of(&f.name).unwrap_or(&f.name).to_string(),
            field_type: match f.kind {
                FieldKind::Integer => FieldType::Integer,
                FieldKind::Real => FieldType::Double,
                FieldKind::Text | FieldKind::Date => FieldType::Text(widest(layer, i).max(1)),
            },
        })
        .collect();
    TypedTable {
        name,
        alias: layer.name.clone(),
        dataset: None,
        geometry: layer.geometry_kind,
        fields,
        rows: layer
            .features()
            .iter()
            .map(|f| TypedRow {
                geometry: f.geometry.clone(),
                values: f.attributes.clone(),
            })
            .collect(),
    }
}

/// Characters of the longest text in column `col`.
fn widest(layer: &Layer, col: usize) -> u32 {
    layer
        .features()
        .iter()
        .filter_map(|f| f.attributes[col].as_text().map(|t| t.chars().count()))
        .max()
        .unwrap_or(0) as u32
}
