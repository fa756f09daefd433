//! 质检: the spatial and attribute checks a reviewer runs on a village plan (docs/domain.md §5).
//!
//! Rules are data ([`RuleSet`], `assets/rules/checks.toml`); each rule has a *kind*
//! implemented in its own module (geometry validity, duplicates, overlaps, gaps, control-line
//! conflicts — of parcels, boundaries, spaces and construction projects —, containment, area
//! balance, quantities, codes, attributes, slivers). Every
//! result carries the geometry of the problem itself in the working CRS, its measure in m²
//! (and 亩), the village it lies in and a stable key that exceptions are stored under.
//!
//! ```no_run
//! use villageplan::analysis::checks::{run_checks, CheckScope, RuleSet};
//! # fn demo(project: &villageplan::Project) -> villageplan::Result<()> {
//! let rules = RuleSet::for_project(&project.settings)?;
//! let report = run_checks(project, &rules, &CheckScope::All, &villageplan::Silent)?;
//! println!("{} blocking errors", report.blocking_count());
//! # Ok(()) }
//! ```
//!
//! *Incremental re-check*: after an edit, run with [`CheckScope::Window`] over the edit's
//! bounding box and [`CheckReport::merge`] the result into the previous report.
//!
//! *Performance*: candidate pairs come from the per-layer `rstar` index; exact overlays
//! (`geo` BooleanOps) run only on pairs a cheap exact pre-test cannot clear; large zones are
//! prepared once ([`PreparedArea`]); feature loops run on all cores (rayon).

mod attributes;
mod balance;
mod codes;
mod coverage;
mod exceptions;
mod export;
mod land;
mod lines;
mod location;
mod overlap;
mod plan;
mod prepared;
mod quantity;
mod result;
mod rules;
mod sliver;
mod targets;
mod tiling;
mod validity;
mod zones;

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, OnceLock};

use geo::{BoundingRect, Geometry, Rect};

pub use exceptions::{CheckException, EXCEPTIONS_KEY, Exceptions, accept_exception};
pub use export::{csv_text, result_properties, results_geojson};
pub use prepared::PreparedArea;
pub use result::{CheckReport, CheckResult, CheckScope, SkippedRule, VillageRef, in_scope};
pub use rules::{
    BalanceSide, Check, CodeList, Dictionary, FeatureFilter, Measure, MinAreaColumn,
    PROJECT_RULES_KEY, QuantityParams, Rule, RuleOverride, RuleSet, Severity, project_rules_text,
    set_project_rules,
};
pub use targets::{TARGETS_KEY, Targets, VillageTargets};

use crate::error::{Error, Result};
use crate::landuse::CodeBook;
use crate::model::{Layer, LayerRole, Project};
use crate::progress::Progress;
use plan::VillageParcels;
use zones::{PreparedLayer, VillageIndex};

/// One problem as a rule module reports it; the engine adds the rule, key, village and
/// exception.
#[derive(Debug, Clone)]
pub(crate) struct Finding {
    /// Layer of the features.
    pub layer_id: String,
    /// Positions of the features in the layer.
    pub features: Vec<usize>,
    /// The problem's own geometry.
    pub geometry: Option<Geometry<f64>>,
    /// Measure in m².
    pub area_m2: Option<f64>,
    /// Messages.
    pub message_zh: String,
    pub message_en: String,
    /// Distinguishes several results on the same features (a village code, a location).
    pub detail: Option<String>,
    /// The village, when the rule knows it (per-village rules).
    pub village: Option<VillageRef>,
}

impl Finding {
    /// A finding on some features of a layer.
    pub fn new(layer: &Layer, features: Vec<usize>, zh: String, en: String) -> Self {
        Finding {
            layer_id: layer.id.clone(),
            features,
            geometry: None,
            area_m2: None,
            message_zh: zh,
            message_en: en,
            detail: None,
            village: None,
        }
    }

    /// With the problem geometry.
    pub fn at(mut self, geometry: Option<Geometry<f64>>) -> Self {
        self.geometry = geometry;
        self
    }

    /// With a measure.
    pub fn measuring(mut self, area_m2: f64) -> Self {
        self.area_m2 = Some(area_m2);
        self
    }

    /// With a detail for the key.
    pub fn detail(mut self, detail: impl Into<String>) -> Self {
        self.detail = Some(detail.into());
        self
    }
}

/// What one rule produced.
#[derive(Debug, Default)]
pub(crate) struct RuleOutput {
    pub findings: Vec<Finding>,
    /// Why the rule (or part of it) did not run.
    pub skipped: Vec<(String, String)>,
}

impl RuleOutput {
    fn skip(zh: impl Into<String>, en: impl Into<String>) -> Self {
        RuleOutput {
            findings: Vec::new(),
            skipped: vec![(zh.into(), en.into())],
        }
    }
}

