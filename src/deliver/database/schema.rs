//! The delivery database's structure as data (`assets/delivery/*.toml`, docs/domain.md §9):
//! a province's variant is a new file, not new code. See the bundled file's header for the
//! meaning of every key.

use std::collections::{BTreeMap, BTreeSet};

use serde::Deserialize;

use crate::analysis::tables::rows::parse_toml;
use crate::error::{Error, Result};
use crate::io::FieldType;
use crate::model::{GeometryKind, LayerRole};

const BUNDLED: &str = include_str!("../../../assets/delivery/default.toml");
const BUNDLED_NAME: &str = "assets/delivery/default.toml";

/// The whole structure: its name, where it comes from, its layers in delivery order.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DeliverySchema {
    pub name: String,
    pub source: String,
    #[serde(rename = "layer")]
    pub layers: Vec<LayerSpec>,
    /// Chinese names of other usual plan fields (the whole-plan GeoPackage's aliases).
    #[serde(default)]
    pub aliases: BTreeMap<String, String>,
}

/// One delivered layer.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LayerSpec {
    pub dataset: String,
    pub name: String,
    pub alias: String,
    pub geometry: SpecGeometry,
    pub ysdm: String,
    /// The project role whose layer fills it; `None`: always delivered empty.
    pub role: Option<LayerRole>,
    pub fields: Vec<FieldSpec>,
}

/// A delivered layer's geometry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SpecGeometry {
    Polygon,
    Line,
    Point,
}

impl SpecGeometry {
    pub fn kind(self) -> GeometryKind {
        match self {
            SpecGeometry::Polygon => GeometryKind::Polygon,
            SpecGeometry::Line => GeometryKind::Line,
            SpecGeometry::Point => GeometryKind::Point,
        }
    }
}

/// One delivered field.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FieldSpec {
    pub name: String,
    pub alias: String,
    #[serde(rename = "type")]
    pub code: TypeCode,
    pub length: Option<u32>,
    #[serde(default)]
    pub from: Vec<String>,
    pub compute: Option<Compute>,
    pub pad_to: Option<usize>,
}

/// §9's type letters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
pub enum TypeCode {
    C,
    D,
    F,
    I16,
}

/// A value the delivery computes instead of copying.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Compute {
    /// The 20-character 标识码.
    Bsm,
    /// The layer's 要素代码.
    Ysdm,
    /// The feature's area, m² to 2 decimals.
    Area,
}

impl FieldSpec {
    /// The stored type (a text's length checked by [`DeliverySchema::parse`]).
    pub fn field_type(&self) -> FieldType {
        match self.code {
            TypeCode::C => FieldType::Text(self.length.unwrap_or(255)),
            TypeCode::D => FieldType::Double,
            TypeCode::F => FieldType::Float32,
            TypeCode::I16 => FieldType::Int16,
        }
    }
}

impl DeliverySchema {
    /// The Chinese name of a field called `name` (case-insensitive): the structure's own
    /// field of that name, else the `[aliases]` table.
    pub fn alias_of(&self, name: &str) -> Option<&str> {
        let upper = name.to_ascii_uppercase();
        let in_layers = self.layers.iter().flat_map(|l| &l.fields);
        in_layers
            .map(|f| (f.name.as_str(), f.alias.as_str()))
            .chain(self.aliases.iter().map(|(k, v)| (k.as_str(), v.as_str())))
            .find(|(k, _)| *k == upper)
            .map(|(_, v)| v)
    }

    /// The bundled structure (docs/domain.md §9).
    pub fn bundled() -> Result<Self> {
        Self::parse(BUNDLED, BUNDLED_NAME)
    }

    /// Reads a structure file; `source` names it in errors. Refuses what would make a
    /// broken database: a text field without a length, a name given twice, a value that
    /// comes from nowhere.
    pub fn parse(text: &str, source: &str) -> Result<Self> {
        let schema: DeliverySchema = parse_toml(text, source)?;
        let bad = |detail: String| Error::Table {
            source_name: source.to_string(),
            line: 0,
            detail,
        };
        let mut layers = BTreeSet::new();
        for layer in &schema.layers {
            if !layers.insert(layer.name.as_str()) {
                return Err(bad(format!("layer {} is given twice", layer.name)));
            }
            let mut fields = BTreeSet::new();
            for f in &layer.fields {
                let at = format!("layer {}, field {}", layer.name, f.name);
                if !fields.insert(f.name.as_str()) {
                    return Err(bad(format!("{at} is given twice")));
                }
                if f.code == TypeCode::C && f.length.is_none_or(|n| n == 0) {
                    return Err(bad(format!("{at}: a text field (C) needs a length")));
                }
                if f.code != TypeCode::C && f.length.is_some() {
                    return Err(bad(format!("{at}: only text fields (C) have a length")));
                }
                if f.from.is_empty() && f.compute.is_none() {
                    return Err(bad(format!("{at}: neither `from` nor `compute`")));
                }
                let numeric = matches!(f.code, TypeCode::D | TypeCode::F);
                match f.compute {
                    Some(Compute::Area) if !numeric => {
                        return Err(bad(format!("{at}: an area must be D or F")));
                    }
                    Some(Compute::Bsm | Compute::Ysdm) if f.code != TypeCode::C => {
                        return Err(bad(format!("{at}: a code must be text (C)")));
                    }
                    _ => {}
                }
            }
        }
        Ok(schema)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bundled_structure_has_the_eight_layers_of_domain_9() {
        let schema = DeliverySchema::bundled().unwrap();
        let names: Vec<&str> = schema.layers.iter().map(|l| l.name.as_str()).collect();
        assert_eq!(
            names,
            [
                "CJDCQ",
                "CJDCQJX",
                "JQDLTB",
                "GGJCSSD",
                "GHDLTB",
                "GHGGJCSSD",
                "GKBJ",
                "LSWHBHQ"
            ]
        );
        let jqdltb = &schema.layers[2];
        assert_eq!(jqdltb.ysdm, "2003010100");
        assert_eq!(jqdltb.fields.len(), 19);
        let kcxs = jqdltb.fields.iter().find(|f| f.name == "KCXS").unwrap();
        assert_eq!(kcxs.field_type(), FieldType::Float32);
    }

    #[test]
    fn a_text_field_without_length_is_refused_with_its_place() {
        let text = r#"
name = "x"
source = "y"
[[layer]]
dataset = "D"
name = "L"
alias = "层"
geometry = "point"
ysdm = "1"
fields = [{ name = "BSM", alias = "标识码", type = "C", compute = "bsm" }]
"#;
        let err = DeliverySchema::parse(text, "mine.toml")
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("mine.toml") && err.contains("layer L, field BSM"),
            "{err}"
        );
    }
}
