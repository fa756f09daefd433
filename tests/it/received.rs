//! What a reviewer receives, read for review (`deliver::received`): the delivery database
//! (FileGDB and GeoPackage), the whole-plan GeoPackage and its Shapefile folder, each
//! recognised by its delivered names, giving the same statistics as the project they were
//! made from; and the CLI's `check`, `tables`, `classify` and `stats` on them.

use std::path::{Path, PathBuf};

use villageplan::analysis::areas::AreaBasis;
use villageplan::analysis::checks::{CheckScope, RuleSet, run_checks};
use villageplan::analysis::stats::{ClassLevel, current_land_use};
use villageplan::analysis::tables::TableBook;
use villageplan::deliver::database::schema::DeliverySchema;
use villageplan::deliver::database::{DeliveryRequest, deliver};
use villageplan::deliver::plan_geopackage::write_plan;
use villageplan::deliver::received::{Received, open};
use villageplan::io::{DatabaseFormat, load_project};
use villageplan::{LayerRole, Project, Silent};

use crate::fixtures::villageplan;

/// 勐佑村 and 中和村 of 勐佑镇 (the sample's planned villages).
const VILLAGES: [&str; 2] = ["530921106201", "530921106202"];

fn sample_path() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-maps/fengqing/fengqing.gpkg")
}

fn sample() -> Project {
    load_project(&sample_path(), &Silent).unwrap()
}

fn delivery(project: &Project, format: DatabaseFormat, out: &Path) {
    let villages: Vec<String> = VILLAGES.iter().map(|v| v.to_string()).collect();
    let schema = DeliverySchema::bundled().unwrap();
    let request = DeliveryRequest {
        villages: &villages,
        format,
        out,
        epsg: Some(4521),
        basis: AreaBasis::Ellipsoidal,
        schema: &schema,
    };
    deliver(project, &request, &Silent).unwrap();
}

fn role_of(received: &Received, source: &str) -> LayerRole {
    let reading = received.reading.as_ref().unwrap();
    reading
        .taken
        .iter()
        .find(|t| t.source == source)
        .unwrap_or_else(|| panic!("{source} not taken: {reading:?}"))
        .role
}

/// Land-use areas (m², ellipsoidal) per village and class.
fn areas(project: &Project) -> Vec<(String, String, f64)> {
    let stats = current_land_use(project, ClassLevel::Exact, AreaBasis::Ellipsoidal).unwrap();
    let mut out = Vec::new();
    for v in stats
        .villages
        .iter()
        .filter(|v| VILLAGES.contains(&v.code.as_str()))
    {
        for row in &v.classes {
            out.push((v.code.clone(), row.code.clone(), row.area_m2));
        }
    }
    out
}

/// The same villages and classes, the areas within 1 m² (a delivery stores parcel areas to
/// 2 decimals, in another CRS when asked).
fn assert_same_areas(got: &Project, want: &Project, what: &str) {
    let (got, want) = (areas(got), areas(want));
    let keys = |a: &[(String, String, f64)]| -> Vec<(String, String)> {
        a.iter().map(|(v, c, _)| (v.clone(), c.clone())).collect()
    };
    assert_eq!(keys(&got), keys(&want), "{what}");
    for (g, w) in got.iter().zip(&want) {
        assert!((g.2 - w.2).abs() <= 1.0, "{what}: {g:?} against {w:?}");
    }
}

#[test]
fn a_delivery_database_is_read_by_its_delivered_names_with_the_projects_areas() {
    let project = sample();
    let dir = tempfile::tempdir().unwrap();
    for (format, name) in [
        (DatabaseFormat::FileGdb, "成果.gdb"),
        (DatabaseFormat::GeoPackage, "成果.gpkg"),
    ] {
        let out = dir.path().join(name);
        delivery(&project, format, &out);
        let received = open(&out, &Silent).unwrap();
        let reading = received
            .reading
            .as_ref()
            .expect("not a VillagePlan project");
        assert_eq!(role_of(&received, "CJDCQ"), LayerRole::Village);
        assert_eq!(role_of(&received, "JQDLTB"), LayerRole::CurrentLandUse);
        assert_eq!(role_of(&received, "GHDLTB"), LayerRole::PlannedLandUse);
        assert_eq!(role_of(&received, "GKBJ"), LayerRole::ControlZone);
        assert_eq!(role_of(&received, "GGJCSSD"), LayerRole::PublicFacility);
        // A delivered line layer of no role is not mistaken for the villages.
        assert_eq!(role_of(&received, "CJDCQJX"), LayerRole::Other);
        let parcels = reading.taken.iter().find(|t| t.source == "JQDLTB").unwrap();
        assert!(
            parcels
                .renamed
                .contains(&("JQDLBM".to_string(), "DLBM".to_string()))
        );
        // The three lines exist only as 管控边界 zones in the database.
        assert_eq!(
            role_of(&received, "GKBJ[GKBJLXDM 0301+0302]"),
            LayerRole::VillageConstructionBoundary
        );
        assert!(
            reading.unused.iter().any(|u| u.starts_with("GHZBB")),
            "{:?}",
            reading.unused
        );
        assert!(reading.missing.contains(&LayerRole::Township));
        let text = received.describe(&out);
        assert!(text.contains("JQDLTB → 现状地类图斑"), "{text}");
        assert!(text.contains("未找到 not found: 乡镇界"), "{text}");

        // The statistics of the delivered villages are the project's (areas to the m²).
        assert_same_areas(&received.project, &project, name);
        let rules = RuleSet::bundled().unwrap();
        let report = run_checks(&received.project, &rules, &CheckScope::All, &Silent).unwrap();
        assert!(!report.area_basis.is_empty());
        TableBook::new(&received.project, AreaBasis::Ellipsoidal).unwrap();
    }
}

