//! Classifying villages into the five planning types (五类村庄, docs/domain.md §4): explained,
//! configurable and overridable.
//!
//! 1. [`Villages`] takes the villages from the shared reader ([`crate::model::admin`]),
//!    reads their attribute indicators and joins an optional [`VillageTable`] by the
//!    12-digit code.
//! 2. [`village_indicators`] computes every [`Indicator`]: population outflow, settlement
//!    land in hazard zones / 生态保护红线 / reservoir areas, heritage points, overlap with and
//!    distance to the county seat's and township seats' 城镇开发边界, construction land per
//!    resident, farmland share.
//! 3. [`decide`] applies a [`RuleSet`] (TOML, `assets/rules/classify.toml` by default):
//!    matching rules are evidence, the precedence picks the type, conflicts are flagged;
//!    a village without evidence is decided by the first fallback that holds (an ordinary
//!    village with a stable population is 集聚提升类; weak or missing evidence leaves it
//!    暂不明确类 with the reason).
//! 4. Planner [`Override`]s stored in the project are attached; [`apply_classification`]
//!    writes `CZLX` and the results into the project.
//!
//! ```no_run
//! use villageplan::analysis::classify::{apply_classification, classify, project_rules};
//! # fn demo(project: &mut villageplan::Project) -> villageplan::Result<()> {
//! let rules = project_rules(project)?;
//! let result = classify(project, &rules, None)?;
//! apply_classification(project, &result)?;
//! # Ok(()) }
//! ```
//!
//! *Rule source*: types from 乡村振兴战略规划 (2018–2022) and 自然资办发〔2019〕35号; every
//! threshold is a reasoned default [I] in the rule file. *Performance*: rstar candidates,
//! then geo boolean operations on candidates only; the 25 000-parcel sample (190 villages)
//! loads and classifies in about a second.

mod attributes;
mod compute;
mod condition;
mod decide;
mod export;
mod indicators;
mod land_use;
mod overrides;
mod reason;
mod result;
mod rules;
mod store;
mod table;
mod urban_boundary;
mod village_type;
mod villages;
mod zones;

pub use compute::village_indicators;
pub use condition::{CompareOp, Condition, Test};
pub use decide::{ConflictFlag, Decision, Evidence, decide};
pub use export::{classification_geojson, csv_text};
pub use indicators::{Indicator, IndicatorValues, Unit};
pub use overrides::{OVERRIDES_KEY, Override, clear_override, overrides, set_override};
pub use result::{Classification, VillageResult};
pub use rules::{
    BUNDLED_SOURCE, ConflictPolicy, ConflictRule, Rule, RuleSelector, RuleSet, SpatialSettings,
};
pub use store::{
    RESULTS_KEY, RULES_KEY, apply_classification, project_rules, set_project_rules,
    stored_classification,
};
pub use table::VillageTable;
pub use village_type::{TYPE_FIELD, VillageType};
pub use villages::{Village, Villages};

use crate::error::Result;
use crate::model::Project;

/// Classifies every village of `project` with `rules`, joining `table` when given, and
/// attaches the planner's overrides stored in the project. The project is not changed;
/// see [`apply_classification`].
pub fn classify(
    project: &Project,
    rules: &RuleSet,
    table: Option<&VillageTable>,
) -> Result<Classification> {
    let mut villages = Villages::collect(project, table)?;
    let mut warnings = std::mem::take(&mut villages.warnings);
    let values = village_indicators(project, &villages, &rules.settings, &mut warnings);
    let mut stored = overrides(project)?;
    let results = villages
        .list
        .iter()
        .zip(values)
        .map(|(village, indicators)| {
            let decision = decide(rules, &indicators);
            VillageResult {
                feature_index: village.feature_index,
                feature_id: village.feature_id,
                code: village.code.clone(),
                name: village.name.clone(),
                township: village.township.clone(),
                computed_type: decision.village_type,
                rule: decision.rule,
                reason_zh: decision.reason_zh,
                reason_en: decision.reason_en,
                evidence: decision.evidence,
                conflicts: decision.conflicts,
                indicators,
                override_: stored.remove(&village.code),
            }
        })
        .collect();
    Ok(Classification {
        rules_source: rules.source.clone(),
        synthetic: project.settings.synthetic,
        villages: results,
        orphan_overrides: stored.into_keys().collect(),
        warnings,
    })
}
