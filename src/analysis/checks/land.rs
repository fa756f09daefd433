//! Land inside a village as the plan's numbers count it (docs/domain.md §5.6.1): both years
//! classified in 用地用海 2023, clipped to the village polygon, on a stated area basis and,
//! for 耕地, with each parcel's 田坎 deduction (§1.1).
//!
//! *Performance*: the parcels whose envelope meets the village are clipped and measured on
//! all cores; parcels wholly inside the village skip the overlay ([`super::PreparedArea`]).
//! An ellipsoidal area costs one PROJ call per piece; each worker keeps its own
//! transformer.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use geo::{Area, BoundingRect, Geometry, MultiPolygon};
use rayon::prelude::*;

use super::Ctx;
use super::overlap::polygon_slice;
use super::zones::PreparedLayer;
use crate::analysis::areas::{AreaBasis, DeductionFields, DeductionRule, ellipsoidal_area};
use crate::crs::Transformer;
use crate::error::{Error, Result};
use crate::landuse::CodeBook;
use crate::model::{Layer, LayerRole};

/// The year a quantity describes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Year {
    /// 规划基期年: the 三调 parcels.
    Base,
    /// 规划目标年: the planned parcels.
    Target,
}

impl Year {
    /// The parcel layer the year is read from.
    pub fn role(self) -> LayerRole {
        match self {
            Year::Base => LayerRole::CurrentLandUse,
            Year::Target => LayerRole::PlannedLandUse,
        }
    }

    /// The code fields the year's layer may carry, in order of preference (the 三调 field
    /// and its name in a village-plan database, §1).
    fn code_fields(self) -> &'static [&'static str] {
        match self {
            Year::Base => &["DLBM", "JQDLBM"],
            Year::Target => &["GHDLBM"],
        }
    }

    /// The code field of `layer`, if it has one.
    pub fn code_field(self, layer: &Layer) -> Option<&'static str> {
        self.code_fields()
            .iter()
            .copied()
            .find(|f| layer.field_index(f).is_some())
    }

    /// The field named in a "missing field" message.
    pub fn main_code_field(self) -> &'static str {
        self.code_fields()[0]
    }

    /// 规划 / 现状 in messages.
    pub fn name_zh(self) -> &'static str {
        match self {
            Year::Base => "现状",
            Year::Target => "规划",
        }
    }

    /// The same in English.
    pub fn name_en(self) -> &'static str {
        match self {
            Year::Base => "current",
            Year::Target => "planned",
        }
    }
}

/// The 用地用海 2023 code of a parcel's land use: `GHDLBM` as it is; a 三调 code through the
/// bundled conversion, a `K` (可调整) code as its code without the suffix. `None` for an
/// empty or unknown code (the codes rule reports those).
pub(crate) fn ydyh_code(book: &CodeBook, year: Year, code: &str) -> Option<String> {
    let code = code.trim();
    if code.is_empty() {
        return None;
    }
    match year {
        Year::Target => Some(code.to_string()),
        Year::Base => book
            .sandiao_to_ydyh2023(code)
            .or_else(|| {
                let stem = code.strip_suffix(['K', 'k'])?;
                book.sandiao_to_ydyh2023(stem)
            })
            .map(|c| c.ydyh2023.clone()),
    }
}

/// True when a 用地用海 code falls under one of the prefixes.
pub(crate) fn counted(code: &str, prefixes: &[String]) -> bool {
    prefixes.iter().any(|p| code.starts_with(p.as_str()))
}

/// What to measure in a village.
pub(crate) struct LandQuery<'q> {
    pub year: Year,
    /// 用地用海 2023 code prefixes counted.
    pub codes: &'q [String],
    /// Count each parcel's area × (1 − its 田坎 share).
    pub deduct: bool,
    /// Only the part inside the polygons of this layer role (永久基本农田).
    pub within: Option<LayerRole>,
}

