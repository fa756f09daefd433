//! Every unsafe call of the crate: the parts of GDAL's C API that the safe `gdal` crate does
//! not cover, each behind a safe function.
//!
//! The crate decodes every string lossily as UTF-8, which would destroy GBK bytes before we
//! could decide the encoding, and its geometry conversion panics on curves; so raw field
//! bytes and geometry walking go through `gdal_sys` here ([`fields`], [`geometry`]). It also
//! lacks GEOS's polygoniser and cascaded union ([`geos`]), transactions that are not forced
//! (emulated) on drivers without them, and setting a feature's id ([`dataset`]), and fields with
//! subtypes and aliases ([`typed_field`]). The crate
//! root denies `unsafe_code`; this module alone is allowed it, and each block says why it
//! is sound (`SAFETY:`).

mod dataset;
mod fields;
mod geometry;
mod geos;
mod typed_field;

use std::ffi::CStr;

pub(crate) use dataset::{begin_transaction, end_transaction, set_fid};
pub(crate) use fields::{RawValue, field_kind, field_name_bytes, raw_value};
pub(crate) use geometry::{
    Converted, OwnedGeometry, UnsupportedType, convert_geometry, take_geometry,
};
pub(crate) use geos::{polygonize, union_cascaded};
pub use typed_field::FieldType;
pub(crate) use typed_field::create_typed_field;

/// Clears GDAL's last-error state, before a sequence of calls checked with
/// [`take_gdal_failure`].
pub(crate) fn reset_gdal_error() {
    // SAFETY: plain call into GDAL's thread-local error state.
    unsafe { gdal_sys::CPLErrorReset() }
}

/// The message of an error GDAL reported since the last reset, if any.
///
/// Some drivers report failures only through GDAL's error state (the GeoPackage driver
/// creates tables lazily and fails at commit or close without an error return), so writes
/// check it explicitly instead of trusting return codes alone.
pub(crate) fn take_gdal_failure() -> Option<String> {
    // SAFETY: reads GDAL's thread-local error state; the message is copied.
    unsafe {
        let kind = gdal_sys::CPLGetLastErrorType();
        if kind < gdal_sys::CPLErr::CE_Failure {
            return None;
        }
        let msg = CStr::from_ptr(gdal_sys::CPLGetLastErrorMsg())
            .to_string_lossy()
            .into_owned();
        gdal_sys::CPLErrorReset();
        Some(msg)
    }
}
