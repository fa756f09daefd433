//! The delivery database (docs/domain.md §9) of the committed sample's villages, read back
//! with GDAL: every layer and field of the structure file with its type, length, subtype
//! and alias (the FileGDB's own, the GeoPackage's `gpkg_data_columns` by SQL); YSDM and the
//! 20-character BSM; the village's features and areas; the zone-prefixed CRS; bad input.

use std::path::{Path, PathBuf};

use gdal::Dataset;
use gdal::vector::LayerAccess;
use gdal::vector::sql::Dialect;
use villageplan::analysis::areas::AreaBasis;
use villageplan::deliver::database::schema::{DeliverySchema, TypeCode};
use villageplan::deliver::database::{DeliveryReport, DeliveryRequest, deliver};
use villageplan::io::{DatabaseFormat, load_project};
use villageplan::{AttrValue, LayerRole, Project, Silent};

use crate::fixtures::villageplan;

/// 勐佑村 and 中和村 of 勐佑镇 (the sample's planned villages).
const VILLAGES: [&str; 2] = ["530921106201", "530921106202"];

fn sample_path() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-maps/fengqing/fengqing.gpkg")
}

fn sample() -> Project {
    load_project(&sample_path(), &Silent).unwrap()
}

fn delivered(project: &Project, format: DatabaseFormat, out: &Path) -> DeliveryReport {
    let villages: Vec<String> = VILLAGES.iter().map(|v| v.to_string()).collect();
    let schema = DeliverySchema::bundled().unwrap();
    let request = DeliveryRequest {
        villages: &villages,
        format,
        out,
        epsg: None,
        basis: AreaBasis::Ellipsoidal,
        schema: &schema,
    };
    deliver(project, &request, &Silent).unwrap()
}

/// The project's features of the delivered villages in the layer of `role` (by the code
/// the sample's layers carry).
fn project_count(project: &Project, role: LayerRole, code_field: &str) -> usize {
    let layer = project.layer_by_role(role).unwrap();
    (0..layer.features().len())
        .filter(|&i| {
            let code = layer.value(i, code_field).and_then(AttrValue::as_text);
            code.is_some_and(|c| VILLAGES.iter().any(|v| c.starts_with(v)))
        })
        .count()
}

/// Checks the database at `out` against the structure: layers, fields, YSDM, BSM.
fn check_structure(out: &Path, format: DatabaseFormat) {
    let schema = DeliverySchema::bundled().unwrap();
    let ds = Dataset::open(out).unwrap();
    for spec in &schema.layers {
        let mut layer = ds.layer_by_name(&spec.name).unwrap_or_else(|_| {
            panic!("{}: no layer {}", out.display(), spec.name);
        });
        let defn = layer.defn();
        let fields: Vec<_> = defn.fields().collect();
        let names: Vec<String> = fields.iter().map(|f| f.name()).collect();
        let wanted: Vec<&str> = spec.fields.iter().map(|f| f.name.as_str()).collect();
        assert_eq!(names, wanted, "{}: fields", spec.name);
        for (f, s) in fields.iter().zip(&spec.fields) {
            let at = format!("{}.{}", spec.name, s.name);
            match s.code {
                TypeCode::C => {
                    assert_eq!(f.field_type(), gdal_sys::OGRFieldType::OFTString, "{at}");
                    assert_eq!(f.width(), s.length.unwrap() as i32, "{at}: length");
                }
                TypeCode::D | TypeCode::F => {
                    assert_eq!(f.field_type(), gdal_sys::OGRFieldType::OFTReal, "{at}");
                }
                TypeCode::I16 => {
                    assert_eq!(f.field_type(), gdal_sys::OGRFieldType::OFTInteger, "{at}");
                }
            }
            if format == DatabaseFormat::FileGdb {
                assert_eq!(f.alternative_name(), s.alias, "{at}: alias");
            }
        }
        for feature in layer.features() {
            let ysdm = feature
                .field_as_string(feature.field_index("YSDM").unwrap())
                .unwrap();
            assert_eq!(ysdm.as_deref(), Some(spec.ysdm.as_str()), "{}", spec.name);
            let bsm = feature
                .field_as_string(feature.field_index("BSM").unwrap())
                .unwrap()
                .unwrap();
            assert_eq!(bsm.len(), 20, "{}: BSM {bsm}", spec.name);
            assert!(
                VILLAGES.iter().any(|v| bsm.starts_with(v)),
                "{}: BSM {bsm} starts with its village's code",
                spec.name
            );
        }
    }
}

