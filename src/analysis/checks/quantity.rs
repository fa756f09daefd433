//! Quantities per village (规划指标): 耕地保有量, 永久基本农田, 生态保护红线, 村域建设用地 and
//! 机动指标 against the targets stored in the project, and — where the village has a plan —
//! 村域建设用地 and 永久基本农田 against the base year.
//!
//! *Rule source*: docs/domain.md §2.4, §2.5 and §5.6 (common practice; the 5 % quota is from
//! 自然资办发〔2019〕35号). Targets come from the county's allocation and are stored in the
//! project ([`super::Targets`]); a village that has neither a target nor (for the rules
//! that fall back to the base year) a plan is listed as "not configured" in the report's
//! skipped rules, never failed.
//!
//! *How land is counted* (§5.6.1, [`super::land`]): planned quantities from the 规划地类图斑
//! where the village has a plan, else from the 三调 parcels; both years in 用地用海 2023; 耕地
//! after its 田坎 deduction; clipped to the village; on the rule's `basis` (ellipsoidal by
//! default, as the tables), which every message states. "Planned 永久基本农田" is the line's
//! land on planned 耕地 (§5.6.2).
//!
//! *Tolerance*: differences up to `tolerance_m2` are not reported.

use super::land::{LandQuery, Meter, Tally, Year};
use super::rules::{Measure, QuantityParams};
use super::targets::VillageTargets;
use super::{Ctx, Finding, RuleOutput, missing_field, missing_role};
use crate::error::Result;
use crate::model::LayerRole;
use crate::units;

/// A measured quantity with what the message says about it.
struct Measured {
    area_m2: f64,
    /// What was measured, e.g. 规划耕地.
    what_zh: String,
    what_en: String,
    /// The basis and the codes counted, for the message's parenthesis.
    scope_zh: String,
    scope_en: String,
    /// The deduction rules that held, when the measure deducts 田坎.
    tally: Option<Tally>,
    /// Land counted gross although it could be deducted (the line's 耕地, §5.6.2): the
    /// message says so, so a reader does not look for a deduction.
    gross: bool,
}

impl Measured {
    /// The parenthesis of a message: basis, codes and the deduction of this measure and of
    /// the base year it is compared with.
    fn how(&self, base: Option<&Measured>) -> (String, String) {
        let mut deductions = Tally::default();
        for m in std::iter::once(self).chain(base) {
            if let Some(t) = &m.tally {
                for (layer, rules) in &t.deductions {
                    deductions
                        .deductions
                        .entry(layer.clone())
                        .or_default()
                        .extend(rules);
                }
            }
        }
        let (dz, de) = if self.gross {
            (
                "；不扣除田坎".to_string(),
                "; gross, no 田坎 deduction".to_string(),
            )
        } else {
            (deductions.deduction_zh(), deductions.deduction_en())
        };
        (
            format!("{}{dz}", self.scope_zh),
            format!("{}{de}", self.scope_en),
        )
    }
}

/// What a village is compared with.
enum Against {
    /// A target stored in the project.
    Target(f64),
    /// The same quantity in the base year (the village has a plan).
    BaseYear,
}

/// The target a measure compares with, if the project stores one for the village.
fn stored_target(measure: Measure, t: &VillageTargets) -> Option<f64> {
    match measure {
        Measure::CultivatedLand => t.cultivated_land_m2,
        Measure::PermanentFarmland => t.permanent_farmland_m2,
        Measure::RedLine => t.red_line_m2,
        Measure::ConstructionLand => t.construction_land_m2,
        Measure::ReserveQuota => t.reserve_quota_m2,
        Measure::PlannedFarmland => None,
    }
}

