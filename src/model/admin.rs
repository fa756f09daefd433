//! The administrative units of a plan — the 行政村 of the 行政村界 layer and the 乡镇 of the
//! 乡镇界 layer — read once, the same way, by everything that names a village or a township:
//! the classification, the checks, the drafts and the window's search box.
//!
//! Counties name their columns differently (`XZQDM` in the 三调 database, `CUNDM`, `村代码`
//! in others), so a reader that accepted only `XZQDM` would classify a layer that another
//! part of the program cannot find. [`CODE_FIELDS`] and [`NAME_FIELDS`] are the names every
//! reader here accepts, first match in list order.

use std::collections::{BTreeMap, HashMap};

use geo::{Contains, Coord, Geometry, Point};

use super::{Layer, LayerRole, Project};
use crate::error::{Error, Result};

/// Names of the administrative code column (matched without ASCII case), in preference order.
pub const CODE_FIELDS: &[&str] = &[
    "XZQDM",
    "CUNDM",
    "CJDM",
    "VILLAGE_CODE",
    "CODE",
    "村代码",
    "行政村代码",
    "村庄代码",
    "行政区代码",
    "村级代码",
];

/// Names of the name column (matched without ASCII case), in preference order.
pub const NAME_FIELDS: &[&str] = &["XZQMC", "CUNMC", "村名称", "行政村名称", "村庄名称", "NAME"];

/// Digits of a village code (GB/T 2260 county + 乡镇 + 村, docs/domain.md §1).
const VILLAGE_DIGITS: usize = 12;
/// Digits of a township code (its village codes' first nine).
const TOWNSHIP_DIGITS: usize = 9;

/// A village code as the other tables key it: trimmed and kept to its first 12 characters
/// (a 坐落单位代码 `ZLDWDM` has 19: the village's code followed by the 组).
pub fn normalise_code(raw: &str) -> String {
    raw.trim().chars().take(VILLAGE_DIGITS).collect()
}

/// What a map or a search shows of an official name: `鲁史村民委员会` → `鲁史村`,
/// `龙泉社区居民委员会` → `龙泉社区`.
pub fn short_name(name: &str) -> String {
    name.replace("村民委员会", "村").replace("居民委员会", "")
}

/// One village or township: a feature of its layer with a code.
#[derive(Debug, Clone, PartialEq)]
pub struct AdminUnit {
    /// Position of the feature in the layer.
    pub position: usize,
    /// The feature id (stable across save/load).
    pub feature_id: i64,
    /// 12-digit village code, or 9-digit township code.
    pub code: String,
    /// The name (empty when the layer has no name column or the feature no name).
    pub name: String,
}

/// The units of one layer, in layer order, and how to find one.
#[derive(Debug, Clone)]
pub struct AdminUnits<'a> {
    /// The 行政村界 or 乡镇界 layer.
    pub layer: &'a Layer,
    /// Every feature with a code, in layer order (a code that appears twice is listed twice;
    /// [`AdminUnits::by_code`] finds the first).
    pub list: Vec<AdminUnit>,
    /// What the planner must know: features without a code (left out), repeated codes.
    pub warnings: Vec<String>,
    /// Code → index in `list` of its first unit.
    by_code: HashMap<String, usize>,
    /// Layer position → index in `list`.
    by_position: HashMap<usize, usize>,
}

impl<'a> AdminUnits<'a> {
    /// The villages of the project's 行政村界 layer ([`LayerRole::Village`]), with 12-digit
    /// codes. [`Error::MissingLayer`] naming the project when there is none,
    /// [`Error::MissingField`] naming the layer and [`CODE_FIELDS`] when it has no code column.
    pub fn villages(project: &'a Project) -> Result<Self> {
        Self::read(project, LayerRole::Village, "village", VILLAGE_DIGITS)
    }

    /// The townships of the project's 乡镇界 layer ([`LayerRole::Township`]), with 9-digit
    /// codes (a 12-digit code there is cut to its first nine); errors as for
    /// [`AdminUnits::villages`].
    pub fn townships(project: &'a Project) -> Result<Self> {
        Self::read(project, LayerRole::Township, "township", TOWNSHIP_DIGITS)
    }

