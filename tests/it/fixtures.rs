//! Small files built with GDAL for the tests, and paths to the real-world files in
//! `tests/data/` (see its SOURCES.md for where each comes from and its licence).

use std::path::{Path, PathBuf};

use gdal::DriverManager;
use gdal::vector::{FieldDefn, Geometry, LayerAccess, LayerOptions};
use gdal_sys::{OGRFieldType, OGRwkbGeometryType};

/// `tests/data/<rel>`: real files nobody on this project wrote, copied into the
/// repository with their licences.
pub fn corpus(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(rel)
}

/// A feature for [`write_vector`]: WKT geometry and text attributes.
pub struct Row<'a> {
    pub wkt: &'a str,
    pub values: &'a [&'a str],
}

/// Writes a vector file with text fields through GDAL. `epsg` None writes no CRS.
pub fn write_vector(
    path: &Path,
    driver: &str,
    epsg: Option<u32>,
    fields: &[&str],
    rows: &[Row],
    layer_options: &[&str],
) {
    let driver = DriverManager::get_driver_by_name(driver).unwrap();
    let mut ds = driver.create_vector_only(path).unwrap();
    let srs = epsg.map(|e| {
        let mut s = gdal::spatial_ref::SpatialRef::from_epsg(e).unwrap();
        s.set_axis_mapping_strategy(gdal::spatial_ref::AxisMappingStrategy::TraditionalGisOrder);
        s
    });
    let name = path.file_stem().unwrap().to_string_lossy().into_owned();
    let layer = ds
        .create_layer(LayerOptions {
            name: &name,
            srs: srs.as_ref(),
            ty: OGRwkbGeometryType::wkbUnknown,
            options: Some(layer_options),
        })
        .unwrap();
    for f in fields {
        FieldDefn::new(f, OGRFieldType::OFTString)
            .unwrap()
            .add_to_layer(&layer)
            .unwrap();
    }
    for row in rows {
        let mut feature = gdal::vector::Feature::new(layer.defn()).unwrap();
        feature
            .set_geometry(Geometry::from_wkt(row.wkt).unwrap())
            .unwrap();
        for (i, v) in row.values.iter().enumerate() {
            feature.set_field_string(i, v).unwrap();
        }
        feature.create(&layer).unwrap();
    }
    ds.close().unwrap();
}

/// Overwrites the DBF language-driver id byte (offset 29).
pub fn set_ldid(dbf: &Path, ldid: u8) {
    let mut bytes = std::fs::read(dbf).unwrap();
    bytes[29] = ldid;
    std::fs::write(dbf, bytes).unwrap();
}

/// The text value of `field` in the first feature of a source layer.
pub fn first_text(layer: &villageplan::io::SourceLayer, field: &str) -> String {
    let i = layer
        .description
        .fields
        .iter()
        .position(|f| f.name == field)
        .unwrap_or_else(|| panic!("no field {field}"));
    layer.features()[0].attributes[i]
        .as_text()
        .unwrap()
        .into_owned()
}

/// Runs the `villageplan` binary; returns exit code, stdout and stderr.
pub fn villageplan(args: &[&str]) -> (i32, String, String) {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_villageplan"))
        .args(args)
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}
