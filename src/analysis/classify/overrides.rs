//! A planner's decisions that overrule the rules, kept in the project
//! (`ProjectSettings.extra["classification_overrides"]`, saved in the GeoPackage).
//!
//! Overrides are keyed by the 12-digit village code, never by feature position, so they
//! survive re-running the classification, changed rules, re-imported layers and save/load.
//! An override is never removed except by [`clear_override`].

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::village_type::VillageType;
use crate::error::{Error, Result};
use crate::model::Project;

/// Key of the overrides in `ProjectSettings.extra`.
pub const OVERRIDES_KEY: &str = "classification_overrides";

/// A planner's type for one village, with the reason they gave.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Override {
    /// The type the planner chose.
    #[serde(rename = "type")]
    pub village_type: VillageType,
    /// Why (required: an override without a reason cannot be reviewed).
    pub reason: String,
}

/// The overrides stored in `project`, by village code.
pub fn overrides(project: &Project) -> Result<BTreeMap<String, Override>> {
    match project.settings.extra.get(OVERRIDES_KEY) {
        None => Ok(BTreeMap::new()),
        Some(value) => serde_json::from_value(value.clone()).map_err(|e| {
            Error::Invalid(format!(
                "project '{}': classification overrides unreadable: {e}",
                project.name
            ))
        }),
    }
}

fn store(project: &mut Project, all: &BTreeMap<String, Override>) -> Result<()> {
    let value = serde_json::to_value(all)
        .map_err(|e| Error::Invalid(format!("classification overrides: {e}")))?;
    project.settings.extra.insert(OVERRIDES_KEY.into(), value);
    Ok(())
}

/// Sets (or replaces) the override of the village with `code`. The reason must not be
/// empty. The `CZLX` field changes only when the classification is applied again.
pub fn set_override(
    project: &mut Project,
    code: &str,
    village_type: VillageType,
    reason: &str,
) -> Result<()> {
    let reason = reason.trim();
    if reason.is_empty() {
        return Err(Error::Invalid(format!(
            "override of village {code}: a reason is required"
        )));
    }
    let mut all = overrides(project)?;
    all.insert(
        code.trim().to_string(),
        Override {
            village_type,
            reason: reason.to_string(),
        },
    );
    store(project, &all)
}

/// Removes the override of `code`; true when there was one.
pub fn clear_override(project: &mut Project, code: &str) -> Result<bool> {
    let mut all = overrides(project)?;
    let removed = all.remove(code.trim()).is_some();
    if removed {
        store(project, &all)?;
    }
    Ok(removed)
}
