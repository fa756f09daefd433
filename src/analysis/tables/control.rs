//! 国土空间管控表: the 管控边界 zones of the plan by GKBJLXDM, with 占比 (docs/domain.md
//! §6.3). Rows are data (`assets/tables/control.toml`); codes no row lists get a 未归类 row
//! and are listed, so the 合计 is every zone's land.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::rounding::{AREA_DECIMALS, AreaUnit, Fixed, SHARE_DECIMALS, round_areas, round_shares};
use super::rows::parse_toml;
use super::structure::Area;
use crate::error::Result;

const BUNDLED: &str = include_str!("../../../assets/tables/control.toml");
const BUNDLED_NAME: &str = "assets/tables/control.toml";

/// One row of the file.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ControlRowSpec {
    /// 管控边界类型名称.
    pub name: String,
    /// GKBJLXDM (text).
    pub code: String,
}

/// The rows of the 国土空间管控表.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ControlRows {
    /// 国土空间管控表.
    pub title: String,
    /// The zones, in order.
    #[serde(rename = "row")]
    pub rows: Vec<ControlRowSpec>,
}

impl ControlRows {
    /// The bundled rows (docs/domain.md §6.3).
    pub fn bundled() -> Result<Self> {
        Self::parse(BUNDLED, BUNDLED_NAME)
    }

    /// Reads a rows file; `source` names it in errors.
    pub fn parse(text: &str, source: &str) -> Result<Self> {
        parse_toml(text, source)
    }
}

/// One line: a zone (or 未归类, or 合计).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ControlLine {
    /// 管控边界类型名称.
    pub name: String,
    /// GKBJLXDM (empty for 未归类 and 合计).
    pub code: String,
    /// 面积.
    pub area: Area,
    /// 占比 (%).
    pub share_percent: Fixed,
}

/// The 国土空间管控表.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ControlTable {
    /// 国土空间管控表.
    pub title: String,
    /// The layer read; `None` when the project has no 管控边界 layer (the table is then "—").
    pub layer: Option<String>,
    /// The zones, then 未归类 when it holds land, then 合计 (last).
    pub lines: Vec<ControlLine>,
    /// Codes no row lists, with their m².
    pub unlisted_codes: BTreeMap<String, f64>,
}

/// The table from the zones' m² by code (summed over the villages of the scope).
pub fn control_table(
    rows: &ControlRows,
    layer: Option<&str>,
    zones: &BTreeMap<String, f64>,
) -> ControlTable {
    let mut leaf_m2: Vec<f64> = rows
        .rows
        .iter()
        .map(|r| zones.get(&r.code).copied().unwrap_or(0.0))
        .collect();
    let unlisted_codes: BTreeMap<String, f64> = zones
        .iter()
        .filter(|(code, _)| !rows.rows.iter().any(|r| &r.code == *code))
        .map(|(c, a)| (c.clone(), *a))
        .collect();
    let unlisted: f64 = unlisted_codes.values().sum();
    leaf_m2.push(unlisted);
    let (ha, _) = round_areas(&leaf_m2, AreaUnit::Hectare);
    let (mu, _) = round_areas(&leaf_m2, AreaUnit::Mu);
    let shares = round_shares(&leaf_m2);
    let mut lines: Vec<ControlLine> = rows
        .rows
        .iter()
        .map(|r| (r.name.clone(), r.code.clone()))
        .chain(std::iter::once((
            "未归类（代码不在表中）".to_string(),
            String::new(),
        )))
        .enumerate()
        .map(|(i, (name, code))| ControlLine {
            name,
            code,
            area: Area {
                m2: leaf_m2[i],
                ha: ha[i],
                mu: mu[i],
            },
            share_percent: shares[i],
        })
        .collect();
    if unlisted <= 0.0 {
        lines.pop();
    }
    let total = ControlLine {
        name: "合计".into(),
        code: String::new(),
        area: Area {
            m2: leaf_m2.iter().sum(),
            ha: Fixed::sum(ha.iter().copied(), AREA_DECIMALS),
            mu: Fixed::sum(mu.iter().copied(), AREA_DECIMALS),
        },
        share_percent: Fixed::sum(shares.iter().copied(), SHARE_DECIMALS),
    };
    lines.push(total);
    ControlTable {
        title: rows.title.clone(),
        layer: layer.map(str::to_string),
        lines,
        unlisted_codes,
    }
}
