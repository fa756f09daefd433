//! Classification rules are data: a TOML file (`assets/rules/classify.toml` by default, a
//! county's own file, or the copy stored in a project) with ordered rules over the
//! [`Indicator`]s, a type precedence, spatial settings and conflict definitions.
//!
//! Everything is validated when the file is read, so a typo (an unknown indicator, type or
//! rule id, a placeholder that names nothing) is an error naming the file and the rule,
//! never a rule that silently never fires.

use std::path::Path;

use serde::Deserialize;

use super::indicators::{Indicator, IndicatorValues};
use super::village_type::VillageType;
use crate::error::{Error, Result};

/// The bundled default rules (docs/domain.md §4 thresholds), compiled into the binary.
const BUNDLED: &str = include_str!("../../../assets/rules/classify.toml");

/// The name under which the bundled rules are reported.
pub const BUNDLED_SOURCE: &str = "assets/rules/classify.toml (bundled)";

/// A comparison in a rule condition.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CompareOp {
    /// `>`
    Gt,
    /// `>=`
    Ge,
    /// `<`
    Lt,
    /// `<=`
    Le,
    /// `=` (also `==`)
    Eq,
    /// `!=`
    Ne,
}

impl CompareOp {
    fn symbol(self) -> &'static str {
        match self {
            CompareOp::Gt => ">",
            CompareOp::Ge => ">=",
            CompareOp::Lt => "<",
            CompareOp::Le => "<=",
            CompareOp::Eq => "=",
            CompareOp::Ne => "!=",
        }
    }
}

/// `indicator op value`, e.g. `outflow_rate > 0.5`.
#[derive(Debug, Clone, PartialEq)]
pub struct Condition {
    /// What is tested.
    pub indicator: Indicator,
    /// How.
    pub op: CompareOp,
    /// The threshold.
    pub value: f64,
}

impl Condition {
    /// Parses `indicator op number`; the indicator may be its key or Chinese label.
    /// A condition that cannot be read is [`Error::Condition`].
    pub fn parse(text: &str) -> Result<Condition> {
        let bad = |detail: String| Error::Condition {
            condition: text.to_string(),
            detail,
        };
        const OPS: [(&str, CompareOp); 7] = [
            (">=", CompareOp::Ge),
            ("<=", CompareOp::Le),
            ("!=", CompareOp::Ne),
            ("==", CompareOp::Eq),
            (">", CompareOp::Gt),
            ("<", CompareOp::Lt),
            ("=", CompareOp::Eq),
        ];
        let (at, symbol, op) = OPS
            .iter()
            .filter_map(|(s, op)| text.find(s).map(|at| (at, *s, *op)))
            .min_by_key(|(at, s, _)| (*at, std::cmp::Reverse(s.len())))
            .ok_or_else(|| bad("no operator (> >= < <= = !=)".into()))?;
        let name = text[..at].trim();
        let number = text[at + symbol.len()..].trim();
        let indicator = Indicator::parse(name).ok_or_else(|| {
            let known: Vec<&str> = Indicator::ALL.iter().map(|i| i.key()).collect();
            bad(format!(
                "unknown indicator '{name}' (known: {})",
                known.join(", ")
            ))
        })?;
        let value = number
            .parse::<f64>()
            .ok()
            .filter(|v| v.is_finite())
            .ok_or_else(|| bad(format!("'{number}' is not a number")))?;
        Ok(Condition {
            indicator,
            op,
            value,
        })
    }

    /// True when the village's value satisfies the condition; false when it is unknown.
    pub fn holds(&self, values: &IndicatorValues) -> bool {
        let Some(&v) = values.get(&self.indicator) else {
            return false;
        };
        match self.op {
            CompareOp::Gt => v > self.value,
            CompareOp::Ge => v >= self.value,
            CompareOp::Lt => v < self.value,
            CompareOp::Le => v <= self.value,
            CompareOp::Eq => v == self.value,
            CompareOp::Ne => v != self.value,
        }
    }
}

