//! Shapefile export in GBK or UTF-8 (docs/domain.md §7): the `.cpg` we write (936 for GBK),
//! long field names mapped to short ones at character boundaries with the mapping beside
//! the output, text GBK cannot hold refused, and a failed export leaving the previous one.

use std::path::Path;

use villageplan::crs::WorkingCrs;
use villageplan::io::{LoadOptions, ShapefileEncoding, read_layer, write_shapefile};
use villageplan::{AttrValue, FieldDef, Layer, Silent};

use crate::formats::sample_layer;

/// The sample layer with field names too long for a DBF (9 and 10 characters: 18 and 20
/// bytes in GBK).
fn long_named() -> Layer {
    let base = sample_layer();
    let names = [
        "DLBM",
        "地类名称说明文字",
        "地类名称说明文字二",
        "TBMJ_MEASURED",
    ];
    let fields = base
        .fields()
        .iter()
        .zip(names)
        .map(|(f, n)| FieldDef::new(n, f.kind))
        .collect();
    Layer::new(
        "dltb",
        "地类图斑",
        base.role,
        fields,
        base.features().to_vec(),
    )
}

fn crs() -> WorkingCrs {
    WorkingCrs::for_longitude(99.9).unwrap()
}

/// The DBF's field names as raw bytes (32-byte descriptors after the 32-byte header).
fn dbf_names(path: &Path) -> Vec<Vec<u8>> {
    let dbf = std::fs::read(path).unwrap();
    let mut out = Vec::new();
    let mut at = 32;
    while dbf[at] != 0x0D {
        let raw = &dbf[at..at + 11];
        out.push(raw.iter().take_while(|&&b| b != 0).copied().collect());
        at += 32;
    }
    out
}

#[test]
fn gbk_shapefile_with_cpg_936_and_short_names_every_reader_agrees_on() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("dltb.shp");
    let done = write_shapefile(&long_named(), crs(), &path, ShapefileEncoding::Gbk).unwrap();
    assert_eq!(
        std::fs::read_to_string(dir.path().join("dltb.cpg")).unwrap(),
        "936"
    );
    let short: Vec<(&str, &str)> = done
        .renamed
        .iter()
        .map(|r| (r.original.as_str(), r.short.as_str()))
        .collect();
    assert_eq!(
        short,
        [
            ("地类名称说明文字", "地类名称说"),
            ("地类名称说明文字二", "地类名称_1"),
            ("TBMJ_MEASURED", "TBMJ_MEASU"),
        ]
    );
    // The DBF holds GBK bytes that decode whole: no name cut inside a character.
    let names: Vec<String> = dbf_names(&dir.path().join("dltb.dbf"))
        .iter()
        .map(|raw| {
            assert!(raw.len() <= 10, "{raw:?}");
            let (text, had_errors) = encoding_rs::GBK.decode_without_bom_handling(raw);
            assert!(!had_errors, "{raw:?}");
            text.into_owned()
        })
        .collect();
    assert_eq!(names, ["DLBM", "地类名称说", "地类名称_1", "TBMJ_MEASU"]);
    // The mapping file beside the output.
    let mapping = std::fs::read_to_string(done.mapping_file.as_ref().unwrap()).unwrap();
    assert!(
        mapping.contains("地类名称_1,地类名称说明文字二"),
        "{mapping}"
    );
    // GDAL on its own (it reads the .cpg) and our reader both see the Chinese text.
    let ds = gdal::Dataset::open(&path).unwrap();
    let layer = ds.layer(0).unwrap();
    use gdal::vector::LayerAccess;
    let gdal_names: Vec<String> = layer.defn().fields().map(|f| f.name()).collect();
    assert_eq!(gdal_names, names);
    let back = read_layer(&path, None, &LoadOptions::default(), &Silent).unwrap();
    assert_eq!(crate::fixtures::first_text(&back, "地类名称说"), "旱地");
}

#[test]
fn utf8_shapefile_and_text_gbk_cannot_hold() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("dltb.shp");
    let done = write_shapefile(&long_named(), crs(), &path, ShapefileEncoding::Utf8).unwrap();
    assert_eq!(
        std::fs::read_to_string(dir.path().join("dltb.cpg")).unwrap(),
        "UTF-8"
    );
    // Three bytes a character in UTF-8: three characters fit.
    assert_eq!(done.renamed[0].short, "地类名");
    let before = std::fs::read(dir.path().join("dltb.dbf")).unwrap();

    // 𠀀 (U+20000, CJK Extension B) is not in GBK: refused with feature and field, and the
    // UTF-8 export already there is left as it was.
    let mut layer = long_named();
    let mut features = layer.features().to_vec();
    features[1].attributes[1] = AttrValue::text("宅基地𠀀");
    layer = Layer::new(
        &layer.id,
        &layer.name,
        layer.role,
        layer.fields().to_vec(),
        features,
    );
    let err = write_shapefile(&layer, crs(), &path, ShapefileEncoding::Gbk)
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("feature 2") && err.contains("地类名称说明文字") && err.contains("utf-8"),
        "{err}"
    );
    assert_eq!(std::fs::read(dir.path().join("dltb.dbf")).unwrap(), before);
    assert_eq!(
        std::fs::read_to_string(dir.path().join("dltb.cpg")).unwrap(),
        "UTF-8"
    );
}
