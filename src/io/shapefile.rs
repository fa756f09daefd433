//! Shapefiles for other tools, in GBK or UTF-8 (docs/domain.md §7).
//!
//! - *The `.cpg`*: written by us — `936` for GBK (what ArcGIS, QGIS and GDAL all read as
//!   GBK; GDAL's own `ENCODING=CP936` writes `CP936`, which ArcGIS does not know), `UTF-8`
//!   for UTF-8.
//! - *Field names*: a DBF field name holds at most 10 bytes *in the file's encoding* (a
//!   Chinese character is 2 bytes in GBK, 3 in UTF-8). A longer name is mapped to a short
//!   one cut at a character boundary (with `_1`, `_2` … when two would be the same), never
//!   inside a character; the mapping is returned and written beside the output as
//!   `<name>.fields.csv`.
//! - *Text GBK cannot hold* (a character outside GB 2312/GBK) is refused with the feature and
//!   field named, rather than written as `?`.
//! - *Atomic*: the files are written into a temporary folder beside the target and moved into
//!   place only once GDAL has closed them, so a failed export leaves any previous one whole.

use std::path::{Path, PathBuf};

use encoding_rs::{Encoding, GBK, UTF_8};

use super::write::{Table, write_layer};
use crate::crs::WorkingCrs;
use crate::error::{Error, Result};
use crate::model::{AttrValue, Layer};

/// Bytes a DBF field name may have.
pub const DBF_NAME_BYTES: usize = 10;

/// The text encoding of a Shapefile's DBF.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ShapefileEncoding {
    /// GBK (code page 936): what most Chinese desktop GIS installations expect.
    Gbk,
    /// UTF-8.
    Utf8,
}

impl ShapefileEncoding {
    /// `gbk`, `cp936`, `936` or `utf-8`/`utf8` (case ignored).
    pub fn parse(text: &str) -> Option<Self> {
        match text.trim().to_ascii_lowercase().as_str() {
            "gbk" | "cp936" | "936" => Some(ShapefileEncoding::Gbk),
            "utf-8" | "utf8" => Some(ShapefileEncoding::Utf8),
            _ => None,
        }
    }

    fn encoding(self) -> &'static Encoding {
        match self {
            ShapefileEncoding::Gbk => GBK,
            ShapefileEncoding::Utf8 => UTF_8,
        }
    }

    /// What the `.cpg` says.
    pub fn cpg_text(self) -> &'static str {
        match self {
            ShapefileEncoding::Gbk => "936",
            ShapefileEncoding::Utf8 => "UTF-8",
        }
    }

    fn gdal_option(self) -> &'static str {
        match self {
            ShapefileEncoding::Gbk => "ENCODING=CP936",
            ShapefileEncoding::Utf8 => "ENCODING=UTF-8",
        }
    }

    /// Bytes of `text` in this encoding, or `None` when it cannot hold every character.
    fn bytes(self, text: &str) -> Option<usize> {
        let (bytes, _, unmappable) = self.encoding().encode(text);
        (!unmappable).then_some(bytes.len())
    }
}

/// A field written under another name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldRename {
    /// The layer's name.
    pub original: String,
    /// The name in the DBF.
    pub short: String,
}

/// What a Shapefile export did besides writing the features.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ShapefileExport {
    /// Fields whose names were too long for the DBF, in field order.
    pub renamed: Vec<FieldRename>,
    /// The mapping file written beside the output, when fields were renamed.
    pub mapping_file: Option<PathBuf>,
}

/// The longest prefix of `name` (whole characters) within `max` bytes.
fn prefix_within(name: &str, max: usize, encoding: ShapefileEncoding) -> String {
    let mut out = String::new();
    for c in name.chars() {
        out.push(c);
        if encoding.bytes(&out).is_none_or(|n| n > max) {
            out.pop();
            break;
        }
    }
    out
}

/// The DBF name of each of `names`: itself when it fits in [`DBF_NAME_BYTES`] and no earlier
/// name took it (DBF names are compared without case), else its longest fitting prefix,
/// with `_1`, `_2` … until it is unique. An error for a name the encoding cannot hold.
pub fn dbf_field_names(names: &[&str], encoding: ShapefileEncoding) -> Result<Vec<String>> {
    let mut taken: Vec<String> = Vec::new();
    let mut out = Vec::with_capacity(names.len());
    for name in names {
        let bytes = encoding.bytes(name).ok_or_else(|| {
            Error::Invalid(format!(
                "field name '{name}' has a character {:?} cannot hold: export with --encoding utf-8",
                encoding.encoding().name()
            ))
        })?;
        let free = |n: &str, taken: &[String]| !taken.iter().any(|t| t.eq_ignore_ascii_case(n));
        let mut short = if bytes <= DBF_NAME_BYTES {
            name.to_string()
        } else {
            prefix_within(name, DBF_NAME_BYTES, encoding)
        };
        let mut k = 1;
        while short.is_empty() || !free(&short, &taken) {
            let suffix = format!("_{k}");
            short = prefix_within(name, DBF_NAME_BYTES - suffix.len(), encoding) + &suffix;
            k += 1;
        }
        taken.push(short.clone());
        out.push(short);
    }
    Ok(out)
}

/// Refuses text values the encoding cannot hold, naming the first such feature and field.
fn check_values(layer: &Layer, encoding: ShapefileEncoding) -> Result<()> {
    for feature in layer.features() {
        for (field, value) in layer.fields().iter().zip(&feature.attributes) {
            if let AttrValue::Text(t) = value
                && encoding.bytes(t).is_none()
            {
                return Err(Error::Invalid(format!(
                    "layer '{}', feature {}, field '{}': '{t}' has a character {} cannot \
                     hold: export with --encoding utf-8",
                    layer.name,
                    feature.id,
                    field.name,
                    encoding.encoding().name()
                )));
            }
        }
    }
    Ok(())
}

