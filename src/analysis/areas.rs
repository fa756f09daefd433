//! Areas as the plan's numbers count them: on a stated basis — the CGCS2000 ellipsoid (what
//! 三调 `TBMJ` holds, so tables compare with survey figures) or the planar Gauss-Kruger
//! plane of the working CRS — and with each 三调 parcel's 田坎 deduction
//! (docs/domain.md §1.1, §7.4).
//!
//! *Ellipsoidal area*: the polygon's vertices are taken back to CGCS2000 lon/lat by PROJ
//! and the polygon through them is measured on the CGCS2000 ellipsoid (a = 6 378 137 m,
//! 1/f = 298.257222101) through its authalic sphere ([`AuthalicSphere`]: equal-area, so
//! exact but for the edges' shape, held to GeographicLib's geodesic polygon to a square
//! centimetre on parcels and villages). Edges are curves on the ellipsoid, not the
//! projected straight lines.
//! *Performance*: building a PROJ transformation costs far more than measuring a parcel,
//! and one may not be shared between threads, so each thread keeps its own ([`Scratch`]);
//! a layer's parcels go to PROJ in chunks of [`CHUNK`] (one call each, coordinates in
//! reused buffers, no polygon copied), the chunks spread over the cores. Measuring on the
//! authalic sphere instead of solving the inverse geodesic problem per edge (GeographicLib)
//! took a third off the tables' time on a county (benches/README.md).

use std::cell::RefCell;

use geo::{Area, Geometry, LineString, Polygon};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::crs::{Transformer, WorkingCrs};
use crate::error::{Error, Result};
use crate::geometry::{AuthalicSphere, for_each_polygon};
use crate::model::{AttrValue, Feature, Layer};

/// The CGCS2000 ellipsoid (the GRS 80 figure): semi-major axis and flattening.
const CGCS2000_A: f64 = 6_378_137.0;
const CGCS2000_F: f64 = 1.0 / 298.257_222_101;

/// Which area a number is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum AreaBasis {
    /// On the CGCS2000 ellipsoid, as 三调 `TBMJ`: the default of the tables.
    #[default]
    Ellipsoidal,
    /// In the plane of the working CRS (Gauss-Kruger), as the map measures.
    Planar,
}

impl AreaBasis {
    /// Parses `ellipsoidal` / `planar` (also 椭球 / 平面).
    pub fn parse(text: &str) -> Option<Self> {
        match text.trim().to_ascii_lowercase().as_str() {
            "ellipsoidal" | "椭球" | "椭球面积" => Some(AreaBasis::Ellipsoidal),
            "planar" | "平面" | "平面面积" => Some(AreaBasis::Planar),
            _ => None,
        }
    }

    /// What the numbers are, for a table's 说明 and every report: e.g. `椭球面积（CGCS2000
    /// 椭球）` or `平面面积（CGCS2000 3° 高斯-克吕格，EPSG:4542）`.
    pub fn describe_zh(self, crs: WorkingCrs) -> String {
        match self {
            AreaBasis::Ellipsoidal => "椭球面积（CGCS2000 椭球）".into(),
            AreaBasis::Planar => format!(
                "平面面积（CGCS2000 3° 高斯-克吕格投影，中央经线 {}°E，EPSG:{}）",
                crs.central_meridian(),
                crs.epsg()
            ),
        }
    }

    /// The same in English.
    pub fn describe_en(self, crs: WorkingCrs) -> String {
        match self {
            AreaBasis::Ellipsoidal => "ellipsoidal area (CGCS2000 ellipsoid)".into(),
            AreaBasis::Planar => format!(
                "planar area (CGCS2000 3° Gauss-Kruger, CM {}°E, EPSG:{})",
                crs.central_meridian(),
                crs.epsg()
            ),
        }
    }
}

/// Parcels per PROJ call when a whole layer is measured: large enough that the call's
/// overhead vanishes, small enough that both cores get many chunks.
const CHUNK: usize = 1024;

