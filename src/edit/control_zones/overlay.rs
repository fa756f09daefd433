//! Polygon overlays of one village's control zones, in GEOS through GDAL.

use gdal::vector::ToGdal;
use geo::{Geometry, MultiPolygon, Polygon};

use crate::error::{Error, Result};
use crate::geometry::polygons_of;

/// A Boolean operation.
#[derive(Clone, Copy)]
pub(super) enum Op {
    Intersection,
    Difference,
    Union,
}

impl Op {
    fn name(self) -> &'static str {
        match self {
            Op::Intersection => "intersect",
            Op::Difference => "subtract",
            Op::Union => "unite",
        }
    }
}

/// Polygon overlays of one village, in GEOS through GDAL. On the nearly coincident
/// boundaries that land use, village boundaries and protection lines traced separately always
/// have, geo's `BooleanOps` (i_overlay 4.5) left thousands of sub-millimetre parts per sample
/// village and then panicked in a later overlay (an OGC-extraction assertion, reported
/// upstream as iShape-Rust/iOverlay#78); GEOS's overlay snaps such boundaries together
/// instead, and a failure comes back as an error naming the village.
pub(super) struct Overlay<'a> {
    pub(super) village: &'a str,
}

impl Overlay<'_> {
    /// GEOS could not do `what` in this village.
    fn error(&self, what: &str, detail: impl std::fmt::Display) -> Error {
        Error::geos(format!("{what} in village {}", self.village), detail)
    }

    fn ogr_of(&self, m: &MultiPolygon<f64>) -> Result<gdal::vector::Geometry> {
        m.to_gdal().map_err(|e| self.error("take the polygons", e))
    }

    fn geo_of(&self, g: &gdal::vector::Geometry) -> Result<MultiPolygon<f64>> {
        // The gdal crate cannot convert an empty polygon, which GEOS returns for "nothing".
        if g.is_empty() {
            return Ok(MultiPolygon(Vec::new()));
        }
        Geometry::<f64>::try_from(g)
            .map(|g| MultiPolygon(polygons_of(&g)))
            .map_err(|e| self.error("read its result", e))
    }

    /// `a` op `b`; lines and points a touching overlay yields are dropped.
    pub(super) fn apply(
        &self,
        a: &MultiPolygon<f64>,
        b: &MultiPolygon<f64>,
        op: Op,
    ) -> Result<MultiPolygon<f64>> {
        let (ga, gb) = (self.ogr_of(a)?, self.ogr_of(b)?);
        let result = match op {
            Op::Intersection => ga.intersection(&gb),
            Op::Difference => ga.difference(&gb),
            Op::Union => ga.union(&gb),
        }
        .ok_or_else(|| self.error(&format!("{} two zones", op.name()), ""))?;
        self.geo_of(&result)
    }

    /// The union of many polygons in one step (GEOS cascaded union; GDAL 3.6 offers no
    /// unary union and the gdal crate wraps neither).
    pub(super) fn dissolve(&self, polygons: Vec<Polygon<f64>>) -> Result<MultiPolygon<f64>> {
        if polygons.is_empty() {
            return Ok(MultiPolygon(polygons));
        }
        let parts = self.ogr_of(&MultiPolygon(polygons))?;
        let what = format!("dissolve the polygons in village {}", self.village);
        let dissolved = crate::io::union_cascaded(&parts, &what)?;
        Ok(MultiPolygon(
            dissolved.map(|g| polygons_of(&g)).unwrap_or_default(),
        ))
    }
}
