//! From a village's indicator values to its type: matching rules, precedence, conflicts,
//! and the fallbacks for a village no rule speaks for.
//!
//! Pure: no geometry, no project, so each rule kind can be tested on hand-made values.

use serde::{Deserialize, Serialize};

use super::indicators::IndicatorValues;
use super::reason::fill_reason;
use super::rules::{ConflictPolicy, Rule, RuleSet};
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
///
/// `rule` names a fallback when no rule gave evidence; `evidence` is then empty.
#[derive(Debug, Clone, PartialEq)]
pub struct Decision {
    /// The type by precedence (or 暂不明确类).
    pub village_type: VillageType,
    /// The rule or fallback that decided; `None` when neither did (no evidence and no
    /// fallback held, or a conflict made the village undetermined).
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
    // Fallbacks speak only for a village no rule speaks for.
    let fallback = if evidence.is_empty() {
        rules.fallbacks.iter().find(|f| f.matches(values))
    } else {
        None
    };
    let (village_type, rule, mut reason_zh, mut reason_en) = match (strongest, fallback) {
        (Some(e), _) => (
            e.village_type,
            Some(e.rule.clone()),
            e.reason_zh.clone(),
            e.reason_en.clone(),
        ),
        (None, _) if !conflicts.is_empty() => (
            VillageType::Undetermined,
            None,
            "证据相互冲突，待规划师判定".to_string(),
            "conflicting evidence, awaiting the planner's decision".to_string(),
        ),
        (None, Some(f)) => (
            f.village_type,
            Some(f.id.clone()),
            fill_reason(&f.reason_zh, values),
            fill_reason(&f.reason_en, values),
        ),
        (None, None) => (
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::classify::indicators::Indicator;

    fn village(values: &[(Indicator, f64)]) -> IndicatorValues {
        values.iter().copied().collect()
    }

    /// An ordinary village: 1 000 registered, `resident` living there, no flags.
    fn ordinary(resident: f64) -> IndicatorValues {
        village(&[
            (Indicator::RegisteredPopulation, 1_000.0),
            (Indicator::ResidentPopulation, resident),
            (Indicator::OutflowRate, (1_000.0 - resident) / 1_000.0),
            (Indicator::TownshipSeat, 0.0),
            (Indicator::CentralVillage, 0.0),
            (Indicator::MajorProject, 0.0),
        ])
    }

    #[test]
    fn a_stable_ordinary_village_persists_as_agglomeration() {
        let rules = RuleSet::bundled().unwrap();
        let d = decide(&rules, &ordinary(800.0));
        assert_eq!(d.village_type, VillageType::Agglomeration);
        assert_eq!(d.rule.as_deref(), Some("stable_population"));
        assert_eq!(
            d.reason_zh,
            "常住人口稳定（人口流失率 20.0 % ≤ 30 %），无其他类型依据：按一般村庄存续，归集聚提升类"
        );
        assert!(d.reason_en.contains("20.0 % ≤ 30 %"), "{}", d.reason_en);
        assert!(d.evidence.is_empty(), "a fallback is not evidence");
        // An inflow is stable too.
        let d = decide(&rules, &ordinary(1_200.0));
        assert_eq!(d.rule.as_deref(), Some("stable_population"));
        // Exactly at the threshold still counts as stable.
        let d = decide(&rules, &ordinary(700.0));
        assert_eq!(d.village_type, VillageType::Agglomeration);
    }

    #[test]
    fn weak_or_missing_evidence_stays_undetermined_with_its_reason() {
        let rules = RuleSet::bundled().unwrap();
        // Moderate outflow: above stable, short of relocation (400 residents is too many).
        let d = decide(&rules, &ordinary(400.0));
        assert_eq!(
            (d.village_type, d.rule.as_deref()),
            (VillageType::Undetermined, Some("moderate_outflow"))
        );
        assert!(
            d.reason_zh
                .starts_with("人口流失率 60.0 % > 30 %（常住人口 400）"),
            "{}",
            d.reason_zh
        );
        let d = decide(&rules, &ordinary(650.0));
        assert_eq!(d.rule.as_deref(), Some("moderate_outflow"));
        assert!(d.reason_zh.contains("35.0 %"), "{}", d.reason_zh);

        // No 常住人口: no outflow rate, so no judgement of stability.
        let d = decide(
            &rules,
            &village(&[(Indicator::RegisteredPopulation, 1_000.0)]),
        );
        assert_eq!(
            (d.village_type, d.rule.as_deref()),
            (VillageType::Undetermined, Some("population_unknown"))
        );
        assert_eq!(
            d.reason_zh,
            "缺少人口数据（户籍人口 1000，常住人口 ?），无法判断人口是否稳定"
        );

        // A pending major project outweighs a stable population.
        let mut pending = ordinary(900.0);
        pending.insert(Indicator::MajorProjectPending, 1.0);
        let d = decide(&rules, &pending);
        assert_eq!(
            (d.village_type, d.rule.as_deref()),
            (VillageType::Undetermined, Some("pending_major_project"))
        );
        assert!(d.reason_zh.contains("拟建重大项目"), "{}", d.reason_zh);
        pending.insert(Indicator::MajorProjectPending, 0.0);
        assert_eq!(
            decide(&rules, &pending).rule.as_deref(),
            Some("stable_population")
        );
    }

    #[test]
    fn fallbacks_never_speak_beside_evidence() {
        let rules = RuleSet::bundled().unwrap();
        // A 中心村 with moderate outflow: the rule decides, the outflow is not "other evidence".
        let mut central = ordinary(600.0);
        central.insert(Indicator::CentralVillage, 1.0);
        let d = decide(&rules, &central);
        assert_eq!(
            (d.village_type, d.rule.as_deref(), d.reason_zh.as_str()),
            (
                VillageType::Agglomeration,
                Some("central_village"),
                "中心村"
            )
        );
        // A stable village near the county seat: suburban, and nothing about persisting.
        let mut suburb = ordinary(900.0);
        suburb.insert(Indicator::CountySeatUdbDistance, 300.0);
        let d = decide(&rules, &suburb);
        assert_eq!(d.rule.as_deref(), Some("county_seat_udb_near"));
        assert!(!d.reason_zh.contains("另有证据"), "{}", d.reason_zh);

        // Without fallbacks (an older rule file) a village without evidence is undetermined.
        let mut bare = rules.clone();
        bare.fallbacks.clear();
        let d = decide(&bare, &ordinary(800.0));
        assert_eq!(
            (d.village_type, d.rule, d.reason_zh.as_str()),
            (VillageType::Undetermined, None, "无决定性证据")
        );
    }

    #[test]
    fn touching_the_county_seat_boundary_is_the_distance_rule() {
        let rules = RuleSet::bundled().unwrap();
        let mut touching = ordinary(900.0);
        touching.insert(Indicator::CountySeatUdbOverlap, 0.0);
        touching.insert(Indicator::CountySeatUdbDistance, 0.0);
        let d = decide(&rules, &touching);
        assert_eq!(
            (d.village_type, d.rule.as_deref()),
            (VillageType::Suburban, Some("county_seat_udb_near"))
        );
        assert_eq!(d.reason_zh, "距县城城镇开发边界 0 m（≤ 1000 m）");
        // A digitising sliver inside is still touching, not 相交 (0.0 % 在边界内).
        touching.insert(Indicator::CountySeatUdbOverlap, 0.000_2);
        assert_eq!(
            decide(&rules, &touching).rule.as_deref(),
            Some("county_seat_udb_near")
        );
        touching.insert(Indicator::CountySeatUdbOverlap, 0.25);
        let d = decide(&rules, &touching);
        assert_eq!(d.rule.as_deref(), Some("county_seat_udb_intersects"));
        assert!(d.reason_zh.contains("25.0 % 在边界内"), "{}", d.reason_zh);
    }
}
