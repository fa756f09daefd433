//! Accepted exceptions: a reviewer decides that a result is acceptable (an approved
//! national project on farmland, a surveyed overlap kept on purpose) and says why.
//!
//! Exceptions are keyed by [`CheckResult::key`] — rule, layer and the sorted BSMs or feature
//! ids (plus a detail for results that are not features) — never by run order, so they
//! survive re-runs, edits elsewhere and save/load. They are stored in the project settings
//! (`check_exceptions`), which the project GeoPackage saves verbatim.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::result::{CheckReport, CheckResult};
use crate::error::{Error, Result};
use crate::model::ProjectSettings;

/// Key in [`ProjectSettings::extra`] holding the exceptions.
pub const EXCEPTIONS_KEY: &str = "check_exceptions";

/// One accepted exception.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CheckException {
    /// The reviewer's reason.
    pub reason: String,
    /// The rule, kept for display when the result no longer occurs.
    pub rule_id: String,
    /// The result's message when it was accepted.
    pub message_zh: String,
}

/// Every accepted exception of a project, by result key.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Exceptions {
    /// Exceptions by [`CheckResult::key`].
    pub by_key: BTreeMap<String, CheckException>,
}

impl Exceptions {
    /// The exceptions saved in a project (none when the setting is absent).
    pub fn from_settings(settings: &ProjectSettings) -> Result<Exceptions> {
        match settings.extra.get(EXCEPTIONS_KEY) {
            None => Ok(Exceptions::default()),
            Some(value) => serde_json::from_value(value.clone())
                .map(|by_key| Exceptions { by_key })
                .map_err(|e| {
                    Error::Invalid(format!(
                        "project setting '{EXCEPTIONS_KEY}' is unreadable: {e}"
                    ))
                }),
        }
    }

    /// Writes the exceptions into the settings (saved with the project).
    pub fn store(&self, settings: &mut ProjectSettings) {
        if self.by_key.is_empty() {
            settings.extra.remove(EXCEPTIONS_KEY);
        } else if let Ok(value) = serde_json::to_value(&self.by_key) {
            settings.extra.insert(EXCEPTIONS_KEY.into(), value);
        }
    }

    /// Accepts `result` with a reason. An empty reason is refused: an exception without a
    /// reason cannot be reviewed.
    pub fn accept(&mut self, result: &CheckResult, reason: &str) -> Result<()> {
        let reason = reason.trim();
        if reason.is_empty() {
            return Err(Error::Invalid(
                "an exception needs a reason (例外须注明理由)".into(),
            ));
        }
        self.by_key.insert(
            result.key.clone(),
            CheckException {
                reason: reason.to_string(),
                rule_id: result.rule_id.clone(),
                message_zh: result.message_zh.clone(),
            },
        );
        Ok(())
    }

    /// Withdraws the exception of a result key; true when there was one.
    pub fn withdraw(&mut self, key: &str) -> bool {
        self.by_key.remove(key).is_some()
    }

    /// Marks the results of a report that are accepted exceptions.
    pub fn apply(&self, report: &mut CheckReport) {
        for r in &mut report.results {
            r.exception = self.by_key.get(&r.key).map(|e| e.reason.clone());
        }
    }
}

/// Convenience for the GUI: accept `result` in the project's settings in one step.
pub fn accept_exception(
    settings: &mut ProjectSettings,
    result: &CheckResult,
    reason: &str,
) -> Result<()> {
    let mut exceptions = Exceptions::from_settings(settings)?;
    exceptions.accept(result, reason)?;
    exceptions.store(settings);
    Ok(())
}
