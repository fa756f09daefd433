//! 空间功能结构调整表 (基期 / 目标 / 增减) and the 现状指标表 (the same rows, base year only),
//! docs/domain.md §6.1.
//!
//! The base year is the current land use, its 三调 codes converted to 用地用海 2023
//! ([`CodeBook::sandiao_to_ydyh2023`]); the target year is the planned `GHDLBM`. A 待细分
//! conversion goes to the row all its candidates share, else to the 待细分 row, and is
//! listed either way ([`ListedClass`]); so are codes no row counts (未归类). Nothing is
//! assigned silently and every 总计 is the sum of all parcels, i.e. the village area.

use serde::Serialize;

use super::accounting::{ClassKey, ClassSums, Year};
use super::rounding::{AREA_DECIMALS, AreaUnit, Fixed, SHARE_DECIMALS, round_areas, round_shares};
use super::rows::{Resolution, RowKind, StructureRows};
use crate::landuse::{CodeBook, Standard};

/// An area in both units, rounded, with the m² it came from.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Default)]
pub struct Area {
    /// Unrounded m².
    pub m2: f64,
    /// 公顷, rounded so the rows add up.
    pub ha: Fixed,
    /// 亩, rounded so the rows add up.
    pub mu: Fixed,
}

impl Area {
    /// The rounded value in `unit`.
    pub fn in_unit(&self, unit: AreaUnit) -> Fixed {
        match unit {
            AreaUnit::Hectare => self.ha,
            AreaUnit::Mu => self.mu,
        }
    }

    /// The 增减 `self − base`, from the rounded values.
    pub fn minus(&self, base: &Area) -> Area {
        Area {
            m2: self.m2 - base.m2,
            ha: self.ha.minus(base.ha),
            mu: self.mu.minus(base.mu),
        }
    }
}

/// One year's column pair: 面积 and 比重.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct YearCell {
    /// 面积.
    pub area: Area,
    /// 比重 (%), the shares of the leaf rows summing to 100.00.
    pub share_percent: Fixed,
}

/// One line of the table.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StructureLine {
    /// The nesting, outermost first (the last part is the row's name).
    pub label: Vec<String>,
    /// The codes shown after the name (text).
    pub code: String,
    /// `耕地（01）`.
    pub display: String,
    /// What the row holds.
    pub kind: RowKind,
    /// 规划基期年.
    pub base: YearCell,
    /// 规划目标年; `None` when there is no plan ("—").
    pub target: Option<YearCell>,
    /// 规划期内面积增减 (target − base, from the rounded values); `None` without a plan.
    pub change: Option<Area>,
}

/// A class the planner must look at: a 待细分 conversion (with the row it went to) or a
/// code no row counts.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ListedClass {
    /// Which year's layer holds it.
    pub year: Year,
    /// The code as the layer holds it (三调 for the base year).
    pub code: String,
    /// Its name, where the dictionary knows it.
    pub name: String,
    /// The 用地用海 2023 code it was converted to (the same code for the target year).
    pub ydyh_code: String,
    /// True for land in a town.
    pub in_town: bool,
    /// The row it was counted in (`待细分（须规划确定）` or `未归类…` when none).
    pub row: String,
    /// Why it is listed.
    pub reason: String,
    /// m² on the tables' basis.
    pub area_m2: f64,
    /// Parcels.
    pub parcels: usize,
}

/// The 空间功能结构调整表 (and with `target` absent, the 现状指标表).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StructureTable {
    /// 空间功能结构调整表.
    pub title: String,
    /// 现状指标表.
    pub base_title: String,
    /// The lines, in order (the 待细分 and 未归类 rows only when they hold land).
    pub lines: Vec<StructureLine>,
    /// True when the target columns are filled.
    pub has_target: bool,
    /// 待细分 classes and codes no row counts, for the planner.
    pub listed: Vec<ListedClass>,
}

impl StructureTable {
    /// The line of a row by name (`耕地`, or `村庄建设用地` for its 小计).
    pub fn line(&self, name: &str) -> Option<&StructureLine> {
        self.lines.iter().find(|l| match l.kind {
            RowKind::Subtotal => l.label.len() >= 2 && l.label[l.label.len() - 2] == name,
            _ => l.label.last().is_some_and(|n| n == name),
        })
    }

    /// The 总计 line.
    pub fn total(&self) -> Option<&StructureLine> {
        self.lines.iter().find(|l| l.kind == RowKind::Total)
    }
}

