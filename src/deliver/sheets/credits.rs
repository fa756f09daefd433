//! Who made a sheet and when (编制单位, 编制日期): project settings, because every sheet of
//! one plan must carry the same ones.
//!
//! Projects had no such setting before the sheets; they are kept in
//! `ProjectSettings.extra` under [`ORGANISATION_KEY`] and [`DATE_KEY`] like the other
//! later settings, so older builds keep them on save. Without them a sheet says plainly
//! that the organisation is not filled in (rather than inventing one) and is dated today.

use std::time::{SystemTime, UNIX_EPOCH};

use crate::model::Project;

/// Key of the 编制单位 in `ProjectSettings.extra`.
pub const ORGANISATION_KEY: &str = "organisation";
/// Key of the 编制日期 (text, e.g. `2026年12月`) in `ProjectSettings.extra`.
pub const DATE_KEY: &str = "compiled_on";
/// What a sheet says when the project names no 编制单位.
pub const NO_ORGANISATION: &str = "（未填写编制单位）";

/// The 编制单位 and 编制日期 printed on a sheet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Credits {
    /// 编制单位.
    pub organisation: String,
    /// 编制日期 as printed.
    pub date: String,
}

impl Credits {
    /// The project's credits: its settings, else [`NO_ORGANISATION`] and today's month.
    pub fn of(project: &Project) -> Credits {
        let text = |key: &str| {
            project
                .settings
                .extra
                .get(key)
                .and_then(|v| v.as_str())
                .map(str::trim)
                .filter(|t| !t.is_empty())
                .map(str::to_string)
        };
        Credits {
            organisation: text(ORGANISATION_KEY).unwrap_or_else(|| NO_ORGANISATION.into()),
            date: text(DATE_KEY).unwrap_or_else(this_month),
        }
    }

    /// Stores these credits in the project's settings (saved with the project).
    pub fn store(&self, project: &mut Project) {
        for (key, value) in [
            (ORGANISATION_KEY, &self.organisation),
            (DATE_KEY, &self.date),
        ] {
            project
                .settings
                .extra
                .insert(key.into(), serde_json::Value::String(value.clone()));
        }
    }
}

/// The current month as planners date a plan: `2026年12月` (UTC).
fn this_month() -> String {
    let days = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs() / 86_400)
        .unwrap_or(0) as i64;
    let (year, month) = year_month(days);
    format!("{year}年{month}月")
}

/// Year and month of a day counted from 1970-01-01 (proleptic Gregorian; H. Hinnant's
/// civil-from-days).
fn year_month(days: i64) -> (i64, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn calendar_months() {
        assert_eq!(year_month(0), (1970, 1));
        // 2000-02-29 is day 11 016; 2026-12-02 is day 20 789.
        assert_eq!(year_month(11_016), (2000, 2));
        assert_eq!(year_month(20_789), (2026, 12));
        assert_eq!(year_month(-1), (1969, 12));
    }
}
