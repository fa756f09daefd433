//! Everything that crosses the disk: reading sources (GDAL), text encodings, the project
//! GeoPackage.

pub mod bagit;
mod database;
mod encoding;
mod export;
mod geojson;
mod gpkg_schema;
mod import;
#[allow(unsafe_code)]
mod ogr;
mod plan_geopackage;
mod project_file;
mod read;
mod save_guard;
mod shapefile;
mod write;

pub use database::{DatabaseFormat, TypedField, TypedRow, TypedTable, write_database};
pub use encoding::{
    EncodingReason, TextEncoding, decide_dbf_encoding, encoding_for_ldid, encoding_for_name,
};
pub use export::{ExportFormat, attribute_properties, export_layer, rename_notes};
pub use geojson::{
    GeoJsonOutput, GeoJsonVariant, OutFeature, feature_collection, geometry_json, write_geojson,
};
pub use import::{add_source_to_project, project_from_layers, project_from_sources};
pub use ogr::FieldType;
pub(crate) use ogr::{polygonize, union_cascaded};
pub use plan_geopackage::{PlanTable, write_plan_geopackage};
pub use project_file::{
    LAYERS_TABLE, PROJECT_TABLE, load_project, save_project, temporary_save_path,
};
pub use read::{
    LayerDescription, LoadOptions, SourceLayer, Undecided, layer_names, read_all_layers,
    read_layer, read_named_layers,
};
pub use shapefile::{
    DBF_NAME_BYTES, FieldRename, ShapefileEncoding, ShapefileExport, dbf_field_names,
    write_shapefile,
};