impl std::fmt::Display for Condition {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} {} {}",
            self.indicator.key(),
            self.op.symbol(),
            self.value
        )
    }
}

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
    /// Rules in file order.
    pub rules: Vec<Rule>,
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

        let mut rules: Vec<Rule> = Vec::with_capacity(file.rules.len());
        for r in file.rules {
            let context = format!("rule '{}'", r.id);
            if rules.iter().any(|x| x.id == r.id) {
                return Err(invalid(format!("{context} is defined twice")));
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
            rules.push(Rule {
                village_type: parse_type(&r.village_type, &context)?,
                id: r.id,
                when,
                reason_zh: r.reason_zh,
                reason_en: r.reason_en,
                enabled: r.enabled,
            });
        }

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
                            Err(invalid(format!(
                                "{context}: '{n}' is neither a village type nor a rule id"
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

    /// A rule by id.
    pub fn rule(&self, id: &str) -> Option<&Rule> {
        self.rules.iter().find(|r| r.id == id)
    }

    /// Position of a type in the precedence (0 = strongest).
    pub fn rank(&self, t: VillageType) -> usize {
        self.precedence
            .iter()
            .position(|p| *p == t)
            .unwrap_or(self.precedence.len())
    }
}

/// Checks that every `{name}` in a reason names an indicator ([`Error::Template`] if not).
fn check_placeholders(template: &str) -> Result<()> {
    let bad = |detail: String| Error::Template {
        template: template.to_string(),
        detail,
    };
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        let after = &rest[open + 1..];
        let close = after
            .find('}')
            .ok_or_else(|| bad("'{' without '}'".into()))?;
        let name = &after[..close];
        if Indicator::parse(name).is_none() {
            return Err(bad(format!("{{{name}}} is not an indicator")));
        }
        rest = &after[close + 1..];
    }
    Ok(())
}

/// Fills `{indicator}` placeholders with the village's formatted values (`—` when unknown).
pub fn fill_reason(template: &str, values: &IndicatorValues) -> String {
    let mut out = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        match after.find('}') {
            Some(close) => {
                let name = &after[..close];
                match Indicator::parse(name) {
                    Some(i) => match values.get(&i) {
                        Some(&v) => out.push_str(&i.format(v)),
                        // An unknown value; ASCII so every UI font can show it.
                        None => out.push('?'),
                    },
                    None => {
                        out.push('{');
                        out.push_str(name);
                        out.push('}');
                    }
                }
                rest = &after[close + 1..];
            }
            None => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
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
    }

    #[test]
    fn conditions_parse_and_hold() {
        let c = Condition::parse("outflow_rate >= 0.5").unwrap();
        assert_eq!(c.op, CompareOp::Ge);
        let mut v = IndicatorValues::new();
        assert!(!c.holds(&v), "unknown never holds");
        v.insert(Indicator::OutflowRate, 0.5);
        assert!(c.holds(&v));
        let c = Condition::parse("常住人口<150").unwrap();
        assert_eq!(c.indicator, Indicator::ResidentPopulation);
        assert_eq!(c.op, CompareOp::Lt);
        assert!(Condition::parse("outflow > lots").is_err());
        assert!(Condition::parse("outflow_rate 0.5").is_err());
        assert!(
            Condition::parse("outfow_rate > 0.5")
                .unwrap_err()
                .to_string()
                .contains("unknown indicator 'outfow_rate'")
        );
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

    #[test]
    fn reasons_fill_placeholders() {
        let mut v = IndicatorValues::new();
        v.insert(Indicator::CountySeatUdbDistance, 229.6);
        assert_eq!(
            fill_reason(
                "距县城城镇开发边界 {county_seat_udb_distance_m} m，{outflow_rate}",
                &v
            ),
            "距县城城镇开发边界 230 m，?"
        );
        assert!(check_placeholders("{nonsense}").is_err());
    }
}