/// Everything a rule needs: the project, the window of the run and shared prepared data.
pub(crate) struct Ctx<'a> {
    pub project: &'a Project,
    /// Only problems meeting this box are wanted (`None`: everywhere).
    pub window: Option<Rect<f64>>,
    pub book: &'static CodeBook,
    pub villages: VillageIndex<'a>,
    pub targets: Targets,
    prepared: Mutex<BTreeMap<String, Arc<PreparedLayer<'a>>>>,
    plan: OnceLock<VillageParcels<'a>>,
}

impl<'a> Ctx<'a> {
    /// Layers with a role.
    pub fn layers(&self, role: LayerRole) -> impl Iterator<Item = &'a Layer> + use<'a> {
        self.project.layers_with_role(role)
    }

    /// Positions of a layer's features that meet the window, in layer order.
    pub fn candidates(&self, layer: &Layer) -> Vec<usize> {
        match self.window {
            Some(w) => {
                let mut v: Vec<usize> = layer
                    .index()
                    .query(w.min().into(), w.max().into())
                    .collect();
                v.sort_unstable();
                v
            }
            None => (0..layer.features().len()).collect(),
        }
    }

    /// The layer prepared for zone queries, shared by all rules of the run.
    pub fn prepared(&self, layer: &'a Layer) -> Arc<PreparedLayer<'a>> {
        let mut cache = self.prepared.lock().unwrap_or_else(|e| e.into_inner());
        cache
            .entry(layer.id.clone())
            .or_insert_with(|| Arc::new(PreparedLayer::new(layer)))
            .clone()
    }

    /// The planned parcels of each village (which villages have a plan), shared by all
    /// rules of the run.
    pub fn plan(&self) -> &VillageParcels<'a> {
        self.plan.get_or_init(|| {
            VillageParcels::new(self.project, &self.villages, LayerRole::PlannedLandUse)
        })
    }
}

/// Runs every enabled rule of `rules` on `project` within `scope`, marking the project's
/// accepted exceptions. Rules whose layers or targets are missing are listed in
/// [`CheckReport::skipped`] instead of failing.
pub fn run_checks(
    project: &Project,
    rules: &RuleSet,
    scope: &CheckScope,
    progress: &dyn Progress,
) -> Result<CheckReport> {
    run_checks_timed(project, rules, scope, progress).map(|(report, _)| report)
}

/// How long one rule took (wall time, all cores), for `check --timings` and the benchmarks:
/// which rule to look at when a check feels slow.
#[derive(Debug, Clone, PartialEq)]
pub struct RuleTime {
    /// The rule's id.
    pub rule_id: String,
    /// Seconds.
    pub seconds: f64,
}

/// [`run_checks`], also saying how long each rule took, in the order they ran.
pub fn run_checks_timed(
    project: &Project,
    rules: &RuleSet,
    scope: &CheckScope,
    progress: &dyn Progress,
) -> Result<(CheckReport, Vec<RuleTime>)> {
    let mut times = Vec::new();
    let villages = VillageIndex::new(project);
    let window = match scope {
        CheckScope::All => None,
        CheckScope::Window(w) => Some(*w),
        CheckScope::Village(code) => {
            let layer = project.required_layer(LayerRole::Village)?;
            let i = villages.position(code).ok_or_else(|| Error::NoVillage {
                layer: layer.name.clone(),
                code: code.clone(),
            })?;
            villages.bbox(i)
        }
    };
    let ctx = Ctx {
        project,
        window,
        book: CodeBook::bundled(),
        villages,
        targets: Targets::from_settings(&project.settings)?,
        prepared: Mutex::new(BTreeMap::new()),
        plan: OnceLock::new(),
    };
    let exceptions = Exceptions::from_settings(&project.settings)?;
    let enabled: Vec<&Rule> = rules.enabled().collect();
    let mut report = CheckReport {
        area_basis: format!(
            "planar Gauss-Kruger area in {}; quantity and plan-balance rules as their messages state (ellipsoidal CGCS2000 by default)",
            project.crs.label()
        ),
        ..CheckReport::default()
    };
    progress.begin("质检 Checks", enabled.len() as u64);
    for rule in enabled {
        let started = std::time::Instant::now();
        let output = run_rule(&ctx, rule)?;
        times.push(RuleTime {
            rule_id: rule.id.clone(),
            seconds: started.elapsed().as_secs_f64(),
        });
        for (zh, en) in output.skipped {
            report.skipped.push(SkippedRule {
                rule_id: rule.id.clone(),
                reason_zh: zh,
                reason_en: en,
            });
        }
        report
            .results
            .extend(output.findings.into_iter().map(|f| complete(&ctx, rule, f)));
        report.rules_run += 1;
        progress.advance(1);
    }
    progress.finish();
    report.results.retain(|r| in_scope_of_run(r, scope, window));
    report.results.sort_by(|a, b| a.key.cmp(&b.key));
    report.results.dedup_by(|a, b| a.key == b.key);
    exceptions.apply(&mut report);
    Ok((report, times))
}