#[test]
fn a_filegdb_with_the_structures_layers_fields_subtypes_and_aliases() {
    let project = sample();
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("成果.gdb");
    let report = delivered(&project, DatabaseFormat::FileGdb, &out);
    check_structure(&out, DatabaseFormat::FileGdb);

    // The subtypes, as GDAL's own tool reports them.
    let info = std::process::Command::new("ogrinfo")
        .args(["-ro", "-so"])
        .arg(&out)
        .arg("JQDLTB")
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&info.stdout);
    assert!(text.contains("KCXS: Real(Float32)"), "{text}");
    assert!(text.contains("SJNF: Integer(Int16)"), "{text}");

    // The villages' parcels, each BSM unique; the sample's 18-character codes renumbered.
    let jqdltb = report.layers.iter().find(|l| l.name == "JQDLTB").unwrap();
    let parcels = project_count(&project, LayerRole::CurrentLandUse, "ZLDWDM");
    assert!(parcels > 100);
    assert_eq!(jqdltb.features, parcels);
    assert_eq!(jqdltb.filled.renumbered, parcels);
    let mut bsm: Vec<String> = Dataset::open(&out)
        .unwrap()
        .layer_by_name("JQDLTB")
        .unwrap()
        .features()
        .map(|f| {
            f.field_as_string(f.field_index("BSM").unwrap())
                .unwrap()
                .unwrap()
        })
        .collect();
    bsm.sort();
    bsm.dedup();
    assert_eq!(bsm.len(), parcels, "BSM unique");

    // Feature datasets as §9.1 groups them.
    let info = std::process::Command::new("ogrinfo")
        .arg("-ro")
        .arg(&out)
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&info.stdout);
    for group in ["Group JJYZQ:", "Group JQXZ:", "Group MBNGH:"] {
        assert!(text.contains(group), "{group} in {text}");
    }

    // What the sample lacks is delivered empty and said.
    let empty: Vec<&str> = report
        .layers
        .iter()
        .filter(|l| l.empty_because.is_some())
        .map(|l| l.name.as_str())
        .collect();
    assert_eq!(empty, ["CJDCQJX", "LSWHBHQ"]);
    assert!(jqdltb.filled.empty_fields.contains(&"QSXZ".to_string()));
}

