//! Attribute filters a planner types: `DLBM = 0103`, `DLBM ^= 01` (code prefix),
//! `ZLDWMC contains 河平`, `TBMJ > 1000`, joined with `and` / `且`.
//!
//! Used by the attribute table and by "create from selection"; kept deliberately small and
//! explicit so a typo is an error with a message, never a silently empty result.

use std::cmp::Ordering;

use super::{AttrValue, Layer};
use crate::error::{Error, Result};

/// A comparison operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    /// `=`: equal (numbers numerically, text exactly).
    Eq,
    /// `!=`.
    Ne,
    /// `>`.
    Gt,
    /// `>=`.
    Ge,
    /// `<`.
    Lt,
    /// `<=`.
    Le,
    /// `^=` or `starts with`: text prefix (land-use code classes).
    StartsWith,
    /// `contains`: substring.
    Contains,
}

/// One `field op value` term.
#[derive(Debug, Clone, PartialEq)]
pub struct Condition {
    /// Column position in the layer.
    pub field: usize,
    /// Operator.
    pub op: Op,
    /// The value as typed.
    pub value: String,
}

/// A conjunction of conditions (all must hold). Empty matches everything.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct AttributeFilter {
    /// The terms.
    pub conditions: Vec<Condition>,
}

const OPERATORS: [(&str, Op); 10] = [
    (" starts with ", Op::StartsWith),
    (" contains ", Op::Contains),
    ("^=", Op::StartsWith),
    ("!=", Op::Ne),
    (">=", Op::Ge),
    ("<=", Op::Le),
    ("==", Op::Eq),
    ("=", Op::Eq),
    (">", Op::Gt),
    ("<", Op::Lt),
];

impl AttributeFilter {
    /// Parses `text` against the fields of `layer`.
    pub fn parse(text: &str, layer: &Layer) -> Result<Self> {
        let mut conditions = Vec::new();
        let normalised = text.replace(" AND ", " and ").replace('且', " and ");
        for term in normalised
            .split(" and ")
            .map(str::trim)
            .filter(|t| !t.is_empty())
        {
            let (pos, token, op) = OPERATORS
                .iter()
                .filter_map(|(token, op)| term.find(token).map(|p| (p, *token, *op)))
                .min_by_key(|(p, token, _)| (*p, std::cmp::Reverse(token.len())))
                .ok_or_else(|| {
                    Error::Invalid(format!(
                        "'{term}': expected FIELD = value, FIELD ^= prefix, FIELD contains text, or < > <= >= !="
                    ))
                })?;
            let name = term[..pos].trim();
            let value = term[pos + token.len()..]
                .trim()
                .trim_matches(['"', '\''])
                .to_string();
            let field = layer.field_index(name).ok_or_else(|| {
                let names: Vec<&str> = layer.fields().iter().map(|f| f.name.as_str()).collect();
                Error::Invalid(format!(
                    "layer '{}' has no field '{name}' (fields: {})",
                    layer.name,
                    names.join(", ")
                ))
            })?;
            conditions.push(Condition { field, op, value });
        }
        Ok(AttributeFilter { conditions })
    }

    /// True when the feature at position `i` of `layer` satisfies every condition.
    pub fn matches(&self, layer: &Layer, i: usize) -> bool {
        let Some(feature) = layer.features().get(i) else {
            return false;
        };
        self.conditions.iter().all(|c| {
            let value = &feature.attributes[c.field];
            let Some(text) = value.as_text() else {
                return c.op == Op::Ne;
            };
            match c.op {
                Op::StartsWith => text.starts_with(c.value.as_str()),
                Op::Contains => text.contains(c.value.as_str()),
                op => {
                    let ord = compare(value, &c.value);
                    match op {
                        Op::Eq => ord == Ordering::Equal,
                        Op::Ne => ord != Ordering::Equal,
                        Op::Gt => ord == Ordering::Greater,
                        Op::Ge => ord != Ordering::Less,
                        Op::Lt => ord == Ordering::Less,
                        Op::Le => ord != Ordering::Greater,
                        Op::StartsWith | Op::Contains => false,
                    }
                }
            }
        })
    }

    /// Positions of the matching features, in order.
    pub fn select(&self, layer: &Layer) -> Vec<usize> {
        (0..layer.features().len())
            .filter(|&i| self.matches(layer, i))
            .collect()
    }
}

/// Orders a value against typed text: numerically when both are numbers (so `TBMJ > 900`
/// and codes like `0103` compare as planners expect), else as text.
fn compare(value: &AttrValue, typed: &str) -> Ordering {
    match (value, typed.trim().parse::<f64>()) {
        (AttrValue::Integer(_) | AttrValue::Real(_), Ok(t)) => {
            value.as_f64().unwrap_or(f64::NAN).total_cmp(&t)
        }
        _ => value
            .as_text()
            .map(|v| v.as_ref().cmp(typed.trim()))
            .unwrap_or(Ordering::Less),
    }
}

/// Orders two values of one column for sorting: numbers numerically, NULL first.
pub fn compare_values(a: &AttrValue, b: &AttrValue) -> Ordering {
    match (a.as_f64(), b.as_f64()) {
        (Some(x), Some(y)) if !matches!(a, AttrValue::Text(_)) => x.total_cmp(&y),
        _ => a.as_text().cmp(&b.as_text()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Feature, FieldDef, FieldKind, LayerRole};

    fn layer() -> Layer {
        let row = |code: &str, name: &str, area: f64| Feature {
            id: 0,
            geometry: None,
            attributes: vec![
                AttrValue::text(code),
                AttrValue::text(name),
                AttrValue::Real(area),
            ],
        };
        Layer::new(
            "t",
            "图斑",
            LayerRole::CurrentLandUse,
            vec![
                FieldDef::new("DLBM", FieldKind::Text),
                FieldDef::new("ZLDWMC", FieldKind::Text),
                FieldDef::new("TBMJ", FieldKind::Real),
            ],
            vec![
                row("0101", "河平村", 900.0),
                row("0103", "河平村", 1500.0),
                row("0301", "牌坊村", 20000.0),
                row("0702", "牌坊村", 300.0),
            ],
        )
    }

    #[test]
    fn filters_select_what_planners_mean() {
        let l = layer();
        let sel = |q: &str| AttributeFilter::parse(q, &l).unwrap().select(&l);
        assert_eq!(sel("DLBM = 0103"), [1]);
        assert_eq!(sel("DLBM ^= 01"), [0, 1]);
        assert_eq!(
            sel("dlbm starts with 01"),
            [0, 1],
            "field names are case-insensitive"
        );
        assert_eq!(sel("ZLDWMC contains 牌坊 and TBMJ > 1000"), [2]);
        assert_eq!(sel("TBMJ >= 1500 且 DLBM != 0301"), [1]);
        assert_eq!(sel("TBMJ < 900"), [3], "numbers compare numerically");
        assert_eq!(sel(""), [0, 1, 2, 3]);
    }

    #[test]
    fn mistakes_are_errors_naming_the_problem() {
        let l = layer();
        let err = AttributeFilter::parse("MJ > 5", &l)
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("no field 'MJ'") && err.contains("DLBM"),
            "{err}"
        );
        assert!(AttributeFilter::parse("DLBM 0103", &l).is_err());
    }
}