    fn read(project: &'a Project, role: LayerRole, what: &str, digits: usize) -> Result<Self> {
        let layer = project.required_layer(role)?;
        let column = |names: &[&str]| names.iter().find_map(|n| layer.field_index(n));
        let code_col = column(CODE_FIELDS).ok_or_else(|| Error::MissingField {
            layer: layer.name.clone(),
            field: format!("{what} code"),
            accepted: CODE_FIELDS.join(", "),
        })?;
        let name_col = column(NAME_FIELDS);
        let text = |f: &super::Feature, col: usize| {
            f.attributes
                .get(col)
                .and_then(|v| v.as_text())
                .map(|t| t.trim().to_string())
                .unwrap_or_default()
        };
        let mut units = AdminUnits {
            layer,
            list: Vec::new(),
            warnings: Vec::new(),
            by_code: HashMap::new(),
            by_position: HashMap::new(),
        };
        let code_field = &layer.fields()[code_col].name;
        for (position, f) in layer.features().iter().enumerate() {
            let code: String = normalise_code(&text(f, code_col))
                .chars()
                .take(digits)
                .collect();
            if code.is_empty() {
                units.warnings.push(format!(
                    "layer '{}', feature {}: no {what} code ({code_field}); left out",
                    layer.name, f.id
                ));
                continue;
            }
            let index = units.list.len();
            match units.by_code.get(&code) {
                Some(&first) => units.warnings.push(format!(
                    "layer '{}', feature {}: {what} code {code} appears twice; only the first \
                     (feature {}) is used",
                    layer.name, f.id, units.list[first].feature_id
                )),
                None => {
                    units.by_code.insert(code.clone(), index);
                }
            }
            units.by_position.insert(position, index);
            units.list.push(AdminUnit {
                position,
                feature_id: f.id,
                code,
                name: name_col.map(|c| text(f, c)).unwrap_or_default(),
            });
        }
        Ok(units)
    }

    /// The unit with `code` (the first, if the code repeats).
    pub fn by_code(&self, code: &str) -> Option<&AdminUnit> {
        self.by_code.get(code.trim()).map(|&i| &self.list[i])
    }

    /// The unit of the feature at `position` of the layer, if it has a code.
    pub fn at_position(&self, position: usize) -> Option<&AdminUnit> {
        self.by_position.get(&position).map(|&i| &self.list[i])
    }

    /// What the search box finds for `query`: the unit with that code, else the first whose
    /// name is the query, else the first whose name starts with it, else the first whose
    /// short name ([`short_name`]: `鲁史村` for `鲁史村民委员会`) is the query.
    pub fn find(&self, query: &str) -> Option<&AdminUnit> {
        let q = query.trim();
        if q.is_empty() {
            return None;
        }
        self.by_code(q)
            .or_else(|| self.list.iter().find(|u| u.name == q))
            .or_else(|| self.list.iter().find(|u| u.name.starts_with(q)))
            .or_else(|| self.list.iter().find(|u| short_name(&u.name) == q))
    }

    /// The unit whose polygon contains `at` (working CRS), found through the layer's spatial
    /// index; the first in layer order where units overlap.
    pub fn containing(&self, at: Coord<f64>) -> Option<&AdminUnit> {
        let point = Point::from(at);
        let mut candidates: Vec<usize> = self
            .layer
            .index()
            .query([at.x, at.y], [at.x, at.y])
            .collect();
        candidates.sort_unstable();
        candidates
            .into_iter()
            .filter_map(|position| self.at_position(position))
            .find(|unit| self.geometry(unit).is_some_and(|g| g.contains(&point)))
    }

    /// The unit's geometry (working CRS).
    pub fn geometry(&self, unit: &AdminUnit) -> Option<&Geometry<f64>> {
        self.layer.features().get(unit.position)?.geometry.as_ref()
    }
}