#[test]
fn a_geopackage_with_aliases_in_gpkg_data_columns_and_the_villages_areas() {
    let project = sample();
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("成果.gpkg");
    let report = delivered(&project, DatabaseFormat::GeoPackage, &out);
    check_structure(&out, DatabaseFormat::GeoPackage);
    assert!(report.problems().is_empty(), "{:?}", report.problems());

    let ds = Dataset::open(&out).unwrap();
    let alias = |table: &str, column: &str| -> Option<String> {
        let sql = format!(
            "SELECT name FROM gpkg_data_columns WHERE table_name = '{table}' AND column_name = '{column}'"
        );
        let mut rows = ds.execute_sql(&sql, None, Dialect::DEFAULT).unwrap()?;
        let feature = rows.features().next()?;
        feature.field_as_string(0).unwrap()
    };
    assert_eq!(alias("JQDLTB", "KCXS").as_deref(), Some("扣除地类系数"));
    assert_eq!(alias("CJDCQ", "ZLDWDM").as_deref(), Some("坐落单位代码"));
    let schema_extension =
        "SELECT COUNT(*) FROM gpkg_extensions WHERE extension_name = 'gpkg_schema'";
    let mut rows = ds
        .execute_sql(schema_extension, None, Dialect::DEFAULT)
        .unwrap()
        .unwrap();
    let registered = rows.features().next().unwrap().field_as_integer(0).unwrap();
    assert_eq!(registered, Some(2), "both schema tables registered");

    // §9.2's tables from the villages' planning tables: one 规划指标表 row per indicator
    // and village, with its alias.
    let book =
        villageplan::analysis::tables::TableBook::new(&project, AreaBasis::Ellipsoidal).unwrap();
    let indicators: usize = VILLAGES
        .iter()
        .map(|v| {
            let scope = villageplan::analysis::tables::Scope::Village(v.to_string());
            book.tables(&scope).unwrap().indicators.lines.len()
        })
        .sum();
    assert!(indicators > 0);
    assert_eq!(
        ds.layer_by_name("GHZBB").unwrap().feature_count() as usize,
        indicators
    );
    assert!(ds.layer_by_name("KJGNJGTZB").unwrap().feature_count() > 0);
    assert_eq!(alias("GHZBB", "XZJQN").as_deref(), Some("现状基期年"));

    // The villages: codes padded to the 19-digit 坐落单位代码, areas to 2 decimals on the
    // ellipsoid, the sum within a square metre of the village polygons' areas.
    let mut cjdcq = ds.layer_by_name("CJDCQ").unwrap();
    let mut total = 0.0;
    for f in cjdcq.features() {
        let code = f
            .field_as_string(f.field_index("ZLDWDM").unwrap())
            .unwrap()
            .unwrap();
        assert_eq!(code.len(), 19, "{code}");
        let area = f
            .field_as_double(f.field_index("JSMJ").unwrap())
            .unwrap()
            .unwrap();
        assert_eq!((area * 100.0).round() / 100.0, area);
        total += area;
    }
    let measure =
        villageplan::analysis::areas::AreaMeasure::new(AreaBasis::Ellipsoidal, project.crs);
    let villages = project.layer_by_role(LayerRole::Village).unwrap();
    let expected: f64 = (0..villages.features().len())
        .filter(|&i| {
            let code = villages.value(i, "XZQDM").and_then(AttrValue::as_text);
            code.is_some_and(|c| VILLAGES.contains(&c.as_ref()))
        })
        .map(|i| {
            measure
                .area(villages.features()[i].geometry.as_ref().unwrap())
                .unwrap()
        })
        .sum();
    assert!((total - expected).abs() < 1.0, "{total} vs {expected}");
}

