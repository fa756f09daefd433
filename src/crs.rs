//! Coordinate reference systems through PROJ (via GDAL's OSR).
//!
//! Every layer is transformed once, on load, into the project's working CRS: CGCS2000 3°
//! Gauss-Kruger of the zone that holds the data's centroid (DESIGN.md). Areas and distances
//! are only ever computed there. Names follow `a_from_b` (STYLE.md) so a point in the wrong
//! space shows in review.

use gdal::spatial_ref::{AxisMappingStrategy, CoordTransform, SpatialRef};
use geo::{CoordsIter, Geometry, MapCoordsInPlace};
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

/// EPSG code of CGCS2000 geographic (lat/lon axis order in the EPSG database).
pub const EPSG_CGCS2000: u32 = 4490;

/// EPSG of the first CGCS2000 3° GK CRS without zone prefix (CM 75°E).
const EPSG_GK3_NO_PREFIX_FIRST: u32 = 4534;
/// EPSG of the first CGCS2000 3° GK CRS with zone prefix (zone 25).
const EPSG_GK3_PREFIX_FIRST: u32 = 4513;
/// Eastings above this carry a zone prefix (zone · 10⁶ + 500 000).
pub const ZONE_PREFIX_EASTING: f64 = 1.0e7;

/// The project's working CRS: CGCS2000 3-degree Gauss-Kruger without zone prefix.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorkingCrs {
    epsg: u32,
}

impl WorkingCrs {
    /// The 3° zone whose central meridian is nearest to `lon` (CM = 3·round(lon/3)).
    pub fn for_longitude(lon: f64) -> Result<Self> {
        if !(73.5..=136.5).contains(&lon) {
            return Err(Error::Invalid(format!(
                "longitude {lon:.4} is outside China's 3° Gauss-Kruger zones (75°E–135°E); \
                 is the data in the CRS its file says?"
            )));
        }
        let cm = 3.0 * (lon / 3.0).round();
        Self::from_central_meridian(cm as u32)
    }

    /// The zone with central meridian `cm` degrees east (75, 78, … 135).
    pub fn from_central_meridian(cm: u32) -> Result<Self> {
        if !(75..=135).contains(&cm) || !cm.is_multiple_of(3) {
            return Err(Error::Invalid(format!(
                "{cm}°E is not a 3° Gauss-Kruger central meridian (75, 78, … 135)"
            )));
        }
        Ok(WorkingCrs {
            epsg: EPSG_GK3_NO_PREFIX_FIRST + (cm - 75) / 3,
        })
    }

    /// From an EPSG code, which must be a CGCS2000 3° GK zone without prefix (4534–4554).
    pub fn from_epsg(epsg: u32) -> Result<Self> {
        if !(EPSG_GK3_NO_PREFIX_FIRST..=EPSG_GK3_NO_PREFIX_FIRST + 20).contains(&epsg) {
            return Err(Error::Invalid(format!(
                "EPSG:{epsg} is not a CGCS2000 3° Gauss-Kruger CRS without zone prefix \
                 (EPSG:4534–4554)"
            )));
        }
        Ok(WorkingCrs { epsg })
    }

    /// The EPSG code.
    pub fn epsg(self) -> u32 {
        self.epsg
    }

    /// Central meridian in degrees east.
    pub fn central_meridian(self) -> u32 {
        75 + 3 * (self.epsg - EPSG_GK3_NO_PREFIX_FIRST)
    }

    /// `CGCS2000 3° Gauss-Kruger CM 99°E (EPSG:4542)`.
    pub fn label(self) -> String {
        format!(
            "CGCS2000 3° Gauss-Kruger CM {}°E (EPSG:{})",
            self.central_meridian(),
            self.epsg
        )
    }

    /// The PROJ definition, x = easting.
    pub fn spatial_ref(self) -> Result<SpatialRef> {
        epsg_srs(self.epsg)
    }
}

/// A spatial reference from an EPSG code, always with x = easting/longitude.
pub fn epsg_srs(epsg: u32) -> Result<SpatialRef> {
    let mut srs = SpatialRef::from_epsg(epsg).map_err(|e| Error::UnknownCrs {
        context: format!("EPSG:{epsg}"),
        detail: e.to_string(),
    })?;
    srs.set_axis_mapping_strategy(AxisMappingStrategy::TraditionalGisOrder);
    Ok(srs)
}

/// Parses what a user types for a CRS: `EPSG:4542`, `4542`, WKT or a PROJ string.
pub fn parse_crs(text: &str) -> Result<SpatialRef> {
    let t = text.trim();
    let parsed = match t.parse::<u32>() {
        Ok(code) => return epsg_srs(code),
        Err(_) => SpatialRef::from_definition(t),
    };
    let mut srs = parsed.map_err(|e| Error::UnknownCrs {
        context: format!("'{t}'"),
        detail: e.to_string(),
    })?;
    srs.set_axis_mapping_strategy(AxisMappingStrategy::TraditionalGisOrder);
    Ok(srs)
}

