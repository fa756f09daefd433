//! `villageplan corridor <project>`: a new 示范带 or 示范线 from a centre line (read from a
//! file, or routed through township seats in the order given, straight or along the roads) and a width, with
//! what it covers; `--write` adds it to the project's 示范区带线 layer (created when there is
//! none) and saves the project atomically.

use std::path::{Path, PathBuf};

use geo::MultiLineString;
use villageplan::analysis::areas::AreaBasis;
use villageplan::analysis::demonstration::SummaryContext;
use villageplan::edit::History;
use villageplan::edit::demonstration::{
    DemoLabel, add_corridor, corridor_polygon, line_along_roads, line_through_seats,
    new_demonstration_layer,
};
use villageplan::io::{LoadOptions, read_layer};
use villageplan::model::demonstration::{CorridorLine, DemoKind, LineEnds, line_of};
use villageplan::units::{hectares, mu};
use villageplan::{LayerRole, Progress, Project, io};

/// What `corridor` was asked to draw.
pub struct Request<'a> {
    pub project: &'a Path,
    pub name: &'a str,
    pub kind: &'a str,
    pub width_m: f64,
    pub line: Option<PathBuf>,
    pub through: Option<String>,
    pub along_roads: bool,
    pub flat_ends: bool,
    pub theme: Option<String>,
    pub write: bool,
}

/// Every line of the first layer of `path`, in the working CRS, as the parts of one centre
/// line.
fn line_from_file(
    path: &Path,
    project: &Project,
    progress: &dyn Progress,
) -> anyhow::Result<MultiLineString<f64>> {
    let source = read_layer(path, None, &LoadOptions::default(), progress)?;
    let layer = source.into_layer("centre_line".into(), project.crs)?;
    let parts: Vec<_> = layer
        .features()
        .iter()
        .filter_map(|f| f.geometry.as_ref().and_then(line_of))
        .flat_map(|m| m.0)
        .collect();
    if parts.is_empty() {
        anyhow::bail!(
            "{}: layer '{}' has no line feature to use as the centre line",
            path.display(),
            layer.name
        );
    }
    Ok(MultiLineString(parts))
}

/// Builds the corridor, reports it, and with `--write` saves it into the project.
pub fn run(request: &Request, progress: &dyn Progress) -> anyhow::Result<String> {
    let mut project = io::load_project(request.project, progress)?;
    let kind = DemoKind::parse(request.kind)
        .filter(|k| k.is_corridor())
        .ok_or_else(|| anyhow::anyhow!("--kind '{}' is not 示范带 or 示范线", request.kind))?;
    let centre = match (&request.line, &request.through) {
        (Some(path), None) => line_from_file(path, &project, progress)?,
        (None, Some(seats)) => {
            let names: Vec<&str> = seats.split([',', '，', '、']).map(str::trim).collect();
            if request.along_roads {
                line_along_roads(&project, &names)?
            } else {
                line_through_seats(&project, &names)?
            }
        }
        _ => anyhow::bail!("give the centre line: --line FILE or --through SEAT,SEAT,…"),
    };
    let line = CorridorLine {
        centre,
        width_m: request.width_m,
        ends: if request.flat_ends {
            LineEnds::Flat
        } else {
            LineEnds::Round
        },
    };
    let layer_id = match project.layer_by_role(LayerRole::Demonstration) {
        Some(layer) => layer.id.clone(),
        None => {
            let layer = new_demonstration_layer(&project);
            let id = layer.id.clone();
            project.add_layer(layer);
            id
        }
    };
    let label = DemoLabel {
        name: request.name.to_string(),
        theme: request.theme.clone().unwrap_or_default(),
        note: String::new(),
    };
    let edit = add_corridor(&project, &layer_id, &label, kind, &line)?;
    History::default().apply(&mut project, "新建示范线", edit)?;
    let polygon = corridor_polygon(&line)?;
    let summary = SummaryContext::new(&project, AreaBasis::Ellipsoidal)?.summarise(&polygon)?;
    let length: f64 = line
        .centre
        .0
        .iter()
        .map(|l| geo::Length::length(&geo::Euclidean, l))
        .sum();
    let towns: Vec<&str> = summary.townships.iter().map(|t| t.name.as_str()).collect();
    let mut out = format!(
        "{} '{}': 中心线 {:.1} km, 宽度 {} m, {}; 面积 {:.2} 公顷 ({:.1} 亩, {})\n\
         涉及乡镇 townships: {}\n涉及行政村 villages: {}\n",
        kind.name_zh(),
        request.name,
        length / 1000.0,
        request.width_m,
        line.ends.name_zh(),
        hectares(summary.area_m2),
        mu(summary.area_m2),
        summary.basis,
        towns.join("、"),
        summary.villages.len()
    );
    if request.write {
        io::save_project(&project, request.project, progress)?;
        out.push_str(&format!(
            "写入 wrote layer '{layer_id}' of {}\n",
            request.project.display()
        ));
    } else {
        out.push_str("未写入 not saved: add --write to add it to the project\n");
    }
    Ok(out)
}
