//! The villages being classified: the project's 行政村界 features as the shared reader
//! ([`crate::model::admin`]) finds them, with their townships, polygons and attribute
//! indicators (layer values, then the joined table).

use std::collections::BTreeMap;

use geo::{Area, Contains, Geometry, InteriorPoint, MultiPolygon};

use super::attributes::{indicator_for_column, parse_cell};
use super::indicators::IndicatorValues;
use super::table::VillageTable;
use crate::error::Result;
use crate::geometry::as_multipolygon;
use crate::model::admin::{AdminUnits, township_names};
use crate::model::{Layer, Project};

/// One village to classify.
#[derive(Debug, Clone)]
pub struct Village {
    /// Position of the feature in the village layer.
    pub feature_index: usize,
    /// The feature id (stable across save/load).
    pub feature_id: i64,
    /// 12-digit code (`XZQDM` or another of [`crate::model::admin::CODE_FIELDS`]).
    pub code: String,
    /// Name (`XZQMC` or another of [`crate::model::admin::NAME_FIELDS`]).
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
    /// Collects the villages of `project` (the shared reader, [`AdminUnits::villages`]),
    /// joining `table` by code.
    pub fn collect(project: &'a Project, table: Option<&VillageTable>) -> Result<Villages<'a>> {
        let units = AdminUnits::villages(project)?;
        let layer = units.layer;
        let attribute_cols: Vec<(usize, super::indicators::Indicator)> = layer
            .fields()
            .iter()
            .enumerate()
            .filter_map(|(i, f)| indicator_for_column(&f.name).map(|ind| (i, ind)))
            .collect();
        let townships = township_names(project);
        let mut warnings = units.warnings.clone();
        let mut list: Vec<Village> = Vec::new();
        let mut by_code = BTreeMap::new();
        for unit in &units.list {
            // A repeated code: the reader has said so; only the first is classified.
            if by_code.contains_key(&unit.code) {
                continue;
            }
            let f = &layer.features()[unit.position];
            let (code, what) = (
                &unit.code,
                format!("layer '{}', feature {}", layer.name, f.id),
            );
            let Some(area) = units.geometry(unit).and_then(as_multipolygon) else {
                warnings.push(format!("{what} ({code}): not a polygon, not classified"));
                continue;
            };
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
            if let Some(row) = table.and_then(|t| t.rows.get(code)) {
                attributes.extend(row.iter().map(|(k, v)| (*k, *v)));
            }
            let township_code: String = code.chars().take(9).collect();
            let township = townships
                .get(&township_code)
                .cloned()
                .unwrap_or(township_code);
            by_code.insert(code.clone(), list.len());
            list.push(Village {
                feature_index: unit.position,
                feature_id: unit.feature_id,
                name: unit.name.clone(),
                township,
                area_m2: area.unsigned_area(),
                area,
                attributes,
                code: code.clone(),
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
