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
    /// GEOS's verdict on a polygon or multipolygon (self-intersection, bad ring… make it
    /// `Some(false)`); `None` for other types, which are not asked.
    pub valid: Option<bool>,
}

impl Converted {
    /// A polygonal geometry GEOS finds invalid.
    pub fn invalid(&self) -> bool {
        self.valid == Some(false)
    }
}

/// A feature's geometry taken out of it (`OGR_F_StealGeometry`) and owned here, freed on
/// drop: so the walk into `geo` and the GEOS validity can run on other threads while GDAL,
/// which reads one feature at a time, goes on reading.
pub(crate) struct OwnedGeometry(OGRGeometryH);

// SAFETY: an OGR geometry is a self-contained object with no thread affinity (no shared
// state, no thread-local handle); it moves with this value, so one thread at a time uses it.
unsafe impl Send for OwnedGeometry {}

impl Drop for OwnedGeometry {
    fn drop(&mut self) {
        // SAFETY: we own the non-null handle (taken from its feature) and free it once.
        unsafe { gdal_sys::OGR_G_DestroyGeometry(self.0) }
    }
}

/// Takes the geometry out of `feature` (`None` when it has none); the feature keeps NULL.
pub(crate) fn take_geometry(feature: &mut Feature) -> Option<OwnedGeometry> {
    // SAFETY: `feature` is alive and held mutably; OGR_F_StealGeometry hands over ownership
    // of its geometry (or NULL), which the wrapper frees exactly once.
    let h = unsafe { gdal_sys::OGR_F_StealGeometry(feature.c_feature()) };
    (!h.is_null()).then_some(OwnedGeometry(h))
}

/// GEOS validity of polygonal geometries (other types are not asked: `None`).
///
/// GEOS through GDAL rather than `geo::Validation` because geo's check is quadratic in
/// the ring size: a real county outline of 10⁵ vertices takes seconds there and
/// milliseconds in GEOS.
///
/// # Safety
/// `h` must be a valid, non-null OGR geometry handle.
unsafe fn polygonal_validity(h: OGRGeometryH) -> Option<bool> {
    // SAFETY: guaranteed by the caller.
    unsafe {
        let flat = gdal_sys::OGR_GT_Flatten(gdal_sys::OGR_G_GetGeometryType(h));
        matches!(
            flat,
            OGRwkbGeometryType::wkbPolygon | OGRwkbGeometryType::wkbMultiPolygon
        )
        .then(|| gdal_sys::OGR_G_IsValid(h) != 0)
    }
}

/// Converts a geometry taken from a feature into `geo` types: curves linearised, Z/M
/// dropped, polygonal validity asked of GEOS. `None` (no geometry) converts to nothing.
pub(crate) fn convert_geometry(
    geometry: Option<&OwnedGeometry>,
) -> Result<Converted, UnsupportedType> {
    let Some(&OwnedGeometry(h)) = geometry else {
        return Ok(Converted::default());
    };
    // SAFETY: `h` is owned by the wrapper, alive for this call. A linearised copy is owned
    // here and destroyed before returning.
    unsafe {
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
            let valid = polygonal_validity(linear);
            gdal_sys::OGR_G_DestroyGeometry(linear);
            return Ok(Converted {
                geometry: Some(result?),
                empty: false,
                had_zm,
                linearised: true,
                valid,
            });
        }
        Ok(Converted {
            geometry: Some(geo_from_ogr(h)?),
            empty: false,
            had_zm,
            linearised: false,
            valid: polygonal_validity(h),
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