/// The leaf m² of one year, and the classes listed for the planner.
fn leaf_areas(
    rows: &StructureRows,
    sums: &ClassSums,
    year: Year,
    listed: &mut Vec<ListedClass>,
) -> Vec<f64> {
    let book = CodeBook::bundled();
    let mut areas = vec![0.0; rows.rows.len()];
    for (key, sum) in &sums.classes {
        let (ydyh, name, refine) = match year {
            Year::Base => {
                let conversion = book.sandiao_to_ydyh2023(&key.code).or_else(|| {
                    // 可调整 classes (0201K …) are their class for the plan's numbers.
                    key.code
                        .strip_suffix('K')
                        .and_then(|c| book.sandiao_to_ydyh2023(c))
                });
                let name = book
                    .lookup(Standard::Sandiao, &key.code)
                    .map(|c| c.name.clone())
                    .unwrap_or_default();
                match conversion {
                    Some(c) => (
                        c.ydyh2023.clone(),
                        name,
                        c.needs_refinement.then(|| c.note.clone()),
                    ),
                    None => (String::new(), name, None),
                }
            }
            Year::Target => {
                let class = book.lookup(Standard::Ydyh2023, &key.code);
                (
                    if class.is_some() {
                        key.code.clone()
                    } else {
                        String::new()
                    },
                    class.map(|c| c.name.clone()).unwrap_or_default(),
                    None,
                )
            }
        };
        let resolution = if ydyh.is_empty() {
            Resolution::Nowhere
        } else {
            rows.resolve(&ClassKey {
                code: ydyh.clone(),
                in_town: key.in_town,
            })
        };
        let (row, reason) = match &resolution {
            Resolution::Row(i) => (*i, refine.clone()),
            Resolution::Ambiguous(candidates) => (
                rows.pending_row(),
                Some(format!(
                    "{}：可能属于 {}",
                    refine.clone().unwrap_or_else(|| "编码较粗".into()),
                    candidates
                        .iter()
                        .map(|i| rows.rows[*i].name())
                        .collect::<Vec<_>>()
                        .join("、")
                )),
            ),
            Resolution::Nowhere => (
                rows.unclassified_row(),
                Some(if ydyh.is_empty() {
                    if key.code.is_empty() {
                        "地类编码为空".to_string()
                    } else {
                        "编码不在分类表中".to_string()
                    }
                } else {
                    format!("用地用海 {ydyh} 不属于任何表行")
                }),
            ),
        };
        areas[row] += sum.area_m2;
        if let Some(reason) = reason {
            listed.push(ListedClass {
                year,
                code: key.code.clone(),
                name,
                ydyh_code: ydyh,
                in_town: key.in_town,
                row: rows.rows[row].name().to_string(),
                reason,
                area_m2: sum.area_m2,
                parcels: sum.parcels,
            });
        }
    }
    areas
}

/// Rounded cells of every row of one year (leaves rounded, sums of rounded leaves).
fn year_cells(rows: &StructureRows, leaf_m2: &[f64]) -> Vec<YearCell> {
    let leaves: Vec<usize> = (0..rows.rows.len())
        .filter(|&i| rows.rows[i].kind.is_leaf())
        .collect();
    let values: Vec<f64> = leaves.iter().map(|&i| leaf_m2[i]).collect();
    let (ha, _) = round_areas(&values, AreaUnit::Hectare);
    let (mu, _) = round_areas(&values, AreaUnit::Mu);
    let shares = round_shares(&values);
    let mut cells = vec![
        YearCell {
            area: Area::default(),
            share_percent: Fixed::zero(SHARE_DECIMALS),
        };
        rows.rows.len()
    ];
    for (k, &i) in leaves.iter().enumerate() {
        cells[i] = YearCell {
            area: Area {
                m2: values[k],
                ha: ha[k],
                mu: mu[k],
            },
            share_percent: shares[k],
        };
    }
    for i in 0..rows.rows.len() {
        if rows.rows[i].kind.is_leaf() {
            continue;
        }
        let members = rows.members(i);
        cells[i] = YearCell {
            area: Area {
                m2: members.iter().map(|&m| cells[m].area.m2).sum(),
                ha: Fixed::sum(members.iter().map(|&m| cells[m].area.ha), AREA_DECIMALS),
                mu: Fixed::sum(members.iter().map(|&m| cells[m].area.mu), AREA_DECIMALS),
            },
            share_percent: Fixed::sum(
                members.iter().map(|&m| cells[m].share_percent),
                SHARE_DECIMALS,
            ),
        };
    }
    cells
}

/// The table of one village or of a sum of villages: `target` is `None` when (some of)
/// the villages have no plan.
pub fn structure_table(
    rows: &StructureRows,
    base: &ClassSums,
    target: Option<&ClassSums>,
) -> StructureTable {
    let mut listed = Vec::new();
    let base_cells = year_cells(rows, &leaf_areas(rows, base, Year::Base, &mut listed));
    let target_cells =
        target.map(|t| year_cells(rows, &leaf_areas(rows, t, Year::Target, &mut listed)));
    let lines = rows
        .rows
        .iter()
        .enumerate()
        .filter(|(i, spec)| {
            // The two added rows appear only when they hold land in either year.
            !matches!(spec.kind, RowKind::Pending | RowKind::Unclassified)
                || base_cells[*i].area.m2 > 0.0
                || target_cells.as_ref().is_some_and(|t| t[*i].area.m2 > 0.0)
        })
        .map(|(i, spec)| {
            let target = target_cells.as_ref().map(|t| t[i]);
            StructureLine {
                label: spec.label.clone(),
                code: spec.code.clone(),
                display: spec.display(),
                kind: spec.kind,
                base: base_cells[i],
                change: target.map(|t| t.area.minus(&base_cells[i].area)),
                target,
            }
        })
        .collect();
    StructureTable {
        title: rows.title.clone(),
        base_title: rows.base_title.clone(),
        lines,
        has_target: target.is_some(),
        listed,
    }
}
