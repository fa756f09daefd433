//! A rule's reason is a template: `{indicator}` placeholders are filled with the village's
//! values, formatted by the indicator's unit, so the planner reads the numbers that decided
//! (`距县城城镇开发边界 230 m（≤ 1000 m）`) rather than a bare rule id.

use super::indicators::{Indicator, IndicatorValues};
use crate::error::{Error, Result};

/// Checks that every `{name}` in a reason names an indicator ([`Error::Template`] if not).
pub fn check_placeholders(template: &str) -> Result<()> {
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

/// Fills `{indicator}` placeholders with the village's formatted values (`?` when unknown).
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
