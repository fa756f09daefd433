//! `villageplan classify <project>`: the five village types with the rule and reason for
//! each village, as a table, CSV, JSON or GeoJSON; `--write` stores them in the project.

use std::path::Path;

use villageplan::analysis::classify::{
    self, Classification, RuleSet, VillageTable, VillageType, apply_classification, project_rules,
    set_project_rules,
};
use villageplan::io;
use villageplan::{Progress, Project};

use super::table::{Align, render};

/// Output formats of `classify`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Table,
    Csv,
    Json,
    Geojson,
}

/// What `classify` was asked to do.
pub struct Request<'a> {
    pub project: &'a Path,
    pub rules: Option<&'a Path>,
    pub table: Option<&'a Path>,
    pub format: Format,
    pub out: Option<&'a Path>,
    pub write: bool,
}

/// Classifies, optionally stores the result in the project, and formats it.
pub fn run(request: &Request, progress: &dyn Progress) -> anyhow::Result<String> {
    let received = super::open_for_review(request.project, progress)?;
    if request.write && received.reading.is_some() {
        anyhow::bail!(
            "{}: --write stores the types in a VillagePlan project; this source is read for \
             review only (import it first: villageplan import SOURCE --out PROJECT.gpkg)",
            request.project.display()
        );
    }
    let mut project = received.project;
    let rules = match request.rules {
        Some(path) => RuleSet::from_file(path)?,
        None => project_rules(&project)?,
    };
    let table = request.table.map(VillageTable::read).transpose()?;
    let result = classify::classify(&project, &rules, table.as_ref())?;
    if request.write {
        apply_classification(&mut project, &result)?;
        if request.rules.is_some() {
            set_project_rules(&mut project, &rules);
        }
        io::save_project(&project, request.project, progress)?;
    }
    for w in &result.warnings {
        eprintln!("villageplan: {w}");
    }
    let text = match request.format {
        Format::Table => table_text(&result),
        Format::Csv => classify::csv_text(&result)?,
        Format::Json => serde_json::to_string_pretty(&result)? + "\n",
        Format::Geojson => return geojson(&project, &result, request.out),
    };
    match request.out {
        Some(path) => {
            std::fs::write(path, &text)
                .map_err(|e| anyhow::anyhow!("{}: cannot write: {e}", path.display()))?;
            Ok(format!(
                "{} villages classified; written to {}\n",
                result.villages.len(),
                path.display()
            ))
        }
        None => Ok(text),
    }
}

fn override_text(v: &classify::VillageResult) -> String {
    v.override_
        .as_ref()
        .map(|o| format!("{}（{}）", o.village_type, o.reason))
        .unwrap_or_default()
}

fn table_text(result: &Classification) -> String {
    let mut out = String::new();
    if result.synthetic {
        out.push_str("注意：合成示例数据 (SYNTHETIC sample data, not a real survey)\n");
    }
    out.push_str(&format!("规则 Rules: {}\n\n", result.rules_source));
    let rows: Vec<Vec<String>> = result
        .villages
        .iter()
        .map(|v| {
            vec![
                v.code.clone(),
                v.name.clone(),
                v.township.clone(),
                v.final_type().to_string(),
                v.rule.clone().unwrap_or_else(|| "—".into()),
                v.reason_zh.clone(),
                override_text(v),
            ]
        })
        .collect();
    use Align::Left as L;
    out.push_str(&render(
        &[
            "村代码",
            "村名称",
            "乡镇",
            "类型",
            "规则",
            "理由",
            "规划师覆盖",
        ],
        &[L; 7],
        &rows,
    ));
    out.push('\n');
    let counts = result.counts();
    let counts: Vec<Vec<String>> = VillageType::ALL
        .iter()
        .map(|t| vec![t.to_string(), counts[t].to_string()])
        .collect();
    out.push_str(&render(&["类型", "村数"], &[L, Align::Right], &counts));
    let review = result.villages.iter().filter(|v| v.needs_review()).count();
    if review > 0 {
        out.push_str(&format!(
            "\n⚠ {review} 个村证据冲突，需规划师判定 (conflicts to review)\n"
        ));
    }
    if !result.orphan_overrides.is_empty() {
        out.push_str(&format!(
            "\n覆盖所指村代码不在村界图层中 (overrides for unknown villages): {}\n",
            result.orphan_overrides.join(", ")
        ));
    }
    out
}

/// The villages with their results as RFC 7946 GeoJSON (lon/lat): code, name, township,
/// type, rule, reason and the village's ellipsoidal area (m², 公顷, 亩).
fn geojson(
    project: &Project,
    result: &Classification,
    out: Option<&Path>,
) -> anyhow::Result<String> {
    let output = classify::classification_geojson(project, result)?;
    for line in &output.left_out {
        eprintln!("villageplan: {line}");
    }
    match out {
        Some(path) => {
            io::write_geojson(path, &output.collection)?;
            Ok(format!(
                "{} villages classified; written to {}\n",
                result.villages.len(),
                path.display()
            ))
        }
        None => Ok(serde_json::to_string(&output.collection)? + "\n"),
    }
}