/// The ellipsoidal area (m²) of a polygonal geometry held in the working CRS; `lonlat`
/// takes working-CRS coordinates to CGCS2000 lon/lat. Holes are subtracted; points and
/// lines have no area.
pub fn ellipsoidal_area(geometry: &Geometry<f64>, lonlat: &Transformer) -> Result<f64> {
    RingBatch::default().measure(
        geometry,
        lonlat,
        &AuthalicSphere::new(CGCS2000_A, CGCS2000_F),
    )
}

/// The rings of a batch of geometries, coordinate after coordinate, so that one PROJ call
/// takes them all to lon/lat.
#[derive(Default)]
struct RingBatch {
    xs: Vec<f64>,
    ys: Vec<f64>,
    /// Per ring: where its coordinates end in `xs`/`ys`, and whether it is a hole.
    rings: Vec<(usize, bool)>,
    /// Per geometry: where its rings end in `rings`.
    geometries: Vec<usize>,
}

impl RingBatch {
    fn clear(&mut self) {
        self.xs.clear();
        self.ys.clear();
        self.rings.clear();
        self.geometries.clear();
    }

    /// The ellipsoidal area of one geometry, in this batch's buffers (emptied first).
    fn measure(
        &mut self,
        geometry: &Geometry<f64>,
        lonlat: &Transformer,
        sphere: &AuthalicSphere,
    ) -> Result<f64> {
        self.clear();
        self.push(Some(geometry));
        self.project_to_lonlat(lonlat)?;
        let mut areas = Vec::with_capacity(1);
        self.areas(sphere, &mut areas);
        Ok(areas.iter().sum())
    }

    /// Adds a geometry's polygons (none for `None`, points and lines: area 0).
    fn push(&mut self, geometry: Option<&Geometry<f64>>) {
        if let Some(geometry) = geometry {
            for_each_polygon(geometry, &mut |polygon| {
                self.push_ring(polygon.exterior(), false);
                for hole in polygon.interiors() {
                    self.push_ring(hole, true);
                }
            });
        }
        self.geometries.push(self.rings.len());
    }

    fn push_ring(&mut self, ring: &LineString<f64>, hole: bool) {
        self.xs.extend(ring.0.iter().map(|c| c.x));
        self.ys.extend(ring.0.iter().map(|c| c.y));
        self.rings.push((self.xs.len(), hole));
    }

    fn project_to_lonlat(&mut self, lonlat: &Transformer) -> Result<()> {
        if self.xs.is_empty() {
            return Ok(());
        }
        lonlat.transform_xy(&mut self.xs, &mut self.ys)
    }

    /// Appends the area of each geometry pushed, in order: exteriors added, holes
    /// subtracted, never below 0.
    fn areas(&self, sphere: &AuthalicSphere, out: &mut Vec<f64>) {
        let (mut ring_start, mut coord_start) = (0, 0);
        for &ring_end in &self.geometries {
            let mut total = 0.0;
            for &(coord_end, hole) in &self.rings[ring_start..ring_end] {
                let (lons, lats) = (
                    &self.xs[coord_start..coord_end],
                    &self.ys[coord_start..coord_end],
                );
                // Signed, then unsigned: GEOS writes overlay results clockwise.
                let area = sphere.signed_ring_area(lons, lats).abs();
                total += if hole { -area } else { area };
                coord_start = coord_end;
            }
            ring_start = ring_end;
            out.push(total.max(0.0));
        }
    }
}

thread_local! {
    /// This thread's transformation, ellipsoid and buffers (see the module's *Performance*).
    static SCRATCH: RefCell<Option<Scratch>> = const { RefCell::new(None) };
}

/// What measuring needs that is costly to build: kept per thread, for one working CRS.
struct Scratch {
    crs: WorkingCrs,
    lonlat: Transformer,
    sphere: AuthalicSphere,
    batch: RingBatch,
}

impl Scratch {
    /// Runs `f` with this thread's scratch for `crs`, built on first use (or when the CRS
    /// changes).
    fn with<R>(crs: WorkingCrs, f: impl FnOnce(&mut Scratch) -> Result<R>) -> Result<R> {
        let kept = SCRATCH.with(|cell| cell.borrow_mut().take());
        let mut scratch = match kept {
            Some(s) if s.crs == crs => s,
            _ => Scratch {
                crs,
                lonlat: Transformer::lonlat_from_gk(crs)?,
                sphere: AuthalicSphere::new(CGCS2000_A, CGCS2000_F),
                batch: RingBatch::default(),
            },
        };
        let result = f(&mut scratch);
        SCRATCH.with(|cell| *cell.borrow_mut() = Some(scratch));
        result
    }

