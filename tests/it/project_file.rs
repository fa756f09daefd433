//! The project GeoPackage: save → load equality, atomic saves, other tools can open it,
//! what killed saves leave is tidied up, saves never interleave nor replace someone else's.

use std::path::{Path, PathBuf};
use std::sync::Mutex;

use villageplan::crs::WorkingCrs;
use villageplan::io::{load_project, save_project, temporary_save_path};
use villageplan::model::{Fill, Rgba};
use villageplan::{
    AttrValue, Error, Feature, FieldDef, FieldKind, Layer, LayerRole, Progress, Project, Silent,
};

use crate::formats::sample_layer;

fn project() -> Project {
    let mut p = Project::new("凤庆县示例", WorkingCrs::from_epsg(4542).unwrap());
    p.settings.synthetic = true;
    p.settings.description = "测试项目".into();
    p.settings.extra.insert(
        "targets".into(),
        serde_json::json!({"耕地保有量_公顷": 1234.5}),
    );
    let mut land = sample_layer();
    land.style.fill = Fill::Single {
        color: Rgba::with_alpha(1, 2, 3, 4),
    };
    land.style.visible = false;
    p.add_layer(land);
    let points = Layer::new(
        "heritage",
        "传统村落",
        LayerRole::Heritage,
        vec![
            FieldDef::new("MC", FieldKind::Text),
            FieldDef::new("RQ", FieldKind::Date),
        ],
        vec![Feature {
            id: 0,
            geometry: Some(geo::Geometry::Point(geo::Point::new(
                590_000.0,
                2_760_000.0,
            ))),
            attributes: vec![AttrValue::text("河平村"), AttrValue::text("2023/03/21")],
        }],
    );
    p.add_layer(points);
    p
}

fn assert_projects_equal(a: &Project, b: &Project) {
    assert_eq!(a.name, b.name);
    assert_eq!(a.crs, b.crs);
    assert_eq!(a.settings, b.settings);
    assert_eq!(a.layers.len(), b.layers.len());
    for (la, lb) in a.layers.iter().zip(&b.layers) {
        assert_eq!(la.id, lb.id);
        assert_eq!(la.name, lb.name);
        assert_eq!(la.role, lb.role);
        assert_eq!(la.style, lb.style);
        assert_eq!(la.fields(), lb.fields());
        assert_eq!(la.features(), lb.features(), "layer {}", la.id);
    }
}

#[test]
fn save_then_load_is_identity() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("p.gpkg");
    let p = project();
    save_project(&p, &path, &Silent).unwrap();
    let back = load_project(&path, &Silent).unwrap();
    assert_projects_equal(&p, &back);
    assert_eq!(back.layers[0].index().len(), 2, "index rebuilt on load");
    // Saving the loaded project again changes nothing.
    save_project(&back, &path, &Silent).unwrap();
    assert_projects_equal(&p, &load_project(&path, &Silent).unwrap());
}

#[test]
fn ogr_opens_the_project_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("p.gpkg");
    save_project(&project(), &path, &Silent).unwrap();
    let ds = gdal::Dataset::open(&path).unwrap();
    use gdal::vector::LayerAccess;
    let mut dltb = ds.layer_by_name("dltb").unwrap();
    assert_eq!(dltb.feature_count(), 2);
    let srs = dltb.spatial_ref().unwrap();
    assert_eq!(srs.auth_code().unwrap(), 4542);
    assert_eq!(dltb.features().count(), 2);
}

#[test]
fn a_failed_save_leaves_the_previous_project() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("p.gpkg");
    let good = project();
    save_project(&good, &path, &Silent).unwrap();

    // Two fields with the same name: the GeoPackage driver refuses the second one, after
    // the first layers were already written to the temporary file.
    let mut bad = project();
    bad.add_layer(Layer::new(
        "broken",
        "broken",
        LayerRole::Other,
        vec![
            FieldDef::new("A", FieldKind::Text),
            FieldDef::new("A", FieldKind::Text),
        ],
        vec![],
    ));
    let err = save_project(&bad, &path, &Silent).expect_err("save must fail");
    assert!(err.to_string().contains("p.gpkg"), "{err}");
    assert!(
        !temporary_save_path(&path).exists(),
        "temporary file removed"
    );
    assert_projects_equal(&good, &load_project(&path, &Silent).unwrap());
}

