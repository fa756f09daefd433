//! Parcel accounting: how much land of each class a village has, counted as the survey
//! counts it (docs/domain.md §1.1).
//!
//! Each parcel of the current layer (三调 `DLBM`, or `JQDLBM` of a 基期地类图斑 layer) and of
//! the planned layer (`GHDLBM`) contributes its area on the chosen basis × (1 − f) to its
//! own class and × f to 田坎 (三调 1203; 用地用海 2023 2303), where f is the parcel's
//! deduction share ([`DeductionFields`]: `KCMJ / TBMJ`, else `KCXS`, else none). Nothing is
//! lost or added, so a village's classes still add up to the village's area.
//!
//! A parcel belongs to the village named by the first 12 characters of its 坐落单位代码
//! `ZLDWDM` (planned parcels may carry the village code as `CZDM` instead); a parcel
//! without a usable code goes to the village containing its interior point.
//!
//! *Performance*: the ellipsoidal areas are computed on all cores
//! ([`AreaMeasure::layer_areas`]), and so are each parcel's codes, deduction and village;
//! only the sums run in one pass, in parcel order. The interior-point lookup (rstar) only
//! runs for parcels without a code.

use std::collections::BTreeMap;

use geo::InteriorPoint;
use rayon::prelude::*;
use serde::Serialize;

use crate::analysis::areas::{AreaBasis, AreaMeasure, DeductionFields, DeductionRule};
use crate::error::{Error, Result};
use crate::model::admin::{AdminUnits, normalise_code};
use crate::model::{Layer, LayerRole, Project};

/// 三调 code of 田坎 (GB/T 21010—2017, 三调 working classification).
pub const SANDIAO_TERRACE: &str = "1203";
/// 用地用海 2023 code of 田坎.
pub const YDYH_TERRACE: &str = "2303";

/// Names of the land-use code column of a current-land-use layer, as delivered.
const CURRENT_CODE_FIELDS: &[&str] = &["DLBM", "JQDLBM"];
/// The planned layer's code column.
const PLANNED_CODE_FIELDS: &[&str] = &["GHDLBM"];
/// Columns holding the parcel's village: the 19-character 坐落单位代码, or a plain
/// village code on plan layers.
const VILLAGE_CODE_FIELDS: &[&str] = &["ZLDWDM", "CZDM"];
/// 城镇村属性码 values of land in towns: 201 城市, 202 建制镇 (and their A variants).
const TOWN_CZCSXM: &[&str] = &["201", "202", "201A", "202A"];

/// Which year of the plan a layer describes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Year {
    /// 规划基期年: the current land use (三调 codes).
    Base,
    /// 规划目标年: the planned land use (用地用海 2023 codes).
    Target,
}

impl Year {
    /// The Chinese name tables use.
    pub fn name_zh(self) -> &'static str {
        match self {
            Year::Base => "规划基期年",
            Year::Target => "规划目标年",
        }
    }

    /// The code that receives the deducted 田坎 in this year's classification.
    pub fn terrace_code(self) -> &'static str {
        match self {
            Year::Base => SANDIAO_TERRACE,
            Year::Target => YDYH_TERRACE,
        }
    }
}

/// A class as the tables need to tell it apart: its code and whether the land lies in a
/// town (base year: `CZCSXM` 201/202; target year: `SSBJLX = Z`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct ClassKey {
    /// The code as the layer holds it, trimmed and upper-cased (三调 or 用地用海 2023).
    pub code: String,
    /// True for land in a town (城镇用地).
    pub in_town: bool,
}

/// Area and parcel count of one class.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize)]
pub struct ClassSum {
    /// m² on the accounting's basis.
    pub area_m2: f64,
    /// Parcels contributing (a parcel with a deduction counts under its class and 田坎).
    pub parcels: usize,
}

/// What one village (or any sum of villages) has of each class in one year.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct ClassSums {
    /// Classes, by key.
    pub classes: BTreeMap<ClassKey, ClassSum>,
    /// Parcels counted.
    pub parcels: usize,
}