#[test]
fn the_plan_geopackage_and_its_shapefile_folder_give_every_layer_its_role_back() {
    let project = sample();
    let dir = tempfile::tempdir().unwrap();
    let gpkg = dir.path().join("plan.gpkg");
    write_plan(&project, &gpkg, &Silent).unwrap();
    let shp = dir.path().join("shp");
    let (code, _, err) = villageplan(&[
        "export",
        sample_path().to_str().unwrap(),
        "--all",
        "--format",
        "shp",
        "--out",
        shp.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{err}");
    for source in [&gpkg, &shp] {
        let received = open(source, &Silent).unwrap();
        let roles = |p: &Project| {
            let mut r: Vec<LayerRole> = p
                .layers
                .iter()
                .map(|l| l.role)
                .filter(|r| *r != LayerRole::Other)
                .collect();
            r.sort_by_key(|r| r.name_en());
            r
        };
        assert_eq!(roles(&received.project), roles(&project), "{source:?}");
        assert!(received.reading.as_ref().unwrap().missing.is_empty());
        assert_same_areas(&received.project, &project, &source.display().to_string());
    }
}

#[test]
fn a_villageplan_project_is_opened_as_it_is() {
    let received = open(&sample_path(), &Silent).unwrap();
    assert!(received.reading.is_none());
    assert_eq!(received.describe(&sample_path()), "");
}

#[test]
fn the_cli_reviews_a_delivery_database_and_says_what_it_read() {
    let project = sample();
    let dir = tempfile::tempdir().unwrap();
    let gdb = dir.path().join("成果.gdb");
    delivery(&project, DatabaseFormat::FileGdb, &gdb);
    let gdb = gdb.to_str().unwrap();
    let (code, out, err) = villageplan(&["stats", gdb, "--format", "csv"]);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("CJDCQ → 行政村界"), "{err}");
    assert!(out.contains("530921106201"), "{out}");
    let (code, out, err) = villageplan(&["check", gdb, "--format", "csv"]);
    assert!(code == 0 || code == 1, "{err}");
    assert!(out.starts_with("severity") || out.contains(','), "{out}");
    let (code, out, err) = villageplan(&["tables", gdb, "--format", "csv"]);
    assert_eq!(code, 0, "{err}");
    assert!(!out.is_empty());
    let (code, out, err) = villageplan(&["classify", gdb, "--format", "csv"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("530921106202"), "{out}");
    // Nothing is written into what a reviewer received.
    let (code, _, err) = villageplan(&["classify", gdb, "--write"]);
    assert_eq!(code, 2);
    assert!(err.contains("read for review only"), "{err}");
}

#[test]
fn a_source_without_any_layer_of_geometry_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let empty = dir.path().join("空文件夹");
    std::fs::create_dir(&empty).unwrap();
    let (code, _, err) = villageplan(&["check", empty.to_str().unwrap()]);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("空文件夹: not a readable vector data source"),
        "{err}"
    );

    // A GeoPackage holding only an attribute table.
    let tables = dir.path().join("tables.gpkg");
    let driver = gdal::DriverManager::get_driver_by_name("GPKG").unwrap();
    let mut ds = driver.create_vector_only(&tables).unwrap();
    ds.create_layer(gdal::vector::LayerOptions {
        name: "GHZBB",
        ty: gdal_sys::OGRwkbGeometryType::wkbNone,
        ..Default::default()
    })
    .unwrap();
    ds.close().unwrap();
    let (code, _, err) = villageplan(&["stats", tables.to_str().unwrap()]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("tables.gpkg: no layer has geometry"), "{err}");
}
