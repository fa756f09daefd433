//! The command line: argument parsing and formatting only; every capability is a library
//! call.

pub mod check;
pub mod classify;
pub mod corridor;
pub mod deliver;
pub mod demo;
pub mod designate;
pub mod export;
pub mod import;
pub mod info;
pub mod package;
pub mod progress;
pub mod render;
pub mod sample;
pub mod spaces;
pub mod stats;
pub mod table;
pub mod tables;
pub mod verify;
pub mod zones;

/// `--write` of the draft commands: a new plan layer of `role` holding the draft (built by
/// `edit` for that layer), saved atomically into the project; the line that says so.
pub fn write_draft_layer(
    mut project: villageplan::Project,
    path: &std::path::Path,
    role: villageplan::LayerRole,
    label: &str,
    edit: impl FnOnce(&villageplan::Layer) -> villageplan::edit::Edit,
    progress: &dyn villageplan::Progress,
) -> villageplan::Result<String> {
    let layer = villageplan::edit::new_plan_layer(&project, role);
    let edit = edit(&layer);
    let id = layer.id.clone();
    project.add_layer(layer);
    villageplan::edit::History::default().apply(&mut project, label, edit)?;
    villageplan::io::save_project(&project, path, progress)?;
    Ok(format!(
        "写入图层 wrote layer '{id}' to {}\n",
        path.display()
    ))
}

/// The source of `check`, `tables`, `classify` and `stats`: a VillagePlan project, or a
/// delivery database, GeoPackage or Shapefile folder read for review — in which case what
/// was read as what goes to standard error, leaving standard output to the report.
pub fn open_for_review(
    path: &std::path::Path,
    progress: &dyn villageplan::Progress,
) -> villageplan::Result<villageplan::deliver::received::Received> {
    let received = villageplan::deliver::received::open(path, progress)?;
    eprint!("{}", received.describe(path));
    Ok(received)
}