impl ClassSums {
    fn add(&mut self, key: ClassKey, area_m2: f64) {
        let sum = self.classes.entry(key).or_default();
        sum.area_m2 += area_m2;
        sum.parcels += 1;
    }

    /// Adds another village's sums (townships and the county are sums of villages, in m²).
    pub fn absorb(&mut self, other: &ClassSums) {
        for (key, sum) in &other.classes {
            let mine = self.classes.entry(key.clone()).or_default();
            mine.area_m2 += sum.area_m2;
            mine.parcels += sum.parcels;
        }
        self.parcels += other.parcels;
    }

    /// The total area (m²).
    pub fn total_m2(&self) -> f64 {
        self.classes.values().map(|s| s.area_m2).sum()
    }
}

/// The accounting of one land-use layer.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LayerAccount {
    /// The layer's display name.
    pub layer: String,
    /// Base or target year.
    pub year: Year,
    /// The code column read (`DLBM`, `JQDLBM`, `GHDLBM`).
    pub code_field: String,
    /// Parcels per deduction rule that held ([`DeductionRule`]).
    pub rules: BTreeMap<DeductionRule, usize>,
    /// Per village (12-digit code).
    pub villages: BTreeMap<String, ClassSums>,
    /// Parcels that lie in no village of the village layer (left out of every table).
    pub outside: ClassSums,
    /// What the planner must know about this layer (missing fields and what was assumed,
    /// parcels placed by location, parcels outside every village), one line each.
    pub notes: Vec<String>,
}

impl LayerAccount {
    /// The deduction rules that held, e.g. `扣除系数 KCXS：1 234 个图斑；无扣除字段，未扣除：56 个图斑`.
    pub fn rules_zh(&self) -> String {
        if self.rules.is_empty() {
            return "无图斑".into();
        }
        self.rules
            .iter()
            .map(|(rule, n)| format!("{}：{n} 个图斑", rule.describe_zh()))
            .collect::<Vec<_>>()
            .join("；")
    }

    /// The same in English.
    pub fn rules_en(&self) -> String {
        if self.rules.is_empty() {
            return "no parcels".into();
        }
        self.rules
            .iter()
            .map(|(rule, n)| format!("{}: {n} parcels", rule.describe_en()))
            .collect::<Vec<_>>()
            .join("; ")
    }
}

/// The parcels of a project, counted per village and class for both years.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ParcelAccounting {
    /// The basis of every area.
    pub basis: AreaBasis,
    /// The current land use (none when the project has no such layer).
    pub base: Option<LayerAccount>,
    /// The planned land use (none when the project has no plan yet).
    pub target: Option<LayerAccount>,
}

/// How parcels find their village: the village layer's codes, and its polygons for parcels
/// without a code.
pub struct VillageLocator<'a> {
    units: Option<AdminUnits<'a>>,
}

impl<'a> VillageLocator<'a> {
    /// From the project's village layer; without one, parcels are placed by code alone.
    pub fn new(project: &'a Project) -> Self {
        VillageLocator {
            units: AdminUnits::villages(project).ok(),
        }
    }

    /// The village of a feature: its code field's first 12 characters when the village
    /// layer knows the code (or there is no village layer), else the village containing its
    /// interior point. `None` when neither places it.
    pub fn village_of(&self, code: Option<&str>, geometry: Option<&geo::Geometry<f64>>) -> Place {
        let code = code.map(normalise_code).filter(|c| !c.is_empty());
        if let Some(code) = &code {
            match &self.units {
                None => return Place::ByCode(code.clone()),
                Some(units) if units.by_code(code).is_some() => return Place::ByCode(code.clone()),
                Some(_) => {}
            }
        }
        let located = self.units.as_ref().and_then(|units| {
            let point = geometry?.interior_point()?;
            units.containing(point.0).map(|u| u.code.clone())
        });
        match (located, code) {
            (Some(village), None) => Place::ByLocation(village),
            (Some(village), Some(unknown)) => Place::UnknownCode { unknown, village },
            (None, _) => Place::Nowhere,
        }
    }
}

