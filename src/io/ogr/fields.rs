//! Field names and values as raw bytes, before the text encoding is decided.

use std::ffi::CStr;

use gdal::vector::{Defn, Feature};
use gdal_sys::OGRFieldType;

use crate::model::FieldKind;

/// A field value before text decoding; a text is whatever the reader keeps of its raw
/// bytes (`T`), so that a repeated text need not be copied out of GDAL at all.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum RawValue<T> {
    Null,
    Integer(i64),
    Real(f64),
    Text(T),
}

/// The raw bytes of the name of field `i` (DBF names may be GBK).
pub(crate) fn field_name_bytes(defn: &Defn, i: usize) -> Vec<u8> {
    // SAFETY: the definition outlives this call; the name pointer is owned by GDAL and
    // copied before returning.
    unsafe {
        let fld = gdal_sys::OGR_FD_GetFieldDefn(defn.c_defn(), i as i32);
        if fld.is_null() {
            return Vec::new();
        }
        let name = gdal_sys::OGR_Fld_GetNameRef(fld);
        if name.is_null() {
            return Vec::new();
        }
        CStr::from_ptr(name).to_bytes().to_vec()
    }
}

/// Our field kind for an OGR field type (lists and binaries are read as text).
pub(crate) fn field_kind(ogr_type: OGRFieldType::Type) -> FieldKind {
    match ogr_type {
        OGRFieldType::OFTInteger | OGRFieldType::OFTInteger64 => FieldKind::Integer,
        OGRFieldType::OFTReal => FieldKind::Real,
        OGRFieldType::OFTDate | OGRFieldType::OFTDateTime | OGRFieldType::OFTTime => {
            FieldKind::Date
        }
        _ => FieldKind::Text,
    }
}

/// The value of field `i` of `feature` without decoding text: `keep` is handed the text's
/// raw bytes, valid only for the call, and returns what is kept of them.
pub(crate) fn raw_value<T>(
    feature: &Feature,
    i: usize,
    kind: FieldKind,
    keep: impl FnOnce(&[u8]) -> T,
) -> RawValue<T> {
    let idx = i as i32;
    // SAFETY: `feature` is alive for the call and `idx` is a valid field index of its
    // definition; the returned string is only read before the next GDAL call.
    unsafe {
        let h = feature.c_feature();
        if gdal_sys::OGR_F_IsFieldSetAndNotNull(h, idx) == 0 {
            return RawValue::Null;
        }
        match kind {
            FieldKind::Integer => RawValue::Integer(gdal_sys::OGR_F_GetFieldAsInteger64(h, idx)),
            FieldKind::Real => RawValue::Real(gdal_sys::OGR_F_GetFieldAsDouble(h, idx)),
            FieldKind::Text | FieldKind::Date => {
                let s = gdal_sys::OGR_F_GetFieldAsString(h, idx);
                if s.is_null() {
                    RawValue::Null
                } else {
                    RawValue::Text(keep(CStr::from_ptr(s).to_bytes()))
                }
            }
        }
    }
}