/// The layer roles a measure cannot do without (any one of them, for `CultivatedLand`:
/// the planned parcels or, without a plan, the 三调 ones).
fn needs(measure: Measure) -> (&'static [LayerRole], bool) {
    match measure {
        Measure::CultivatedLand | Measure::ReserveQuota => (
            &[LayerRole::PlannedLandUse, LayerRole::CurrentLandUse],
            false,
        ),
        Measure::PermanentFarmland => (&[LayerRole::PermanentFarmland], true),
        Measure::RedLine => (&[LayerRole::EcologicalRedLine], true),
        Measure::ConstructionLand => (
            &[LayerRole::PlannedLandUse, LayerRole::CurrentLandUse],
            false,
        ),
        Measure::PlannedFarmland => (
            &[
                LayerRole::PlannedLandUse,
                LayerRole::CurrentLandUse,
                LayerRole::PermanentFarmland,
            ],
            true,
        ),
    }
}

/// Compares one measure per village with its target or its base year.
pub(crate) fn quantity(ctx: &Ctx, p: &QuantityParams) -> Result<RuleOutput> {
    if let Some((zh, en)) = ctx.villages.unusable() {
        return Ok(RuleOutput::skip(zh, en));
    }
    let Some(villages) = ctx.villages.prepared.as_ref() else {
        let (zh, en) = missing_role(LayerRole::Village);
        return Ok(RuleOutput::skip(zh, en));
    };
    let (roles, all) = needs(p.measure);
    let present: Vec<LayerRole> = roles
        .iter()
        .copied()
        .filter(|r| ctx.layers(*r).next().is_some())
        .collect();
    let lacking = roles.iter().find(|r| !present.contains(r));
    if let Some(role) = lacking.filter(|_| all || present.is_empty()) {
        let (zh, en) = missing_role(*role);
        return Ok(RuleOutput::skip(zh, en));
    }
    let mut out = RuleOutput::default();
    for year in [Year::Base, Year::Target] {
        for layer in ctx.layers(year.role()) {
            if year.code_field(layer).is_none() && uses(p.measure, year) {
                out.skipped
                    .push(missing_field(layer, year.main_code_field()));
            }
        }
    }
    let meter = Meter { basis: p.basis };
    let mut unconfigured = Vec::new();
    for v in ctx.villages.in_window(ctx.window) {
        let Some(village) = ctx.villages.village(v) else {
            continue;
        };
        let has_plan = ctx.plan().has_plan(&ctx.villages, v);
        let target = ctx
            .targets
            .village(&village.code)
            .and_then(|t| stored_target(p.measure, t));
        let against = match (p.measure, target) {
            (Measure::PlannedFarmland, _) => has_plan.then_some(Against::BaseYear),
            (_, Some(t)) => Some(Against::Target(t)),
            (Measure::ConstructionLand, None) => has_plan.then_some(Against::BaseYear),
            (_, None) => None,
        };
        let Some(against) = against else {
            unconfigured.push(village.code.clone());
            continue;
        };
        let year = if has_plan { Year::Target } else { Year::Base };
        let found = match evaluate(ctx, &meter, v, p, year, &against) {
            Ok(found) => found,
            Err(e) => {
                // One unreadable parcel stops the measure of its village, not the check.
                out.skipped.push((
                    format!("{}（{}）无法计量：{e}", village.name, village.code),
                    format!("{} ({}) not measured: {e}", village.name, village.code),
                ));
                continue;
            }
        };
        let Some((excess, zh, en)) = found else {
            continue;
        };
        let (code, name) = (&village.code, &village.name);
        let layer = roles
            .iter()
            .find_map(|r| ctx.layers(*r).next())
            .unwrap_or(villages.layer);
        let mut f = Finding::new(
            layer,
            Vec::new(),
            format!("{name}（{code}）{zh}"),
            format!("{name} ({code}): {en}"),
        )
        .at(villages.layer.features()[v].geometry.clone())
        .measuring(excess)
        .detail(code.clone());
        f.village = Some(village.clone());
        out.findings.push(f);
    }
    if !unconfigured.is_empty() {
        out.skipped
            .push(unconfigured_note(p.measure, &unconfigured));
    }
    Ok(out)
}

