//! From a village's indicator values to its type: matching rules, precedence, conflicts.
//!
//! Pure: no geometry, no project, so each rule kind can be tested on hand-made values.

use serde::{Deserialize, Serialize};

use super::indicators::IndicatorValues;
use super::rules::{ConflictPolicy, Rule, RuleSet, fill_reason};
use super::village_type::VillageType;

/// One matched rule: evidence for a type, with the values it tested.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Evidence {
    /// The rule's id.
    pub rule: String,
    /// The type it is evidence for.
    #[serde(rename = "type")]
    pub village_type: VillageType,
    /// The rule's reason with the village's values filled in.
    pub reason_zh: String,
    /// The same in English.
    pub reason_en: String,
    /// The indicator values the rule's conditions tested.
    pub values: IndicatorValues,
}

/// A conflict found on a village, for the planner to decide.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ConflictFlag {
    /// The conflict definition's id.
    pub id: String,
    /// Matched rules on either side.
    pub rules: Vec<String>,
    /// Shown to the planner.
    pub message_zh: String,
    /// The same in English.
    pub message_en: String,
}

/// What the rules say about one village.
#[derive(Debug, Clone, PartialEq)]
pub struct Decision {
    /// The type by precedence (or 暂不明确类).
    pub village_type: VillageType,
    /// The rule that decided; `None` for the 暂不明确类 fallback or a conflict made
    /// undetermined.
    pub rule: Option<String>,
    /// Every matched rule, in file order.
    pub evidence: Vec<Evidence>,
    /// Conflicts found.
    pub conflicts: Vec<ConflictFlag>,
    /// Why, in Chinese.
    pub reason_zh: String,
    /// Why, in English.
    pub reason_en: String,
}

fn evidence(rule: &Rule, values: &IndicatorValues) -> Evidence {
    Evidence {
        rule: rule.id.clone(),
        village_type: rule.village_type,
        reason_zh: fill_reason(&rule.reason_zh, values),
        reason_en: fill_reason(&rule.reason_en, values),
        values: rule
            .indicators()
            .into_iter()
            .filter_map(|i| values.get(&i).map(|v| (i, *v)))
            .collect(),
    }
}

/// Applies `rules` to one village's values.
pub fn decide(rules: &RuleSet, values: &IndicatorValues) -> Decision {
    let matched: Vec<&Rule> = rules.rules.iter().filter(|r| r.matches(values)).collect();
    let evidence: Vec<Evidence> = matched.iter().map(|r| evidence(r, values)).collect();
    let conflicts: Vec<ConflictFlag> = rules
        .conflicts
        .iter()
        .filter_map(|c| {
            let side = |selectors: &[super::rules::RuleSelector]| -> Vec<String> {
                matched
                    .iter()
                    .filter(|r| selectors.iter().any(|s| s.selects(r)))
                    .map(|r| r.id.clone())
                    .collect()
            };
            let (a, b) = (side(&c.a), side(&c.b));
            (!a.is_empty() && !b.is_empty()).then(|| ConflictFlag {
                id: c.id.clone(),
                rules: a.into_iter().chain(b).collect(),
                message_zh: c.message_zh.clone(),
                message_en: c.message_en.clone(),
            })
        })
        .collect();

    let strongest = evidence
        .iter()
        .min_by_key(|e| rules.rank(e.village_type))
        .filter(|_| conflicts.is_empty() || rules.on_conflict == ConflictPolicy::Flag);
    let (village_type, rule, mut reason_zh, mut reason_en) = match strongest {
        Some(e) => (
            e.village_type,
            Some(e.rule.clone()),
            e.reason_zh.clone(),
            e.reason_en.clone(),
        ),
        None if !conflicts.is_empty() => (
            VillageType::Undetermined,
            None,
            "证据相互冲突，待规划师判定".to_string(),
            "conflicting evidence, awaiting the planner's decision".to_string(),
        ),
        None => (
            VillageType::Undetermined,
            None,
            "无决定性证据".to_string(),
            "no decisive evidence".to_string(),
        ),
    };
    // Evidence for the same type adds nothing to the reason; it stays in `evidence`.
    let others: Vec<&Evidence> = evidence
        .iter()
        .filter(|e| e.village_type != village_type)
        .collect();
    if !others.is_empty() {
        let list = |zh: bool| {
            others
                .iter()
                .map(|e| {
                    if zh {
                        format!("{}：{}", e.village_type.name_zh(), e.reason_zh)
                    } else {
                        format!("{}: {}", e.village_type.name_en(), e.reason_en)
                    }
                })
                .collect::<Vec<_>>()
        };
        reason_zh.push_str(&format!("；另有证据：{}", list(true).join("；")));
        reason_en.push_str(&format!("; other evidence: {}", list(false).join("; ")));
    }
    for c in &conflicts {
        reason_zh.push_str(&format!("；！冲突：{}", c.message_zh));
        reason_en.push_str(&format!("; ! conflict: {}", c.message_en));
    }
    Decision {
        village_type,
        rule,
        evidence,
        conflicts,
        reason_zh,
        reason_en,
    }
}
