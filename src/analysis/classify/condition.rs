//! One condition of a classification rule: `indicator op number` (`outflow_rate > 0.5`), or
//! `indicator unknown` (`outflow_rate unknown`).
//!
//! A comparison over an unknown value never holds, so a village without 常住人口 can never
//! be relocated for its outflow by accident. The `unknown` test is the other side of that:
//! it lets a rule file say what to do when the evidence is missing, so "no population
//! data" is a stated reason rather than a silent gap.

use super::indicators::{Indicator, IndicatorValues};
use crate::error::{Error, Result};

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

/// What a condition tests about its indicator.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Test {
    /// The value is known and compares so with the threshold.
    Compare(CompareOp, f64),
    /// The value is unknown (an input missing, e.g. no 户籍人口 or 常住人口).
    Unknown,
}

/// The keyword of [`Test::Unknown`] in rule files.
const UNKNOWN: &str = "unknown";

/// `indicator op value`, e.g. `outflow_rate > 0.5`, or `indicator unknown`.
#[derive(Debug, Clone, PartialEq)]
pub struct Condition {
    /// What is tested.
    pub indicator: Indicator,
    /// How.
    pub test: Test,
}

fn parse_indicator(name: &str, bad: impl Fn(String) -> Error) -> Result<Indicator> {
    Indicator::parse(name).ok_or_else(|| {
        let known: Vec<&str> = Indicator::ALL.iter().map(|i| i.key()).collect();
        bad(format!(
            "unknown indicator '{name}' (known: {})",
            known.join(", ")
        ))
    })
}

impl Condition {
    /// Parses `indicator op number` or `indicator unknown`; the indicator may be its key or
    /// Chinese label. A condition that cannot be read is [`Error::Condition`].
    pub fn parse(text: &str) -> Result<Condition> {
        let bad = |detail: String| Error::Condition {
            condition: text.to_string(),
            detail,
        };
        if let Some(name) = text.trim().strip_suffix(UNKNOWN)
            && !name.contains(['<', '>', '=', '!'])
        {
            return Ok(Condition {
                indicator: parse_indicator(name.trim(), bad)?,
                test: Test::Unknown,
            });
        }
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
            .ok_or_else(|| {
                bad(format!(
                    "no operator (> >= < <= = !=) and not '… {UNKNOWN}'"
                ))
            })?;
        let indicator = parse_indicator(text[..at].trim(), bad)?;
        let number = text[at + symbol.len()..].trim();
        let value = number
            .parse::<f64>()
            .ok()
            .filter(|v| v.is_finite())
            .ok_or_else(|| bad(format!("'{number}' is not a number")))?;
        Ok(Condition {
            indicator,
            test: Test::Compare(op, value),
        })
    }

    /// True when the village's value satisfies the condition. A comparison over an unknown
    /// value is false; [`Test::Unknown`] is true exactly then.
    pub fn holds(&self, values: &IndicatorValues) -> bool {
        let value = values.get(&self.indicator);
        let (op, threshold) = match self.test {
            Test::Unknown => return value.is_none(),
            Test::Compare(op, threshold) => (op, threshold),
        };
        let Some(&v) = value else {
            return false;
        };
        match op {
            CompareOp::Gt => v > threshold,
            CompareOp::Ge => v >= threshold,
            CompareOp::Lt => v < threshold,
            CompareOp::Le => v <= threshold,
            CompareOp::Eq => v == threshold,
            CompareOp::Ne => v != threshold,
        }
    }
}

impl std::fmt::Display for Condition {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.test {
            Test::Compare(op, value) => {
                write!(f, "{} {} {value}", self.indicator.key(), op.symbol())
            }
            Test::Unknown => write!(f, "{} {UNKNOWN}", self.indicator.key()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comparisons_parse_and_hold() {
        let c = Condition::parse("outflow_rate >= 0.5").unwrap();
        assert_eq!(c.test, Test::Compare(CompareOp::Ge, 0.5));
        let mut v = IndicatorValues::new();
        assert!(!c.holds(&v), "unknown never holds");
        v.insert(Indicator::OutflowRate, 0.5);
        assert!(c.holds(&v));
        let c = Condition::parse("常住人口<150").unwrap();
        assert_eq!(c.indicator, Indicator::ResidentPopulation);
        assert_eq!(c.test, Test::Compare(CompareOp::Lt, 150.0));
        assert_eq!(c.to_string(), "resident_population < 150");
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
    fn unknown_holds_only_without_a_value() {
        let c = Condition::parse(" 人口流失率 unknown ").unwrap();
        assert_eq!(
            (c.indicator, c.test),
            (Indicator::OutflowRate, Test::Unknown)
        );
        assert_eq!(c.to_string(), "outflow_rate unknown");
        let mut v = IndicatorValues::new();
        assert!(c.holds(&v));
        v.insert(Indicator::OutflowRate, 0.0);
        assert!(!c.holds(&v), "a known 0 is not unknown");
        assert!(
            Condition::parse("outflow_rate > unknown")
                .unwrap_err()
                .to_string()
                .contains("'unknown' is not a number")
        );
        assert!(
            Condition::parse("outfow_rate unknown")
                .unwrap_err()
                .to_string()
                .contains("unknown indicator 'outfow_rate'")
        );
    }
}
