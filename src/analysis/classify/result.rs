//! What a classification run returns: per village the type, the rule that decided, the
//! evidence with its values, conflicts, the planner's override and a reason in zh and en.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::decide::{ConflictFlag, Evidence};
use super::indicators::IndicatorValues;
use super::overrides::Override;
use super::village_type::VillageType;

/// The classification of one village.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VillageResult {
    /// Position of the feature in the village layer (for zooming and selection).
    pub feature_index: usize,
    /// Feature id in the village layer.
    pub feature_id: i64,
    /// 12-digit village code.
    pub code: String,
    /// Village name.
    pub name: String,
    /// Township name (or its 9-digit code when the project has no township layer).
    pub township: String,
    /// The type the rules give.
    pub computed_type: VillageType,
    /// The rule, or for a village without evidence the fallback, that decided; `None`
    /// when neither did (暂不明确类, 无决定性证据, or a conflict left undetermined).
    pub rule: Option<String>,
    /// Why the rules gave this type, in Chinese.
    pub reason_zh: String,
    /// The same in English.
    pub reason_en: String,
    /// Every matched rule with the indicator values it used.
    pub evidence: Vec<Evidence>,
    /// Conflicts the planner must decide.
    pub conflicts: Vec<ConflictFlag>,
    /// Every indicator value of the village (absent = unknown).
    pub indicators: IndicatorValues,
    /// The planner's override, if any.
    #[serde(rename = "override")]
    pub override_: Option<Override>,
}

impl VillageResult {
    /// The type that counts: the override when there is one, else the computed type.
    pub fn final_type(&self) -> VillageType {
        self.override_
            .as_ref()
            .map_or(self.computed_type, |o| o.village_type)
    }

    /// True when a planner should look at this village: a conflict not yet settled by an
    /// override.
    pub fn needs_review(&self) -> bool {
        !self.conflicts.is_empty() && self.override_.is_none()
    }
}

/// A classification run over a project.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Classification {
    /// Where the rules came from.
    pub rules_source: String,
    /// True for synthetic sample data: reports must say so.
    pub synthetic: bool,
    /// One result per classified village, in layer order.
    pub villages: Vec<VillageResult>,
    /// Overrides whose village code is not (any more) in the village layer; kept in the
    /// project, listed here so they are not forgotten.
    pub orphan_overrides: Vec<String>,
    /// What the planner must know: skipped features, unknown indicators, unmatched rows.
    pub warnings: Vec<String>,
}

impl Classification {
    /// Villages per final type, for every type (zero counts included).
    pub fn counts(&self) -> BTreeMap<VillageType, usize> {
        let mut out: BTreeMap<VillageType, usize> =
            VillageType::ALL.iter().map(|t| (*t, 0)).collect();
        for v in &self.villages {
            *out.entry(v.final_type()).or_default() += 1;
        }
        out
    }

    /// Villages per township and final type.
    pub fn counts_by_township(&self) -> BTreeMap<String, BTreeMap<VillageType, usize>> {
        let mut out: BTreeMap<String, BTreeMap<VillageType, usize>> = BTreeMap::new();
        for v in &self.villages {
            *out.entry(v.township.clone())
                .or_default()
                .entry(v.final_type())
                .or_default() += 1;
        }
        out
    }

    /// A village's result by code.
    pub fn village(&self, code: &str) -> Option<&VillageResult> {
        self.villages.iter().find(|v| v.code == code)
    }
}