/// True when the measure reads the parcels of `year`.
fn uses(measure: Measure, year: Year) -> bool {
    match measure {
        Measure::PermanentFarmland => year == Year::Target,
        Measure::RedLine => false,
        _ => true,
    }
}

fn unconfigured_note(measure: Measure, codes: &[String]) -> (String, String) {
    let shown: Vec<&str> = codes.iter().take(5).map(String::as_str).collect();
    let more = if codes.len() > 5 { " …" } else { "" };
    let n = codes.len();
    let (why_zh, why_en) = match measure {
        Measure::PlannedFarmland => ("没有规划地类图斑", "have no planned parcels"),
        Measure::ConstructionLand => (
            "既无规模上限（项目设置 village_targets）也无规划地类图斑",
            "have neither a cap (setting village_targets) nor planned parcels",
        ),
        _ => (
            "未配置目标（项目设置 village_targets）",
            "have no target in the project (setting village_targets)",
        ),
    };
    (
        format!("{n} 个村{why_zh}：{}{more}", shown.join("、")),
        format!(
            "not configured: {n} village(s) {why_en}: {}{more}",
            shown.join(", ")
        ),
    )
}

/// 耕地, 村域建设用地 or the line's 耕地 of one year, as [`Measured`].
fn land(ctx: &Ctx, meter: &Meter, v: usize, p: &QuantityParams, year: Year) -> Result<Measured> {
    let codes = p.land_codes();
    let (what_zh, what_en, deduct, within) = match p.measure {
        Measure::CultivatedLand => ("耕地", "cultivated land", true, None),
        Measure::ConstructionLand | Measure::ReserveQuota => {
            ("村域建设用地", "construction land", true, None)
        }
        _ => (
            "永久基本农田（线内耕地）",
            "permanent basic farmland (耕地 inside the line)",
            false,
            Some(LayerRole::PermanentFarmland),
        ),
    };
    let tally = meter.land(
        ctx,
        v,
        &LandQuery {
            year,
            codes: &codes,
            deduct,
            within,
        },
    )?;
    let ranges = code_ranges(&codes);
    Ok(Measured {
        area_m2: tally.area_m2,
        what_zh: format!("{}{what_zh}", year.name_zh()),
        what_en: format!("{} {what_en}", year.name_en()),
        scope_zh: format!("{}；用地用海 {}", meter.basis_zh(ctx), ranges.join("、")),
        scope_en: format!("{}; 用地用海 {}", meter.basis_en(ctx), ranges.join(", ")),
        tally: deduct.then_some(tally),
        gross: !deduct,
    })
}

/// The area of a line layer in the village.
fn line(ctx: &Ctx, meter: &Meter, v: usize, role: LayerRole) -> Result<Measured> {
    Ok(Measured {
        area_m2: meter.polygons(ctx, v, role)?,
        what_zh: role.name_zh().into(),
        what_en: role.name_en().to_lowercase(),
        scope_zh: meter.basis_zh(ctx),
        scope_en: meter.basis_en(ctx),
        tally: None,
        gross: false,
    })
}

/// Code prefixes with runs of consecutive two-digit classes shortened: `07–16、2301`.
fn code_ranges(codes: &[String]) -> Vec<String> {
    let number = |c: &String| (c.len() == 2).then(|| c.parse::<u32>().ok()).flatten();
    let mut out: Vec<String> = Vec::new();
    let mut run: Vec<&String> = Vec::new();
    let flush = |run: &mut Vec<&String>, out: &mut Vec<String>| {
        match run.as_slice() {
            [] => {}
            [first, .., last] if run.len() >= 3 => out.push(format!("{first}–{last}")),
            short => out.extend(short.iter().map(|c| c.to_string())),
        }
        run.clear();
    };
    for code in codes {
        let follows = match (run.last().and_then(|c| number(c)), number(code)) {
            (Some(a), Some(b)) => b == a + 1,
            _ => false,
        };
        if !follows {
            flush(&mut run, &mut out);
        }
        run.push(code);
    }
    flush(&mut run, &mut out);
    out
}