/// Writes `layer` as the Shapefile `path` (`.shp`, working CRS) in `encoding`; see the
/// module docs for the `.cpg`, the field names and atomicity.
pub fn write_shapefile(
    layer: &Layer,
    crs: WorkingCrs,
    path: &Path,
    encoding: ShapefileEncoding,
) -> Result<ShapefileExport> {
    let fail = |detail: String| Error::Write {
        path: path.to_path_buf(),
        detail,
    };
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .ok_or_else(|| fail("no file name".into()))?;
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    check_values(layer, encoding)?;
    let names: Vec<&str> = layer.fields().iter().map(|f| f.name.as_str()).collect();
    let short = dbf_field_names(&names, encoding)?;
    let renamed: Vec<FieldRename> = names
        .iter()
        .zip(&short)
        .filter(|(n, s)| *n != *s)
        .map(|(n, s)| FieldRename {
            original: n.to_string(),
            short: s.clone(),
        })
        .collect();
    let temp = dir.join(format!(".{stem}.writing-{}", std::process::id()));
    if temp.exists() {
        std::fs::remove_dir_all(&temp).map_err(|e| Error::io(&temp, e))?;
    }
    std::fs::create_dir_all(&temp).map_err(|e| Error::io(&temp, e))?;
    let result = (|| {
        let target = temp.join(format!("{stem}.shp"));
        let driver = gdal::DriverManager::get_driver_by_name("ESRI Shapefile")
            .map_err(|e| fail(format!("ESRI Shapefile driver missing: {e}")))?;
        let mut ds = driver
            .create_vector_only(&target)
            .map_err(|e| fail(e.to_string()))?;
        write_layer(
            &mut ds,
            path,
            layer,
            Table {
                name: &stem,
                field_names: Some(&short),
            },
            &crs.spatial_ref()?,
            &[encoding.gdal_option()],
        )?;
        super::ogr::reset_gdal_error();
        ds.close().map_err(|e| fail(e.to_string()))?;
        if let Some(msg) = super::ogr::take_gdal_failure() {
            return Err(fail(msg));
        }
        let cpg = temp.join(format!("{stem}.cpg"));
        std::fs::write(&cpg, encoding.cpg_text()).map_err(|e| Error::io(&cpg, e))?;
        let mapping = dir.join(format!("{stem}.fields.csv"));
        if !renamed.is_empty() {
            let mut text = String::from("\u{feff}短字段名 short,原字段名 original\n");
            for r in &renamed {
                text += &format!("{},{}\n", r.short, r.original);
            }
            let staged = temp.join(format!("{stem}.fields.csv"));
            std::fs::write(&staged, text).map_err(|e| Error::io(&staged, e))?;
        } else if mapping.exists() {
            // A mapping from an earlier export would describe fields this one does not have.
            std::fs::remove_file(&mapping).map_err(|e| Error::io(&mapping, e))?;
        }
        for entry in std::fs::read_dir(&temp).map_err(|e| Error::io(&temp, e))? {
            let from = entry.map_err(|e| Error::io(&temp, e))?.path();
            let to = dir.join(from.file_name().unwrap_or_default());
            std::fs::rename(&from, &to).map_err(|e| Error::io(&to, e))?;
        }
        Ok(ShapefileExport {
            mapping_file: (!renamed.is_empty()).then_some(mapping),
            renamed: renamed.clone(),
        })
    })();
    let _ = std::fs::remove_dir_all(&temp);
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_names_are_cut_at_characters_and_kept_unique() {
        let names = [
            "DLBM",
            "规划地类名称",
            "规划地类名称备注",
            "ZLDWMC_LONGNAME",
            "zldwmc_lon",
        ];
        let gbk = dbf_field_names(&names, ShapefileEncoding::Gbk).unwrap();
        assert_eq!(
            gbk,
            [
                "DLBM",
                "规划地类名",
                "规划地类_1",
                "ZLDWMC_LON",
                "zldwmc_l_1"
            ]
        );
        let utf8 = dbf_field_names(&names, ShapefileEncoding::Utf8).unwrap();
        assert_eq!(
            utf8,
            ["DLBM", "规划地", "规划_1", "ZLDWMC_LON", "zldwmc_l_1"]
        );
        for n in gbk {
            assert!(
                ShapefileEncoding::Gbk.bytes(&n).unwrap() <= DBF_NAME_BYTES,
                "{n}"
            );
        }
        // 𠀀 (U+20000) is not in GBK.
        let err = dbf_field_names(&["名称𠀀"], ShapefileEncoding::Gbk).unwrap_err();
        assert!(err.to_string().contains("--encoding utf-8"), "{err}");
    }

    #[test]
    fn encodings_parse_and_name_their_cpg() {
        assert_eq!(
            ShapefileEncoding::parse("GBK"),
            Some(ShapefileEncoding::Gbk)
        );
        assert_eq!(
            ShapefileEncoding::parse("cp936"),
            Some(ShapefileEncoding::Gbk)
        );
        assert_eq!(
            ShapefileEncoding::parse("UTF8"),
            Some(ShapefileEncoding::Utf8)
        );
        assert_eq!(ShapefileEncoding::parse("latin1"), None);
        assert_eq!(ShapefileEncoding::Gbk.cpg_text(), "936");
    }
}
