//! `villageplan zones <project>`: a draft of the 管控边界 of one or all villages from planned
//! land use (current land use where a village has none), with 生态保护红线 and 永久基本农田
//! winning and slivers merged, as a table of areas, and with `--write` as a new 管控边界 layer
//! saved into the project (atomically).

use std::collections::BTreeMap;
use std::path::Path;

use geo::Area;
use villageplan::edit::{LandUseSource, control_zones_edit, draft_control_zones};
use villageplan::units::{hectares, mu};
use villageplan::{LayerRole, Progress, io};

use super::table::{Align, render};

/// Drafts, prints the areas per village and per zone, the sliver counts and the land-use
/// source, and optionally writes the layer.
pub fn run(
    path: &Path,
    village: Option<&str>,
    write: bool,
    progress: &dyn Progress,
) -> anyhow::Result<String> {
    let project = io::load_project(path, progress)?;
    let drafts = draft_control_zones(&project, village)?;
    let mut rows = Vec::new();
    // Per zone code: name and area; per source: the villages drafted from it.
    let mut by_code: BTreeMap<&str, (&str, f64)> = BTreeMap::new();
    let mut villages_by_source: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for d in &drafts {
        let a = d.geometry.unsigned_area();
        rows.push(vec![
            d.village_code.clone(),
            d.code.clone(),
            d.name.clone(),
            format!("{:.4}", hectares(a)),
            format!("{:.2}", mu(a)),
        ]);
        by_code.entry(&d.code).or_insert((&d.name, 0.0)).1 += a;
        let villages = villages_by_source.entry(d.source.name_zh()).or_default();
        if villages.last() != Some(&d.village_code.as_str()) {
            villages.push(&d.village_code);
        }
    }
    let mut out = render(
        &[
            "村代码 village",
            "代码 code",
            "管控类型 zone",
            "公顷 ha",
            "亩 mu",
        ],
        &[
            Align::Left,
            Align::Left,
            Align::Left,
            Align::Right,
            Align::Right,
        ],
        &rows,
    );
    let total: f64 = by_code.values().map(|(_, a)| a).sum();
    out.push_str(&format!(
        "\n合计 total {:.4} 公顷 ({:.2} 亩):\n",
        hectares(total),
        mu(total)
    ));
    for (code, (name, a)) in &by_code {
        out.push_str(&format!(
            "  {code} {name} {:.4} 公顷 ({:.2} 亩)\n",
            hectares(*a),
            mu(*a)
        ));
    }
    let merged: usize = drafts.iter().map(|d| d.slivers_merged).sum();
    let kept: usize = drafts.iter().map(|d| d.slivers_kept).sum();
    out.push_str(&format!(
        "碎片 slivers: 合并 merged {merged} · 保留 kept {kept}{}\n",
        if kept > 0 {
            " (their only neighbours are 红线/永久基本农田: check them)"
        } else {
            ""
        }
    ));
    for (source, villages) in &villages_by_source {
        out.push_str(&format!(
            "地类来源 land use: {source} — {} 个村 villages\n",
            villages.len()
        ));
    }
    if drafts.iter().any(|d| d.source == LandUseSource::Current) {
        out.push_str(
            "注意 note: villages without 规划地类 were drafted from current land use; \
             redraft them once the planned land use is drawn\n",
        );
    }
    if write {
        out.push_str(&super::write_draft_layer(
            project,
            path,
            LayerRole::ControlZone,
            "管控边界",
            |layer| control_zones_edit(layer, drafts),
            progress,
        )?);
    }
    Ok(out)
}