/// The excess or shortfall (m²) and messages when the village misses its target.
fn evaluate(
    ctx: &Ctx,
    meter: &Meter,
    v: usize,
    p: &QuantityParams,
    year: Year,
    against: &Against,
) -> Result<Option<(f64, String, String)>> {
    let a = units::format_area;
    let tol = p.tolerance_m2;
    // The value compared with, how the message names it, and the base year's measure.
    let (reference, of_zh, of_en, base) = match against {
        Against::Target(t) if p.measure == Measure::ConstructionLand => {
            (*t, "规模上限".to_string(), "the cap".to_string(), None)
        }
        Against::Target(t) => (*t, "目标".to_string(), "the target".to_string(), None),
        Against::BaseYear => {
            let b = land(ctx, meter, v, p, Year::Base)?;
            (b.area_m2, b.what_zh.clone(), b.what_en.clone(), Some(b))
        }
    };
    match p.measure {
        Measure::CultivatedLand | Measure::PermanentFarmland | Measure::PlannedFarmland => {
            let m = match (p.measure, year) {
                (Measure::PermanentFarmland, Year::Base) => {
                    line(ctx, meter, v, LayerRole::PermanentFarmland)?
                }
                _ => land(ctx, meter, v, p, year)?,
            };
            let (how_zh, how_en) = m.how(base.as_ref());
            let shortfall = reference - m.area_m2;
            Ok((shortfall > tol).then(|| {
                (
                    shortfall,
                    format!(
                        "{} {} 少于{of_zh} {}，差 {:.2} 平方米（{how_zh}）",
                        m.what_zh,
                        a(m.area_m2),
                        a(reference),
                        shortfall,
                    ),
                    format!(
                        "{} {:.2} m² is below {of_en} {reference:.2} m² by {shortfall:.2} m² ({how_en})",
                        m.what_en, m.area_m2
                    ),
                )
            }))
        }
        Measure::RedLine => {
            let m = line(ctx, meter, v, LayerRole::EcologicalRedLine)?;
            let (how_zh, how_en) = m.how(None);
            let shortfall = reference - m.area_m2;
            Ok((shortfall > tol).then(|| {
                (
                    shortfall,
                    format!(
                        "{} {} 少于{of_zh} {}（{how_zh}）",
                        m.what_zh,
                        a(m.area_m2),
                        a(reference),
                    ),
                    format!(
                        "{} {:.2} m² is below {of_en} {reference:.2} m² ({how_en})",
                        m.what_en, m.area_m2
                    ),
                )
            }))
        }
        Measure::ConstructionLand => {
            let m = land(ctx, meter, v, p, year)?;
            let (how_zh, how_en) = m.how(base.as_ref());
            let excess = m.area_m2 - reference;
            Ok((excess > tol).then(|| {
                (
                    excess,
                    format!(
                        "{} {} 超过{of_zh} {}，多 {:.2} 平方米（{how_zh}）",
                        m.what_zh,
                        a(m.area_m2),
                        a(reference),
                        excess,
                    ),
                    format!(
                        "{} {:.2} m² exceeds {of_en} {reference:.2} m² by {excess:.2} m² ({how_en})",
                        m.what_en, m.area_m2
                    ),
                )
            }))
        }
        Measure::ReserveQuota => {
            let m = land(ctx, meter, v, p, year)?;
            let (how_zh, how_en) = m.how(None);
            let allowed = p.max_share * m.area_m2;
            let excess = reference - allowed;
            Ok((excess > tol).then(|| {
                (
                    excess,
                    format!(
                        "机动指标 {} 超过{} {} 的 {:.0}%（{how_zh}）",
                        a(reference),
                        m.what_zh,
                        a(m.area_m2),
                        p.max_share * 100.0,
                    ),
                    format!(
                        "reserve quota {reference:.2} m² exceeds {:.0} % of {} {:.2} m² ({how_en})",
                        p.max_share * 100.0,
                        m.what_en,
                        m.area_m2,
                    ),
                )
            }))
        }
    }
}
