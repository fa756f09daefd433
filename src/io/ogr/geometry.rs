//! OGR geometries walked into `geo` types: curves linearised, Z/M dropped, validity asked of
//! GEOS.

use std::ffi::CStr;

use gdal::vector::Feature;
use gdal_sys::{OGRGeometryH, OGRwkbGeometryType};
use geo::{
    Coord, Geometry, GeometryCollection, LineString, MultiLineString, MultiPoint, MultiPolygon,
    Point, Polygon,
};

/// A geometry type (its OGR name) that cannot be represented in `geo`; the reader adds the
/// file, layer and feature ([`crate::Error::UnsupportedGeometry`]).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct UnsupportedType(pub String);

/// What converting one OGR geometry found.
#[derive(Debug, Default)]
pub(crate) struct Converted {
    /// The geometry, `None` when NULL or empty.
    pub geometry: Option<Geometry<f64>>,
    /// The geometry was present but empty.
    pub empty: bool,
    /// Z or M values were dropped.
    pub had_zm: bool,
    /// Curves were linearised.
    pub linearised: bool,
    /// A polygonal geometry that GEOS finds invalid (self-intersection, bad ring…).
    pub invalid: bool,
}

/// GEOS validity of polygonal geometries (other types are not checked here).
///
/// GEOS through GDAL rather than `geo::Validation` because geo's check is quadratic in
/// the ring size: a real county outline of 10⁵ vertices takes seconds there and
/// milliseconds in GEOS.
///
/// # Safety
/// `h` must be a valid, non-null OGR geometry handle.
unsafe fn polygonal_invalid(h: OGRGeometryH) -> bool {
    // SAFETY: guaranteed by the caller.
    unsafe {
        let flat = gdal_sys::OGR_GT_Flatten(gdal_sys::OGR_G_GetGeometryType(h));
        matches!(
            flat,
            OGRwkbGeometryType::wkbPolygon | OGRwkbGeometryType::wkbMultiPolygon
        ) && gdal_sys::OGR_G_IsValid(h) == 0
    }
}

/// Converts a feature's geometry into `geo` types: curves linearised, Z/M dropped.
pub(crate) fn convert_geometry(feature: &Feature) -> Result<Converted, UnsupportedType> {
    // SAFETY: the geometry belongs to `feature`, alive for this call. A linearised copy is
    // owned here and destroyed before returning.
    unsafe {
        let h = gdal_sys::OGR_F_GetGeometryRef(feature.c_feature());
        if h.is_null() {
            return Ok(Converted::default());
        }
        if gdal_sys::OGR_G_IsEmpty(h) != 0 {
            return Ok(Converted {
                empty: true,
                ..Converted::default()
            });
        }
        let had_zm = gdal_sys::OGR_G_Is3D(h) != 0 || gdal_sys::OGR_G_IsMeasured(h) != 0;
        if gdal_sys::OGR_G_HasCurveGeometry(h, 1) != 0 {
            let linear = gdal_sys::OGR_G_GetLinearGeometry(h, 0.0, std::ptr::null_mut());
            if linear.is_null() {
                return Err(UnsupportedType("curve that cannot be linearised".into()));
            }
            let result = geo_from_ogr(linear);
            let invalid = polygonal_invalid(linear);
            gdal_sys::OGR_G_DestroyGeometry(linear);
            return Ok(Converted {
                geometry: Some(result?),
                empty: false,
                had_zm,
                linearised: true,
                invalid,
            });
        }
        Ok(Converted {
            geometry: Some(geo_from_ogr(h)?),
            empty: false,
            had_zm,
            linearised: false,
            invalid: polygonal_invalid(h),
        })
    }
}

