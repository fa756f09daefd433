//! Writing layers through GDAL (project GeoPackages, exports).

use std::path::Path;

use gdal::Dataset;
use gdal::spatial_ref::SpatialRef;
use gdal::vector::{Feature as OgrFeature, FieldDefn, LayerAccess, LayerOptions, ToGdal};
use gdal_sys::{OGRFieldType, OGRwkbGeometryType};
use geo::Geometry;

use crate::error::{Error, Result};
use crate::model::{AttrValue, FieldKind, GeometryKind, Layer};

/// The OGR geometry type for a layer: the features' common type, or `Unknown`
/// (GEOMETRY) when they differ, so that a save/load round trip keeps every geometry's
/// exact type.
fn ogr_geometry_type(layer: &Layer) -> OGRwkbGeometryType::Type {
    let type_of = |g: &Geometry<f64>| match g {
        Geometry::Point(_) => OGRwkbGeometryType::wkbPoint,
        Geometry::MultiPoint(_) => OGRwkbGeometryType::wkbMultiPoint,
        Geometry::Line(_) | Geometry::LineString(_) => OGRwkbGeometryType::wkbLineString,
        Geometry::MultiLineString(_) => OGRwkbGeometryType::wkbMultiLineString,
        Geometry::Polygon(_) | Geometry::Rect(_) | Geometry::Triangle(_) => {
            OGRwkbGeometryType::wkbPolygon
        }
        Geometry::MultiPolygon(_) => OGRwkbGeometryType::wkbMultiPolygon,
        Geometry::GeometryCollection(_) => OGRwkbGeometryType::wkbGeometryCollection,
    };
    let mut common = None;
    for g in layer.features().iter().filter_map(|f| f.geometry.as_ref()) {
        let t = type_of(g);
        match common {
            None => common = Some(t),
            Some(c) if c != t => return OGRwkbGeometryType::wkbUnknown,
            _ => {}
        }
    }
    // An empty layer (just created, every feature deleted) keeps its declared kind, so it
    // stays a spatial layer through save and load.
    common.unwrap_or(match layer.geometry_kind {
        GeometryKind::Polygon => OGRwkbGeometryType::wkbMultiPolygon,
        GeometryKind::Line => OGRwkbGeometryType::wkbMultiLineString,
        GeometryKind::Point => OGRwkbGeometryType::wkbMultiPoint,
        GeometryKind::Mixed => OGRwkbGeometryType::wkbUnknown,
        GeometryKind::None => OGRwkbGeometryType::wkbNone,
    })
}

fn ogr_field_type(kind: FieldKind) -> OGRFieldType::Type {
    match kind {
        FieldKind::Integer => OGRFieldType::OFTInteger64,
        FieldKind::Real => OGRFieldType::OFTReal,
        // Dates are kept as the text the source gave, so nothing is reinterpreted.
        FieldKind::Text | FieldKind::Date => OGRFieldType::OFTString,
    }
}

/// The table a layer becomes: its name and, where the target format needs other names
/// (a DBF's 10 bytes, a delivery schema), the output name of each of the layer's fields.
#[derive(Clone, Copy)]
pub(crate) struct Table<'a> {
    pub name: &'a str,
    pub field_names: Option<&'a [String]>,
}

impl<'a> Table<'a> {
    /// A table keeping the layer's field names.
    pub fn named(name: &'a str) -> Self {
        Table {
            name,
            field_names: None,
        }
    }
}

/// Writes `layer` as a new table of `ds`, the file being written at `path`.
pub(crate) fn write_layer(
    ds: &mut Dataset,
    path: &Path,
    layer: &Layer,
    table: Table,
    srs: &SpatialRef,
    creation_options: &[&str],
) -> Result<()> {
    let fail = |detail: String| Error::Write {
        path: path.to_path_buf(),
        detail,
    };
    // One transaction per layer where the driver has them (GeoPackage): much faster, and
    // a failure leaves no half-written table. GeoJSON and Shapefile have none.
    super::ogr::reset_gdal_error();
    let in_transaction = super::ogr::begin_transaction(ds);
    let written = write_features(ds, path, layer, table, srs, creation_options);
    let table = table.name;
    if in_transaction {
        let ended = super::ogr::end_transaction(ds, written.is_ok());
        if written.is_ok() && !ended {
            return Err(fail(format!("table '{table}': commit failed")));
        }
    }
    written?;
    match super::ogr::take_gdal_failure() {
        Some(msg) => Err(fail(format!("table '{table}': {msg}"))),
        None => Ok(()),
    }
}

fn write_features(
    ds: &mut Dataset,
    path: &Path,
    layer: &Layer,
    table: Table,
    srs: &SpatialRef,
    creation_options: &[&str],
) -> Result<()> {
    let fail = |detail: String| Error::Write {
        path: path.to_path_buf(),
        detail,
    };
    let names: Vec<&str> = match table.field_names {
        Some(names) if names.len() == layer.fields().len() => {
            names.iter().map(String::as_str).collect()
        }
        Some(names) => {
            return Err(fail(format!(
                "table '{}': {} output field names for {} fields",
                table.name,
                names.len(),
                layer.fields().len()
            )));
        }
        None => layer.fields().iter().map(|f| f.name.as_str()).collect(),
    };
    let table = table.name;
    let geometry_type = ogr_geometry_type(layer);
    let out = ds
        .create_layer(LayerOptions {
            name: table,
            srs: (geometry_type != OGRwkbGeometryType::wkbNone).then_some(srs),
            ty: geometry_type,
            options: Some(creation_options),
        })
        .map_err(|e| fail(format!("cannot create table '{table}': {e}")))?;
    for (field, name) in layer.fields().iter().zip(names) {
        FieldDefn::new(name, ogr_field_type(field.kind))
            .and_then(|d| d.add_to_layer(&out))
            .map_err(|e| fail(format!("table '{table}', field '{name}': {e}")))?;
    }
    for feature in layer.features() {
        let fail = |e: gdal::errors::GdalError| {
            fail(format!("table '{table}', feature {}: {e}", feature.id))
        };
        let mut f = OgrFeature::new(out.defn()).map_err(fail)?;
        super::ogr::set_fid(&mut f, feature.id);
        if let Some(g) = &feature.geometry {
            f.set_geometry(g.to_gdal().map_err(fail)?).map_err(fail)?;
        }
        for (i, value) in feature.attributes.iter().enumerate() {
            set_value(&mut f, i, value).map_err(fail)?;
        }
        f.create(&out).map_err(fail)?;
    }
    Ok(())
}

/// Sets field `i` of an OGR feature being written to `value` (NULL stays NULL).
pub(crate) fn set_value(
    f: &mut OgrFeature,
    i: usize,
    value: &AttrValue,
) -> std::result::Result<(), gdal::errors::GdalError> {
    match value {
        AttrValue::Null => f.set_field_null(i),
        AttrValue::Integer(v) => f.set_field_integer64(i, *v),
        AttrValue::Real(v) => f.set_field_double(i, *v),
        AttrValue::Text(v) => f.set_field_string(i, v),
    }
}