/// A short label for a CRS: `EPSG:4490 (China Geodetic Coordinate System 2000)`, or its
/// name when PROJ finds no code.
pub fn describe(srs: &SpatialRef) -> String {
    let name = srs.name().unwrap_or_else(|| "unnamed CRS".into());
    match (srs.auth_name(), srs.auth_code()) {
        (Some(auth), Ok(code)) => format!("{auth}:{code} ({name})"),
        _ => {
            let mut copy = srs.clone();
            match (copy.auto_identify_epsg(), copy.auth_code()) {
                (Ok(()), Ok(code)) => format!("EPSG:{code} ({name})"),
                _ => name,
            }
        }
    }
}

/// The zone-prefixed CGCS2000 3° GK CRS that an easting > 10⁷ implies (zone = ⌊x/10⁶⌋),
/// e.g. 33 500 000 → zone 33 → EPSG:4521.
pub fn zone_prefixed_epsg(easting: f64) -> Option<u32> {
    if easting <= ZONE_PREFIX_EASTING {
        return None;
    }
    let zone = (easting / 1.0e6).floor() as u32;
    (25..=45)
        .contains(&zone)
        .then(|| EPSG_GK3_PREFIX_FIRST + (zone - 25))
}

/// Corrects a declared CRS by what the coordinates say.
///
/// A common defect of delivered data: the `.prj` names a Gauss-Kruger CRS without zone
/// prefix while the eastings carry one (> 10⁷). Taken literally the data would land
/// thousands of kilometres away, so the prefixed zone is used instead and the caller is told
/// why. Returns the CRS to use and, when it changed, the reason.
pub fn reconcile_with_coordinates(
    declared: SpatialRef,
    min_easting: f64,
) -> Result<(SpatialRef, Option<String>)> {
    let Some(epsg) = zone_prefixed_epsg(min_easting) else {
        return Ok((declared, None));
    };
    let false_easting = declared
        .get_proj_param("false_easting")
        .ok()
        .flatten()
        .unwrap_or(0.0);
    if declared.is_projected() && false_easting > ZONE_PREFIX_EASTING {
        return Ok((declared, None));
    }
    let reason = format!(
        "eastings ≥ {min_easting:.0} carry a zone prefix but the declared CRS ({}) has none; \
         using EPSG:{epsg}",
        describe(&declared)
    );
    Ok((epsg_srs(epsg)?, Some(reason)))
}

/// A coordinate transformation between two CRSs (PROJ).
pub struct Transformer {
    inner: CoordTransform,
}

impl std::fmt::Debug for Transformer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Transformer")
    }
}

impl Transformer {
    /// `to_from_from`: builds the transformation from `from` into `to`.
    pub fn new(from: &SpatialRef, to: &SpatialRef) -> Result<Self> {
        let inner = CoordTransform::new(from, to).map_err(|e| Error::UnknownCrs {
            context: format!("{} → {}", describe(from), describe(to)),
            detail: e.to_string(),
        })?;
        Ok(Transformer { inner })
    }

    /// Working CRS → lon/lat CGCS2000 (for display and the slippy map).
    pub fn lonlat_from_gk(crs: WorkingCrs) -> Result<Self> {
        Self::new(&crs.spatial_ref()?, &epsg_srs(EPSG_CGCS2000)?)
    }

    /// Lon/lat CGCS2000 → working CRS.
    pub fn gk_from_lonlat(crs: WorkingCrs) -> Result<Self> {
        Self::new(&epsg_srs(EPSG_CGCS2000)?, &crs.spatial_ref()?)
    }

    /// Transforms coordinate arrays in place (one PROJ call for all of them). A failure is an
    /// [`Error::Transform`] without a source: the caller knows which file and feature.
    pub fn transform_xy(&self, xs: &mut [f64], ys: &mut [f64]) -> Result<()> {
        self.inner
            .transform_coords(xs, ys, &mut [])
            .map_err(|e| transform_error(e.to_string()))
    }

    /// Transforms one point.
    pub fn transform_point(&self, x: f64, y: f64) -> Result<(f64, f64)> {
        let (mut xs, mut ys) = ([x], [y]);
        self.transform_xy(&mut xs, &mut ys)?;
        Ok((xs[0], ys[0]))
    }

