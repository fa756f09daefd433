//! Classification rules are data: a TOML file (`assets/rules/classify.toml` by default, a
//! county's own file, or the copy stored in a project) with ordered rules over the
//! [`Indicator`]s, fallbacks for villages no rule speaks for, a type precedence, spatial
//! settings and conflict definitions.
//!
//! Everything is validated when the file is read, so a typo (an unknown indicator, type or
//! rule id, a placeholder that names nothing) is an error naming the file and the rule,
//! never a rule that silently never fires.

use std::path::Path;

use serde::Deserialize;

use super::condition::Condition;
use super::indicators::{Indicator, IndicatorValues};
use super::reason::check_placeholders;
use super::village_type::VillageType;
use crate::error::{Error, Result};

/// The bundled default rules (docs/domain.md §4 thresholds), compiled into the binary.
const BUNDLED: &str = include_str!("../../../assets/rules/classify.toml");

/// The name under which the bundled rules are reported.
pub const BUNDLED_SOURCE: &str = "assets/rules/classify.toml (bundled)";

/// One rule: when all conditions hold, the village has evidence for `village_type`.
#[derive(Debug, Clone, PartialEq)]
pub struct Rule {
    /// Stable id, shown in results as the rule that decided.
    pub id: String,
    /// The type this rule is evidence for.
    pub village_type: VillageType,
    /// All must hold.
    pub when: Vec<Condition>,
    /// Reason shown to the planner, with `{indicator}` placeholders.
    pub reason_zh: String,
    /// The same in English.
    pub reason_en: String,
    /// Disabled rules are kept (and shown) but never match.
    pub enabled: bool,
}

impl Rule {
    /// True when the rule is enabled and every condition holds.
    pub fn matches(&self, values: &IndicatorValues) -> bool {
        self.enabled && self.when.iter().all(|c| c.holds(values))
    }

    /// The indicators the rule tests, each once.
    pub fn indicators(&self) -> Vec<Indicator> {
        let mut out: Vec<Indicator> = self.when.iter().map(|c| c.indicator).collect();
        out.dedup();
        out
    }
}

/// What a conflict rule refers to: every rule of a type, or one rule by id.
#[derive(Debug, Clone, PartialEq)]
pub enum RuleSelector {
    /// Any rule of this type.
    Type(VillageType),
    /// The rule with this id.
    Rule(String),
}

impl RuleSelector {
    /// True when `rule` is selected.
    pub fn selects(&self, rule: &Rule) -> bool {
        match self {
            RuleSelector::Type(t) => rule.village_type == *t,
            RuleSelector::Rule(id) => rule.id == *id,
        }
    }
}

/// Evidence that must not be decided silently: a rule from `a` and one from `b` both match.
#[derive(Debug, Clone, PartialEq)]
pub struct ConflictRule {
    /// Stable id.
    pub id: String,
    /// One side.
    pub a: Vec<RuleSelector>,
    /// The other side.
    pub b: Vec<RuleSelector>,
    /// Shown to the planner.
    pub message_zh: String,
    /// The same in English.
    pub message_en: String,
}

/// What a detected conflict does to the type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConflictPolicy {
    /// Keep the precedence type, flag the village.
    Flag,
    /// Make the village 暂不明确类 until a planner overrides it.
    Undetermined,
}

/// Settings of the spatial indicators.
#[derive(Debug, Clone, PartialEq)]
pub struct SpatialSettings {
    /// 三调 codes of settlement land (农村宅基地 0702).
    pub settlement_codes: Vec<String>,
    /// 三调 code prefixes of farmland (耕地 01).
    pub farmland_codes: Vec<String>,
    /// Name fragments marking the county seat's 城镇开发边界.
    pub county_seat_names: Vec<String>,
    /// Radius in metres that turns hazard points and lines into zones.
    pub hazard_point_buffer_m: f64,
    /// Metres mapped hazard polygons are widened by.
    pub hazard_zone_buffer_m: f64,
    /// Layer-name fragments of reservoir / inundation layers.
    pub reservoir_layer_names: Vec<String>,
}

