//! How far the designations are: per target the count designated, and per designated unit
//! its township, village and type, and the flags a designer must look at [I]:
//!
//! - *contradicts the classification*: a 精品示范村 classified 搬迁撤并类, or a 美丽村庄 whose
//!   administrative village is — a village to be moved is no showcase;
//! - *to review*: a 精品示范村 classified 暂不明确类 (its future is not judged yet);
//!   精品示范村 are usually chosen among 集聚提升类 and 特色保护类 (docs/domain.md §8.4);
//! - *unresolved check errors*: blocking 质检 errors (accepted exceptions excluded) in the
//!   village — for a township in any of its villages, for a 美丽村庄 in its administrative
//!   village;
//! - *not in the layer*: a stored code its layer no longer has.
//!
//! The classification is the one stored in the project when there is one, else computed
//! with the project's rules ([`project_classification`]).

use std::collections::BTreeMap;

use serde::Serialize;

use super::designations::{Designation, Designations};
use crate::analysis::checks::CheckReport;
use crate::analysis::classify::{
    Classification, VillageType, classify, project_rules, stored_classification,
};
use crate::error::Result;
use crate::model::Project;
use crate::model::admin::{AdminUnits, township_names};
use crate::model::settlements::NaturalVillages;

/// The classification designations are compared with, and where it came from.
pub fn project_classification(project: &Project) -> Result<(Classification, String)> {
    match stored_classification(project)? {
        Some(c) => Ok((
            c,
            "项目保存的分类结果 / the classification stored in the project".into(),
        )),
        None => {
            let rules = project_rules(project)?;
            let c = classify(project, &rules, None)?;
            Ok((
                c,
                format!(
                    "按规则现算（项目未保存分类）/ computed now with {} (none stored)",
                    rules.source
                ),
            ))
        }
    }
}

/// What kind of attention a flag asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FlagKind {
    /// The designation contradicts the classification.
    Contradiction,
    /// The classification does not support it yet.
    Review,
    /// Blocking check errors remain.
    CheckErrors,
    /// The code is not in its layer any more.
    Missing,
}

/// One flag on a designation.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Flag {
    pub kind: FlagKind,
    pub message_zh: String,
    pub message_en: String,
}

/// One designated unit.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DesignatedUnit {
    pub designation: Designation,
    /// 9-, 12- or 15-digit code.
    pub code: String,
    /// Its name (empty when unknown).
    pub name: String,
    /// The township's name.
    pub township: String,
    /// The administrative village's name (villages and natural villages).
    pub village: String,
    /// The village's type (for a natural village, its administrative village's).
    pub village_type: Option<VillageType>,
    /// The demonstration areas it lies in (filled by the report).
    pub areas: Vec<String>,
    /// What to look at.
    pub flags: Vec<Flag>,
}

/// One target and how far it is.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TargetProgress {
    pub designation: Designation,
    /// The county's target.
    pub target: u32,
    /// Designated units found in their layer.
    pub designated: usize,
    /// designated / target × 100 (0 when the target is 0).
    pub percent: f64,
}

/// The county's progress and its designated units.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Review {
    pub targets: Vec<TargetProgress>,
    /// True when the county set its own targets (else the seed plan's 3 / 24 / 300).
    pub targets_set: bool,
    pub units: Vec<DesignatedUnit>,
    /// Where the village types came from.
    pub classification: String,
    /// Whether the checks ran.
    pub checks: String,
}

fn flag(kind: FlagKind, zh: String, en: String) -> Flag {
    Flag {
        kind,
        message_zh: zh,
        message_en: en,
    }
}

/// Blocking check errors per 12-digit village code: count and rule ids.
fn errors_by_village(checks: &CheckReport) -> BTreeMap<String, Vec<String>> {
    let mut out: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for r in checks.results.iter().filter(|r| r.is_blocking()) {
        if let Some(v) = &r.village {
            out.entry(v.code.clone())
                .or_default()
                .push(r.rule_id.clone());
        }
    }
    out
}

fn check_flag(rules: &[String]) -> Option<Flag> {
    if rules.is_empty() {
        return None;
    }
    let mut ids = rules.to_vec();
    ids.sort();
    ids.dedup();
    Some(flag(
        FlagKind::CheckErrors,
        format!("{} 条未解决的质检错误（{}）", rules.len(), ids.join("、")),
        format!(
            "{} unresolved check error(s) ({})",
            rules.len(),
            ids.join(", ")
        ),
    ))
}

