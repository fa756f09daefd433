//! Keeping a classification in the project: the type in the village layer's `CZLX` field,
//! the full results and the project's own rule file in `ProjectSettings.extra` — all saved
//! in the project GeoPackage by the ordinary (atomic) save.

use super::result::Classification;
use super::rules::RuleSet;
use super::village_type::TYPE_FIELD;
use crate::error::{Error, Result};
use crate::model::{AttrValue, FieldDef, FieldKind, LayerRole, Project};

/// Key of the last results in `ProjectSettings.extra`.
pub const RESULTS_KEY: &str = "classification_results";
/// Key of the project's own rule file (TOML text) in `ProjectSettings.extra`.
pub const RULES_KEY: &str = "classification_rules";

/// The rules a project is classified with: its own rule file when it carries one, else
/// the bundled defaults.
pub fn project_rules(project: &Project) -> Result<RuleSet> {
    match project.settings.extra.get(RULES_KEY) {
        Some(serde_json::Value::String(text)) => {
            RuleSet::parse(text, &format!("project '{}' rules", project.name))
        }
        Some(_) => Err(Error::Invalid(format!(
            "project '{}': stored classification rules are not text",
            project.name
        ))),
        None => RuleSet::bundled(),
    }
}

/// Makes `rules` the project's own rule file (stored verbatim, comments included).
pub fn set_project_rules(project: &mut Project, rules: &RuleSet) {
    project.settings.extra.insert(
        RULES_KEY.into(),
        serde_json::Value::String(rules.text.clone()),
    );
}

/// Writes each village's final type (override first) to `CZLX`, adding the field when
/// missing, and stores the results in the project settings. Villages the run did not
/// classify keep their `CZLX` value.
pub fn apply_classification(project: &mut Project, classification: &Classification) -> Result<()> {
    let layer = project.required_layer_mut(LayerRole::Village)?;
    let field = layer.ensure_field(FieldDef::new(TYPE_FIELD, FieldKind::Text));
    for v in &classification.villages {
        layer.set_value(
            v.feature_index,
            field,
            AttrValue::text(v.final_type().name_zh()),
        )?;
    }
    let value = serde_json::to_value(classification)
        .map_err(|e| Error::Invalid(format!("classification results: {e}")))?;
    project.settings.extra.insert(RESULTS_KEY.into(), value);
    Ok(())
}

/// The results stored by the last [`apply_classification`], if any (for showing a
/// project's classification without re-running it).
pub fn stored_classification(project: &Project) -> Result<Option<Classification>> {
    project
        .settings
        .extra
        .get(RESULTS_KEY)
        .map(|v| {
            serde_json::from_value(v.clone()).map_err(|e| {
                Error::Invalid(format!(
                    "project '{}': stored classification unreadable: {e}",
                    project.name
                ))
            })
        })
        .transpose()
}
