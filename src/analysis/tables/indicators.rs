//! 规划指标一览表: 一、村庄发展性指标 and 二、村庄保护性指标 with 属性 and 单位, base and target
//! year (docs/domain.md §6.2). Which indicators, and where each value comes from, are data
//! (`assets/tables/indicators.toml`).
//!
//! Area indicators read the rounded lines of the 空间功能结构调整表, so the two tables
//! always show the same numbers; the lines' areas read the line layers (base) and the
//! 管控边界 (target).

use serde::{Deserialize, Serialize};

use super::rounding::{AreaUnit, Fixed};
use super::rows::parse_toml;
use super::structure::{Area, StructureTable};
use crate::error::{Error, Result};

const BUNDLED: &str = include_str!("../../../assets/tables/indicators.toml");
const BUNDLED_NAME: &str = "assets/tables/indicators.toml";

/// Decimals of 人均村庄建设用地面积 (平方米/人).
const PER_CAPITA_DECIMALS: u32 = 2;

/// What an indicator measures.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum IndicatorKind {
    /// An area, in the tables' unit.
    Area,
    /// m² per person.
    PerCapita,
    /// A percentage.
    Percent,
    /// A count (处).
    Count,
}

impl IndicatorKind {
    /// The 单位 shown.
    pub fn unit_zh(self, unit: AreaUnit) -> &'static str {
        match self {
            IndicatorKind::Area => unit.name_zh(),
            IndicatorKind::PerCapita => "平方米/人",
            IndicatorKind::Percent => "%",
            IndicatorKind::Count => "处",
        }
    }
}

/// One indicator of the file.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IndicatorSpec {
    /// The group heading.
    pub section: String,
    /// 指标.
    pub name: String,
    /// 属性: 约束性 / 预期性.
    pub attribute: String,
    /// What it measures.
    pub kind: IndicatorKind,
    /// Where the value comes from (see the file's header).
    pub source: String,
}

/// The indicators of the 规划指标一览表.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IndicatorRows {
    /// 规划指标一览表.
    pub title: String,
    /// In order.
    #[serde(rename = "indicator")]
    pub indicators: Vec<IndicatorSpec>,
}

impl IndicatorRows {
    /// The bundled indicators (docs/domain.md §6.2).
    pub fn bundled() -> Result<Self> {
        Self::parse(BUNDLED, BUNDLED_NAME)
    }

    /// Reads an indicators file; `source` names it in errors, and so does an unknown source.
    pub fn parse(text: &str, source: &str) -> Result<Self> {
        let rows: IndicatorRows = parse_toml(text, source)?;
        for spec in &rows.indicators {
            let known = spec.source.starts_with("row:")
                || spec.source.starts_with("per_capita:")
                || ["line:red_line", "line:farmland", "coastline", "heritage"]
                    .contains(&spec.source.as_str());
            if !known {
                return Err(Error::Table {
                    source_name: source.to_string(),
                    line: 0,
                    detail: format!(
                        "indicator {}: unknown source '{}' (row:NAME, per_capita:NAME, \
                         line:red_line, line:farmland, coastline, heritage)",
                        spec.name, spec.source
                    ),
                });
            }
        }
        Ok(rows)
    }
}

/// One value of the table.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum IndicatorValue {
    /// An area in both units.
    Area {
        /// The area.
        area: Area,
    },
    /// A number with its decimals (m²/人).
    Number {
        /// The rounded value.
        value: Fixed,
    },
    /// A count.
    Count {
        /// How many.
        count: usize,
    },
    /// Not available: shown as "—", with the reason.
    Missing {
        /// Why.
        reason: String,
    },
}

impl IndicatorValue {
    /// The shown text in `unit` ("—" when missing).
    pub fn text(&self, unit: AreaUnit) -> String {
        match self {
            IndicatorValue::Area { area } => area.in_unit(unit).text(),
            IndicatorValue::Number { value } => value.text(),
            IndicatorValue::Count { count } => count.to_string(),
            IndicatorValue::Missing { .. } => "—".into(),
        }
    }
}

/// One line of the table.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IndicatorLine {
    /// 序号 (1, 2, … across both sections).
    pub number: usize,
    /// The group heading.
    pub section: String,
    /// 指标.
    pub name: String,
    /// 属性.
    pub attribute: String,
    /// What it measures (the 单位 follows from it).
    pub kind: IndicatorKind,
    /// 现状基期年.
    pub base: IndicatorValue,
    /// 规划目标年.
    pub target: IndicatorValue,
}

/// The 规划指标一览表.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IndicatorTable {
    /// 规划指标一览表.
    pub title: String,
    /// The indicators in order.
    pub lines: Vec<IndicatorLine>,
}