/// A validated rule file.
#[derive(Debug, Clone, PartialEq)]
pub struct RuleSet {
    /// Where the rules came from (a path, [`BUNDLED_SOURCE`] or the project).
    pub source: String,
    /// The TOML text as read, stored verbatim (comments included) in projects.
    pub text: String,
    /// Types from strongest to weakest; contains every type once.
    pub precedence: Vec<VillageType>,
    /// Rules in file order: each match is evidence for its type.
    pub rules: Vec<Rule>,
    /// What decides a village for which no rule matched, in file order (the first that
    /// holds decides): the default type of an ordinary village, or the reason it stays
    /// 暂不明确类. Not evidence — never listed beside other evidence, never in a conflict.
    pub fallbacks: Vec<Rule>,
    /// Conflict definitions.
    pub conflicts: Vec<ConflictRule>,
    /// What a conflict does.
    pub on_conflict: ConflictPolicy,
    /// Spatial settings.
    pub settings: SpatialSettings,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FileRules {
    version: u32,
    precedence: Vec<String>,
    settings: FileSettings,
    #[serde(default)]
    rules: Vec<FileRule>,
    #[serde(default)]
    fallbacks: Vec<FileRule>,
    #[serde(default)]
    conflicts: Vec<FileConflict>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FileSettings {
    settlement_codes: Vec<String>,
    farmland_codes: Vec<String>,
    county_seat_names: Vec<String>,
    hazard_point_buffer_m: f64,
    hazard_zone_buffer_m: f64,
    reservoir_layer_names: Vec<String>,
    on_conflict: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FileRule {
    id: String,
    #[serde(rename = "type")]
    village_type: String,
    when: Vec<String>,
    reason_zh: String,
    reason_en: String,
    #[serde(default = "enabled_by_default")]
    enabled: bool,
}

fn enabled_by_default() -> bool {
    true
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FileConflict {
    id: String,
    a: Vec<String>,
    b: Vec<String>,
    message_zh: String,
    message_en: String,
}

/// The only rule-file version this build reads.
const VERSION: u32 = 1;

impl RuleSet {
    /// The bundled defaults.
    pub fn bundled() -> Result<RuleSet> {
        RuleSet::parse(BUNDLED, BUNDLED_SOURCE)
    }

    /// Reads a rule file from disk.
    pub fn from_file(path: &Path) -> Result<RuleSet> {
        let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
        RuleSet::parse(&text, &path.display().to_string())
    }

    /// Parses and validates rule-file text; `source` names it in errors.
    pub fn parse(text: &str, source: &str) -> Result<RuleSet> {
        let file: FileRules = toml::from_str(text).map_err(|e| Error::Table {
            source_name: source.to_string(),
            line: e.span().map_or(0, |s| {
                text[..s.start.min(text.len())].lines().count().max(1)
            }),
            detail: e.message().to_string(),
        })?;
        let invalid = |detail: String| Error::Invalid(format!("{source}: {detail}"));
        let in_rule = |context: &str, e: Error| Error::InRule {
            source_name: source.to_string(),
            context: context.to_string(),
            source: Box::new(e),
        };
        if file.version != VERSION {
            return Err(invalid(format!(
                "rule file version {} is not supported (this build reads version {VERSION})",
                file.version
            )));
        }
        let parse_type = |text: &str, context: &str| {
            VillageType::parse(text).ok_or_else(|| {
                invalid(format!(
                    "{context}: unknown village type '{text}' (集聚提升类, 城郊融合类, 特色保护类, 搬迁撤并类, 暂不明确类)"
                ))
            })
        };
        let mut precedence = Vec::new();
        for t in &file.precedence {
            let t = parse_type(t, "precedence")?;
            if precedence.contains(&t) {
                return Err(invalid(format!("precedence: {t} is listed twice")));
            }
            precedence.push(t);
        }
        if precedence.len() != VillageType::ALL.len() {
            return Err(invalid(
                "precedence must list all five village types".to_string(),
            ));
        }

        // Rules and fallbacks share one id space: a result names the one that decided.
        let mut ids: Vec<String> = Vec::new();
        let mut read = |list: Vec<FileRule>, kind: &str| -> Result<Vec<Rule>> {
            let mut out = Vec::with_capacity(list.len());
            for r in list {
                let context = format!("{kind} '{}'", r.id);
                if ids.contains(&r.id) {
                    return Err(invalid(format!("{context}: the id is used twice")));
                }
                if r.when.is_empty() {
                    return Err(invalid(format!("{context} has no conditions")));
                }
                let when = r
                    .when
                    .iter()
                    .map(|c| Condition::parse(c).map_err(|e| in_rule(&context, e)))
                    .collect::<Result<Vec<_>>>()?;
                for template in [&r.reason_zh, &r.reason_en] {
                    check_placeholders(template).map_err(|e| in_rule(&context, e))?;
                }
                ids.push(r.id.clone());
                out.push(Rule {
                    village_type: parse_type(&r.village_type, &context)?,
                    id: r.id,
                    when,
                    reason_zh: r.reason_zh,
                    reason_en: r.reason_en,
                    enabled: r.enabled,
                });
            }
            Ok(out)
        };
        let rules = read(file.rules, "rule")?;
        let fallbacks = read(file.fallbacks, "fallback")?;

        let mut conflicts = Vec::with_capacity(file.conflicts.len());
        for c in file.conflicts {
            let context = format!("conflict '{}'", c.id);
            let selectors = |names: &[String]| {
                if names.is_empty() {
                    return Err(invalid(format!("{context}: a side lists nothing")));
                }
                names
                    .iter()
                    .map(|n| {
                        if let Some(t) = VillageType::parse(n) {
                            Ok(RuleSelector::Type(t))
                        } else if rules.iter().any(|r| r.id == *n) {
                            Ok(RuleSelector::Rule(n.clone()))
                        } else {
                            // Fallbacks are not evidence, so nothing can conflict with one.
                            Err(invalid(format!(
                                "{context}: '{n}' is neither a village type nor the id of a [[rules]] entry"
                            )))
                        }
                    })
                    .collect::<Result<Vec<_>>>()
            };
            conflicts.push(ConflictRule {
                a: selectors(&c.a)?,
                b: selectors(&c.b)?,
                id: c.id,
                message_zh: c.message_zh,
                message_en: c.message_en,
            });
        }

        let s = file.settings;
        let on_conflict = match s.on_conflict.as_str() {
            "flag" => ConflictPolicy::Flag,
            "undetermined" => ConflictPolicy::Undetermined,
            other => {
                return Err(invalid(format!(
                    "settings.on_conflict: '{other}' (use \"flag\" or \"undetermined\")"
                )));
            }
        };
        for (name, metres) in [
            ("hazard_point_buffer_m", s.hazard_point_buffer_m),
            ("hazard_zone_buffer_m", s.hazard_zone_buffer_m),
        ] {
            if !(metres.is_finite() && metres >= 0.0) {
                return Err(invalid(format!("settings.{name} must be a number ≥ 0")));
            }
        }
        Ok(RuleSet {
            source: source.to_string(),
            text: text.to_string(),
            precedence,
            rules,
            fallbacks,
            conflicts,
            on_conflict,
            settings: SpatialSettings {
                settlement_codes: s.settlement_codes,
                farmland_codes: s.farmland_codes,
                county_seat_names: s.county_seat_names,
                hazard_point_buffer_m: s.hazard_point_buffer_m,
                hazard_zone_buffer_m: s.hazard_zone_buffer_m,
                reservoir_layer_names: s.reservoir_layer_names,
            },
        })
    }

    /// A rule or a fallback by id.
    pub fn rule(&self, id: &str) -> Option<&Rule> {
        self.rules
            .iter()
            .chain(&self.fallbacks)
            .find(|r| r.id == id)
    }

    /// Position of a type in the precedence (0 = strongest).
    pub fn rank(&self, t: VillageType) -> usize {
        self.precedence
            .iter()
            .position(|p| *p == t)
            .unwrap_or(self.precedence.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bundled_rules_parse() {
        let rules = RuleSet::bundled().unwrap();
        assert_eq!(rules.precedence[0], VillageType::Heritage);
        assert!(rules.rule("population_outflow").is_some());
        assert!(!rules.rule("large_population").unwrap().enabled);
        assert!(!rules.conflicts.is_empty());
        let fallbacks: Vec<&str> = rules.fallbacks.iter().map(|f| f.id.as_str()).collect();
        assert_eq!(
            fallbacks,
            [
                "pending_major_project",
                "population_unknown",
                "stable_population",
                "moderate_outflow"
            ]
        );
        assert_eq!(
            rules.rule("stable_population").unwrap().village_type,
            VillageType::Agglomeration
        );
    }

    #[test]
    fn fallbacks_are_checked_like_rules() {
        let with = |extra: &str| RuleSet::parse(&format!("{BUNDLED}\n{extra}"), "county.toml");
        let e = with("[[fallbacks]]\nid = \"central_village\"\ntype = \"集聚提升类\"\nwhen = [\"outflow_rate < 0.1\"]\nreason_zh = \"x\"\nreason_en = \"x\"")
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("county.toml") && e.contains("'central_village': the id is used twice"),
            "{e}"
        );
        let e = with("[[fallbacks]]\nid = \"typo\"\ntype = \"集聚提升类\"\nwhen = [\"outflw_rate unknown\"]\nreason_zh = \"x\"\nreason_en = \"x\"")
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("fallback 'typo'") && e.contains("outflw_rate"),
            "{e}"
        );
        let e = with("[[conflicts]]\nid = \"c\"\na = [\"stable_population\"]\nb = [\"major_project\"]\nmessage_zh = \"x\"\nmessage_en = \"x\"")
            .unwrap_err()
            .to_string();
        assert!(e.contains("'stable_population' is neither"), "{e}");
    }

    #[test]
    fn errors_name_the_source_and_rule() {
        let bad = BUNDLED.replace("traditional_village = 1", "tradition = 1");
        let e = RuleSet::parse(&bad, "county.toml").unwrap_err().to_string();
        assert!(
            e.contains("county.toml") && e.contains("traditional_village"),
            "{e}"
        );
        let bad = BUNDLED.replace("\"特色保护类\", \"搬迁撤并类\", ", "");
        assert!(RuleSet::parse(&bad, "x").is_err());
        let e = RuleSet::parse("version = 1\nprecedence = [", "broken.toml")
            .unwrap_err()
            .to_string();
        assert!(e.starts_with("broken.toml, line"), "{e}");
    }
}
