//! Area balance (面积平衡): Σ area of the parcels a village claims equals the area of the
//! village polygon (`area.balance`), or — with `against` — Σ area of another layer's parcels
//! of the same village: the 现状 total equals the 规划 total (`area.plan_balance`).
//!
//! *Rule source*: docs/domain.md §5.4 — ±0.1 % (`tolerance_share`). *Which village*: the
//! first 12 characters of `village_field` (坐落单位代码), or, without one, the village
//! containing a point inside the parcel (the planned layer has no 坐落单位代码, §9.1).
//! *Area basis*: the rule's `basis` for both sides — planar for `area.balance`, so the
//! ellipsoidal TBMJ never enters it; ellipsoidal for the plan balance, as the tables. With
//! `against`, only villages with parcels on the rule's own side are compared (a village
//! without a plan has nothing to balance).

use std::collections::BTreeMap;

use geo::{Area, Geometry};

use super::land::Meter;
use super::plan::VillageParcels;
use super::rules::BalanceSide;
use super::{Ctx, Finding, RuleOutput, missing_field, missing_role};
use crate::analysis::areas::AreaBasis;
use crate::error::Result;
use crate::model::{Layer, LayerRole};
use crate::units;

/// Σ area and count of parcels per village code.
type Claimed = BTreeMap<String, (f64, usize)>;

/// The parcels of the `side` layers per village code, on `basis`; restricted to `only`
/// villages when given. Layers lacking the village field are noted in `out`.
fn claimed(
    ctx: &Ctx,
    side: &BalanceSide,
    basis: AreaBasis,
    only: Option<&Claimed>,
    out: &mut RuleOutput,
) -> Result<Claimed> {
    let mut parcels: Vec<(String, &Geometry<f64>)> = Vec::new();
    let layers: Vec<&Layer> = ctx.layers(side.role).collect();
    match &side.village_field {
        Some(field) => {
            for layer in &layers {
                let Some(col) = layer.field_index(field) else {
                    out.skipped.push(missing_field(layer, field));
                    continue;
                };
                for f in layer.features() {
                    let (Some(g), Some(code)) = (&f.geometry, f.attributes[col].as_text()) else {
                        continue;
                    };
                    let code: String = code.trim().chars().take(12).collect();
                    if only.is_none_or(|o| o.contains_key(&code)) {
                        parcels.push((code, g));
                    }
                }
            }
        }
        None => {
            let local;
            let index = if side.role == LayerRole::PlannedLandUse {
                ctx.plan()
            } else {
                local = VillageParcels::new(ctx.project, &ctx.villages, side.role);
                &local
            };
            for v in ctx.villages.in_window(ctx.window) {
                let Some(village) = ctx.villages.village(v) else {
                    continue;
                };
                if only.is_some_and(|o| !o.contains_key(&village.code)) {
                    continue;
                }
                for &(l, i) in index.parcels(&ctx.villages, v) {
                    if let Some(g) = index.layers[l].features()[i].geometry.as_ref() {
                        parcels.push((village.code.clone(), g));
                    }
                }
            }
        }
    }
    let areas: Vec<f64> = match basis {
        // Summed in layer order, as the balance has always been.
        AreaBasis::Planar => parcels.iter().map(|(_, g)| g.unsigned_area()).collect(),
        AreaBasis::Ellipsoidal => {
            let geometries: Vec<&Geometry<f64>> = parcels.iter().map(|(_, g)| *g).collect();
            Meter { basis }.areas(ctx, &geometries)?
        }
    };
    let mut sums = Claimed::new();
    for ((code, _), area) in parcels.into_iter().zip(areas) {
        let e = sums.entry(code).or_default();
        e.0 += area;
        e.1 += 1;
    }
    Ok(sums)
}

/// Villages whose parcels' total area differs from the village area (or, with `against`,
/// from the other layer's total) by more than `tolerance_share`.
pub(crate) fn area_balance(
    ctx: &Ctx,
    side: &BalanceSide,
    against: Option<&BalanceSide>,
    tolerance_share: f64,
    basis: AreaBasis,
) -> Result<RuleOutput> {
    if let Some((zh, en)) = ctx.villages.unusable() {
        return Ok(RuleOutput::skip(zh, en));
    }
    let Some(villages) = ctx.villages.prepared.as_ref() else {
        let (zh, en) = missing_role(LayerRole::Village);
        return Ok(RuleOutput::skip(zh, en));
    };
    let Some(first) = ctx.layers(side.role).next() else {
        let (zh, en) = missing_role(side.role);
        return Ok(RuleOutput::skip(zh, en));
    };
    if let Some(other) = against.filter(|o| ctx.layers(o.role).next().is_none()) {
        let (zh, en) = missing_role(other.role);
        return Ok(RuleOutput::skip(zh, en));
    }
    let mut out = RuleOutput::default();
    let mine = claimed(ctx, side, basis, None, &mut out)?;
    let reference = match against {
        Some(other) => Some(claimed(ctx, other, basis, Some(&mine), &mut out)?),
        None => None,
    };
    let meter = Meter { basis };
    for v in ctx.villages.in_window(ctx.window) {
        let (Some(village), Some(g)) = (
            ctx.villages.village(v),
            villages.layer.features()[v].geometry.as_ref(),
        ) else {
            continue;
        };
        let (sum, n) = mine.get(&village.code).copied().unwrap_or_default();
        let (expected, m) = match &reference {
            None => (meter.areas(ctx, &[g])?.first().copied().unwrap_or(0.0), 0),
            // A village without parcels on this side has no plan to balance.
            Some(_) if n == 0 => continue,
            Some(r) => r.get(&village.code).copied().unwrap_or_default(),
        };
        let diff = sum - expected;
        if diff.abs() <= tolerance_share * expected {
            continue;
        }
        let share = if expected > 0.0 {
            diff / expected * 100.0
        } else {
            100.0
        };
        let (code, name) = (&village.code, &village.name);
        let (zh, en) = match against {
            None => (
                format!(
                    "{name}（{code}）{n} 个图斑面积之和 {} 与村域面积 {} 相差 {:+.2} 平方米（{:+.3}%，{:+.4} 亩）",
                    units::format_area(sum),
                    units::format_area(expected),
                    diff,
                    share,
                    units::mu(diff)
                ),
                format!(
                    "{name} ({code}): Σ area of {n} parcels {:.2} m² vs village {:.2} m², difference {:+.2} m² ({:+.3} %)",
                    sum, expected, diff, share
                ),
            ),
            Some(other) => (
                format!(
                    "{name}（{code}）{} {n} 个图斑面积之和 {} 与{} {m} 个图斑面积之和 {} 相差 {:+.2} 平方米（{:+.3}%，{:+.4} 亩；{}）",
                    side.role.name_zh(),
                    units::format_area(sum),
                    other.role.name_zh(),
                    units::format_area(expected),
                    diff,
                    share,
                    units::mu(diff),
                    meter.basis_zh(ctx)
                ),
                format!(
                    "{name} ({code}): Σ area of {n} {} parcels {:.2} m² vs {m} {} parcels {:.2} m², difference {:+.2} m² ({:+.3} %; {})",
                    side.role.name_en().to_lowercase(),
                    sum,
                    other.role.name_en().to_lowercase(),
                    expected,
                    diff,
                    share,
                    meter.basis_en(ctx)
                ),
            ),
        };
        let mut f = Finding::new(first, Vec::new(), zh, en)
            .at(Some(g.clone()))
            .measuring(diff.abs())
            .detail(code.clone());
        f.village = Some(village.clone());
        out.findings.push(f);
    }
    Ok(out)
}
