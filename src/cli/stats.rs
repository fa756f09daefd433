//! `villageplan stats <project>`: current land use by class, per village and county.

use std::path::Path;

use villageplan::Progress;
use villageplan::analysis::areas::AreaBasis;
use villageplan::analysis::stats::{ClassLevel, LandUseStats, VillageLandUse, current_land_use};

use super::table::{Align, render};

/// Output formats of tabular commands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Table,
    Csv,
    Json,
}

/// Computes and formats the statistics of a project file.
pub fn run(
    path: &Path,
    format: Format,
    level: ClassLevel,
    basis: AreaBasis,
    village: Option<&str>,
    progress: &dyn Progress,
) -> anyhow::Result<String> {
    let project = super::open_for_review(path, progress)?.project;
    let mut stats = current_land_use(&project, level, basis)?;
    if let Some(code) = village {
        stats.villages.retain(|v| v.code == code || v.name == code);
        if stats.villages.is_empty() {
            anyhow::bail!("{}: no village with code or name '{code}'", path.display());
        }
    }
    Ok(match format {
        Format::Json => serde_json::to_string_pretty(&stats)? + "\n",
        Format::Csv => csv_text(&stats)?,
        Format::Table => table_text(&stats, village.is_none()),
    })
}

fn csv_text(stats: &LandUseStats) -> anyhow::Result<String> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record([
        "村代码",
        "村名称",
        "地类编码",
        "地类名称",
        "面积_平方米",
        "面积_公顷",
        "面积_亩",
        "占比_%",
        "图斑数",
    ])?;
    for v in stats.villages.iter().chain(std::iter::once(&stats.county)) {
        for c in &v.classes {
            w.write_record([
                v.code.clone(),
                v.name.clone(),
                c.code.clone(),
                c.name.clone(),
                format!("{:.2}", c.area_m2),
                format!("{:.4}", c.area_ha),
                format!("{:.2}", c.area_mu),
                format!("{:.2}", c.share_percent),
                c.parcels.to_string(),
            ])?;
        }
    }
    Ok(String::from_utf8(w.into_inner()?)?)
}

fn village_rows(v: &VillageLandUse, rows: &mut Vec<Vec<String>>) {
    for c in &v.classes {
        rows.push(vec![
            v.code.clone(),
            v.name.clone(),
            c.code.clone(),
            c.name.clone(),
            format!("{:.2}", c.area_ha),
            format!("{:.1}", c.area_mu),
            format!("{:.1}", c.share_percent),
        ]);
    }
    rows.push(vec![
        v.code.clone(),
        v.name.clone(),
        String::new(),
        "合计".into(),
        format!("{:.2}", v.total_m2 / 10_000.0),
        format!("{:.1}", villageplan::units::mu(v.total_m2)),
        "100.0".into(),
    ]);
}

fn table_text(stats: &LandUseStats, with_county: bool) -> String {
    let mut rows = Vec::new();
    for v in &stats.villages {
        village_rows(v, &mut rows);
    }
    if with_county {
        village_rows(&stats.county, &mut rows);
    }
    let mut out = String::new();
    if stats.synthetic {
        out.push_str("注意：合成示例数据 (SYNTHETIC sample data, not a real survey)\n");
    }
    out.push_str(&format!("面积基准 Area basis: {}\n", stats.area_basis));
    out.push_str(&format!("田坎扣除 Deduction: {}\n", stats.deduction));
    for note in &stats.notes {
        out.push_str(&format!("提示 Note: {note}\n"));
    }
    out.push('\n');
    use Align::{Left as L, Right as R};
    out.push_str(&render(
        &[
            "村代码",
            "村名称",
            "地类编码",
            "地类名称",
            "公顷",
            "亩",
            "占比%",
        ],
        &[L, L, L, L, R, R, R],
        &rows,
    ));
    out
}