    /// The ellipsoidal area of one geometry.
    fn area(&mut self, geometry: &Geometry<f64>) -> Result<f64> {
        self.batch.measure(geometry, &self.lonlat, &self.sphere)
    }

    /// The ellipsoidal areas of `features` (0 without polygonal geometry), one PROJ call
    /// for all; when PROJ refuses the batch, the features are measured one by one so the
    /// error names the one it cannot take.
    fn feature_areas(&mut self, layer: &str, features: &[Feature]) -> Result<Vec<f64>> {
        self.batch.clear();
        for feature in features {
            self.batch.push(feature.geometry.as_ref());
        }
        if self.batch.project_to_lonlat(&self.lonlat).is_err() {
            return features
                .iter()
                .map(|f| match &f.geometry {
                    Some(g) => self.area(g).map_err(|e| e.in_feature(layer, f.id)),
                    None => Ok(0.0),
                })
                .collect();
        }
        let mut areas = Vec::with_capacity(features.len());
        self.batch.areas(&self.sphere, &mut areas);
        Ok(areas)
    }
}

/// Measures areas on one basis in one working CRS.
#[derive(Debug, Clone, Copy)]
pub struct AreaMeasure {
    /// The basis of every number this gives.
    pub basis: AreaBasis,
    /// The working CRS the geometries are in.
    pub crs: WorkingCrs,
}

impl AreaMeasure {
    /// A measure on `basis` for geometries held in `crs`.
    pub fn new(basis: AreaBasis, crs: WorkingCrs) -> Self {
        AreaMeasure { basis, crs }
    }

    /// The area (m²) of one geometry.
    pub fn area(&self, geometry: &Geometry<f64>) -> Result<f64> {
        match self.basis {
            AreaBasis::Planar => Ok(geometry.unsigned_area()),
            AreaBasis::Ellipsoidal => Scratch::with(self.crs, |s| s.area(geometry)),
        }
    }

    /// The area (m²) of one polygon.
    pub fn polygon_area(&self, polygon: &Polygon<f64>) -> Result<f64> {
        self.area(&Geometry::Polygon(polygon.clone()))
    }

    /// The areas of every feature of `layer` (0 where there is no polygonal geometry), on
    /// all cores; a coordinate PROJ cannot take back to lon/lat names the feature.
    pub fn layer_areas(&self, layer: &Layer) -> Result<Vec<f64>> {
        let features = layer.features();
        match self.basis {
            AreaBasis::Planar => Ok(features
                .iter()
                .map(|f| f.geometry.as_ref().map_or(0.0, |g| g.unsigned_area()))
                .collect()),
            AreaBasis::Ellipsoidal => {
                let crs = self.crs;
                // Once here, so a CRS PROJ cannot use is one error, not one per chunk.
                Scratch::with(crs, |_| Ok(()))?;
                let chunks = features
                    .par_chunks(CHUNK)
                    .map(|chunk| Scratch::with(crs, |s| s.feature_areas(&layer.name, chunk)))
                    .collect::<Result<Vec<_>>>()?;
                Ok(chunks.concat())
            }
        }
    }
}

/// Which field gave a parcel's 田坎 deduction (docs/domain.md §1.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DeductionRule {
    /// `KCMJ / TBMJ`: both present (the survey's own deducted area).
    AreaRatio,
    /// `KCXS`: the coefficient alone.
    Coefficient,
    /// Neither: nothing deducted.
    None,
}

impl DeductionRule {
    /// How a report names the rule.
    pub fn describe_zh(self) -> &'static str {
        match self {
            DeductionRule::AreaRatio => "扣除面积比例 KCMJ/TBMJ",
            DeductionRule::Coefficient => "扣除系数 KCXS",
            DeductionRule::None => "无扣除字段，未扣除",
        }
    }

    /// The same in English.
    pub fn describe_en(self) -> &'static str {
        match self {
            DeductionRule::AreaRatio => "deducted area ratio KCMJ/TBMJ",
            DeductionRule::Coefficient => "deduction coefficient KCXS",
            DeductionRule::None => "no deduction fields, nothing deducted",
        }
    }
}

