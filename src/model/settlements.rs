//! The settlements the demonstration tools name by point: township seats (乡镇驻地), through
//! which a 示范线 is routed, and natural villages (自然村), the units of 美丽村庄
//! (docs/domain.md §8.4). Both are point layers, found by role ([`LayerRole::TownshipSeat`],
//! [`LayerRole::NaturalVillage`]) and read through the field names counties use.
//!
//! *Seat names*: a seat is found by its township's code, its full name or its short name —
//! the name without 镇 / 乡 / 街道 and without the ethnic groups of a 民族乡, so that 小湾 is
//! 小湾镇 and 新华 and 新华乡 are 新华彝族苗族乡. A seat carries the name written in its own
//! layer and, through the township it lies in, the township's official name and code, so
//! either spelling finds it.

use std::collections::HashMap;

use geo::{Coord, Geometry};

use super::admin::{AdminUnits, CODE_FIELDS, NAME_FIELDS};
use super::{AttrValue, Layer, LayerRole, Project};
use crate::error::{Error, Result};

/// The 55 ethnic minorities of China (GB/T 3304 民族名称), without 族: what the name of a
/// 民族乡 carries between its place name and 乡 (新华**彝族苗族**乡).
const ETHNIC_GROUPS: &[&str] = &[
    "蒙古",
    "回",
    "藏",
    "维吾尔",
    "苗",
    "彝",
    "壮",
    "布依",
    "朝鲜",
    "满",
    "侗",
    "瑶",
    "白",
    "土家",
    "哈尼",
    "哈萨克",
    "傣",
    "黎",
    "傈僳",
    "佤",
    "畲",
    "高山",
    "拉祜",
    "水",
    "东乡",
    "纳西",
    "景颇",
    "柯尔克孜",
    "土",
    "达斡尔",
    "仫佬",
    "羌",
    "布朗",
    "撒拉",
    "毛南",
    "仡佬",
    "锡伯",
    "阿昌",
    "普米",
    "塔吉克",
    "怒",
    "乌孜别克",
    "俄罗斯",
    "鄂温克",
    "德昂",
    "保安",
    "裕固",
    "京",
    "塔塔尔",
    "独龙",
    "鄂伦春",
    "赫哲",
    "门巴",
    "珞巴",
    "基诺",
];

/// Words after a township's name that a seat's label may carry (小湾镇人民政府).
const SEAT_SUFFIXES: &[&str] = &["人民政府驻地", "人民政府", "政府驻地", "政府", "驻地"];

/// The place name of a township: `新华彝族苗族乡` → `新华`, `小湾镇` → `小湾`, `凤山街道` →
/// `凤山`. A name that would become empty is kept as it is.
pub fn township_core_name(name: &str) -> String {
    let mut n = name.trim();
    for suffix in SEAT_SUFFIXES {
        if let Some(rest) = n.strip_suffix(suffix) {
            n = rest;
            break;
        }
    }
    for suffix in ["街道办事处", "街道", "民族乡", "镇", "乡"] {
        if let Some(rest) = n.strip_suffix(suffix) {
            n = rest;
            break;
        }
    }
    // Ethnic groups, last first: 郭大寨彝族白族 → 郭大寨彝族 → 郭大寨.
    while let Some(rest) = n.strip_suffix('族') {
        match ETHNIC_GROUPS.iter().find_map(|g| rest.strip_suffix(g)) {
            Some(place) if !place.is_empty() => n = place,
            _ => break,
        }
    }
    if n.is_empty() {
        name.trim().to_string()
    } else {
        n.to_string()
    }
}

/// The first column of `layer` named as one of `names` (ASCII case ignored).
fn column(layer: &Layer, names: &[&str]) -> Option<usize> {
    names.iter().find_map(|n| layer.field_index(n))
}

fn text_at(layer: &Layer, position: usize, col: Option<usize>) -> String {
    col.and_then(|c| layer.features()[position].attributes.get(c))
        .and_then(AttrValue::as_text)
        .map(|t| t.trim().to_string())
        .unwrap_or_default()
}

/// The point of a point or multipoint geometry (its first point).
fn point_of(geometry: Option<&Geometry<f64>>) -> Option<Coord<f64>> {
    match geometry? {
        Geometry::Point(p) => Some(p.0),
        Geometry::MultiPoint(m) => m.0.first().map(|p| p.0),
        _ => None,
    }
}

/// One township seat.
#[derive(Debug, Clone, PartialEq)]
pub struct TownshipSeat {
    /// Feature id in the seat layer.
    pub feature_id: i64,
    /// Where the seat is (working CRS).
    pub point: Coord<f64>,
    /// The name in the seat layer (may be empty).
    pub name: String,
    /// The 9-digit township code: the seat layer's own, else the township the point lies in.
    pub code: Option<String>,
    /// The township's official name from the 乡镇界 layer, when the code is known there.
    pub township: Option<String>,
}