/// A measured quantity and how it was counted.
#[derive(Debug, Default)]
pub(crate) struct Tally {
    /// m² on the measure's basis.
    pub area_m2: f64,
    /// Per layer name, the deduction rules that held on the parcels counted (only when the
    /// query deducts).
    pub deductions: BTreeMap<String, BTreeSet<DeductionRule>>,
}

impl Tally {
    /// E.g. `田坎扣除：现状地类图斑 扣除系数 KCXS` — empty when nothing was deducted by query.
    pub fn deduction_zh(&self) -> String {
        self.describe(DeductionRule::describe_zh, "；田坎扣除：", "、")
    }

    /// The same in English.
    pub fn deduction_en(&self) -> String {
        self.describe(DeductionRule::describe_en, "; 田坎 deduction: ", ", ")
    }

    fn describe(&self, name: fn(DeductionRule) -> &'static str, lead: &str, sep: &str) -> String {
        if self.deductions.is_empty() {
            return String::new();
        }
        let layers: Vec<String> = self
            .deductions
            .iter()
            .map(|(layer, rules)| {
                let rules: Vec<&str> = rules.iter().map(|r| name(*r)).collect();
                format!("{layer} {}", rules.join(sep))
            })
            .collect();
        format!("{lead}{}", layers.join(sep))
    }
}

/// Measures land on one basis.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Meter {
    pub basis: AreaBasis,
}

impl Meter {
    /// The basis as messages state it, e.g. `椭球面积（CGCS2000 椭球）`.
    pub fn basis_zh(&self, ctx: &Ctx) -> String {
        self.basis.describe_zh(ctx.project.crs)
    }

    /// The same in English.
    pub fn basis_en(&self, ctx: &Ctx) -> String {
        self.basis.describe_en(ctx.project.crs)
    }

    /// The transformer an ellipsoidal measure needs (`None` for planar).
    fn lonlat(&self, ctx: &Ctx) -> Result<Option<Transformer>> {
        match self.basis {
            AreaBasis::Planar => Ok(None),
            AreaBasis::Ellipsoidal => Transformer::lonlat_from_gk(ctx.project.crs).map(Some),
        }
    }

    /// The area of a polygonal geometry on the basis.
    fn area(&self, g: &MultiPolygon<f64>, lonlat: Option<&Transformer>) -> Result<f64> {
        match lonlat {
            None => Ok(g.unsigned_area()),
            Some(t) => ellipsoidal_area(&Geometry::MultiPolygon(g.clone()), t),
        }
    }

    /// The areas of geometries on the basis, on all cores (0 for points and lines).
    pub fn areas(&self, ctx: &Ctx, geometries: &[&Geometry<f64>]) -> Result<Vec<f64>> {
        self.lonlat(ctx)?;
        geometries
            .par_iter()
            .map_init(
                || self.lonlat(ctx),
                |lonlat, g| {
                    let lonlat = worker_transformer(ctx, lonlat)?;
                    self.area(&MultiPolygon(polygon_slice(g).to_vec()), lonlat)
                },
            )
            .collect()
    }

    /// The land of `query` inside village `v`. A parcel whose 田坎 share cannot be read is
    /// an error naming it.
    pub fn land(&self, ctx: &Ctx, v: usize, query: &LandQuery) -> Result<Tally> {
        let mut tally = Tally::default();
        let Some(r) = ctx.villages.bbox(v) else {
            return Ok(tally);
        };
        let zones: Vec<_> = query
            .within
            .map(|role| ctx.layers(role).map(|z| ctx.prepared(z)).collect())
            .unwrap_or_default();
        for layer in ctx.layers(query.year.role()) {
            let Some(field) = query.year.code_field(layer) else {
                continue;
            };
            let selected: Vec<usize> = layer
                .index()
                .query(r.min().into(), r.max().into())
                .filter(|&i| {
                    layer
                        .value(i, field)
                        .and_then(|v| v.as_text())
                        .and_then(|c| ydyh_code(ctx.book, query.year, &c))
                        .is_some_and(|c| counted(&c, query.codes))
                })
                .collect();
            let deduction = query.deduct.then(|| DeductionFields::of(layer));
            let measured = self.measure(ctx, v, layer, selected, &zones, deduction.as_ref())?;
            if query.deduct && !measured.is_empty() {
                tally.deductions.insert(
                    layer.name.clone(),
                    measured.iter().map(|(_, rule)| *rule).collect(),
                );
            }
            tally.area_m2 += measured.iter().map(|(a, _)| a).sum::<f64>();
        }
        Ok(tally)
    }