#[test]
fn not_a_project_is_said_so() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("plain.gpkg");
    villageplan::io::export_layer(
        &sample_layer(),
        WorkingCrs::from_epsg(4542).unwrap(),
        &path,
        villageplan::io::ExportFormat::GeoPackage,
    )
    .unwrap();
    let err = load_project(&path, &Silent).err().unwrap();
    assert!(
        err.to_string().contains("not a VillagePlan project"),
        "{err}"
    );
    let err = save_project(&project(), &dir.path().join("missing/dir/p.gpkg"), &Silent)
        .err()
        .unwrap();
    assert!(err.to_string().contains("missing/dir/p.gpkg"), "{err}");
}

/// A [`Progress`] that keeps the notes it is given.
#[derive(Default)]
struct Notes(Mutex<Vec<String>>);

impl Progress for Notes {
    fn note(&self, message: &str) {
        self.0.lock().unwrap().push(message.to_string());
    }
}

impl Notes {
    fn take(&self) -> Vec<String> {
        std::mem::take(&mut self.0.lock().unwrap())
    }
}

/// A process that runs until the test ends, pass or fail.
struct Running(std::process::Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// The id of a process that has ended (and been reaped), so surely runs no save.
fn dead_pid() -> u32 {
    let mut child = std::process::Command::new("true").spawn().unwrap();
    let pid = child.id();
    child.wait().unwrap();
    pid
}

/// What a save of `path` by process `pid` killed while writing leaves: its temporary file
/// and SQLite's journal beside it.
fn leave_temporary(path: &Path, pid: u32) -> [PathBuf; 2] {
    let temp = path.with_file_name(format!(".p.saving-{pid}.gpkg"));
    let journal = path.with_file_name(format!(".p.saving-{pid}.gpkg-journal"));
    std::fs::write(&temp, b"half a GeoPackage").unwrap();
    std::fs::write(&journal, b"journal").unwrap();
    [temp, journal]
}

#[cfg(target_os = "linux")]
#[test]
fn load_and_save_remove_what_killed_saves_left_and_say_so() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("p.gpkg");
    save_project(&project(), &path, &Silent).unwrap();
    let dead = dead_pid();
    let live = Running(
        std::process::Command::new("sleep")
            .arg("30")
            .spawn()
            .unwrap(),
    );
    let running = leave_temporary(&path, live.0.id());
    // Another project's leftovers in the same folder are that project's business.
    let other = dir.path().join(format!(".other.saving-{dead}.gpkg"));
    std::fs::write(&other, b"x").unwrap();

    let notes = Notes::default();
    let stale = leave_temporary(&path, dead);
    let loaded = load_project(&path, &notes).unwrap();
    let after_load = notes.take();
    let stale_again = leave_temporary(&path, dead);
    save_project(&loaded, &path, &notes).unwrap();
    let after_save = notes.take();

    for (when, notes) in [("load", after_load), ("save", after_save)] {
        assert_eq!(notes.len(), 1, "{when}: {notes:?}");
        let note = &notes[0];
        assert!(
            note.contains(&format!(".p.saving-{dead}.gpkg"))
                && note.contains(&format!(".p.saving-{dead}.gpkg-journal"))
                && note.contains(&format!("process {dead} is no longer running")),
            "{when}: {note}"
        );
    }
    for file in stale.iter().chain(&stale_again) {
        assert!(!file.exists(), "{} removed", file.display());
    }
    for file in running.iter().chain([&other]) {
        assert!(file.exists(), "{} kept", file.display());
    }
    assert_projects_equal(&project(), &load_project(&path, &Silent).unwrap());
}