#[test]
fn the_cli_writes_a_zone_prefixed_variant_and_refuses_bad_input() {
    let dir = tempfile::tempdir().unwrap();
    let sample = sample_path();
    let sample = sample.to_str().unwrap();
    let out = dir.path().join("zone.gdb");
    let villages = VILLAGES.join(",");
    let (code, stdout, stderr) = villageplan(&[
        "deliver",
        sample,
        "--village",
        &villages,
        "--crs",
        "EPSG:4521",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert!(stdout.contains("EPSG:4521"), "{stdout}");
    assert!(
        stdout.contains("LSWHBHQ 历史文化保护区: 0 features, empty"),
        "{stdout}"
    );
    let ds = Dataset::open(&out).unwrap();
    let layer = ds.layer_by_name("CJDCQ").unwrap();
    let extent = layer.get_extent().unwrap();
    assert!(
        extent.MinX > 33_000_000.0 && extent.MaxX < 34_000_000.0,
        "zone 33 prefix: {extent:?}"
    );

    // A village code that does not exist: exit 2, the code named, nothing written.
    let missing = dir.path().join("missing.gpkg");
    let (code, _, stderr) = villageplan(&[
        "deliver",
        sample,
        "--village",
        "530921106201,530921999999",
        "--out",
        missing.to_str().unwrap(),
    ]);
    assert_eq!(code, 2);
    assert!(stderr.contains("530921999999"), "{stderr}");
    assert!(!missing.exists());

    // The format and the path disagree.
    let (code, _, stderr) = villageplan(&[
        "deliver",
        sample,
        "--village",
        "530921106201",
        "--format",
        "gdb",
        "--out",
        missing.to_str().unwrap(),
    ]);
    assert_eq!(code, 2);
    assert!(stderr.contains(".gdb path"), "{stderr}");
}

#[test]
fn a_value_longer_than_its_field_is_named_and_the_old_database_kept() {
    let mut project = sample();
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("成果.gpkg");
    delivered(&project, DatabaseFormat::GeoPackage, &out);
    let before = std::fs::read(&out).unwrap();

    let layer_id = project
        .layer_by_role(LayerRole::ControlZone)
        .unwrap()
        .id
        .clone();
    let layer = project.layer_mut(&layer_id).unwrap();
    let col = layer.field_index("GKBJLXDM").unwrap();
    let at = (0..layer.features().len())
        .find(|&i| {
            let code = layer.value(i, "CZDM").and_then(AttrValue::as_text);
            code.is_some_and(|c| c.starts_with(VILLAGES[0]))
        })
        .expect("a control zone of the first village");
    let id = layer.features()[at].id;
    layer.set_value(at, col, AttrValue::text("030101")).unwrap();
    let villages: Vec<String> = VILLAGES.iter().map(|v| v.to_string()).collect();
    let schema = DeliverySchema::bundled().unwrap();
    let err = deliver(
        &project,
        &DeliveryRequest {
            villages: &villages,
            format: DatabaseFormat::GeoPackage,
            out: &out,
            epsg: None,
            basis: AreaBasis::Ellipsoidal,
            schema: &schema,
        },
        &Silent,
    );
    let text = err
        .expect_err("a 6-character code refused for a 4-character field")
        .to_string();
    assert!(text.contains(&format!("feature {id}")), "{text}");
    assert!(text.contains("GKBJLXDM holds 6 characters"), "{text}");
    assert_eq!(
        std::fs::read(&out).unwrap(),
        before,
        "the old database kept"
    );
}

#[test]
fn the_whole_plan_as_one_geopackage_with_delivery_names_and_aliases() {
    let project = sample();
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("plan.gpkg");
    let sample = sample_path();
    let (code, stdout, stderr) = villageplan(&[
        "export",
        sample.to_str().unwrap(),
        "--all",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{stdout}{stderr}");
    let ds = Dataset::open(&out).unwrap();
    // The layers, and QGIS's `layer_styles` table (which GDAL lists as a table too).
    assert_eq!(ds.layer_count(), project.layers.len() + 1);
    for (role, table) in [
        (LayerRole::Village, "CJDCQ"),
        (LayerRole::CurrentLandUse, "JQDLTB"),
        (LayerRole::PlannedLandUse, "GHDLTB"),
        (LayerRole::ControlZone, "GKBJ"),
        (LayerRole::EcologicalRedLine, "STBHHX"),
        (LayerRole::PermanentFarmland, "YJJBNT"),
        (LayerRole::UrbanDevelopmentBoundary, "CZKFBJ"),
        (LayerRole::VillageConstructionBoundary, "CZJSBJ"),
        (LayerRole::ThreeSpaces, "SSKJ"),
    ] {
        let layer = project.layer_by_role(role).unwrap();
        let written = ds.layer_by_name(table).unwrap();
        assert_eq!(
            written.feature_count() as usize,
            layer.features().len(),
            "{table}"
        );
        let sql = format!("SELECT identifier FROM gpkg_contents WHERE table_name = '{table}'");
        let mut rows = ds
            .execute_sql(&sql, None, Dialect::DEFAULT)
            .unwrap()
            .unwrap();
        let identifier = rows.features().next().unwrap().field_as_string(0).unwrap();
        assert_eq!(identifier.as_deref(), Some(layer.name.as_str()), "{table}");
    }
    let sql =
        "SELECT name FROM gpkg_data_columns WHERE table_name = 'JQDLTB' AND column_name = 'DLBM'";
    let mut rows = ds
        .execute_sql(sql, None, Dialect::DEFAULT)
        .unwrap()
        .unwrap();
    let alias = rows.features().next().unwrap().field_as_string(0).unwrap();
    assert_eq!(alias.as_deref(), Some("地类编码"));

    // Every layer has its default style for QGIS, with its geometry column; the land use
    // is categorised on its code in the map's colours (QGIS itself reads these in
    // scripts/qgis_styles.py).
    let sql = "SELECT f_table_name, f_geometry_column, styleName, styleQML FROM layer_styles \
               WHERE useAsDefault = 1 ORDER BY id";
    let mut rows = ds
        .execute_sql(sql, None, Dialect::DEFAULT)
        .unwrap()
        .unwrap();
    let styles: Vec<[String; 4]> = rows
        .features()
        .map(|f| std::array::from_fn(|i| f.field_as_string(i).unwrap().unwrap_or_default()))
        .collect();
    assert_eq!(styles.len(), project.layers.len());
    let parcels = project.layer_by_role(LayerRole::CurrentLandUse).unwrap();
    let [_, column, name, qml] = styles.iter().find(|s| s[0] == "JQDLTB").unwrap();
    assert_eq!(column, "geom");
    assert_eq!(name, &parcels.name);
    assert_eq!(qml, &villageplan::deliver::qml::layer_qml(parcels));
    assert!(
        qml.contains("type=\"categorizedSymbol\" attr=\"DLBM\""),
        "{qml}"
    );

    // Into a folder: refused when it holds something, so nothing of the user's is mixed in.
    let folder = dir.path().join("geojson");
    std::fs::create_dir(&folder).unwrap();
    std::fs::write(folder.join("mine.txt"), "keep").unwrap();
    let (code, _, stderr) = villageplan(&[
        "export",
        sample.to_str().unwrap(),
        "--all",
        "--format",
        "geojson",
        "--out",
        folder.to_str().unwrap(),
    ]);
    assert_eq!(code, 2);
    assert!(stderr.contains("not empty"), "{stderr}");
    assert_eq!(std::fs::read_dir(&folder).unwrap().count(), 1);
}

#[test]
fn the_whole_plan_or_one_layer_as_a_filegdb_with_layer_and_field_aliases() {
    let path = sample_path();
    let project = sample();
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("规划数据.gdb");
    let (code, stdout, stderr) = villageplan(&[
        "export",
        path.to_str().unwrap(),
        "--all",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{stdout}{stderr}");
    let ds = Dataset::open(&out).unwrap();
    assert_eq!(ds.layer_count(), project.layers.len());
    let villages = project.layer_by_role(LayerRole::Village).unwrap();
    let written = ds.layer_by_name("CJDCQ").unwrap();
    assert_eq!(written.feature_count() as usize, villages.features().len());
    let defn = written.defn();
    let name = defn.fields().find(|f| f.name() == "XZQMC").unwrap();
    assert_eq!(name.alternative_name(), "行政区名称");
    assert_eq!(name.field_type(), gdal_sys::OGRFieldType::OFTString);
    // Whole numbers stay whole numbers.
    let parcels = ds.layer_by_name("JQDLTB").unwrap();
    assert_eq!(
        parcels.feature_count() as usize,
        project
            .layer_by_role(LayerRole::CurrentLandUse)
            .unwrap()
            .features()
            .len()
    );

    // One layer, by its display name; `--format gdb` names the format, and the folder
    // must be named as a FileGDB.
    let bad = dir.path().join("one");
    let (code, _, stderr) = villageplan(&[
        "export",
        path.to_str().unwrap(),
        "--layer",
        &villages.name,
        "--format",
        "gdb",
        "--out",
        bad.to_str().unwrap(),
    ]);
    assert_eq!(code, 2);
    assert!(stderr.contains("ends in .gdb"), "{stderr}");
    let one = dir.path().join("one.gdb");
    let (code, stdout, stderr) = villageplan(&[
        "export",
        path.to_str().unwrap(),
        "--layer",
        &villages.name,
        "--format",
        "gdb",
        "--out",
        one.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{stdout}{stderr}");
    let ds = Dataset::open(&one).unwrap();
    assert_eq!(ds.layer_count(), 1);
    assert!(ds.layer_by_name("CJDCQ").is_ok());
}