    /// The area of the polygons of the `role` layers (生态保护红线, 永久基本农田) inside
    /// village `v`.
    pub fn polygons(&self, ctx: &Ctx, v: usize, role: LayerRole) -> Result<f64> {
        let Some(r) = ctx.villages.bbox(v) else {
            return Ok(0.0);
        };
        let mut total = 0.0;
        for layer in ctx.layers(role) {
            let candidates = layer
                .index()
                .query(r.min().into(), r.max().into())
                .collect();
            let measured = self.measure(ctx, v, layer, candidates, &[], None)?;
            total += measured.iter().map(|(a, _)| a).sum::<f64>();
        }
        Ok(total)
    }

    /// Per feature at `positions` of `layer`: its area inside village `v` (and inside the
    /// `within` zones, when there are any), × (1 − its 田坎 share) when `deduction` is given,
    /// with the rule that gave the share.
    fn measure(
        &self,
        ctx: &Ctx,
        v: usize,
        layer: &Layer,
        positions: Vec<usize>,
        within: &[Arc<PreparedLayer>],
        deduction: Option<&DeductionFields>,
    ) -> Result<Vec<(f64, DeductionRule)>> {
        let Some(village) = ctx.villages.prepared.as_ref().and_then(|p| p.get(v)) else {
            return Ok(Vec::new());
        };
        self.lonlat(ctx)?;
        positions
            .into_par_iter()
            .map_init(
                || self.lonlat(ctx),
                |lonlat, i| -> Result<(f64, DeductionRule)> {
                    let lonlat = worker_transformer(ctx, lonlat)?;
                    let none = (0.0, DeductionRule::None);
                    let Some(g) = layer.features()[i].geometry.as_ref() else {
                        return Ok(none);
                    };
                    let shape = MultiPolygon(polygon_slice(g).to_vec());
                    let Some(piece) = village.intersection(&shape) else {
                        return Ok(none);
                    };
                    let area = if within.is_empty() {
                        self.area(&piece, lonlat)?
                    } else {
                        let Some(pr) = piece.bounding_rect() else {
                            return Ok(none);
                        };
                        let mut total = 0.0;
                        for zone in within {
                            for z in zone.candidates(pr) {
                                if let Some(part) = zone.get(z).and_then(|p| p.intersection(&piece))
                                {
                                    total += self.area(&part, lonlat)?;
                                }
                            }
                        }
                        total
                    };
                    match deduction {
                        None => Ok((area, DeductionRule::None)),
                        Some(fields) => {
                            let (share, rule) = fields.fraction(layer, i)?;
                            Ok((area * (1.0 - share), rule))
                        }
                    }
                },
            )
            .collect()
    }
}

/// A worker's transformer, or the error making it gave (the same error was already
/// returned once before the workers started, so this only happens if PROJ changes its mind).
fn worker_transformer<'t>(
    ctx: &Ctx,
    made: &'t Result<Option<Transformer>>,
) -> Result<Option<&'t Transformer>> {
    made.as_ref()
        .map(Option::as_ref)
        .map_err(|e| Error::UnknownCrs {
            context: format!("EPSG:{}", ctx.project.crs.epsg()),
            detail: e.to_string(),
        })
}
