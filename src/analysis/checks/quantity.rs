//! Quantities per village against the project's targets (规划指标): 耕地保有量, 永久基本农田,
//! 生态保护红线, 村庄建设用地, 机动指标.
//!
//! *Rule source*: docs/domain.md §2.4, §2.5 and §5.6 (common practice; the 5 % quota is from
//! 自然资办发〔2019〕35号). Targets come from the county's allocation and
//! are stored in the project ([`super::Targets`]); a village without the target is listed
//! as "not configured" in the report's skipped rules, never failed. *Area basis*: planar GK
//! area of the layers clipped to the village polygon.

use super::overlap::polygon_slice;
use super::rules::Measure;
use super::targets::VillageTargets;
use super::{Ctx, Finding, RuleOutput, missing_role};
use crate::landuse::Standard;
use crate::model::{Layer, LayerRole};
use crate::units;

/// Area of the features of `role` layers selected by `keep`, inside village `v`.
fn area_in_village(
    ctx: &Ctx,
    v: usize,
    role: LayerRole,
    keep: &dyn Fn(&Layer, usize) -> bool,
) -> f64 {
    let Some(villages) = ctx.villages.prepared.as_ref() else {
        return 0.0;
    };
    let (Some(village), Some(r)) = (villages.get(v), ctx.villages.bbox(v)) else {
        return 0.0;
    };
    let mut total = 0.0;
    for layer in ctx.layers(role) {
        for i in layer.index().query(r.min().into(), r.max().into()) {
            if !keep(layer, i) {
                continue;
            }
            if let Some(g) = layer.features()[i].geometry.as_ref() {
                total += village.intersection_area(&geo::MultiPolygon(polygon_slice(g).to_vec()));
            }
        }
    }
    total
}

fn code_of(layer: &Layer, i: usize, field: &str) -> String {
    layer
        .value(i, field)
        .and_then(|v| v.as_text())
        .map(|t| t.trim().to_string())
        .unwrap_or_default()
}

fn planned_construction(ctx: &Ctx, v: usize) -> f64 {
    area_in_village(ctx, v, LayerRole::PlannedLandUse, &|l, i| {
        ctx.book
            .lookup(Standard::Ydyh2023, &code_of(l, i, "GHDLBM"))
            .is_some_and(|c| c.is_construction())
    })
}

/// The target a measure needs.
fn target(measure: Measure, t: &VillageTargets) -> Option<f64> {
    match measure {
        Measure::CultivatedLand => t.cultivated_land_m2,
        Measure::PermanentFarmland => t.permanent_farmland_m2,
        Measure::RedLine => t.red_line_m2,
        Measure::ConstructionLand => t.construction_land_m2,
        Measure::ReserveQuota => t.reserve_quota_m2,
    }
}

/// The layer roles a measure reads.
fn needs(measure: Measure) -> &'static [LayerRole] {
    match measure {
        Measure::CultivatedLand | Measure::ReserveQuota => &[LayerRole::PlannedLandUse],
        Measure::PermanentFarmland => &[LayerRole::PermanentFarmland],
        Measure::RedLine => &[LayerRole::EcologicalRedLine],
        Measure::ConstructionLand => &[LayerRole::PlannedLandUse],
    }
}