    /// Transforms every coordinate of a geometry in place with a single batched call.
    pub fn transform_geometry(&self, geometry: &mut Geometry<f64>) -> Result<()> {
        let (mut xs, mut ys): (Vec<f64>, Vec<f64>) =
            geometry.coords_iter().map(|c| (c.x, c.y)).unzip();
        self.transform_xy(&mut xs, &mut ys)?;
        if xs.iter().chain(&ys).any(|v| !v.is_finite()) {
            return Err(transform_error(
                "coordinates outside the CRS's domain".into(),
            ));
        }
        // The closure must be `Copy`, so it captures references only; coordinates are
        // visited in the same order `coords_iter` produced them.
        let next = std::cell::Cell::new(0usize);
        let (xs, ys, next) = (&xs, &ys, &next);
        geometry.map_coords_in_place(|_| {
            let i = next.get();
            next.set(i + 1);
            geo::coord! { x: xs[i], y: ys[i] }
        });
        Ok(())
    }
}

/// A transformation as text that can cross threads. GDAL's spatial references and PROJ's
/// transformations belong to one thread at a time, so work spread over the cores builds
/// one [`Transformer`] per worker from this (PROJJSON keeps the whole definition, identifiers
/// included, so each worker transforms exactly as the original pair would).
#[derive(Debug, Clone)]
pub struct TransformRecipe {
    from: String,
    to: String,
}

impl TransformRecipe {
    /// The recipe of the transformation from `from` into `to`.
    pub fn new(from: &SpatialRef, to: &SpatialRef) -> Result<Self> {
        let json = |srs: &SpatialRef| {
            srs.to_projjson().map_err(|e| Error::UnknownCrs {
                context: describe(srs),
                detail: e.to_string(),
            })
        };
        Ok(TransformRecipe {
            from: json(from)?,
            to: json(to)?,
        })
    }

    /// A transformer of this thread's own (coordinates in x/y order, as everywhere here).
    pub fn build(&self) -> Result<Transformer> {
        let srs = |definition: &str| {
            let mut srs =
                SpatialRef::from_definition(definition).map_err(|e| Error::UnknownCrs {
                    context: "PROJJSON".into(),
                    detail: e.to_string(),
                })?;
            srs.set_axis_mapping_strategy(AxisMappingStrategy::TraditionalGisOrder);
            Ok::<_, Error>(srs)
        };
        Transformer::new(&srs(&self.from)?, &srs(&self.to)?)
    }
}

fn transform_error(detail: String) -> Error {
    Error::Transform {
        path: None,
        layer: None,
        fid: None,
        detail,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A worker's transformer built from the recipe gives the very coordinates the
    /// original pair gives, for an EPSG code and for a definition without one.
    #[test]
    fn a_recipe_transforms_exactly_like_its_pair() {
        let working = epsg_srs(4542).unwrap();
        let sources = [
            epsg_srs(EPSG_CGCS2000).unwrap(),
            parse_crs("+proj=tmerc +lat_0=0 +lon_0=100 +k=1 +x_0=500000 +y_0=0 +ellps=GRS80 +units=m +no_defs").unwrap(),
        ];
        let points = [
            [(99.5, 24.4), (99.95, 24.65), (100.2, 24.9)],
            [
                (420_000.0, 2_700_000.0),
                (512_345.678, 2_731_000.5),
                (560_000.0, 2_760_000.0),
            ],
        ];
        for (source, points) in sources.iter().zip(points) {
            let direct = Transformer::new(source, &working).unwrap();
            let rebuilt = TransformRecipe::new(source, &working)
                .unwrap()
                .build()
                .unwrap();
            for (x, y) in points {
                let a = direct.transform_point(x, y).unwrap();
                let b = rebuilt.transform_point(x, y).unwrap();
                assert_eq!(a.0.to_bits(), b.0.to_bits(), "{a:?} {b:?}");
                assert_eq!(a.1.to_bits(), b.1.to_bits(), "{a:?} {b:?}");
                assert!((a.0 - x).abs() > 1.0, "something was transformed");
            }
        }
    }

    #[test]
    fn zone_from_longitude() {
        let fengqing = WorkingCrs::for_longitude(99.9).unwrap();
        assert_eq!(fengqing.epsg(), 4542);
        assert_eq!(fengqing.central_meridian(), 99);
        assert_eq!(WorkingCrs::for_longitude(100.6).unwrap().epsg(), 4543);
        assert_eq!(WorkingCrs::for_longitude(75.0).unwrap().epsg(), 4534);
        assert_eq!(WorkingCrs::for_longitude(135.0).unwrap().epsg(), 4554);
        assert!(WorkingCrs::for_longitude(10.0).is_err());
        assert!(WorkingCrs::from_epsg(4326).is_err());
    }

    #[test]
    fn prefixed_eastings() {
        assert_eq!(zone_prefixed_epsg(33_512_345.0), Some(4521));
        assert_eq!(zone_prefixed_epsg(25_400_000.0), Some(4513));
        assert_eq!(zone_prefixed_epsg(512_345.0), None);
        assert_eq!(zone_prefixed_epsg(99_000_000.0), None);
    }
}
