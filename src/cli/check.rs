//! `villageplan check <project>`: runs the 质检 rules and reports located results as a table,
//! JSON, CSV or GeoJSON. The exit code tells a batch script the verdict: 0 when no error
//! remains (accepted exceptions excluded), 1 when errors remain, 2 when the input cannot be
//! read (see `main.rs`).

use std::fmt::Write as _;
use std::path::Path;
use std::time::Instant;

use serde_json::{Value, json};
use villageplan::analysis::checks::{
    CheckReport, CheckResult, CheckScope, RuleSet, RuleTime, csv_text, result_properties,
    results_geojson, run_checks_timed,
};
use villageplan::{Progress, Project, io};

use super::table::{Align, render};

/// Output formats of `check`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Table,
    Json,
    Csv,
    Geojson,
}

/// What the command produced: the formatted report and whether errors remain.
pub struct Outcome {
    pub text: String,
    pub blocking: usize,
}

/// Loads the project, applies the project's and the file's rules, runs and formats.
pub fn run(
    path: &Path,
    village: Option<&str>,
    rules_file: Option<&Path>,
    format: Format,
    timings: bool,
    progress: &dyn Progress,
) -> anyhow::Result<Outcome> {
    let started = Instant::now();
    let project = super::open_for_review(path, progress)?.project;
    let load_seconds = started.elapsed().as_secs_f64();
    let mut rules = RuleSet::for_project(&project.settings)?;
    if let Some(file) = rules_file {
        rules.apply_file(file)?;
    }
    let scope = match village {
        Some(code) => CheckScope::Village(code.to_string()),
        None => CheckScope::All,
    };
    let (report, times) = run_checks_timed(&project, &rules, &scope, progress)
        .map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?;
    if timings {
        eprint!("{}", timings_text(load_seconds, &times));
    }
    let text = match format {
        Format::Table => table_text(&project, &report),
        Format::Json => serde_json::to_string_pretty(&json_report(&project, &report))? + "\n",
        Format::Csv => csv_text(&report)?,
        Format::Geojson => serde_json::to_string(&geojson(&project, &report)?)? + "\n",
    };
    Ok(Outcome {
        text,
        blocking: report.blocking_count(),
    })
}

/// `timing <seconds> <what>` lines, slowest rules first after the load: one per line so a
/// script can pick a rule out with awk.
fn timings_text(load_seconds: f64, times: &[RuleTime]) -> String {
    let mut sorted: Vec<&RuleTime> = times.iter().collect();
    sorted.sort_by(|a, b| b.seconds.total_cmp(&a.seconds));
    let mut text = format!("timing {load_seconds:.3} load\n");
    for t in sorted {
        let _ = writeln!(text, "timing {:.3} {}", t.seconds, t.rule_id);
    }
    let total: f64 = times.iter().map(|t| t.seconds).sum();
    let _ = writeln!(text, "timing {total:.3} rules");
    text
}

fn status(r: &CheckResult) -> String {
    match &r.exception {
        Some(reason) => format!("例外 exception: {reason}"),
        None => String::new(),
    }
}

fn village_text(r: &CheckResult) -> (String, String) {
    r.village
        .as_ref()
        .map(|v| (v.code.clone(), v.name.clone()))
        .unwrap_or_default()
}

fn ids(r: &CheckResult) -> String {
    if r.bsms.is_empty() {
        r.feature_ids
            .iter()
            .map(i64::to_string)
            .collect::<Vec<_>>()
            .join(",")
    } else {
        r.bsms.join(",")
    }
}

fn table_text(project: &Project, report: &CheckReport) -> String {
    let mut out = String::new();
    if project.settings.synthetic {
        out.push_str("注意：合成示例数据 (SYNTHETIC sample data, not a real survey)\n");
    }
    let _ = writeln!(out, "面积基准 Area basis: {}\n", report.area_basis);
    let rows: Vec<Vec<String>> = report
        .results
        .iter()
        .map(|r| {
            let (code, name) = village_text(r);
            vec![
                r.severity.name_zh().to_string(),
                r.rule_id.clone(),
                format!("{code} {name}").trim().to_string(),
                format!("{}:{}", r.layer_id, ids(r)),
                r.area_m2.map(|a| format!("{a:.2}")).unwrap_or_default(),
                r.area_mu().map(|a| format!("{a:.4}")).unwrap_or_default(),
                r.message_zh.clone(),
                status(r),
            ]
        })
        .collect();
    use Align::{Left as L, Right as R};
    out.push_str(&render(
        &[
            "级别",
            "规则",
            "村",
            "图层:要素",
            "平方米",
            "亩",
            "说明",
            "例外",
        ],
        &[L, L, L, L, R, R, L, L],
        &rows,
    ));
    out.push('\n');
    let mut counts: Vec<(String, String, usize)> = Vec::new();
    for r in &report.results {
        match counts.iter_mut().find(|(id, _, _)| *id == r.rule_id) {
            Some(c) => c.2 += 1,
            None => counts.push((r.rule_id.clone(), r.rule_name_zh.clone(), 1)),
        }
    }
    for (id, name, n) in counts {
        let _ = writeln!(out, "  {id} {name}: {n}");
    }
    for s in &report.skipped {
        let _ = writeln!(
            out,
            "  跳过 skipped {}: {} / {}",
            s.rule_id, s.reason_zh, s.reason_en
        );
    }
    let exceptions = report
        .results
        .iter()
        .filter(|r| r.exception.is_some())
        .count();
    let _ = writeln!(
        out,
        "{} 条规则，{} 个结果，其中错误 {}（不含例外），例外 {}",
        report.rules_run,
        report.results.len(),
        report.blocking_count(),
        exceptions
    );
    let _ = writeln!(
        out,
        "{} rules, {} results, {} blocking errors (exceptions excluded), {} exceptions",
        report.rules_run,
        report.results.len(),
        report.blocking_count(),
        exceptions
    );
    out
}

/// The report as JSON; geometries stay in the working CRS (named in `crs`).
fn json_report(project: &Project, report: &CheckReport) -> Value {
    let results: Vec<Value> = report
        .results
        .iter()
        .map(|r| {
            let mut p = result_properties(r);
            p["geometry"] = r
                .geometry
                .as_ref()
                .map_or(Value::Null, |g| io::geometry_json(g, 3));
            p
        })
        .collect();
    json!({
        "project": project.name,
        "synthetic": project.settings.synthetic,
        "crs": project.crs.label(),
        "area_basis": report.area_basis,
        "rules_run": report.rules_run,
        "blocking_errors": report.blocking_count(),
        "results": results,
        "skipped": report.skipped,
    })
}

/// The results as RFC 7946 GeoJSON; a result whose geometry cannot be written is reported
/// on standard error.
fn geojson(project: &Project, report: &CheckReport) -> anyhow::Result<Value> {
    let output = results_geojson(project, report)?;
    for line in &output.left_out {
        eprintln!("villageplan: {line}");
    }
    Ok(serde_json::to_value(&output.collection)?)
}