fn in_scope_of_run(r: &CheckResult, scope: &CheckScope, window: Option<Rect<f64>>) -> bool {
    match scope {
        CheckScope::All => true,
        CheckScope::Village(_) => in_scope(r, scope),
        CheckScope::Window(_) => window.is_some_and(|w| in_scope(r, &CheckScope::Window(w))),
    }
}

fn run_rule(ctx: &Ctx, rule: &Rule) -> Result<RuleOutput> {
    Ok(match &rule.check {
        Check::Validity { roles } => validity::validity(ctx, roles),
        Check::Duplicates { roles } => validity::duplicates(ctx, roles),
        Check::Overlap {
            roles,
            tolerance_m2,
        } => overlap::overlaps(ctx, roles, *tolerance_m2),
        Check::Gap {
            role,
            boundary,
            tolerance_m2,
        } => coverage::gaps(ctx, *role, *boundary, *tolerance_m2),
        Check::Conflict {
            subject,
            zone,
            tolerance_m2,
        } => lines::conflicts(ctx, subject, *zone, *tolerance_m2),
        Check::Containment {
            subject,
            boundary,
            tolerance_m2,
        } => lines::containment(ctx, subject, *boundary, *tolerance_m2),
        Check::AreaBalance {
            role,
            village_field,
            against,
            tolerance_share,
            basis,
        } => {
            let side = BalanceSide {
                role: *role,
                village_field: village_field.clone(),
            };
            balance::area_balance(ctx, &side, against.as_ref(), *tolerance_share, *basis)?
        }
        Check::Quantity(params) => quantity::quantity(ctx, params)?,
        Check::Codes {
            role,
            code_field,
            name_field,
            dictionary,
        } => codes::codes(ctx, *role, code_field, name_field.as_deref(), *dictionary),
        Check::RequiredFields { role, fields } => attributes::required(ctx, *role, fields),
        Check::Unique { role, field } => attributes::unique(ctx, *role, field),
        Check::CodeFormat {
            role,
            field,
            digits,
            prefix,
        } => attributes::code_format(ctx, *role, field, *digits, *prefix),
        Check::Sliver {
            role,
            code_field,
            column,
        } => sliver::slivers(ctx, *role, code_field, *column)?,
    })
}

/// Turns a finding into a result: feature ids and BSMs, the stable key, the village.
fn complete(ctx: &Ctx, rule: &Rule, f: Finding) -> CheckResult {
    let layer = ctx.project.layer(&f.layer_id);
    let mut feature_ids: Vec<i64> = f
        .features
        .iter()
        .filter_map(|&i| layer.and_then(|l| l.features().get(i)).map(|x| x.id))
        .collect();
    feature_ids.sort_unstable();
    let mut bsms: Vec<String> = f
        .features
        .iter()
        .filter_map(|&i| {
            layer?
                .value(i, "BSM")?
                .as_text()
                .map(|t| t.trim().to_string())
        })
        .filter(|t| !t.is_empty())
        .collect();
    bsms.sort();
    // BSMs identify a parcel across re-imports; FIDs only within the project. Use BSMs when
    // every feature has one and they tell the features apart.
    let mut distinct = bsms.clone();
    distinct.dedup();
    let ids = if !bsms.is_empty() && bsms.len() == f.features.len() && distinct.len() == bsms.len()
    {
        format!("bsm:{}", bsms.join(","))
    } else {
        let ids: Vec<String> = feature_ids.iter().map(i64::to_string).collect();
        format!("fid:{}", ids.join(","))
    };
    let mut key = format!("{}|{}|{}", rule.id, f.layer_id, ids);
    if let Some(d) = &f.detail {
        key.push('|');
        key.push_str(d);
    }
    let village = f.village.or_else(|| {
        let point = f
            .geometry
            .as_ref()
            .and_then(location::representative_point)?;
        ctx.villages.locate(point).cloned()
    });
    CheckResult {
        rule_id: rule.id.clone(),
        rule_name_zh: rule.name_zh.clone(),
        severity: rule.severity,
        village,
        layer_id: f.layer_id,
        feature_ids,
        bsms,
        geometry: f.geometry,
        area_m2: f.area_m2,
        message_zh: f.message_zh,
        message_en: f.message_en,
        key,
        exception: None,
    }
}

/// The bounding box of a feature, if it has geometry.
pub(crate) fn feature_bbox(layer: &Layer, i: usize) -> Option<Rect<f64>> {
    layer.features().get(i)?.geometry.as_ref()?.bounding_rect()
}

/// "layer 'X' has no field F" skip messages.
pub(crate) fn missing_field(layer: &Layer, field: &str) -> (String, String) {
    (
        format!("图层“{}”缺少字段 {field}", layer.name),
        format!("layer '{}' has no field {field}", layer.name),
    )
}

/// "no layer with role R" skip messages.
pub(crate) fn missing_role(role: LayerRole) -> (String, String) {
    (
        format!("项目中没有“{}”图层", role.name_zh()),
        format!("the project has no {} layer", role.name_en()),
    )
}
