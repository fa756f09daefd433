//! Which part of the county a package holds: all of it, or one village — and which
//! features of a county-wide layer are that village's.
//!
//! A feature is the village's when its 坐落单位代码 `ZLDWDM` (or a plan layer's `CZDM`)
//! names the village, as the tables count parcels (docs/domain.md §1.1); a feature without
//! such a code (the red line, a control zone, a road) when it touches the village's
//! polygon, so a reviewer of the village sees every constraint that reaches into it; the
//! village layer itself holds only the village.

use geo::{BoundingRect, Geometry, Intersects};

use crate::error::{Error, Result};
use crate::model::admin::{AdminUnits, CODE_FIELDS, normalise_code};
use crate::model::{Layer, LayerRole, Project};

/// Columns naming a feature's village (the first 12 characters are the village code).
const VILLAGE_CODE_FIELDS: &[&str] = &["ZLDWDM", "CZDM"];

/// The village a package is restricted to.
#[derive(Debug, Clone)]
pub struct Village {
    /// 12-digit code.
    pub code: String,
    /// Name from the village layer (may be empty).
    pub name: String,
    geometry: Option<Geometry<f64>>,
}

impl Village {
    /// The village with `code` in the project's village layer; [`Error::NoVillage`] naming
    /// the layer and the code when there is none.
    pub fn find(project: &Project, code: &str) -> Result<Village> {
        let units = AdminUnits::villages(project)?;
        let wanted = normalise_code(code);
        let unit = units.by_code(&wanted).ok_or_else(|| Error::NoVillage {
            layer: units.layer.name.clone(),
            code: code.trim().to_string(),
        })?;
        Ok(Village {
            code: unit.code.clone(),
            name: unit.name.clone(),
            geometry: units.geometry(unit).cloned(),
        })
    }

    /// Positions of the features of `layer` that are this village's (see the module docs).
    pub fn positions(&self, layer: &Layer) -> Vec<usize> {
        let code_column = if layer.role == LayerRole::Village {
            CODE_FIELDS.iter().find_map(|n| layer.field_index(n))
        } else {
            VILLAGE_CODE_FIELDS
                .iter()
                .find_map(|n| layer.field_index(n))
        };
        let touching = self.touching(layer);
        (0..layer.features().len())
            .filter(|&i| {
                let code = code_column
                    .and_then(|c| layer.features()[i].attributes.get(c))
                    .and_then(|v| v.as_text())
                    .map(|t| normalise_code(&t))
                    .filter(|c| !c.is_empty());
                match code {
                    Some(code) => code.starts_with(&self.code),
                    None if layer.role == LayerRole::Village => false,
                    None => touching.binary_search(&i).is_ok(),
                }
            })
            .collect()
    }

    /// Positions (sorted) of the features whose geometry touches the village's polygon.
    fn touching(&self, layer: &Layer) -> Vec<usize> {
        let Some(village) = &self.geometry else {
            return Vec::new();
        };
        let Some(bbox) = village.bounding_rect() else {
            return Vec::new();
        };
        let (min, max) = (bbox.min(), bbox.max());
        let mut found: Vec<usize> = layer
            .index()
            .query([min.x, min.y], [max.x, max.y])
            .filter(|&i| {
                layer.features()[i]
                    .geometry
                    .as_ref()
                    .is_some_and(|g| g.intersects(village))
            })
            .collect();
        found.sort_unstable();
        found
    }
}