/// Walks a linear OGR geometry into `geo` types.
///
/// # Safety
/// `h` must be a valid, non-null OGR geometry handle.
unsafe fn geo_from_ogr(h: OGRGeometryH) -> Result<Geometry<f64>, UnsupportedType> {
    // SAFETY: guaranteed by the caller; children are borrowed from `h`.
    unsafe {
        let flat = gdal_sys::OGR_GT_Flatten(gdal_sys::OGR_G_GetGeometryType(h));
        let children = |h: OGRGeometryH| {
            (0..gdal_sys::OGR_G_GetGeometryCount(h))
                .map(move |i| gdal_sys::OGR_G_GetGeometryRef(h, i))
        };
        Ok(match flat {
            OGRwkbGeometryType::wkbPoint => Geometry::Point(point(h)),
            OGRwkbGeometryType::wkbLineString | OGRwkbGeometryType::wkbLinearRing => {
                Geometry::LineString(line(h))
            }
            OGRwkbGeometryType::wkbPolygon | OGRwkbGeometryType::wkbTriangle => {
                Geometry::Polygon(polygon(h))
            }
            OGRwkbGeometryType::wkbMultiPoint => {
                Geometry::MultiPoint(MultiPoint(children(h).map(|c| point(c)).collect()))
            }
            OGRwkbGeometryType::wkbMultiLineString => {
                Geometry::MultiLineString(MultiLineString(children(h).map(|c| line(c)).collect()))
            }
            OGRwkbGeometryType::wkbMultiPolygon
            | OGRwkbGeometryType::wkbPolyhedralSurface
            | OGRwkbGeometryType::wkbTIN => {
                Geometry::MultiPolygon(MultiPolygon(children(h).map(|c| polygon(c)).collect()))
            }
            OGRwkbGeometryType::wkbGeometryCollection => {
                let parts = children(h)
                    .map(|c| geo_from_ogr(c))
                    .collect::<Result<Vec<_>, _>>()?;
                Geometry::GeometryCollection(GeometryCollection(parts))
            }
            other => {
                let name = CStr::from_ptr(gdal_sys::OGRGeometryTypeToName(other));
                return Err(UnsupportedType(name.to_string_lossy().into_owned()));
            }
        })
    }
}

/// # Safety
/// `h` must be a valid, non-null OGR point handle.
unsafe fn point(h: OGRGeometryH) -> Point<f64> {
    // SAFETY: `h` is a valid point handle (caller).
    unsafe { Point::new(gdal_sys::OGR_G_GetX(h, 0), gdal_sys::OGR_G_GetY(h, 0)) }
}

/// # Safety
/// `h` must be a valid, non-null OGR curve (line string or ring) handle.
unsafe fn line(h: OGRGeometryH) -> LineString<f64> {
    // SAFETY: `h` is a valid curve handle; each buffer holds `n` f64 with a stride of one
    // f64, exactly what OGR_G_GetPoints writes.
    unsafe {
        let n = gdal_sys::OGR_G_GetPointCount(h).max(0) as usize;
        let mut xs = vec![0.0f64; n];
        let mut ys = vec![0.0f64; n];
        if n > 0 {
            let stride = std::mem::size_of::<f64>() as i32;
            gdal_sys::OGR_G_GetPoints(
                h,
                xs.as_mut_ptr() as *mut _,
                stride,
                ys.as_mut_ptr() as *mut _,
                stride,
                std::ptr::null_mut(),
                0,
            );
        }
        LineString(
            xs.into_iter()
                .zip(ys)
                .map(|(x, y)| Coord { x, y })
                .collect(),
        )
    }
}

/// # Safety
/// `h` must be a valid, non-null OGR polygon handle.
unsafe fn polygon(h: OGRGeometryH) -> Polygon<f64> {
    // SAFETY: `h` is a valid polygon handle (caller); rings are borrowed from it.
    unsafe {
        let n = gdal_sys::OGR_G_GetGeometryCount(h);
        if n == 0 {
            return Polygon::new(LineString(Vec::new()), Vec::new());
        }
        let exterior = line(gdal_sys::OGR_G_GetGeometryRef(h, 0));
        let holes = (1..n)
            .map(|i| line(gdal_sys::OGR_G_GetGeometryRef(h, i)))
            .collect();
        Polygon::new(exterior, holes)
    }
}