/// The deduction fields of a 三调 parcel layer, found once.
#[derive(Debug, Clone, Copy, Default)]
pub struct DeductionFields {
    tbmj: Option<usize>,
    kcmj: Option<usize>,
    kcxs: Option<usize>,
}

impl DeductionFields {
    /// The columns `TBMJ`, `KCMJ` and `KCXS` of `layer`, where it has them.
    pub fn of(layer: &Layer) -> Self {
        DeductionFields {
            tbmj: layer.field_index("TBMJ"),
            kcmj: layer.field_index("KCMJ"),
            kcxs: layer.field_index("KCXS"),
        }
    }

    /// True when the layer has no deduction field at all.
    pub fn none(&self) -> bool {
        self.kcxs.is_none() && (self.kcmj.is_none() || self.tbmj.is_none())
    }

    /// The share of parcel `position` deducted as 田坎 (0–1) and which rule gave it:
    /// `KCMJ / TBMJ` when both are present and TBMJ > 0, else `KCXS`, else none. A value
    /// outside 0–1 is an error naming the feature (never silently clamped).
    pub fn fraction(&self, layer: &Layer, position: usize) -> Result<(f64, DeductionRule)> {
        let Some(feature) = layer.features().get(position) else {
            return Ok((0.0, DeductionRule::None));
        };
        let value = |col: Option<usize>| {
            col.and_then(|c| feature.attributes.get(c))
                .and_then(AttrValue::as_f64)
        };
        let (fraction, rule) = match (value(self.kcmj), value(self.tbmj), value(self.kcxs)) {
            (Some(kcmj), Some(tbmj), _) if tbmj > 0.0 => (kcmj / tbmj, DeductionRule::AreaRatio),
            (_, _, Some(kcxs)) => (kcxs, DeductionRule::Coefficient),
            _ => return Ok((0.0, DeductionRule::None)),
        };
        if !(0.0..=1.0).contains(&fraction) {
            return Err(Error::Invalid(format!(
                "layer '{}', feature {}: 田坎 deduction {fraction:.4} ({}) is outside 0–1",
                layer.name,
                feature.id,
                rule.describe_en()
            )));
        }
        Ok((fraction, rule))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A 1 km square in EPSG:4542, `east` metres east of the central meridian (99°E), at
    /// 24.58°N.
    fn square(east: f64) -> Geometry<f64> {
        let x = 500_000.0 + east;
        Geometry::Polygon(Polygon::new(
            geo::LineString::from(vec![
                (x, 2_720_000.0),
                (x + 1_000.0, 2_720_000.0),
                (x + 1_000.0, 2_721_000.0),
                (x, 2_721_000.0),
                (x, 2_720_000.0),
            ]),
            vec![],
        ))
    }

    /// The reference values are pyproj's (PROJ 9) geodesic area on the GRS 80 ellipsoid
    /// (the CGCS2000 figure) of the same squares taken to EPSG:4490 by PROJ:
    /// `Geod(ellps="GRS80").polygon_area_perimeter(lons, lats)` after
    /// `Transformer.from_crs("EPSG:4542", "EPSG:4490", always_xy=True)`.
    #[test]
    fn ellipsoidal_areas_agree_with_pyproj_to_a_thousandth_of_a_percent() {
        let crs = WorkingCrs::from_epsg(4542).unwrap();
        let measure = AreaMeasure::new(AreaBasis::Ellipsoidal, crs);
        for (east, pyproj) in [
            (0.0, 999_999.993_828_220_2),
            (50_000.0, 999_937.036_818_275_2),
        ] {
            let area = measure.area(&square(east)).unwrap();
            assert!(
                (area - pyproj).abs() / pyproj < 1e-5,
                "{east}: {area} vs {pyproj}"
            );
            let planar = AreaMeasure::new(AreaBasis::Planar, crs)
                .area(&square(east))
                .unwrap();
            assert!((planar - 1e6).abs() < 1e-6);
        }
    }

    /// GEOS writes overlay results (the red line or farmland inside a village) with
    /// clockwise exteriors: their area is the ring's, not the rest of the Earth's.
    #[test]
    fn a_clockwise_ring_has_the_same_area() {
        let crs = WorkingCrs::from_epsg(4542).unwrap();
        let measure = AreaMeasure::new(AreaBasis::Ellipsoidal, crs);
        let Geometry::Polygon(ccw) = square(0.0) else {
            unreachable!()
        };
        let mut ring = ccw.exterior().clone();
        ring.0.reverse();
        let cw = Geometry::Polygon(Polygon::new(ring, vec![]));
        let area = measure.area(&cw).unwrap();
        assert!(
            (area - 999_999.993_828_220_2).abs() / 1e6 < 1e-5,
            "clockwise: {area}"
        );
    }

    #[test]
    fn holes_are_subtracted_and_lines_have_no_area() {
        let crs = WorkingCrs::from_epsg(4542).unwrap();
        let lonlat = Transformer::lonlat_from_gk(crs).unwrap();
        let Geometry::Polygon(outer) = square(0.0) else {
            unreachable!()
        };
        let Geometry::Polygon(inner) = square(0.0) else {
            unreachable!()
        };
        let hole = geo::Translate::translate(&inner, 0.0, 0.0);
        let small = geo::Scale::scale(&hole, 0.5);
        let holed = Geometry::Polygon(Polygon::new(
            outer.exterior().clone(),
            vec![small.exterior().clone()],
        ));
        let whole = ellipsoidal_area(&Geometry::Polygon(outer), &lonlat).unwrap();
        let with_hole = ellipsoidal_area(&holed, &lonlat).unwrap();
        assert!(
            (with_hole - whole * 0.75).abs() / whole < 1e-6,
            "{with_hole}"
        );
        let line = Geometry::LineString(geo::LineString::from(vec![(0.0, 0.0), (1.0, 1.0)]));
        assert_eq!(ellipsoidal_area(&line, &lonlat).unwrap(), 0.0);
    }

    /// A layer measured in chunks on all cores gives each feature exactly the area it has
    /// alone (same PROJ coordinates, same rings, same order), across chunk boundaries,
    /// with features that have no geometry, lines and multipolygons in between.
    #[test]
    fn layer_areas_in_chunks_equal_each_feature_alone() {
        use crate::model::{Feature, LayerRole};
        let crs = WorkingCrs::from_epsg(4542).unwrap();
        let lonlat = Transformer::lonlat_from_gk(crs).unwrap();
        let geometry = |i: usize| -> Option<Geometry<f64>> {
            let Geometry::Polygon(p) = square(i as f64 * 37.0) else {
                unreachable!()
            };
            let small = geo::Scale::scale(&p, 0.01 + (i % 7) as f64 * 0.001);
            match i % 5 {
                0 => None,
                1 => Some(Geometry::LineString(small.exterior().clone())),
                2 => Some(Geometry::MultiPolygon(geo::MultiPolygon(vec![
                    small.clone(),
                    geo::Translate::translate(&small, 50.0, 0.0),
                ]))),
                _ => Some(Geometry::Polygon(small)),
            }
        };
        let n = 2 * CHUNK + 77;
        let features = (0..n)
            .map(|i| Feature {
                id: i as i64,
                geometry: geometry(i),
                attributes: Vec::new(),
            })
            .collect();
        let layer = Layer::new("t", "t", LayerRole::Other, Vec::new(), features);
        let areas = AreaMeasure::new(AreaBasis::Ellipsoidal, crs)
            .layer_areas(&layer)
            .unwrap();
        assert_eq!(areas.len(), n);
        for (i, area) in areas.iter().enumerate() {
            let alone = match geometry(i) {
                Some(g) => ellipsoidal_area(&g, &lonlat).unwrap(),
                None => 0.0,
            };
            assert_eq!(area.to_bits(), alone.to_bits(), "feature {i}");
            assert_eq!(*area > 0.0, i % 5 >= 2, "feature {i}: {area}");
        }
    }
}