/// Where a feature was placed, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Place {
    /// Its code names a village.
    ByCode(String),
    /// It has no code; its interior point lies in this village.
    ByLocation(String),
    /// Its code is not a village of the layer; its interior point lies in this one.
    UnknownCode {
        /// The code it carries.
        unknown: String,
        /// Where it lies.
        village: String,
    },
    /// No code and outside every village.
    Nowhere,
}

impl Place {
    /// The village, if any.
    pub fn village(&self) -> Option<&str> {
        match self {
            Place::ByCode(v) | Place::ByLocation(v) | Place::UnknownCode { village: v, .. } => {
                Some(v)
            }
            Place::Nowhere => None,
        }
    }
}

impl ParcelAccounting {
    /// Counts the current and the planned land-use layers of `project` on `basis`.
    pub fn of(project: &Project, basis: AreaBasis) -> Result<Self> {
        let measure = AreaMeasure::new(basis, project.crs);
        let locator = VillageLocator::new(project);
        let base = match project.layer_by_role(LayerRole::CurrentLandUse) {
            Some(layer) => Some(account_layer(layer, Year::Base, &measure, &locator)?),
            None => None,
        };
        let target = match project.layer_by_role(LayerRole::PlannedLandUse) {
            Some(layer) => Some(account_layer(layer, Year::Target, &measure, &locator)?),
            None => None,
        };
        Ok(ParcelAccounting {
            basis,
            base,
            target,
        })
    }

    /// The account of one year.
    pub fn year(&self, year: Year) -> Option<&LayerAccount> {
        match year {
            Year::Base => self.base.as_ref(),
            Year::Target => self.target.as_ref(),
        }
    }
}

fn first_field(layer: &Layer, names: &[&str]) -> Option<usize> {
    names.iter().find_map(|n| layer.field_index(n))
}

/// The text of a column, trimmed; `None` for NULL or blank.
fn text_at(layer: &Layer, position: usize, column: Option<usize>) -> Option<String> {
    let value = layer.features()[position].attributes.get(column?)?;
    let text = value.as_text()?.trim().to_string();
    (!text.is_empty()).then_some(text)
}

/// What one parcel brings to the sums, before its area.
struct Parcel {
    code: String,
    in_town: bool,
    fraction: f64,
    rule: DeductionRule,
    place: Place,
}

