//! Writing: transactions where the driver has them, and feature ids kept through a save.

use gdal::Dataset;
use gdal::vector::Feature;

/// Starts a transaction on `ds` if its driver supports one natively (GeoPackage); returns
/// whether it did. Unlike the gdal crate's `start_transaction`, it never asks GDAL to
/// emulate one (GeoJSON, Shapefile), which would copy the whole file first. A driver that
/// refuses (OpenFileGDB) leaves its refusal in GDAL's error state; it is cleared, since
/// writing on without a transaction is what the caller wants then.
pub(crate) fn begin_transaction(ds: &Dataset) -> bool {
    // SAFETY: `ds` is a live dataset for the call (the borrow); `force = 0` only asks.
    let started = unsafe { gdal_sys::GDALDatasetStartTransaction(ds.c_dataset(), 0) == 0 };
    if !started {
        super::reset_gdal_error();
    }
    started
}

/// Commits (`commit`) or rolls back the transaction [`begin_transaction`] started on `ds`;
/// returns whether GDAL reported success.
pub(crate) fn end_transaction(ds: &Dataset, commit: bool) -> bool {
    // SAFETY: `ds` is a live dataset with a transaction in progress (the caller's
    // `begin_transaction` returned true on it).
    let status = unsafe {
        if commit {
            gdal_sys::GDALDatasetCommitTransaction(ds.c_dataset())
        } else {
            gdal_sys::GDALDatasetRollbackTransaction(ds.c_dataset())
        }
    };
    status == 0
}

/// Gives a feature about to be written the id it had in the project, so ids stay stable
/// across save and load (the gdal crate has no setter).
pub(crate) fn set_fid(feature: &mut Feature, fid: i64) {
    // SAFETY: `feature` is a live feature we hold mutably; OGR_F_SetFID only stores the id
    // in it (and always succeeds, so its status is not checked).
    unsafe {
        gdal_sys::OGR_F_SetFID(feature.c_feature(), fid);
    }
}
