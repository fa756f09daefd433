//! The two GEOS operations the gdal crate does not wrap: polygonising noded lines (for split
//! and reshape) and the cascaded union of many polygons (the 管控边界 dissolve; GDAL 3.6 has
//! no unary union). Both hand back a geometry the caller owns; `take` reads it into `geo`
//! and frees it exactly once, so no caller touches a raw handle.

use geo::Geometry;

use crate::error::{Error, Result};

/// Reads a geometry GDAL handed over (`raw`, owned by us) and frees it. `Ok(None)` for an
/// empty result, which the gdal crate cannot convert.
///
/// # Safety
/// `raw` must be null or a valid OGR geometry handle that nothing else owns or frees.
unsafe fn take(raw: gdal_sys::OGRGeometryH, what: &str) -> Result<Option<Geometry<f64>>> {
    if raw.is_null() {
        return Err(Error::geos(what, ""));
    }
    let converted = {
        // SAFETY: `raw` is non-null and stays alive until destroyed after this block; the
        // unowned wrapper never frees it.
        let wrapper = unsafe {
            let g = gdal::vector::Geometry::lazy_feature_geometry();
            g.set_c_geometry(raw);
            g
        };
        if wrapper.is_empty() {
            Ok(None)
        } else {
            Geometry::<f64>::try_from(&wrapper)
                .map(Some)
                .map_err(|e| Error::geos(what, e))
        }
    };
    // SAFETY: we own `raw` (the caller's contract) and the wrapper did not free it.
    unsafe { gdal_sys::OGR_G_DestroyGeometry(raw) };
    converted
}

/// The faces of noded linework (`OGR_G_Polygonize`); a failure is an [`Error::Geos`] saying
/// GEOS could not `what` (the caller's words, e.g. "build faces from the line").
pub(crate) fn polygonize(
    noded: &gdal::vector::Geometry,
    what: &str,
) -> Result<Option<Geometry<f64>>> {
    // SAFETY: `noded` owns a valid geometry for the call; the result is a new owned handle.
    unsafe { take(gdal_sys::OGR_G_Polygonize(noded.c_geometry()), what) }
}

/// The union of the polygons of a multipolygon in one step (`OGR_G_UnionCascaded`); a
/// failure says GEOS could not `what`.
pub(crate) fn union_cascaded(
    polygons: &gdal::vector::Geometry,
    what: &str,
) -> Result<Option<Geometry<f64>>> {
    // SAFETY: `polygons` owns a valid geometry for the call; the result is a new owned handle.
    unsafe { take(gdal_sys::OGR_G_UnionCascaded(polygons.c_geometry()), what) }
}