#[test]
fn a_save_refuses_to_replace_a_file_saved_by_someone_else_since() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("p.gpkg");
    save_project(&project(), &path, &Silent).unwrap();
    // Two windows (or a window and a command) open the same project.
    let mut ours = load_project(&path, &Silent).unwrap();
    let mut theirs = load_project(&path, &Silent).unwrap();
    assert_eq!(ours.file.as_ref().unwrap().path, path);

    theirs.settings.description = "theirs".into();
    let written = save_project(&theirs, &path, &Silent).unwrap();
    assert_eq!(written.path, path);
    // They keep working and save again: their own save is no change to them.
    theirs.file = Some(written);
    theirs.settings.provenance = "theirs, twice".into();
    theirs.file = Some(save_project(&theirs, &path, &Silent).unwrap());

    ours.settings.description = "ours".into();
    let err = save_project(&ours, &path, &Silent).expect_err("their save must not be lost");
    assert!(
        matches!(&err, Error::ChangedOnDisk { path: p } if p == &path),
        "{err:?}"
    );
    let message = err.to_string();
    for words in [
        "p.gpkg",
        "changed by another program or window since it was opened",
        "nothing was saved",
        "Save under another name",
    ] {
        assert!(message.contains(words), "{message}");
    }
    assert!(!temporary_save_path(&path).exists());
    let on_disk = load_project(&path, &Silent).unwrap();
    assert_eq!(on_disk.settings.description, "theirs");
    assert_eq!(on_disk.settings.provenance, "theirs, twice");

    // Through another spelling of the same path it is the same file.
    std::fs::create_dir(dir.path().join("sub")).unwrap();
    let spelled = dir.path().join("sub/../p.gpkg");
    assert!(matches!(
        save_project(&ours, &spelled, &Silent),
        Err(Error::ChangedOnDisk { .. })
    ));

    // Saving under another name is allowed, and that file is then the project's.
    let elsewhere = dir.path().join("ours.gpkg");
    ours.file = Some(save_project(&ours, &elsewhere, &Silent).unwrap());
    ours.settings.provenance = "ours, later".into();
    ours.file = Some(save_project(&ours, &elsewhere, &Silent).unwrap());
    assert_eq!(
        load_project(&elsewhere, &Silent)
            .unwrap()
            .settings
            .description,
        "ours"
    );

    // Opened again, the changed file saves.
    let mut reopened = load_project(&path, &Silent).unwrap();
    reopened.settings.description = "ours, after reopening".into();
    save_project(&reopened, &path, &Silent).unwrap();
    let on_disk = load_project(&path, &Silent).unwrap();
    assert_eq!(on_disk.settings.description, "ours, after reopening");
    assert_eq!(on_disk.settings.provenance, "theirs, twice");
}

#[test]
fn a_project_file_deleted_since_it_was_read_is_written_again() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("p.gpkg");
    save_project(&project(), &path, &Silent).unwrap();
    let loaded = load_project(&path, &Silent).unwrap();
    std::fs::remove_file(&path).unwrap();
    save_project(&loaded, &path, &Silent).unwrap();
    assert_projects_equal(&project(), &load_project(&path, &Silent).unwrap());
}

#[test]
fn saves_of_one_file_from_two_threads_run_one_after_the_other() {
    // Both threads of this process write the same temporary file name (it holds the
    // process id): only the lock keeps them from writing it at the same time.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("p.gpkg");
    let versions: Vec<Project> = ["a", "b"]
        .into_iter()
        .map(|name| {
            let mut p = project();
            p.settings.description = name.into();
            p
        })
        .collect();
    std::thread::scope(|scope| {
        let saves: Vec<_> = versions
            .iter()
            .map(|p| {
                let path = &path;
                scope.spawn(move || {
                    for _ in 0..3 {
                        save_project(p, path, &Silent)?;
                    }
                    Ok::<(), Error>(())
                })
            })
            .collect();
        for save in saves {
            save.join().unwrap().unwrap();
        }
    });
    let on_disk = load_project(&path, &Silent).unwrap();
    let which = versions
        .iter()
        .find(|p| p.settings.description == on_disk.settings.description)
        .expect("one of the two versions");
    assert_projects_equal(which, &on_disk);
    assert!(!temporary_save_path(&path).exists());
}

/// A project's tables are read through one opening of the file, in the order asked; a
/// table that is not there is named with the ones that are.
#[test]
fn named_layers_are_read_in_order_from_one_opening() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-maps/fengqing/fengqing.gpkg");
    let options = villageplan::io::LoadOptions::default();
    let read = villageplan::io::read_named_layers(&path, &["villages", "dltb"], &options, &Silent)
        .unwrap();
    let names: Vec<&str> = read.iter().map(|l| l.description.name.as_str()).collect();
    assert_eq!(names, ["villages", "dltb"]);
    assert!(read[1].features().len() > 1000);
    let err = villageplan::io::read_named_layers(&path, &["dltb", "nope"], &options, &Silent)
        .unwrap_err()
        .to_string();
    assert!(err.contains("nope") && err.contains("villages"), "{err}");
}