fn account_layer(
    layer: &Layer,
    year: Year,
    measure: &AreaMeasure,
    locator: &VillageLocator,
) -> Result<LayerAccount> {
    let accepted = match year {
        Year::Base => CURRENT_CODE_FIELDS,
        Year::Target => PLANNED_CODE_FIELDS,
    };
    let code_col = first_field(layer, accepted).ok_or_else(|| Error::MissingField {
        layer: layer.name.clone(),
        field: "land-use code".into(),
        accepted: accepted.join(", "),
    })?;
    let mut notes = Vec::new();
    let deduction = DeductionFields::of(layer);
    if deduction.none() {
        notes.push(format!(
            "图层“{}”没有 KCXS 字段，也没有 KCMJ 与 TBMJ 字段：未扣除田坎，图斑面积全部计入其地类 \
             (layer '{}' has no KCXS field and no KCMJ with TBMJ: no 田坎 deduction, each \
             parcel's whole area is counted under its class)",
            layer.name, layer.name
        ));
    }
    let village_col = first_field(layer, VILLAGE_CODE_FIELDS);
    if village_col.is_none() {
        notes.push(format!(
            "图层“{}”没有 ZLDWDM（或 CZDM）字段：图斑按其内点所在行政村归属 (layer '{}' has no \
             ZLDWDM or CZDM field: parcels are assigned to the village containing their \
             interior point)",
            layer.name, layer.name
        ));
    }
    let town_col = match year {
        Year::Base => layer.field_index("CZCSXM"),
        Year::Target => layer.field_index("SSBJLX"),
    };
    if town_col.is_none() {
        let field = match year {
            Year::Base => "CZCSXM",
            Year::Target => "SSBJLX",
        };
        notes.push(format!(
            "图层“{}”没有 {field} 字段：没有图斑计入城镇用地 (layer '{}' has no {field} field: \
             no parcel is counted as 城镇用地)",
            layer.name, layer.name
        ));
    }
    let areas = measure.layer_areas(layer)?;
    let mut account = LayerAccount {
        layer: layer.name.clone(),
        year,
        code_field: layer.fields()[code_col].name.clone(),
        rules: BTreeMap::new(),
        villages: BTreeMap::new(),
        outside: ClassSums::default(),
        notes,
    };
    // Codes, deduction and village of every parcel on all cores; the sums below stay in
    // parcel order, so they do not depend on the number of threads.
    let parcels: Vec<Result<Option<Parcel>>> = layer
        .features()
        .par_iter()
        .enumerate()
        .map(|(position, feature)| {
            let Some(geometry) = feature.geometry.as_ref() else {
                return Ok(None);
            };
            let code = text_at(layer, position, Some(code_col))
                .unwrap_or_default()
                .to_ascii_uppercase();
            let in_town = text_at(layer, position, town_col).is_some_and(|t| match year {
                Year::Base => TOWN_CZCSXM.contains(&t.to_ascii_uppercase().as_str()),
                Year::Target => t.eq_ignore_ascii_case("Z"),
            });
            let (fraction, rule) = deduction.fraction(layer, position)?;
            let place = locator.village_of(
                text_at(layer, position, village_col).as_deref(),
                Some(geometry),
            );
            Ok(Some(Parcel {
                code,
                in_town,
                fraction,
                rule,
                place,
            }))
        })
        .collect();
    let (mut located, mut unknown_codes, mut outside) = (0usize, BTreeMap::new(), 0usize);
    for (parcel, area) in parcels.into_iter().zip(&areas) {
        let Some(Parcel {
            code,
            in_town,
            fraction,
            rule,
            place,
        }) = parcel?
        else {
            continue;
        };
        *account.rules.entry(rule).or_default() += 1;
        let sums = match place {
            Place::Nowhere => {
                outside += 1;
                &mut account.outside
            }
            Place::ByLocation(village) => {
                located += 1;
                account.villages.entry(village).or_default()
            }
            Place::UnknownCode { unknown, village } => {
                *unknown_codes.entry(unknown).or_insert(0usize) += 1;
                account.villages.entry(village).or_default()
            }
            Place::ByCode(village) => account.villages.entry(village).or_default(),
        };
        sums.parcels += 1;
        sums.add(ClassKey { code, in_town }, area * (1.0 - fraction));
        if fraction > 0.0 {
            sums.add(
                ClassKey {
                    code: year.terrace_code().to_string(),
                    in_town,
                },
                area * fraction,
            );
        }
    }
    if located > 0 && village_col.is_some() {
        account.notes.push(format!(
            "图层“{}”有 {located} 个图斑没有村代码，按内点所在行政村归属 ({located} parcels of \
             layer '{}' have no village code and were assigned by their interior point)",
            layer.name, layer.name
        ));
    }
    if !unknown_codes.is_empty() {
        let list = unknown_codes
            .iter()
            .map(|(c, n)| format!("{c} ({n})"))
            .collect::<Vec<_>>()
            .join(", ");
        account.notes.push(format!(
            "图层“{}”的图斑带有行政村图层中没有的村代码，按内点所在行政村归属：{list} (parcels of \
             layer '{}' carry village codes the village layer does not have; assigned by their \
             interior point)",
            layer.name, layer.name
        ));
    }
    if outside > 0 {
        account.notes.push(format!(
            "图层“{}”有 {outside} 个图斑（{:.4} 公顷）不在任何行政村内，未计入表格 ({outside} \
             parcels of layer '{}' lie in no village and are left out of every table)",
            layer.name,
            account.outside.total_m2() / 10_000.0,
            layer.name
        ));
    }
    Ok(account)
}