fn type_flags(d: Designation, t: VillageType) -> Option<Flag> {
    match (d, t) {
        (Designation::Village, VillageType::Relocation) => Some(flag(
            FlagKind::Contradiction,
            "分类为搬迁撤并类，与精品示范村矛盾".into(),
            "classified 搬迁撤并类 (relocation): contradicts 精品示范村".into(),
        )),
        (Designation::NaturalVillage, VillageType::Relocation) => Some(flag(
            FlagKind::Contradiction,
            "所属行政村分类为搬迁撤并类，与美丽村庄矛盾".into(),
            "its administrative village is classified 搬迁撤并类: contradicts 美丽村庄".into(),
        )),
        (Designation::Village, VillageType::Undetermined) => Some(flag(
            FlagKind::Review,
            "分类为暂不明确类：先明确村庄类型".into(),
            "classified 暂不明确类: decide the village's type first".into(),
        )),
        _ => None,
    }
}

/// Reviews `designations` against `classification` (when there is one) and the blocking
/// results of `checks` (when they ran).
pub fn review(
    project: &Project,
    designations: &Designations,
    classification: Option<(&Classification, &str)>,
    checks: Option<&CheckReport>,
) -> Result<Review> {
    let towns = township_names(project);
    let villages = AdminUnits::villages(project).ok();
    let natural = NaturalVillages::read(project).ok();
    let village_name = |code: &str| {
        villages
            .as_ref()
            .and_then(|v| v.by_code(code))
            .map(|u| u.name.clone())
    };
    let types: BTreeMap<&str, VillageType> = classification
        .map(|(c, _)| {
            c.villages
                .iter()
                .map(|v| (v.code.as_str(), v.final_type()))
                .collect()
        })
        .unwrap_or_default();
    let errors = checks.map(errors_by_village).unwrap_or_default();
    let mut units = Vec::new();
    let mut found = BTreeMap::new();
    for d in Designation::ALL {
        for code in designations.codes(d) {
            let township_code: String = code.chars().take(9).collect();
            let village_code: String = code.chars().take(12).collect();
            let (name, in_layer) = match d {
                Designation::Township => match towns.get(code) {
                    Some(n) => (n.clone(), true),
                    None => (String::new(), false),
                },
                Designation::Village => match village_name(code) {
                    Some(n) => (n, true),
                    None => (String::new(), false),
                },
                Designation::NaturalVillage => {
                    match natural.as_ref().and_then(|n| n.by_code(code)) {
                        Some(n) => (n.name.clone(), true),
                        None => (String::new(), false),
                    }
                }
            };
            let mut flags = Vec::new();
            if !in_layer {
                flags.push(flag(
                    FlagKind::Missing,
                    format!("代码 {code} 不在{}图层中", d.unit_zh()),
                    format!("code {code} is not in the {} layer", d.unit_zh()),
                ));
            } else {
                *found.entry(d).or_insert(0usize) += 1;
            }
            let village_type = match d {
                Designation::Township => None,
                _ => types.get(village_code.as_str()).copied(),
            };
            flags.extend(village_type.and_then(|t| type_flags(d, t)));
            let rules: Vec<String> = match d {
                Designation::Township => errors
                    .range(township_code.clone()..)
                    .take_while(|(v, _)| v.starts_with(&township_code))
                    .flat_map(|(_, r)| r.iter().cloned())
                    .collect(),
                _ => errors.get(&village_code).cloned().unwrap_or_default(),
            };
            flags.extend(check_flag(&rules));
            units.push(DesignatedUnit {
                designation: d,
                code: code.clone(),
                name,
                township: towns.get(&township_code).cloned().unwrap_or(township_code),
                village: match d {
                    Designation::Township => String::new(),
                    _ => village_name(&village_code).unwrap_or_default(),
                },
                village_type,
                areas: Vec::new(),
                flags,
            });
        }
    }
    let targets = Designation::ALL
        .into_iter()
        .map(|d| {
            let target = designations.targets.of(d);
            let designated = found.get(&d).copied().unwrap_or(0);
            TargetProgress {
                designation: d,
                target,
                designated,
                percent: if target > 0 {
                    designated as f64 / target as f64 * 100.0
                } else {
                    0.0
                },
            }
        })
        .collect();
    Ok(Review {
        targets,
        targets_set: designations.targets_set,
        units,
        classification: classification.map_or_else(
            || "无分类结果（项目没有行政村图层或无法分类）/ no classification".to_string(),
            |(_, source)| source.to_string(),
        ),
        checks: match checks {
            Some(c) => format!(
                "已运行 {} 条规则，只计未列为例外的错误 / {} rules ran; errors accepted as \
                 exceptions do not count",
                c.rules_run, c.rules_run
            ),
            None => "质检未运行 / checks not run".into(),
        },
    })
}
