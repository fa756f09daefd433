//! The villages being classified: the project's 行政村界 features with their codes, names,
//! townships, polygons and attribute indicators (layer values, then the joined table).

use std::collections::BTreeMap;

use geo::{Area, Contains, Geometry, InteriorPoint, MultiPolygon};

use super::attributes::{NAME_NAMES, indicator_for_column, parse_cell, village_code};
use super::indicators::IndicatorValues;
use super::table::VillageTable;
use crate::error::{Error, Result};
use crate::geometry::as_multipolygon;
use crate::model::{Layer, LayerRole, Project};

/// One village to classify.
#[derive(Debug, Clone)]
pub struct Village {
    /// Position of the feature in the village layer.
    pub feature_index: usize,
    /// The feature id (stable across save/load).
    pub feature_id: i64,
    /// 12-digit code (`XZQDM`).
    pub code: String,
    /// Name (`XZQMC`).
    pub name: String,
    /// Township name (township layer, by the code's first 9 digits), else its code.
    pub township: String,
    /// The village polygon in the working CRS.
    pub area: MultiPolygon,
    /// Planar area in m².
    pub area_m2: f64,
    /// Attribute indicators (layer, overridden by the table where the table has a value).
    pub attributes: IndicatorValues,
}

/// The villages of a project and how to find a village by code or position.
#[derive(Debug)]
pub struct Villages<'a> {
    /// The 行政村界 layer.
    pub layer: &'a Layer,
    /// Villages with a code and a polygon, in layer order.
    pub list: Vec<Village>,
    /// Code → position in `list`.
    pub by_code: BTreeMap<String, usize>,
    /// Layer feature position → position in `list`.
    by_feature: Vec<Option<usize>>,
    /// Things the planner must know (features skipped, table rows unmatched).
    pub warnings: Vec<String>,
}

impl<'a> Villages<'a> {
    /// Collects the villages of `project`, joining `table` by code.
    pub fn collect(project: &'a Project, table: Option<&VillageTable>) -> Result<Villages<'a>> {
        let layer = project.layer_by_role(LayerRole::Village).ok_or_else(|| {
            Error::Invalid(format!(
                "project '{}' has no 行政村界 (village) layer to classify",
                project.name
            ))
        })?;
        let code_col = layer.field_index("XZQDM").ok_or_else(|| {
            Error::Invalid(format!(
                "layer '{}' has no XZQDM (12-digit village code) field",
                layer.name
            ))
        })?;
        let name_col = NAME_NAMES.iter().find_map(|n| layer.field_index(n));
        let attribute_cols: Vec<(usize, super::indicators::Indicator)> = layer
            .fields()
            .iter()
            .enumerate()
            .filter_map(|(i, f)| indicator_for_column(&f.name).map(|ind| (i, ind)))
            .collect();
        let townships = township_names(project);
        let mut warnings = Vec::new();
        let mut list: Vec<Village> = Vec::new();
        let mut by_code = BTreeMap::new();
        for (i, f) in layer.features().iter().enumerate() {
            let what = format!("layer '{}', feature {}", layer.name, f.id);
            let code = f.attributes[code_col]
                .as_text()
                .map(|c| village_code(&c))
                .unwrap_or_default();
            if code.is_empty() {
                warnings.push(format!("{what}: no XZQDM, not classified"));
                continue;
            }
            let Some(area) = f.geometry.as_ref().and_then(as_multipolygon) else {
                warnings.push(format!("{what} ({code}): not a polygon, not classified"));
                continue;
            };
            if by_code.contains_key(&code) {
                warnings.push(format!(
                    "{what}: village code {code} appears twice; only the first is classified"
                ));
                continue;
            }
            let mut attributes = IndicatorValues::new();
            for &(col, ind) in &attribute_cols {
                let text = f.attributes[col].as_text().unwrap_or_default();
                match parse_cell(ind, &text) {
                    Ok(Some(v)) => {
                        attributes.insert(ind, v);
                    }
                    Ok(None) => {}
                    Err(e) => warnings.push(format!(
                        "{what} ({code}), field '{}': {e}; treated as unknown",
                        layer.fields()[col].name
                    )),
                }
            }
            if let Some(row) = table.and_then(|t| t.rows.get(&code)) {
                attributes.extend(row.iter().map(|(k, v)| (*k, *v)));
            }
            let township = townships
                .get(&code.chars().take(9).collect::<String>())
                .cloned()
                .unwrap_or_else(|| code.chars().take(9).collect());
            by_code.insert(code.clone(), list.len());
            list.push(Village {
                feature_index: i,
                feature_id: f.id,
                name: name_col
                    .and_then(|c| f.attributes[c].as_text())
                    .map(|n| n.into_owned())
                    .unwrap_or_default(),
                township,
                area_m2: area.unsigned_area(),
                area,
                attributes,
                code,
            });
        }
        if let Some(t) = table {
            let unmatched: Vec<&str> = t
                .rows
                .keys()
                .filter(|c| !by_code.contains_key(*c))
                .map(String::as_str)
                .collect();
            if !unmatched.is_empty() {
                warnings.push(format!(
                    "{}: {} row(s) match no village in layer '{}': {}",
                    t.source,
                    unmatched.len(),
                    layer.name,
                    unmatched.join(", ")
                ));
            }
            if !t.ignored_columns.is_empty() {
                warnings.push(format!(
                    "{}: columns not used: {}",
                    t.source,
                    t.ignored_columns.join(", ")
                ));
            }
        }
        let mut by_feature = vec![None; layer.features().len()];
        for (v, village) in list.iter().enumerate() {
            by_feature[village.feature_index] = Some(v);
        }
        Ok(Villages {
            layer,
            list,
            by_code,
            by_feature,
            warnings,
        })
    }

    /// The village containing `geometry`'s interior point (for features without a code).
    pub fn containing(&self, geometry: &Geometry) -> Option<usize> {
        let p = geometry.interior_point()?;
        self.layer
            .index()
            .query([p.x(), p.y()], [p.x(), p.y()])
            .filter_map(|fi| self.by_feature.get(fi).copied().flatten())
            .find(|&v| self.list[v].area.contains(&p))
    }
}

/// Township names by 9-digit code from the 乡镇界 layer.
fn township_names(project: &Project) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    if let Some(layer) = project.layer_by_role(LayerRole::Township)
        && let (Some(code), Some(name)) = (layer.field_index("XZQDM"), layer.field_index("XZQMC"))
    {
        for f in layer.features() {
            if let (Some(c), Some(n)) = (f.attributes[code].as_text(), f.attributes[name].as_text())
            {
                out.insert(village_code(&c).chars().take(9).collect(), n.into_owned());
            }
        }
    }
    out
}
