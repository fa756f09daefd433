//! Indicators that come from attributes: population, heritage listings, 中心村 / 乡镇驻地 and
//! major-project flags — read from the village layer and from an optional joined table.
//!
//! Field names differ between counties, so each indicator accepts several names: the
//! pinyin abbreviations of the village layer (`HJRK`, `CZRK`, `CTCL` …, as in the sample)
//! and the Chinese column headers of statistics tables (户籍人口, 传统村落 …). Text in
//! parentheses is ignored (`户籍人口（人）`), ASCII case too.

use super::indicators::Indicator;
use crate::error::{Error, Result};
use crate::model::admin::{CODE_FIELDS, NAME_FIELDS};

/// Names accepted for each attribute indicator (after normalisation, see [`normalise`]).
const ALIASES: &[(Indicator, &[&str])] = &[
    (
        Indicator::RegisteredPopulation,
        &["HJRK", "HJRKS", "户籍人口", "户籍人口数", "户籍人数"],
    ),
    (
        Indicator::ResidentPopulation,
        &["CZRK", "CZRKS", "常住人口", "常住人口数", "常住人数"],
    ),
    (
        Indicator::Households,
        &["HS", "ZHS", "户数", "总户数", "户籍户数"],
    ),
    (
        Indicator::PovertyAlleviatedPopulation,
        &["TPRK", "TPRKS", "脱贫人口", "脱贫人口数"],
    ),
    (
        Indicator::TraditionalVillage,
        &["CTCL", "传统村落", "中国传统村落"],
    ),
    (
        Indicator::HistoricCulturalVillage,
        &["LSWHMC", "历史文化名村"],
    ),
    (
        Indicator::EthnicMinorityVillage,
        &["SSMZ", "SSMZTSCZ", "少数民族特色村寨"],
    ),
    (
        Indicator::ScenicTourismVillage,
        &["TSJG", "TSJGLYMC", "特色景观旅游名村"],
    ),
    (Indicator::CentralVillage, &["ZXC", "中心村"]),
    (
        Indicator::TownshipSeat,
        &["XZZD", "乡镇驻地", "乡镇政府驻地"],
    ),
    (
        Indicator::MajorProject,
        &["ZDXM", "重大项目", "重大项目占用", "重大项目建设"],
    ),
    // A project planned but not settled (site, alignment or 淹没线 not yet fixed): the
    // village may or may not have to move.
    (
        Indicator::MajorProjectPending,
        &[
            "NJZDXM",
            "ZDXMDD",
            "拟建重大项目",
            "重大项目待定",
            "待定重大项目",
        ],
    ),
];

/// Upper-cases ASCII, drops spaces and anything in (half- or full-width) parentheses.
fn normalise(name: &str) -> String {
    let mut out = String::new();
    let mut depth = 0usize;
    for c in name.chars() {
        match c {
            '(' | '（' => depth += 1,
            ')' | '）' => depth = depth.saturating_sub(1),
            c if depth == 0 && !c.is_whitespace() => out.push(c.to_ascii_uppercase()),
            _ => {}
        }
    }
    out
}

/// The indicator a column holds, if it is one we read.
pub fn indicator_for_column(name: &str) -> Option<Indicator> {
    let n = normalise(name);
    ALIASES
        .iter()
        .find(|(_, names)| names.contains(&n.as_str()))
        .map(|(i, _)| *i)
}

/// True when a table column holds the 12-digit village code (the names the village layer
/// reader accepts, [`CODE_FIELDS`]).
pub fn is_code_column(name: &str) -> bool {
    CODE_FIELDS.contains(&normalise(name).as_str())
}

/// True when a table column holds the village name ([`NAME_FIELDS`]).
pub fn is_name_column(name: &str) -> bool {
    NAME_FIELDS.contains(&normalise(name).as_str())
}

/// Parses a cell: numbers (thousands separators allowed) for counts, and for flags also
/// 是/否, Y/N, yes/no, true/false, √/×, 有/无. An empty cell is `Ok(None)`; anything else is
/// [`Error::NotAValue`].
pub fn parse_cell(indicator: Indicator, text: &str) -> Result<Option<f64>> {
    let t = text.trim();
    if t.is_empty() {
        return Ok(None);
    }
    if let Ok(v) = t.replace([',', '，'], "").parse::<f64>()
        && v.is_finite()
    {
        return Ok(Some(v));
    }
    if indicator.unit() == super::indicators::Unit::Flag {
        let lower = t.to_lowercase();
        if ["是", "y", "yes", "true", "√", "有"].contains(&lower.as_str()) {
            return Ok(Some(1.0));
        }
        if ["否", "n", "no", "false", "×", "无"].contains(&lower.as_str()) {
            return Ok(Some(0.0));
        }
        return Err(not_a_value(t, "a yes/no value (1/0, 是/否)"));
    }
    Err(not_a_value(t, "a number"))
}

fn not_a_value(text: &str, expected: &str) -> Error {
    Error::NotAValue {
        text: text.to_string(),
        expected: expected.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aliases_and_cells() {
        assert_eq!(
            indicator_for_column("户籍人口（人）"),
            Some(Indicator::RegisteredPopulation)
        );
        assert_eq!(
            indicator_for_column("czrk"),
            Some(Indicator::ResidentPopulation)
        );
        assert_eq!(
            indicator_for_column("拟建重大项目"),
            Some(Indicator::MajorProjectPending)
        );
        assert_eq!(indicator_for_column("DLBM"), None);
        assert!(is_code_column("村代码"));
        assert_eq!(
            parse_cell(Indicator::RegisteredPopulation, "1,234").unwrap(),
            Some(1234.0)
        );
        assert_eq!(
            parse_cell(Indicator::TraditionalVillage, "是").unwrap(),
            Some(1.0)
        );
        assert_eq!(
            parse_cell(Indicator::TraditionalVillage, " ").unwrap(),
            None
        );
        assert_eq!(
            parse_cell(Indicator::Households, "many")
                .unwrap_err()
                .to_string(),
            "'many' is not a number"
        );
        assert!(matches!(
            parse_cell(Indicator::CentralVillage, "maybe"),
            Err(Error::NotAValue { .. })
        ));
    }
}