impl TownshipSeat {
    /// What a message calls the seat: the official name when known, else the layer's.
    pub fn label(&self) -> &str {
        self.township.as_deref().unwrap_or(&self.name)
    }

    fn names(&self) -> impl Iterator<Item = &str> {
        std::iter::once(self.name.as_str())
            .chain(self.township.as_deref())
            .filter(|n| !n.is_empty())
    }
}

/// The township seats of a project.
#[derive(Debug, Clone)]
pub struct TownshipSeats<'a> {
    /// The seat layer.
    pub layer: &'a Layer,
    /// Every seat with a point, in layer order.
    pub list: Vec<TownshipSeat>,
}

/// Names of the seat layer's own name column, tried before [`NAME_FIELDS`] (which in a
/// seat layer may name the village the seat lies in, as the sample's `XZQMC` does).
const SEAT_NAME_FIELDS: &[&str] = &["ZDMC", "驻地名称", "乡镇名称", "MC", "名称"];
/// Names of its township-code column, tried before [`CODE_FIELDS`] (the sample's `XZDM`;
/// `XZQDM` there is the 12-digit code of the seat's village, whose first 9 digits are the
/// township's).
const SEAT_CODE_FIELDS: &[&str] = &["XZDM", "乡镇代码", "XZQHDM"];

impl<'a> TownshipSeats<'a> {
    /// The seats of the project's 乡镇驻地 layer ([`LayerRole::TownshipSeat`]). Without one,
    /// an error saying so and how to add one. Features without a point are left out.
    pub fn read(project: &'a Project) -> Result<Self> {
        let layer = project
            .layer_by_role(LayerRole::TownshipSeat)
            .ok_or_else(|| {
                Error::Invalid(format!(
                    "project '{}' has no 乡镇驻地 (township seat) layer to route through: \
                     import a point layer with a point per township (its name or 9-digit \
                     code) with --role township_seat",
                    project.name
                ))
            })?;
        let townships = AdminUnits::townships(project).ok();
        let code_col = column(layer, SEAT_CODE_FIELDS).or_else(|| column(layer, CODE_FIELDS));
        let name_col = column(layer, SEAT_NAME_FIELDS).or_else(|| column(layer, NAME_FIELDS));
        let mut list = Vec::new();
        for (position, feature) in layer.features().iter().enumerate() {
            let Some(point) = point_of(feature.geometry.as_ref()) else {
                continue;
            };
            let own: String = text_at(layer, position, code_col).chars().take(9).collect();
            let code = match (own.is_empty(), &townships) {
                (false, _) => Some(own),
                (true, Some(t)) => t.containing(point).map(|u| u.code.clone()),
                (true, None) => None,
            };
            let township = code.as_ref().and_then(|c| {
                townships
                    .as_ref()
                    .and_then(|t| t.by_code(c))
                    .map(|u| u.name.clone())
            });
            list.push(TownshipSeat {
                feature_id: feature.id,
                point,
                name: text_at(layer, position, name_col),
                code,
                township,
            });
        }
        Ok(TownshipSeats { layer, list })
    }

    /// The seat `query` names: by code, else by full name (the seat layer's or the
    /// township's), else by short name ([`township_core_name`]). An unknown name or a short
    /// name two seats share is an error listing the seats.
    pub fn find(&self, query: &str) -> Result<&TownshipSeat> {
        let q = query.trim();
        let core = township_core_name(q);
        let by_code = |s: &&TownshipSeat| s.code.as_deref() == Some(q);
        let by_name = |s: &&TownshipSeat| s.names().any(|n| n == q);
        let by_core = |s: &&TownshipSeat| s.names().any(|n| township_core_name(n) == core);
        for test in [
            &by_code as &dyn Fn(&&TownshipSeat) -> bool,
            &by_name,
            &by_core,
        ] {
            let found: Vec<&TownshipSeat> = self.list.iter().filter(test).collect();
            match found.as_slice() {
                [one] => return Ok(one),
                [] => continue,
                several => {
                    let names: Vec<&str> = several.iter().map(|s| s.label()).collect();
                    return Err(Error::Invalid(format!(
                        "seat '{q}' is ambiguous in layer '{}': it names {}; give the full \
                         name or the 9-digit code",
                        self.layer.name,
                        names.join(", ")
                    )));
                }
            }
        }
        let known: Vec<&str> = self.list.iter().map(|s| s.label()).collect();
        Err(Error::Invalid(format!(
            "no township seat '{q}' in layer '{}' (by code, full or short name); the seats \
             are: {}",
            self.layer.name,
            known.join(", ")
        )))
    }
}

