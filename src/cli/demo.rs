//! `villageplan demo <project>`: every demonstration zone and corridor (or the one named)
//! with what it covers, and the county's designations against the 3 / 24 / 300 targets,
//! as terminal tables, CSV, JSON, GeoJSON or an XLSX workbook.

use std::path::Path;

use villageplan::analysis::areas::AreaBasis;
use villageplan::analysis::checks::{CheckScope, RuleSet, run_checks};
use villageplan::analysis::demonstration::{
    DemoReport, csv_text, demo_report, explanation, project_classification, sheets, write_geojson,
    write_workbook,
};
use villageplan::model::demonstration::find_demo_area;
use villageplan::{Progress, io};

use super::table::{Align, render};

/// Output formats of `demo`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Table,
    Csv,
    Json,
    Geojson,
    Xlsx,
}

/// What `demo` was asked for.
pub struct Request<'a> {
    pub project: &'a Path,
    pub name: Option<&'a str>,
    pub basis: AreaBasis,
    pub format: Format,
    pub out: Option<&'a Path>,
    pub checks: bool,
}

/// Builds the report and returns what to print (for files, the line saying where it went).
pub fn run(request: &Request, progress: &dyn Progress) -> anyhow::Result<String> {
    let project = io::load_project(request.project, progress)?;
    if let Some(name) = request.name {
        // Before the checks run: an unknown name is said at once.
        find_demo_area(&project, name)?;
    }
    let classification = match project_classification(&project) {
        Ok(c) => Some(c),
        Err(e) => {
            eprintln!("villageplan: no classification to compare designations with: {e}");
            None
        }
    };
    let checks = if request.checks {
        let rules = RuleSet::for_project(&project.settings)?;
        Some(run_checks(&project, &rules, &CheckScope::All, progress)?)
    } else {
        None
    };
    let report = demo_report(
        &project,
        request.basis,
        request.name,
        classification.as_ref().map(|(c, s)| (c, s.as_str())),
        checks.as_ref(),
    )?;
    let written = |path: &Path| Ok(format!("写入 wrote {}\n", path.display()));
    let text = match request.format {
        Format::Table => terminal_text(&report),
        Format::Csv => csv_text(&report)?,
        Format::Json => serde_json::to_string_pretty(&report)? + "\n",
        Format::Geojson | Format::Xlsx => {
            let Some(out) = request.out else {
                anyhow::bail!("--format geojson and xlsx need --out FILE");
            };
            if request.format == Format::Xlsx {
                write_workbook(&report, out)?;
            } else {
                let left_out = write_geojson(&report, project.crs, out)?;
                let mut text = String::new();
                for line in left_out {
                    text.push_str(&format!("警告 warning: {line}\n"));
                }
                return Ok(text + &written(out)?);
            }
            return written(out);
        }
    };
    match request.out {
        Some(path) => {
            std::fs::write(path, &text)
                .map_err(|e| anyhow::anyhow!("{}: cannot write: {e}", path.display()))?;
            written(path)
        }
        None => Ok(text),
    }
}

/// Every sheet as an aligned table (empty ones left out), then the 说明.
fn terminal_text(report: &DemoReport) -> String {
    let mut out = String::new();
    if report.synthetic {
        out.push_str("【合成示例数据 SYNTHETIC sample data】\n");
    }
    if report.areas.is_empty() {
        out.push_str(
            "项目还没有示范区带线 / no demonstration zone or corridor yet (villageplan corridor …)\n\n",
        );
    }
    for sheet in sheets(report) {
        if sheet.rows.is_empty() {
            continue;
        }
        out.push_str(&format!("{}\n", sheet.title));
        let header: Vec<&str> = sheet.header.iter().map(String::as_str).collect();
        let align: Vec<Align> = (0..header.len())
            .map(|c| {
                if sheet
                    .rows
                    .iter()
                    .any(|r| r.get(c).is_some_and(|v| v.is_number()))
                {
                    Align::Right
                } else {
                    Align::Left
                }
            })
            .collect();
        let rows: Vec<Vec<String>> = sheet
            .rows
            .iter()
            .map(|r| r.iter().map(|c| c.text()).collect())
            .collect();
        out.push_str(&render(&header, &align, &rows));
        out.push('\n');
    }
    out.push_str("说明\n");
    for (key, value) in explanation(report) {
        out.push_str(&format!("  {key}：{value}\n"));
    }
    out
}
