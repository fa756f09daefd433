//! Designations and their targets (docs/domain.md §8.4): townships marked
//! 乡村振兴示范乡镇, administrative villages 精品示范村 and natural villages (自然村) 美丽村庄,
//! against the county's targets (the seed plan's 3 / 24 / 300 by default).
//!
//! They are stored by code in the project settings ([`DESIGNATIONS_KEY`]), not in the unit
//! layers, so they survive re-importing a layer, re-running the classification and every
//! other re-run; a code that is no longer in its layer stays stored and is reported, never
//! dropped silently.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::model::admin::AdminUnits;
use crate::model::settlements::NaturalVillages;
use crate::model::{Project, ProjectSettings};

/// Key of the designations and targets in [`ProjectSettings::extra`].
pub const DESIGNATIONS_KEY: &str = "demonstration_designations";

/// What a unit is designated as.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Designation {
    /// 乡村振兴示范乡镇: a township.
    #[serde(rename = "乡村振兴示范乡镇")]
    Township,
    /// 精品示范村: an administrative village.
    #[serde(rename = "精品示范村")]
    Village,
    /// 美丽村庄: a natural village (自然村).
    #[serde(rename = "美丽村庄")]
    NaturalVillage,
}

impl Designation {
    /// Every designation, townships first.
    pub const ALL: [Designation; 3] = [
        Designation::Township,
        Designation::Village,
        Designation::NaturalVillage,
    ];

    /// The Chinese name.
    pub fn name_zh(self) -> &'static str {
        match self {
            Designation::Township => "乡村振兴示范乡镇",
            Designation::Village => "精品示范村",
            Designation::NaturalVillage => "美丽村庄",
        }
    }

    /// What it designates, in Chinese.
    pub fn unit_zh(self) -> &'static str {
        match self {
            Designation::Township => "乡镇",
            Designation::Village => "行政村",
            Designation::NaturalVillage => "自然村",
        }
    }

    /// Digits of the codes it takes.
    pub fn digits(self) -> usize {
        match self {
            Designation::Township => 9,
            Designation::Village => 12,
            Designation::NaturalVillage => 15,
        }
    }

    /// Parses the Chinese name (示范乡镇 and 示范乡 are accepted for the first).
    pub fn parse(text: &str) -> Option<Designation> {
        match text.trim() {
            "乡村振兴示范乡镇" | "示范乡镇" | "示范乡" | "示范镇" => {
                Some(Designation::Township)
            }
            "精品示范村" => Some(Designation::Village),
            "美丽村庄" => Some(Designation::NaturalVillage),
            _ => None,
        }
    }
}

/// The county's targets: how many of each designation it plans.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct DemoTargets {
    /// 示范乡镇.
    pub townships: u32,
    /// 精品示范村.
    pub villages: u32,
    /// 美丽村庄.
    pub natural_villages: u32,
}

impl Default for DemoTargets {
    /// The seed plan's 3 示范乡（镇）, 24 精品示范村 and 300 美丽村庄 (docs/domain.md §8.2): a
    /// starting point a county replaces with its own.
    fn default() -> Self {
        DemoTargets {
            townships: 3,
            villages: 24,
            natural_villages: 300,
        }
    }
}

impl DemoTargets {
    /// The target of one designation.
    pub fn of(&self, d: Designation) -> u32 {
        match d {
            Designation::Township => self.townships,
            Designation::Village => self.villages,
            Designation::NaturalVillage => self.natural_villages,
        }
    }

    /// Sets the target of one designation.
    pub fn set(&mut self, d: Designation, n: u32) {
        match d {
            Designation::Township => self.townships = n,
            Designation::Village => self.villages = n,
            Designation::NaturalVillage => self.natural_villages = n,
        }
    }
}

/// The designated codes and the targets of a project.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Designations {
    /// 9-digit codes of 示范乡镇.
    #[serde(default)]
    pub townships: BTreeSet<String>,
    /// 12-digit codes of 精品示范村.
    #[serde(default)]
    pub villages: BTreeSet<String>,
    /// 15-digit codes of 美丽村庄.
    #[serde(default)]
    pub natural_villages: BTreeSet<String>,
    /// The targets.
    #[serde(default)]
    pub targets: DemoTargets,
    /// True once the county has set its own targets (else they are the seed plan's).
    #[serde(default)]
    pub targets_set: bool,
}