/// Township names by 9-digit code, from the 乡镇界 layer; empty when the project has no
/// readable one (a village's township is then shown by its code).
pub fn township_names(project: &Project) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    if let Ok(townships) = AdminUnits::townships(project) {
        for unit in &townships.list {
            out.entry(unit.code.clone())
                .or_insert_with(|| unit.name.clone());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::crs::WorkingCrs;
    use crate::model::{AttrValue, Feature, FieldDef, FieldKind};
    use geo::wkt;

    fn square(x: f64) -> Geometry<f64> {
        let p: geo::Polygon<f64> = wkt!(POLYGON((0. 0.,10. 0.,10. 10.,0. 10.,0. 0.)));
        Geometry::Polygon(geo::Translate::translate(&p, x, 0.0))
    }

    fn project(role: LayerRole, fields: [&str; 2], rows: &[(&str, &str)]) -> Project {
        let features = rows
            .iter()
            .enumerate()
            .map(|(i, (code, name))| Feature {
                id: i as i64 + 1,
                geometry: Some(square(20.0 * i as f64)),
                attributes: vec![AttrValue::text(*code), AttrValue::text(*name)],
            })
            .collect();
        let fields = fields
            .iter()
            .map(|f| FieldDef::new(*f, FieldKind::Text))
            .collect();
        let mut p = Project::new("凤庆", WorkingCrs::from_epsg(4542).unwrap());
        p.add_layer(Layer::new("cun", "行政村", role, fields, features));
        p
    }

    #[test]
    fn codes_names_and_the_search_box() {
        let p = project(
            LayerRole::Village,
            ["cundm", "CUNMC"],
            &[
                (" 530921101201 ", "鲁史村民委员会"),
                ("", "无代码村"),
                ("530921101202", "龙泉社区居民委员会"),
                ("5309211012030001", "鲁史镇中心村"),
            ],
        );
        let units = AdminUnits::villages(&p).unwrap();
        let codes: Vec<&str> = units.list.iter().map(|u| u.code.as_str()).collect();
        assert_eq!(codes, ["530921101201", "530921101202", "530921101203"]);
        assert_eq!(units.list[1].position, 2);
        assert_eq!(units.list[1].feature_id, 3);
        assert!(
            units.warnings[0].contains("feature 2"),
            "{:?}",
            units.warnings
        );
        let found = |q: &str| units.find(q).map(|u| u.code.as_str());
        assert_eq!(found("530921101202"), Some("530921101202"));
        assert_eq!(
            found("鲁史镇中心村"),
            Some("530921101203"),
            "exact name first"
        );
        assert_eq!(found("鲁史"), Some("530921101201"), "then a prefix");
        assert_eq!(found("龙泉社区"), Some("530921101202"));
        assert_eq!(found("鲁史村"), Some("530921101201"));
        assert_eq!(found("  "), None);
        assert_eq!(found("昆明"), None);
        let at = |x: f64| {
            units
                .containing(Coord { x, y: 5.0 })
                .map(|u| u.code.as_str())
        };
        assert_eq!(at(45.0), Some("530921101202"));
        assert_eq!(at(25.0), None, "the feature without a code is no unit");
        assert_eq!(at(15.0), None);
        let unit = units.by_code("530921101201").unwrap();
        assert_eq!(units.geometry(unit), Some(&square(0.0)));
    }

    #[test]
    fn repeated_codes_find_the_first_and_townships_have_nine_digits() {
        let p = project(
            LayerRole::Township,
            ["XZQDM", "XZQMC"],
            &[("530921101000", "鲁史镇"), ("530921101", "鲁史镇（重）")],
        );
        let towns = AdminUnits::townships(&p).unwrap();
        assert_eq!(towns.list.len(), 2);
        assert_eq!(towns.by_code("530921101").map(|u| u.position), Some(0));
        assert!(towns.warnings[0].contains("appears twice"));
        assert_eq!(
            township_names(&p).get("530921101").map(String::as_str),
            Some("鲁史镇")
        );
        assert!(AdminUnits::villages(&p).is_err());
    }

    #[test]
    fn errors_name_the_project_or_the_layer_and_the_accepted_fields() {
        let p = project(LayerRole::Township, ["XZQDM", "XZQMC"], &[]);
        let err = AdminUnits::villages(&p).unwrap_err();
        assert!(matches!(err, Error::MissingLayer { .. }), "{err}");
        assert!(err.to_string().contains("凤庆"), "{err}");
        let p = project(LayerRole::Village, ["DM", "MC"], &[("1", "a")]);
        let err = AdminUnits::villages(&p).unwrap_err();
        assert!(matches!(err, Error::MissingField { .. }), "{err}");
        let message = err.to_string();
        assert!(
            message.contains("行政村") && message.contains("CUNDM"),
            "{message}"
        );
        assert_eq!(short_name("鲁史村民委员会"), "鲁史村");
        assert_eq!(normalise_code(" 5309211012011234567 "), "530921101201");
    }
}