/// One natural village (自然村).
#[derive(Debug, Clone, PartialEq)]
pub struct NaturalVillage {
    /// Position of the feature in its layer.
    pub position: usize,
    /// Feature id.
    pub feature_id: i64,
    /// The 15-digit code.
    pub code: String,
    /// The administrative village it belongs to: the code's first 12 digits.
    pub village_code: String,
    /// The name (may be empty).
    pub name: String,
    /// 户数, when the layer has it.
    pub households: Option<i64>,
    /// Where it is (working CRS).
    pub point: Coord<f64>,
}

/// Names of a natural village's code column, in preference order.
pub const NATURAL_CODE_FIELDS: &[&str] = &["ZRCDM", "自然村代码", "ZRCBM", "CODE", "DM"];
/// Names of its name column.
pub const NATURAL_NAME_FIELDS: &[&str] = &["ZRCMC", "自然村名称", "自然村", "NAME", "MC", "名称"];
/// Names of its households column.
pub const HOUSEHOLD_FIELDS: &[&str] = &["HS", "户数", "ZHS", "总户数"];

/// Digits of a natural-village code: the village's 12 and a 3-digit sequence.
const NATURAL_DIGITS: usize = 15;

/// The natural villages of a project.
#[derive(Debug, Clone)]
pub struct NaturalVillages<'a> {
    /// The 自然村 layer.
    pub layer: &'a Layer,
    /// Every point with a 15-digit code, in layer order.
    pub list: Vec<NaturalVillage>,
    /// Features left out (no point, a code that is not 15 digits) or with a repeated code.
    pub warnings: Vec<String>,
    by_code: HashMap<String, usize>,
}

impl<'a> NaturalVillages<'a> {
    /// The natural villages of the project's 自然村 layer ([`LayerRole::NaturalVillage`]);
    /// an error when there is none or it has no code column.
    pub fn read(project: &'a Project) -> Result<Self> {
        let layer = project
            .layer_by_role(LayerRole::NaturalVillage)
            .ok_or_else(|| {
                Error::Invalid(format!(
                    "project '{}' has no 自然村 (natural village) layer: 美丽村庄 are natural \
                     villages; import a point layer of them with --role natural_village",
                    project.name
                ))
            })?;
        let code_col = column(layer, NATURAL_CODE_FIELDS).ok_or_else(|| Error::MissingField {
            layer: layer.name.clone(),
            field: "自然村代码 (15-digit natural village code)".into(),
            accepted: NATURAL_CODE_FIELDS.join(", "),
        })?;
        let name_col = column(layer, NATURAL_NAME_FIELDS);
        let households_col = column(layer, HOUSEHOLD_FIELDS);
        let mut out = NaturalVillages {
            layer,
            list: Vec::new(),
            warnings: Vec::new(),
            by_code: HashMap::new(),
        };
        for (position, feature) in layer.features().iter().enumerate() {
            let code = text_at(layer, position, Some(code_col));
            let place = format!("layer '{}', feature {}", layer.name, feature.id);
            if code.chars().count() != NATURAL_DIGITS || !code.chars().all(|c| c.is_ascii_digit()) {
                out.warnings.push(format!(
                    "{place}: code '{code}' is not 15 digits (village code + 3-digit \
                     sequence); left out"
                ));
                continue;
            }
            let Some(point) = point_of(feature.geometry.as_ref()) else {
                out.warnings.push(format!(
                    "{place}: natural village {code} has no point; left out"
                ));
                continue;
            };
            if out.by_code.contains_key(&code) {
                out.warnings.push(format!(
                    "{place}: code {code} appears twice; only the first is used"
                ));
                continue;
            }
            out.by_code.insert(code.clone(), out.list.len());
            out.list.push(NaturalVillage {
                position,
                feature_id: feature.id,
                village_code: code[..12].to_string(),
                code,
                name: text_at(layer, position, name_col),
                households: households_col
                    .and_then(|c| feature.attributes.get(c))
                    .and_then(AttrValue::as_f64)
                    .map(|h| h as i64),
                point,
            });
        }
        Ok(out)
    }

    /// The natural village with this 15-digit code.
    pub fn by_code(&self, code: &str) -> Option<&NaturalVillage> {
        self.by_code.get(code.trim()).map(|&i| &self.list[i])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_names_of_towns_and_ethnic_townships() {
        for (full, core) in [
            ("小湾镇", "小湾"),
            ("新华彝族苗族乡", "新华"),
            ("新华乡", "新华"),
            ("郭大寨彝族白族乡", "郭大寨"),
            ("腰街彝族乡", "腰街"),
            ("凤山街道", "凤山"),
            ("小湾镇人民政府", "小湾"),
            ("小湾", "小湾"),
            ("乡", "乡"),
            // A place name ending in 族 that is no ethnic group stays.
            ("望族乡", "望族"),
        ] {
            assert_eq!(township_core_name(full), core, "{full}");
        }
    }
}
