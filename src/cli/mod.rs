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

/// Hands a command's project to the end of the process instead of freeing it. The process
/// exits as soon as the command has printed and the system takes the memory back at once,
/// while freeing a county's geometries one allocation at a time is time the user waits for
/// (0.12–0.13 s of `import`'s 2.7 s on 200 000 parcels). Only for a project: its drop does
/// nothing but free (no file is open or locked by it).
pub fn leave_to_exit(project: villageplan::Project) {
    std::mem::forget(project);
}

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
