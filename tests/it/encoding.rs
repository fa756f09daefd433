//! Shapefile text encodings (docs/domain.md §7): .cpg → LDID → strict UTF-8 → GBK, overridable.

use villageplan::io::{EncodingReason, LoadOptions, read_layer};

use crate::fixtures::{Row, corpus, first_text, set_ldid, write_vector};

const NAME: &str = "凤庆县永久基本农田";
const SQUARE: &str = "POLYGON ((500000 2720000, 500100 2720000, 500100 2720100, 500000 2720000))";

fn gbk_shapefile(dir: &std::path::Path, name: &str) -> std::path::PathBuf {
    let path = dir.join(format!("{name}.shp"));
    write_vector(
        &path,
        "ESRI Shapefile",
        Some(4542),
        &["MC", "DLMC"],
        &[Row {
            wkt: SQUARE,
            values: &[NAME, "旱地"],
        }],
        &["ENCODING=CP936"],
    );
    path
}

fn read(path: &std::path::Path, encoding: Option<&str>) -> villageplan::io::SourceLayer {
    let options = LoadOptions {
        encoding: encoding.map(str::to_string),
        ..LoadOptions::default()
    };
    read_layer(path, None, &options, &villageplan::Silent).unwrap()
}

#[test]
fn gbk_with_cpg() {
    let dir = tempfile::tempdir().unwrap();
    let path = gbk_shapefile(dir.path(), "with_cpg");
    let dbf = std::fs::read(dir.path().join("with_cpg.dbf")).unwrap();
    assert!(
        dbf.windows(2).any(|w| w == [0xB7, 0xEF]),
        "fixture must hold GBK bytes (凤 = B7 EF)"
    );
    let layer = read(&path, None);
    assert_eq!(first_text(&layer, "MC"), NAME);
    assert_eq!(
        layer.description.encoding.reason,
        EncodingReason::Cpg("CP936".into())
    );
}

#[test]
fn gbk_without_cpg_falls_back_to_gbk() {
    let dir = tempfile::tempdir().unwrap();
    let path = gbk_shapefile(dir.path(), "no_cpg");
    std::fs::remove_file(dir.path().join("no_cpg.cpg")).unwrap();
    set_ldid(&dir.path().join("no_cpg.dbf"), 0);
    let layer = read(&path, None);
    assert_eq!(first_text(&layer, "MC"), NAME);
    assert_eq!(
        layer.description.encoding.reason,
        EncodingReason::GbkFallback
    );
}

#[test]
fn undeclared_encoding_crs_and_role_are_left_for_the_user() {
    let dir = tempfile::tempdir().unwrap();
    let path = gbk_shapefile(dir.path(), "no_cpg");
    std::fs::remove_file(dir.path().join("no_cpg.cpg")).unwrap();
    std::fs::remove_file(dir.path().join("no_cpg.prj")).unwrap();
    set_ldid(&dir.path().join("no_cpg.dbf"), 0);
    let undecided = read(&path, None).undecided();
    assert!(undecided.crs && undecided.encoding && undecided.role);
    assert!(!undecided.is_settled());

    // Declared sidecars and a telling name settle everything.
    let path = gbk_shapefile(dir.path(), "永久基本农田");
    let undecided = read(&path, None).undecided();
    assert!(undecided.is_settled(), "{undecided:?}");
    // The user's choice settles the encoding.
    std::fs::remove_file(dir.path().join("永久基本农田.cpg")).unwrap();
    set_ldid(&dir.path().join("永久基本农田.dbf"), 0);
    assert!(read(&path, None).undecided().encoding);
    assert!(!read(&path, Some("GBK")).undecided().encoding);
}

#[test]
fn gbk_declared_only_by_ldid() {
    let dir = tempfile::tempdir().unwrap();
    let path = gbk_shapefile(dir.path(), "ldid");
    std::fs::remove_file(dir.path().join("ldid.cpg")).unwrap();
    set_ldid(&dir.path().join("ldid.dbf"), 0x4D);
    let layer = read(&path, None);
    assert_eq!(first_text(&layer, "DLMC"), "旱地");
    assert_eq!(
        layer.description.encoding.reason,
        EncodingReason::LanguageDriver(0x4D)
    );
}

#[test]
fn utf8_without_cpg_is_detected() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("utf8.shp");
    write_vector(
        &path,
        "ESRI Shapefile",
        Some(4542),
        &["MC"],
        &[Row {
            wkt: SQUARE,
            values: &[NAME],
        }],
        &["ENCODING=UTF-8"],
    );
    std::fs::remove_file(dir.path().join("utf8.cpg")).unwrap();
    let layer = read(&path, None);
    assert_eq!(first_text(&layer, "MC"), NAME);
    assert_eq!(
        layer.description.encoding.reason,
        EncodingReason::StrictUtf8
    );
}

