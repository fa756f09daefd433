//! `bag-info.txt` of a review package: the BagIt fields a reviewer's tool reads
//! (RFC 8493 §2.2.2) and what the reviewer must know to judge the numbers — the project,
//! the part of the county, the working CRS, the area basis, which rule files the checks and
//! the classification used (each with its SHA-256, so "the same rules" can be checked), and
//! the tool version.

use std::time::{SystemTime, UNIX_EPOCH};

use super::parts::{BASIS, Inputs};
use crate::analysis::checks::{RuleSet, project_rules_text};
use crate::analysis::classify::project_rules;
use crate::io::bagit::sha256_hex;

/// The date (UTC) as `YYYY-MM-DD`, the form RFC 8493 gives `Bagging-Date`.
pub fn today() -> String {
    let seconds = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let (y, m, d) = civil_date(seconds.div_euclid(86_400) as i64);
    format!("{y:04}-{m:02}-{d:02}")
}

/// Year, month, day of the `days`-th day after 1970-01-01 (proleptic Gregorian calendar,
/// counted in 400-year eras of 146 097 days).
fn civil_date(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let day_of_era = z.rem_euclid(146_097);
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let mp = (5 * day_of_year + 2) / 153;
    let day = (day_of_year - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

/// The bag-info lines (label, value) of a package of `inputs` written on `date` for
/// `organization`, from the project file named `project_file`.
pub fn bag_info(
    inputs: &Inputs,
    organization: &str,
    project_file: &str,
    date: &str,
    left_out: usize,
) -> Vec<(String, String)> {
    let project = inputs.project;
    let (scope_code, scope_text) = match inputs.village {
        Some(v) => (
            v.code.clone(),
            format!("行政村 village {} {}", v.code, v.name),
        ),
        None => ("county".to_string(), "全县 the whole county".to_string()),
    };
    let version = env!("CARGO_PKG_VERSION");
    let mut info: Vec<(String, String)> = Vec::new();
    let mut put = |label: &str, value: String| info.push((label.to_string(), value));
    put("Source-Organization", organization.to_string());
    put("Bagging-Date", date.to_string());
    put(
        "External-Identifier",
        format!("{}-{scope_code}-{}", project.name, date.replace('-', "")),
    );
    put(
        "External-Description",
        format!(
            "村庄规划成果包（审查用）village plan review package of '{}', {scope_text}",
            project.name
        ),
    );
    put("Bag-Software-Agent", format!("VillagePlan {version}"));
    put("Project", project.name.clone());
    put("Project-File", project_file.to_string());
    put("Scope", scope_text);
    put("Working-CRS", project.crs.label());
    put("Area-Basis", BASIS.describe_zh(project.crs));
    put(
        "Check-Rules",
        format!(
            "assets/rules/checks.toml (bundled) sha256:{}",
            sha256_hex(RuleSet::bundled_text().as_bytes())
        ),
    );
    if let Ok(Some(text)) = project_rules_text(&project.settings) {
        put(
            "Check-Rules",
            format!(
                "project rules (check_rules) sha256:{}",
                sha256_hex(text.as_bytes())
            ),
        );
    }
    if let Ok(rules) = project_rules(project) {
        put(
            "Classification-Rules",
            format!(
                "{} sha256:{}",
                rules.source,
                sha256_hex(rules.text.as_bytes())
            ),
        );
    }
    match &inputs.classification {
        Ok((_, source)) => put("Classification", source.clone()),
        Err(why) => put("Classification", format!("none: {why}")),
    }
    put("Tool-Version", format!("villageplan {version}"));
    if project.settings.synthetic {
        put(
            "Synthetic-Data",
            "yes: 合成示例数据 (SYNTHETIC sample data, not a real survey)".into(),
        );
    }
    if left_out > 0 {
        put(
            "Left-Out-Features",
            format!("{left_out} (invalid geometry; listed by the package command)"),
        );
    }
    info
}

#[cfg(test)]
mod tests {
    use super::civil_date;

    #[test]
    fn civil_dates_of_known_days() {
        assert_eq!(civil_date(0), (1970, 1, 1));
        assert_eq!(civil_date(11_016), (2000, 2, 29));
        assert_eq!(civil_date(20_454), (2026, 1, 1));
        assert_eq!(civil_date(-1), (1969, 12, 31));
    }
}
