//! Per-village planning targets the quantity rules compare against (规划指标表: 耕地保有量,
//! 永久基本农田保护面积, 生态保护红线面积, 村庄建设用地规模, 机动指标). They come from the
//! county's allocation, not from the map, so they are stored in the project settings
//! (`village_targets`, by 12-digit village code) and a rule without a target is skipped
//! with "not configured" rather than failed.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::model::ProjectSettings;

/// Key in [`ProjectSettings::extra`] holding the targets.
pub const TARGETS_KEY: &str = "village_targets";

/// The targets of one village, all in m² (planar, working CRS). Absent means "not set".
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct VillageTargets {
    /// 耕地保有量: planned 耕地 must be at least this.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cultivated_land_m2: Option<f64>,
    /// 永久基本农田 baseline: the farmland in the village must be at least this.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub permanent_farmland_m2: Option<f64>,
    /// 生态保护红线 baseline: the red line in the village must be at least this.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub red_line_m2: Option<f64>,
    /// Cap on planned construction land; the current construction land when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub construction_land_m2: Option<f64>,
    /// 机动指标 kept by the plan.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reserve_quota_m2: Option<f64>,
}

/// Targets of every village, by code.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Targets {
    /// By 12-digit village code.
    pub by_village: BTreeMap<String, VillageTargets>,
}

impl Targets {
    /// The targets saved in a project.
    pub fn from_settings(settings: &ProjectSettings) -> Result<Targets> {
        match settings.extra.get(TARGETS_KEY) {
            None => Ok(Targets::default()),
            Some(value) => serde_json::from_value(value.clone())
                .map(|by_village| Targets { by_village })
                .map_err(|e| {
                    Error::Invalid(format!(
                        "project setting '{TARGETS_KEY}' is unreadable: {e}"
                    ))
                }),
        }
    }

    /// Writes the targets into the settings (saved with the project).
    pub fn store(&self, settings: &mut ProjectSettings) {
        if self.by_village.is_empty() {
            settings.extra.remove(TARGETS_KEY);
        } else if let Ok(value) = serde_json::to_value(&self.by_village) {
            settings.extra.insert(TARGETS_KEY.into(), value);
        }
    }

    /// The targets of one village.
    pub fn village(&self, code: &str) -> Option<&VillageTargets> {
        self.by_village.get(code)
    }
}
