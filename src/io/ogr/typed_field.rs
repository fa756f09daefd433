//! Creating a field with a width, a subtype and an alias: the `gdal` crate's `FieldDefn`
//! sets none of the last two, and the delivery database needs all three (docs/domain.md §9:
//! `F` is a Float32, `I16` an Int16, every field carries its Chinese alias).

use std::ffi::CString;

use gdal::vector::LayerAccess;
use gdal_sys::{OGRErr, OGRFieldSubType, OGRFieldType};

/// The stored type of a delivered field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldType {
    /// Text of at most this many characters (`C`).
    Text(u32),
    /// A double (`D`).
    Double,
    /// A single-precision float (`F`).
    Float32,
    /// A short integer (`I16`).
    Int16,
    /// A 32-bit integer (a FileGDB's Long Integer), for the plan's own whole-number fields.
    Integer,
}

/// Adds the field `name` (alias `alias`) of `field_type` to `layer`; the error is GDAL's.
pub(crate) fn create_typed_field(
    layer: &impl LayerAccess,
    name: &str,
    alias: &str,
    field_type: FieldType,
) -> std::result::Result<(), String> {
    let c_name = CString::new(name).map_err(|e| e.to_string())?;
    let c_alias = CString::new(alias).map_err(|e| e.to_string())?;
    let (ogr_type, subtype, width) = match field_type {
        FieldType::Text(n) => (OGRFieldType::OFTString, OGRFieldSubType::OFSTNone, n),
        FieldType::Double => (OGRFieldType::OFTReal, OGRFieldSubType::OFSTNone, 0),
        FieldType::Float32 => (OGRFieldType::OFTReal, OGRFieldSubType::OFSTFloat32, 0),
        FieldType::Int16 => (OGRFieldType::OFTInteger, OGRFieldSubType::OFSTInt16, 0),
        FieldType::Integer => (OGRFieldType::OFTInteger, OGRFieldSubType::OFSTNone, 0),
    };
    // SAFETY: the definition is created, configured, copied into the layer by
    // OGR_L_CreateField (which does not keep the pointer) and destroyed here; the strings
    // outlive the calls that read them; the layer handle is valid while `layer` is borrowed.
    unsafe {
        let defn = gdal_sys::OGR_Fld_Create(c_name.as_ptr(), ogr_type);
        if defn.is_null() {
            return Err("OGR_Fld_Create failed".into());
        }
        gdal_sys::OGR_Fld_SetSubType(defn, subtype);
        if width > 0 {
            gdal_sys::OGR_Fld_SetWidth(defn, width as i32);
        }
        gdal_sys::OGR_Fld_SetAlternativeName(defn, c_alias.as_ptr());
        let rv = gdal_sys::OGR_L_CreateField(layer.c_layer(), defn, 1);
        gdal_sys::OGR_Fld_Destroy(defn);
        if rv != OGRErr::OGRERR_NONE {
            return Err(format!("OGR_L_CreateField returned {rv}"));
        }
    }
    Ok(())
}