impl Designations {
    /// The designations saved in a project (none, and the default targets, when it has
    /// none); an unreadable setting is an error naming the key.
    pub fn from_settings(settings: &ProjectSettings) -> Result<Designations> {
        match settings.extra.get(DESIGNATIONS_KEY) {
            None => Ok(Designations::default()),
            Some(value) => serde_json::from_value(value.clone()).map_err(|e| {
                Error::Invalid(format!(
                    "project setting '{DESIGNATIONS_KEY}' is unreadable: {e}"
                ))
            }),
        }
    }

    /// Writes them into the settings (saved with the project).
    pub fn store(&self, settings: &mut ProjectSettings) -> Result<()> {
        let value =
            serde_json::to_value(self).map_err(|e| Error::Invalid(format!("designations: {e}")))?;
        settings.extra.insert(DESIGNATIONS_KEY.into(), value);
        Ok(())
    }

    /// The codes designated `d`.
    pub fn codes(&self, d: Designation) -> &BTreeSet<String> {
        match d {
            Designation::Township => &self.townships,
            Designation::Village => &self.villages,
            Designation::NaturalVillage => &self.natural_villages,
        }
    }

    fn codes_mut(&mut self, d: Designation) -> &mut BTreeSet<String> {
        match d {
            Designation::Township => &mut self.townships,
            Designation::Village => &mut self.villages,
            Designation::NaturalVillage => &mut self.natural_villages,
        }
    }

    /// True when `code` is designated `d`.
    pub fn has(&self, d: Designation, code: &str) -> bool {
        self.codes(d).contains(code)
    }
}

/// Designates the unit with `code` as `d` in `project` (or removes the designation), after
/// checking that the code is in its layer (乡镇界, 行政村界 or 自然村). Returns false when
/// nothing changed (already designated, or not designated and asked to remove). Removing a
/// code that is no longer in its layer is allowed, so stale designations can be cleared.
pub fn designate(project: &mut Project, d: Designation, code: &str, remove: bool) -> Result<bool> {
    let code = code.trim().to_string();
    let mut designations = Designations::from_settings(&project.settings)?;
    if !remove || !designations.has(d, &code) {
        check_code(project, d, &code)?;
    }
    let codes = designations.codes_mut(d);
    let changed = if remove {
        codes.remove(&code)
    } else {
        codes.insert(code)
    };
    designations.store(&mut project.settings)?;
    Ok(changed)
}

/// Sets the county's target for `d` to `n`.
pub fn set_target(project: &mut Project, d: Designation, n: u32) -> Result<()> {
    let mut designations = Designations::from_settings(&project.settings)?;
    designations.targets.set(d, n);
    designations.targets_set = true;
    designations.store(&mut project.settings)
}

/// Refuses a code that is not in the layer `d` designates.
fn check_code(project: &Project, d: Designation, code: &str) -> Result<()> {
    let (layer, found) = match d {
        Designation::Township => {
            let units = AdminUnits::townships(project)?;
            (units.layer.name.clone(), units.by_code(code).is_some())
        }
        Designation::Village => {
            let units = AdminUnits::villages(project)?;
            (units.layer.name.clone(), units.by_code(code).is_some())
        }
        Designation::NaturalVillage => {
            let villages = NaturalVillages::read(project)?;
            (
                villages.layer.name.clone(),
                villages.by_code(code).is_some(),
            )
        }
    };
    if found {
        return Ok(());
    }
    Err(Error::Invalid(format!(
        "cannot designate '{code}' as {}: layer '{layer}' has no {} with that code ({} \
         digits{})",
        d.name_zh(),
        d.unit_zh(),
        d.digits(),
        if code.chars().count() == d.digits() {
            ""
        } else {
            "; this one has a different length"
        }
    )))
}
