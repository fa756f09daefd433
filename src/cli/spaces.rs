//! `villageplan spaces <project>`: a draft of the 三生空间 of one or all villages from current
//! land use (red line → 生态, permanent farmland → 生产), as a table of areas, and with
//! `--write` as a new 三生空间 layer saved into the project (atomically).

use std::path::Path;

use geo::Area;
use villageplan::edit::{draft_three_spaces, three_spaces_edit};
use villageplan::landuse::Space;
use villageplan::units::{hectares, mu};
use villageplan::{LayerRole, Progress, io};

use super::table::{Align, render};

/// Drafts, prints the areas, and optionally writes the layer.
pub fn run(
    path: &Path,
    village: Option<&str>,
    write: bool,
    progress: &dyn Progress,
) -> anyhow::Result<String> {
    let project = io::load_project(path, progress)?;
    let drafts = draft_three_spaces(&project, village)?;
    let mut rows = Vec::new();
    for d in &drafts {
        let a = d.geometry.unsigned_area();
        rows.push(vec![
            d.village_code.clone(),
            d.space.name_zh().to_string(),
            format!("{:.4}", hectares(a)),
            format!("{:.2}", mu(a)),
        ]);
    }
    let total: f64 = drafts.iter().map(|d| d.geometry.unsigned_area()).sum();
    let by = |s: Space| -> f64 {
        drafts
            .iter()
            .filter(|d| d.space == s)
            .map(|d| d.geometry.unsigned_area())
            .sum()
    };
    let mut out = render(
        &["村代码 village", "空间 space", "公顷 ha", "亩 mu"],
        &[Align::Left, Align::Left, Align::Right, Align::Right],
        &rows,
    );
    out.push_str(&format!(
        "\n合计 total {:.4} 公顷: 生态 {:.4} · 生产 {:.4} · 生活 {:.4}\n",
        hectares(total),
        hectares(by(Space::Ecological)),
        hectares(by(Space::Production)),
        hectares(by(Space::Living)),
    ));
    if write {
        out.push_str(&super::write_draft_layer(
            project,
            path,
            LayerRole::ThreeSpaces,
            "三生空间",
            |layer| three_spaces_edit(layer, drafts),
            progress,
        )?);
    }
    Ok(out)
}
