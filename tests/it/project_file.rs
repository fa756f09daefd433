//! The project GeoPackage: save → load equality, atomic saves, other tools can open it.

use villageplan::crs::WorkingCrs;
use villageplan::io::{load_project, save_project, temporary_save_path};
use villageplan::model::{Fill, Rgba};
use villageplan::{AttrValue, Feature, FieldDef, FieldKind, Layer, LayerRole, Project, Silent};

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
            attributes: vec![
                AttrValue::Text("河平村".into()),
                AttrValue::Text("2023/03/21".into()),
            ],
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