/// Compares one measure per village with its target.
pub(crate) fn quantity(ctx: &Ctx, measure: Measure, max_share: f64) -> RuleOutput {
    if let Some((zh, en)) = ctx.villages.unusable() {
        return RuleOutput::skip(zh, en);
    }
    let Some(villages) = ctx.villages.prepared.as_ref() else {
        let (zh, en) = missing_role(LayerRole::Village);
        return RuleOutput::skip(zh, en);
    };
    for role in needs(measure) {
        if ctx.layers(*role).next().is_none() {
            let (zh, en) = missing_role(*role);
            return RuleOutput::skip(zh, en);
        }
    }
    let has_current = ctx.layers(LayerRole::CurrentLandUse).next().is_some();
    let mut out = RuleOutput::default();
    let mut unconfigured = Vec::new();
    for v in ctx.villages.in_window(ctx.window) {
        let Some(village) = ctx.villages.village(v) else {
            continue;
        };
        let targets = ctx.targets.village(&village.code);
        let target = match measure {
            // Without a cap, construction land is compared with the current state (NaN).
            Measure::ConstructionLand => targets
                .and_then(|t| t.construction_land_m2)
                .or_else(|| has_current.then_some(f64::NAN)),
            _ => targets.and_then(|t| target(measure, t)),
        };
        let Some(target) = target else {
            unconfigured.push(village.code.clone());
            continue;
        };
        let check = evaluate(ctx, v, measure, max_share, target);
        let Some((shortfall, zh, en)) = check else {
            continue;
        };
        let (code, name) = (&village.code, &village.name);
        let layer = ctx
            .layers(needs(measure)[0])
            .next()
            .unwrap_or(villages.layer);
        let mut f = Finding::new(
            layer,
            Vec::new(),
            format!("{name}（{code}）{zh}"),
            format!("{name} ({code}): {en}"),
        )
        .at(villages.layer.features()[v].geometry.clone())
        .measuring(shortfall)
        .detail(code.clone());
        f.village = Some(village.clone());
        out.findings.push(f);
    }
    if !unconfigured.is_empty() {
        let shown: Vec<&str> = unconfigured.iter().take(5).map(String::as_str).collect();
        let more = if unconfigured.len() > 5 { " …" } else { "" };
        out.skipped.push((
            format!(
                "{} 个村未配置目标（项目设置 village_targets）：{}{more}",
                unconfigured.len(),
                shown.join("、")
            ),
            format!(
                "not configured: {} village(s) have no target in the project (setting village_targets): {}{more}",
                unconfigured.len(),
                shown.join(", ")
            ),
        ));
    }
    out
}

/// The shortfall (m²) and messages when the village misses its target (for
/// `ConstructionLand` a NaN target means "the current state"; for `ReserveQuota` the
/// target is the quota kept).
fn evaluate(
    ctx: &Ctx,
    v: usize,
    measure: Measure,
    max_share: f64,
    target: f64,
) -> Option<(f64, String, String)> {
    let a = units::format_area;
    match measure {
        Measure::CultivatedLand | Measure::PermanentFarmland | Measure::RedLine => {
            let (measured, what_zh, what_en) = match measure {
                Measure::CultivatedLand => (
                    area_in_village(ctx, v, LayerRole::PlannedLandUse, &|l, i| {
                        code_of(l, i, "GHDLBM").starts_with("01")
                    }),
                    "规划耕地",
                    "planned cultivated land",
                ),
                Measure::PermanentFarmland => (
                    area_in_village(ctx, v, LayerRole::PermanentFarmland, &|_, _| true),
                    "永久基本农田",
                    "permanent basic farmland",
                ),
                _ => (
                    area_in_village(ctx, v, LayerRole::EcologicalRedLine, &|_, _| true),
                    "生态保护红线",
                    "ecological red line",
                ),
            };
            (measured < target).then(|| {
                (
                    target - measured,
                    format!("{what_zh} {} 少于目标 {}", a(measured), a(target)),
                    format!("{what_en} {measured:.2} m² is below the target {target:.2} m²"),
                )
            })
        }
        Measure::ConstructionLand => {
            let planned = planned_construction(ctx, v);
            let (cap, basis_zh, basis_en) = if target.is_nan() {
                let current = area_in_village(ctx, v, LayerRole::CurrentLandUse, &|l, i| {
                    ctx.book
                        .lookup(Standard::Sandiao, &code_of(l, i, "DLBM"))
                        .is_some_and(|c| c.is_construction())
                });
                (current, "现状建设用地", "current construction land")
            } else {
                (target, "规模上限", "the cap")
            };
            (planned > cap).then(|| {
                (
                    planned - cap,
                    format!("规划建设用地 {} 超过{basis_zh} {}", a(planned), a(cap)),
                    format!(
                        "planned construction land {planned:.2} m² exceeds {basis_en} {cap:.2} m²"
                    ),
                )
            })
        }
        Measure::ReserveQuota => {
            let quota = target;
            let planned = planned_construction(ctx, v);
            let allowed = max_share * planned;
            (quota > allowed).then(|| {
                (
                    quota - allowed,
                    format!(
                        "机动指标 {} 超过规划建设用地 {} 的 {:.0}%",
                        a(quota),
                        a(planned),
                        max_share * 100.0
                    ),
                    format!(
                        "reserve quota {quota:.2} m² exceeds {:.0} % of planned construction land {planned:.2} m²",
                        max_share * 100.0
                    ),
                )
            })
        }
    }
}
