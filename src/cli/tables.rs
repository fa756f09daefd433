//! `villageplan tables <project>`: the standard planning tables of a village, a township or
//! the county (docs/domain.md §6), as a terminal table, CSV, JSON or an XLSX workbook.

use std::path::{Path, PathBuf};

use villageplan::Progress;
use villageplan::analysis::areas::AreaBasis;
use villageplan::analysis::tables::export::{Grid, csv_text, grid, json_value};
use villageplan::analysis::tables::xlsx::{explanation, write_workbook};
use villageplan::analysis::tables::{AreaUnit, PlanTables, Scope, TableBook, TableKind};

use super::table::{Align, render};

/// Output formats of `tables`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Table,
    Csv,
    Json,
    Xlsx,
}

/// What to compute and where to put it.
pub struct Request<'a> {
    pub project: &'a Path,
    pub scope: Scope,
    pub table: Option<TableKind>,
    pub basis: AreaBasis,
    pub unit: AreaUnit,
    pub format: Format,
    pub out: Option<PathBuf>,
}

/// Computes the tables and returns what to print (the terminal table, CSV or JSON; for
/// XLSX and `--out`, the line saying where they went).
pub fn run(request: &Request, progress: &dyn Progress) -> anyhow::Result<String> {
    let project = super::open_for_review(request.project, progress)?.project;
    let book = TableBook::new(&project, request.basis)?;
    let tables = book.tables(&request.scope)?;
    let text = match request.format {
        Format::Table => terminal_text(&tables, request.table),
        Format::Csv => csv_text(&tables, request.table, request.unit)?,
        Format::Json => serde_json::to_string_pretty(&json_value(&tables, request.table)?)? + "\n",
        Format::Xlsx => {
            let Some(out) = &request.out else {
                anyhow::bail!(
                    "--format xlsx needs --out FILE.xlsx (a workbook is not terminal text)"
                );
            };
            write_workbook(&tables, request.table, request.unit, out)?;
            return Ok(format!("写入 wrote {}\n", out.display()));
        }
    };
    match &request.out {
        Some(out) => {
            std::fs::write(out, &text)
                .map_err(|e| anyhow::anyhow!("{}: cannot write: {e}", out.display()))?;
            Ok(format!("写入 wrote {}\n", out.display()))
        }
        None => Ok(text),
    }
}

fn aligned(g: &Grid) -> String {
    let header: Vec<&str> = g.header.iter().map(String::as_str).collect();
    let align: Vec<Align> = g
        .numeric
        .iter()
        .map(|n| if *n { Align::Right } else { Align::Left })
        .collect();
    render(&header, &align, &g.rows)
}

/// Every chosen table, both units side by side, then the 说明.
fn terminal_text(tables: &PlanTables, only: Option<TableKind>) -> String {
    let mut out = String::new();
    for kind in TableKind::ALL {
        if only.is_some_and(|o| o != kind) {
            continue;
        }
        let g = grid(tables, kind, &AreaUnit::BOTH);
        out.push_str(&format!("{}\n", g.title));
        if !g.unit.is_empty() {
            out.push_str(&format!("{}\n", g.unit));
        }
        out.push_str(&aligned(&g));
        out.push('\n');
    }
    out.push_str("说明\n");
    for (key, value) in explanation(tables, AreaUnit::Hectare) {
        out.push_str(&format!("  {key}：{value}\n"));
    }
    out
}
