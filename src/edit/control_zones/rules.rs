//! The 管控边界 rules: class → zone, the line codes and the sliver thresholds, read from
//! `assets/rules/control_zones.toml` and checked against the official zone code list.

use std::collections::BTreeMap;

use serde::Deserialize;

use crate::error::{Error, Result};
use crate::landuse::{CodeBook, Standard};

/// The bundled rules (class → zone, line codes, sliver thresholds), compiled in so that a
/// planner's machine never lacks them.
const BUNDLED_RULES: &str = include_str!("../../../assets/rules/control_zones.toml");

/// The name under which the bundled rules are reported in errors.
const RULES_NAME: &str = "assets/rules/control_zones.toml (bundled)";

/// GKBJLXDM → GKBJLXMC, the official code list the rules are checked against.
const ZONE_CODES: &str = include_str!("../../../assets/landuse/gkbj_codes.csv");

/// The rules file as written.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RulesFile {
    red_line: String,
    farmland: String,
    default: String,
    zone: Vec<ZoneRuleFile>,
    slivers: SliverFile,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ZoneRuleFile {
    code: String,
    classes: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SliverFile {
    next_to_lines_m2: f64,
    anywhere_m2: f64,
}

/// The rules, validated against the code lists.
pub(super) struct Rules {
    /// GKBJLXDM → GKBJLXMC.
    pub(super) names: BTreeMap<String, String>,
    /// 用地用海 first-level class → zone code.
    pub(super) by_class: BTreeMap<String, String>,
    pub(super) default: String,
    pub(super) red_line: String,
    pub(super) farmland: String,
    pub(super) next_to_lines_m2: f64,
    pub(super) anywhere_m2: f64,
}

fn rules_error(detail: impl std::fmt::Display) -> Error {
    Error::Invalid(format!("{RULES_NAME}: {detail}"))
}

impl Rules {
    /// Parses and checks the bundled rules; a mistake there is reported, never a panic.
    pub(super) fn bundled(book: &CodeBook) -> Result<Rules> {
        let file: RulesFile = toml::from_str(BUNDLED_RULES).map_err(rules_error)?;
        let mut names = BTreeMap::new();
        let mut reader = csv::Reader::from_reader(ZONE_CODES.as_bytes());
        for (i, row) in reader.records().enumerate() {
            let row = row.map_err(|e| Error::Table {
                source_name: "gkbj_codes.csv".into(),
                line: i + 2,
                detail: e.to_string(),
            })?;
            if let (Some(code), Some(name)) = (row.get(0), row.get(1)) {
                names.insert(code.trim().to_string(), name.trim().to_string());
            }
        }
        let known = |code: &str| -> Result<String> {
            if names.contains_key(code) {
                Ok(code.to_string())
            } else {
                Err(rules_error(format!(
                    "zone code {code} is not in gkbj_codes.csv"
                )))
            }
        };
        let red_line = known(&file.red_line)?;
        let farmland = known(&file.farmland)?;
        let default = known(&file.default)?;
        let mut by_class = BTreeMap::new();
        for zone in &file.zone {
            let code = known(&zone.code)?;
            if code == red_line || code == farmland {
                return Err(rules_error(format!(
                    "zone {code} is a line: it comes from the line layers, not from land use"
                )));
            }
            for class in &zone.classes {
                if book
                    .lookup(Standard::Ydyh2023, class)
                    .is_none_or(|c| c.level != 1)
                {
                    return Err(rules_error(format!(
                        "zone {code}: '{class}' is not a 用地用海 2023 first-level class"
                    )));
                }
                if let Some(other) = by_class.insert(class.clone(), code.clone()) {
                    return Err(rules_error(format!(
                        "class {class} is listed in zones {other} and {code}"
                    )));
                }
            }
        }
        Ok(Rules {
            names,
            by_class,
            default,
            red_line,
            farmland,
            next_to_lines_m2: file.slivers.next_to_lines_m2,
            anywhere_m2: file.slivers.anywhere_m2,
        })
    }

    pub(super) fn zone_of(&self, class: &str) -> &str {
        self.by_class.get(class).unwrap_or(&self.default)
    }

    pub(super) fn is_line(&self, code: &str) -> bool {
        code == self.red_line || code == self.farmland
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bundled_rules_parse_and_map_the_first_level_classes() {
        let rules = Rules::bundled(CodeBook::bundled()).unwrap();
        assert_eq!(rules.zone_of("01"), "0201");
        assert_eq!(rules.zone_of("06"), "0201");
        assert_eq!(rules.zone_of("17"), "0101");
        assert_eq!(rules.zone_of("16"), "0301");
        assert_eq!(rules.zone_of("12"), "0900");
        assert_eq!(rules.zone_of("15"), "0900");
        assert_eq!(rules.names["0102"], "生态保护红线");
        assert!(rules.is_line("0202") && !rules.is_line("0201"));
        assert_eq!((rules.next_to_lines_m2, rules.anywhere_m2), (16.0, 1.0));
    }
}
