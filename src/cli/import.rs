//! `villageplan import`: a new project from source files (read, transform, index, save).

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::time::Instant;

use villageplan::crs::WorkingCrs;
use villageplan::io::{self, LoadOptions};
use villageplan::{GeometryKind, Progress, units};

/// Reads `sources` into a new project and saves it to `out` when given; the project is left
/// to the end of the process ([`super::leave_to_exit`]).
pub fn run(
    sources: &[PathBuf],
    out: Option<&Path>,
    crs: Option<u32>,
    options: &LoadOptions,
    progress: &dyn Progress,
) -> anyhow::Result<String> {
    let working = crs.map(WorkingCrs::from_epsg).transpose()?;
    let name = out
        .or(sources.first().map(PathBuf::as_path))
        .and_then(|p| p.file_stem())
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "project".into());
    let started = Instant::now();
    let paths: Vec<&Path> = sources.iter().map(PathBuf::as_path).collect();
    let project = io::project_from_sources(&name, &paths, options, working, progress)?;
    let elapsed = started.elapsed();
    let mut text = String::new();
    writeln!(
        text,
        "project '{}' in {}: {} layers loaded in {:.2} s",
        project.name,
        project.crs.label(),
        project.layers.len(),
        elapsed.as_secs_f64()
    )?;
    for layer in &project.layers {
        // Only polygons have an area; the others say what they hold.
        let holds = match layer.geometry_kind {
            GeometryKind::Polygon | GeometryKind::Mixed => {
                format!("{} planar", units::format_area(layer.total_area_m2()))
            }
            GeometryKind::Point => "points".into(),
            GeometryKind::Line => "lines".into(),
            GeometryKind::None => "no geometry".into(),
        };
        writeln!(
            text,
            "  - {} [{}]: {} features, {holds}",
            layer.name,
            layer.role.name_zh(),
            layer.features().len(),
        )?;
        for line in layer.load_report.lines() {
            writeln!(text, "      note: {line}")?;
        }
    }
    if let Some(out) = out {
        io::save_project(&project, out, progress)?;
        writeln!(text, "saved {}", out.display())?;
    }
    super::leave_to_exit(project);
    Ok(text)
}