#[test]
fn gbk_field_names_are_decoded() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("names.shp");
    write_vector(
        &path,
        "ESRI Shapefile",
        Some(4542),
        &["地类名称"],
        &[Row {
            wkt: SQUARE,
            values: &["水田"],
        }],
        &["ENCODING=CP936"],
    );
    let layer = read(&path, None);
    assert_eq!(layer.description.fields[0].name, "地类名称");
    assert_eq!(first_text(&layer, "地类名称"), "水田");
}

#[test]
fn corpus_gbk_and_gb2312_without_any_declaration() {
    for file in ["mapshaper/dbf/gbk.dbf", "mapshaper/dbf/gb2312.dbf"] {
        let layer = read(&corpus(file), None);
        assert_eq!(
            layer.description.encoding.encoding,
            encoding_rs::GBK,
            "{file}"
        );
        let text = first_text(&layer, "NAME");
        assert!(
            text.contains("国语") || text.contains("简体"),
            "{file}: {text}"
        );
    }
}

#[test]
fn corpus_ldid_cp936() {
    let layer = read(&corpus("mapshaper/dbf/ldid/chinese.shp"), None);
    assert_eq!(
        layer.description.encoding.reason,
        EncodingReason::LanguageDriver(0x7A)
    );
    assert_eq!(first_text(&layer, "NAME"), "简体");
}

#[test]
fn corpus_utf8_dbf_and_real_yunnan_counties() {
    let layer = read(&corpus("mapshaper/dbf/utf8.dbf"), None);
    assert_eq!(first_text(&layer, "NAME"), "国语國語");
    let yunnan = read(&corpus("garybikini_yunnan_district_2020/云南省.shp"), None);
    assert_eq!(
        yunnan.description.encoding.reason,
        EncodingReason::StrictUtf8
    );
    assert_eq!(yunnan.features().len(), 129);
    let names: Vec<String> = yunnan
        .features()
        .iter()
        .map(|f| f.attributes[0].as_text().unwrap().into_owned())
        .collect();
    assert!(names.iter().any(|n| n == "凤庆县"), "{names:?}");
}

#[test]
fn latin1_and_big5_need_the_override() {
    // Undeclared non-UTF-8 text is assumed GBK; the planner corrects it with --encoding.
    let latin = read(&corpus("mapshaper/dbf/latin1.dbf"), None);
    assert_eq!(
        latin.description.encoding.reason,
        EncodingReason::GbkFallback
    );
    let latin = read(&corpus("mapshaper/dbf/latin1.dbf"), Some("ISO-8859-1"));
    assert_eq!(first_text(&latin, "NAME"), "Peçeña México");
    let big5 = read(&corpus("mapshaper/dbf/big5.dbf"), Some("Big5"));
    assert!(first_text(&big5, "NAME").contains("國語"));
}

#[test]
fn cpg_spellings_from_the_corpus() {
    let layer = read(&corpus("mapshaper/dbf/cpg/big5.shp"), None);
    assert_eq!(layer.description.encoding.encoding, encoding_rs::BIG5);
    let layer = read(&corpus("mapshaper/dbf/cpg/win1251.dbf"), None);
    assert_eq!(
        layer.description.encoding.encoding,
        encoding_rs::WINDOWS_1251
    );
}

#[test]
fn undecodable_text_names_the_feature_and_field() {
    let dir = tempfile::tempdir().unwrap();
    let path = gbk_shapefile(dir.path(), "bad");
    std::fs::write(dir.path().join("bad.cpg"), "UTF-8").unwrap();
    let err = read_layer(&path, None, &LoadOptions::default(), &villageplan::Silent)
        .expect_err("GBK bytes declared as UTF-8 must fail");
    let msg = err.to_string();
    assert!(
        msg.contains("bad.shp") && msg.contains("feature 0") && msg.contains("'MC'"),
        "{msg}"
    );
}

/// Every repeat of a text in a layer is the one decoded string (a survey repeats a few
/// hundred codes over all its parcels); different texts stay apart.
#[test]
fn repeated_texts_share_one_decoded_string() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("repeats.shp");
    let rows: Vec<Row> = ["旱地", "水田", "旱地", "旱地"]
        .iter()
        .map(|dlmc| Row {
            wkt: SQUARE,
            values: std::slice::from_ref(dlmc),
        })
        .collect();
    write_vector(
        &path,
        "ESRI Shapefile",
        Some(4542),
        &["DLMC"],
        &rows,
        &["ENCODING=CP936"],
    );
    let layer = read(&path, None);
    let texts: Vec<&std::sync::Arc<String>> = layer
        .features()
        .iter()
        .map(|f| match &f.attributes[0] {
            villageplan::AttrValue::Text(t) => t,
            other => panic!("{other:?}"),
        })
        .collect();
    let strings: Vec<&str> = texts.iter().map(|t| t.as_str()).collect();
    assert_eq!(strings, ["旱地", "水田", "旱地", "旱地"]);
    assert!(std::sync::Arc::ptr_eq(texts[0], texts[2]));
    assert!(std::sync::Arc::ptr_eq(texts[0], texts[3]));
    assert!(!std::sync::Arc::ptr_eq(texts[0], texts[1]));
}