/// What the indicators read besides the structure table, for the scope.
#[derive(Debug, Clone, Default)]
pub struct IndicatorInputs {
    /// 常住人口 of the scope (`None` when a village lacks it).
    pub resident_population: Option<f64>,
    /// 规划人口 of the scope.
    pub planned_population: Option<f64>,
    /// 生态保护红线 inside the scope (line layer), m²; `None` without the layer.
    pub red_line_m2: Option<f64>,
    /// 永久基本农田 inside the scope (line layer), m².
    pub farmland_m2: Option<f64>,
    /// 管控边界 0102 in the plan, m² (`None` without a plan's 管控边界).
    pub planned_red_line_m2: Option<f64>,
    /// 管控边界 0202 in the plan, m².
    pub planned_farmland_m2: Option<f64>,
    /// Heritage features inside the scope.
    pub heritage: Option<usize>,
}

fn area_value(m2: Option<f64>, missing: &str) -> IndicatorValue {
    match m2 {
        Some(m2) => IndicatorValue::Area {
            area: Area {
                m2,
                ha: Fixed::round(m2 / AreaUnit::Hectare.m2(), super::rounding::AREA_DECIMALS),
                mu: Fixed::round(m2 / AreaUnit::Mu.m2(), super::rounding::AREA_DECIMALS),
            },
        },
        None => IndicatorValue::Missing {
            reason: missing.into(),
        },
    }
}

fn per_capita(m2: Option<f64>, people: Option<f64>, which: &str) -> IndicatorValue {
    match (m2, people) {
        (Some(m2), Some(p)) if p > 0.0 => IndicatorValue::Number {
            value: Fixed::round(m2 / p, PER_CAPITA_DECIMALS),
        },
        (None, _) => IndicatorValue::Missing {
            reason: "无规划".into(),
        },
        _ => IndicatorValue::Missing {
            reason: format!("行政村图层没有{which}"),
        },
    }
}

/// The table for a scope.
pub fn indicator_table(
    rows: &IndicatorRows,
    structure: &StructureTable,
    inputs: &IndicatorInputs,
) -> IndicatorTable {
    let no_plan = "无规划（规划目标年为空）";
    let lines = rows
        .indicators
        .iter()
        .enumerate()
        .map(|(i, spec)| {
            let (base, target) = if let Some(name) = spec.source.strip_prefix("row:") {
                match structure.line(name) {
                    Some(line) => (
                        IndicatorValue::Area {
                            area: line.base.area,
                        },
                        match &line.target {
                            Some(t) => IndicatorValue::Area { area: t.area },
                            None => IndicatorValue::Missing {
                                reason: no_plan.into(),
                            },
                        },
                    ),
                    None => {
                        let reason = format!("结构表没有“{name}”行");
                        (
                            IndicatorValue::Missing {
                                reason: reason.clone(),
                            },
                            IndicatorValue::Missing { reason },
                        )
                    }
                }
            } else if let Some(name) = spec.source.strip_prefix("per_capita:") {
                let line = structure.line(name);
                (
                    per_capita(
                        line.map(|l| l.base.area.m2),
                        inputs.resident_population,
                        "常住人口（CZRK）",
                    ),
                    per_capita(
                        line.and_then(|l| l.target.map(|t| t.area.m2)),
                        inputs.planned_population,
                        "规划人口（GHRK）",
                    ),
                )
            } else {
                match spec.source.as_str() {
                    "line:red_line" => (
                        area_value(inputs.red_line_m2, "无生态保护红线图层"),
                        area_value(inputs.planned_red_line_m2, "无规划管控边界"),
                    ),
                    "line:farmland" => (
                        area_value(inputs.farmland_m2, "无永久基本农田图层"),
                        area_value(inputs.planned_farmland_m2, "无规划管控边界"),
                    ),
                    "heritage" => {
                        let v = match inputs.heritage {
                            Some(count) => IndicatorValue::Count { count },
                            None => IndicatorValue::Missing {
                                reason: "无历史文化遗产图层".into(),
                            },
                        };
                        (v.clone(), v)
                    }
                    _ => {
                        let v = IndicatorValue::Missing {
                            reason: "内陆村庄，无大陆自然海岸线".into(),
                        };
                        (v.clone(), v)
                    }
                }
            };
            // A village without a plan shows the base year only (docs/domain.md §6).
            let target = if structure.has_target {
                target
            } else {
                IndicatorValue::Missing {
                    reason: no_plan.into(),
                }
            };
            IndicatorLine {
                number: i + 1,
                section: spec.section.clone(),
                name: spec.name.clone(),
                attribute: spec.attribute.clone(),
                kind: spec.kind,
                base,
                target,
            }
        })
        .collect();
    IndicatorTable {
        title: rows.title.clone(),
        lines,
    }
}
