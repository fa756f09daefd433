//! The tables as text grids (for CSV and the terminal), CSV (UTF-8 with a BOM, which Excel
//! needs to read Chinese correctly) and JSON (m², 公顷 and 亩 together).

use serde_json::Value;

use super::rounding::AreaUnit;
use super::rows::RowKind;
use super::structure::StructureLine;
use super::{PlanTables, TableKind};
use crate::error::{Error, Result};

/// One table as rows of text: what CSV writes and the terminal aligns.
#[derive(Debug, Clone, PartialEq)]
pub struct Grid {
    /// The table's title (with the scope's name).
    pub title: String,
    /// The unit line, e.g. `单位：公顷、%`.
    pub unit: String,
    /// Column headers.
    pub header: Vec<String>,
    /// True for columns of numbers (right-aligned).
    pub numeric: Vec<bool>,
    /// The rows.
    pub rows: Vec<Vec<String>>,
}

fn label(line: &StructureLine) -> String {
    let indent = "  ".repeat(line.label.len().saturating_sub(1));
    match line.kind {
        RowKind::Subtotal => format!(
            "{indent}{}小计",
            line.label
                .get(line.label.len().saturating_sub(2))
                .cloned()
                .unwrap_or_default()
        ),
        _ => format!("{indent}{}", line.display),
    }
}

/// The group headings a row opens (e.g. 村域建设用地, 村域城乡建设用地, 村庄建设用地 before
/// 居住用地): the workbook shows the nesting as merged cells, a text grid as heading rows,
/// so 居住用地 is not read as part of the 城镇用地 row above it.
fn headings(above: &[String], label: &[String], width: usize) -> Vec<Vec<String>> {
    let groups = label.len().saturating_sub(1);
    let shared = above
        .iter()
        .zip(&label[..groups])
        .take_while(|(a, b)| a == b)
        .count();
    (shared..groups)
        .map(|depth| {
            let mut row = vec![format!("{}{}", "  ".repeat(depth), label[depth])];
            row.resize(width, String::new());
            row
        })
        .collect()
}

fn units_text(units: &[AreaUnit]) -> String {
    units
        .iter()
        .map(|u| u.name_zh())
        .collect::<Vec<_>>()
        .join("、")
}

/// The grid of one table, its areas in each of `units` (one column per unit).
pub fn grid(tables: &PlanTables, kind: TableKind, units: &[AreaUnit]) -> Grid {
    let dash = || "—".to_string();
    let unit_line = format!("单位：{}、%", units_text(units));
    let area_heads = |prefix: &str| -> Vec<String> {
        units
            .iter()
            .map(|u| format!("{prefix}面积（{}）", u.name_zh()))
            .collect()
    };
    match kind {
        TableKind::Current | TableKind::Structure => {
            let s = &tables.structure;
            let with_target = kind == TableKind::Structure;
            let mut header = vec!["用地类型名称及编码".to_string()];
            let year = if with_target {
                "规划基期年"
            } else {
                "现状基期年"
            };
            header.extend(area_heads(year));
            header.push(format!("{year}比重（%）"));
            if with_target {
                header.extend(area_heads("规划目标年"));
                header.push("规划目标年比重（%）".into());
                header.extend(
                    units
                        .iter()
                        .map(|u| format!("规划期内面积增减（{}）", u.name_zh())),
                );
            }
            let width = header.len();
            let mut rows: Vec<Vec<String>> = Vec::new();
            let mut above: &[String] = &[];
            for line in &s.lines {
                rows.extend(headings(above, &line.label, width));
                above = &line.label;
                rows.push({
                    let mut row = vec![label(line)];
                    row.extend(units.iter().map(|u| line.base.area.in_unit(*u).text()));
                    row.push(line.base.share_percent.text());
                    if with_target {
                        match (&line.target, &line.change) {
                            (Some(t), Some(c)) => {
                                row.extend(units.iter().map(|u| t.area.in_unit(*u).text()));
                                row.push(t.share_percent.text());
                                row.extend(units.iter().map(|u| c.in_unit(*u).text()));
                            }
                            _ => row.extend((0..2 * units.len() + 1).map(|_| dash())),
                        }
                    }
                    row
                });
            }
            let n = header.len();
            Grid {
                title: tables.title(if with_target { &s.title } else { &s.base_title }),
                unit: unit_line,
                numeric: (0..n).map(|i| i > 0).collect(),
                header,
                rows,
            }
        }
        TableKind::Indicators => {
            let t = &tables.indicators;
            let mut header: Vec<String> = ["序号", "指标", "属性", "单位"]
                .iter()
                .map(|s| s.to_string())
                .collect();
            let mut rows = Vec::new();
            for unit in units {
                header.push(format!("现状基期年（{}）", unit.name_zh()));
                header.push(format!("规划目标年（{}）", unit.name_zh()));
            }
            if units.len() == 1 {
                header.truncate(4);
                header.push("现状基期年".into());
                header.push("规划目标年".into());
            }
            for line in &t.lines {
                let mut row = vec![
                    line.number.to_string(),
                    format!("{}：{}", line.section, line.name),
                    line.attribute.clone(),
                    units
                        .iter()
                        .map(|u| line.kind.unit_zh(*u))
                        .collect::<Vec<_>>()
                        .join("/"),
                ];
                for unit in units {
                    row.push(line.base.text(*unit));
                    row.push(line.target.text(*unit));
                }
                rows.push(row);
            }
            let n = header.len();
            Grid {
                title: tables.title(&t.title),
                unit: String::new(),
                numeric: (0..n).map(|i| i == 0 || i >= 4).collect(),
                header,
                rows,
            }
        }
        TableKind::Control => {
            let t = &tables.control;
            let mut header = vec!["管控边界类型名称".to_string(), "代码".to_string()];
            header.extend(units.iter().map(|u| format!("面积（{}）", u.name_zh())));
            header.push("占比（%）".into());
            let rows = t
                .lines
                .iter()
                .map(|line| {
                    let mut row = vec![line.name.clone(), line.code.clone()];
                    if t.layer.is_some() {
                        row.extend(units.iter().map(|u| line.area.in_unit(*u).text()));
                        row.push(line.share_percent.text());
                    } else {
                        row.extend((0..units.len() + 1).map(|_| dash()));
                    }
                    row
                })
                .collect();
            let n = header.len();
            Grid {
                title: tables.title(&t.title),
                unit: unit_line,
                numeric: (0..n).map(|i| i >= 2).collect(),
                header,
                rows,
            }
        }
        TableKind::Survey => {
            let t = &tables.survey;
            let mut header = vec!["行政区域代码".to_string(), "行政区域名称".to_string()];
            let mut rows: Vec<Vec<String>> = t
                .rows
                .iter()
                .map(|r| vec![r.code.clone(), r.name.clone()])
                .collect();
            for unit in units {
                let suffix = if units.len() > 1 {
                    format!("（{}）", unit.name_zh())
                } else {
                    String::new()
                };
                header.push(format!("国土调查总面积{suffix}"));
                for c in &t.columns {
                    let code = if c.code.is_empty() {
                        String::new()
                    } else {
                        format!("{} ", c.code)
                    };
                    let total = if c.level == 1 && c.members.len() > 1 {
                        "合计"
                    } else {
                        ""
                    };
                    header.push(format!("{code}{}{total}{suffix}", c.name));
                }
                for (row, r) in rows.iter_mut().zip(&t.rows) {
                    row.push(r.total.in_unit(*unit).text());
                    row.extend(r.values.iter().map(|v| v.in_unit(*unit).text()));
                }
            }
            let n = header.len();
            Grid {
                title: tables.title(&t.title),
                unit: format!("单位：{}", units_text(units)),
                numeric: (0..n).map(|i| i >= 2).collect(),
                header,
                rows,
            }
        }
        TableKind::Projects => {
            let t = &tables.projects;
            let mut header: Vec<String> = ["序号", "项目类型", "项目名称"]
                .iter()
                .map(|s| s.to_string())
                .collect();
            header.extend(units.iter().map(|u| format!("用地面积（{}）", u.name_zh())));
            for h in [
                "高度层数",
                "风貌管控",
                "建设年限",
                "投资额（万元）",
                "建议资金来源",
                "备注",
            ] {
                header.push(h.into());
            }
            let mut rows: Vec<Vec<String>> = t
                .lines
                .iter()
                .enumerate()
                .map(|(i, l)| {
                    let mut row = vec![(i + 1).to_string(), l.kind.clone(), l.name.clone()];
                    row.extend(
                        units
                            .iter()
                            .map(|u| l.land.map(|a| a.in_unit(*u).text()).unwrap_or_else(dash)),
                    );
                    row.extend([
                        l.floors.clone(),
                        l.style.clone(),
                        l.period.clone(),
                        l.investment.map(|v| v.text()).unwrap_or_else(dash),
                        l.funding.clone(),
                        l.note.clone(),
                    ]);
                    row
                })
                .collect();
            let mut total = vec![String::new(), "合计".to_string(), String::new()];
            total.extend(units.iter().map(|u| t.total_land.in_unit(*u).text()));
            total.extend([
                String::new(),
                String::new(),
                String::new(),
                t.total_investment.text(),
                String::new(),
                String::new(),
            ]);
            rows.push(total);
            let n = header.len();
            let area_cols = 3..3 + units.len();
            Grid {
                title: tables.title(&t.title),
                unit: String::new(),
                numeric: (0..n)
                    .map(|i| i == 0 || area_cols.contains(&i) || i == 6 + units.len())
                    .collect(),
                header,
                rows,
            }
        }
    }
}

/// CSV of the chosen tables (all when `only` is `None`) in `unit`: UTF-8 with a BOM; each
/// table is its title line, its unit line, its header and rows, then a blank line; a 说明
/// block closes the file.
pub fn csv_text(tables: &PlanTables, only: Option<TableKind>, unit: AreaUnit) -> Result<String> {
    let fail = |e: csv::Error| Error::Invalid(format!("cannot write CSV: {e}"));
    let mut w = csv::WriterBuilder::new()
        .flexible(true)
        .from_writer(Vec::new());
    for kind in TableKind::ALL {
        if only.is_some_and(|o| o != kind) {
            continue;
        }
        let g = grid(tables, kind, &[unit]);
        w.write_record([g.title.as_str()]).map_err(fail)?;
        if !g.unit.is_empty() {
            w.write_record([g.unit.as_str()]).map_err(fail)?;
        }
        w.write_record(&g.header).map_err(fail)?;
        for row in &g.rows {
            w.write_record(row).map_err(fail)?;
        }
        w.write_record([""]).map_err(fail)?;
    }
    w.write_record(["说明"]).map_err(fail)?;
    for (key, value) in super::xlsx::explanation(tables, unit) {
        w.write_record([key, value]).map_err(fail)?;
    }
    let bytes = w
        .into_inner()
        .map_err(|e| Error::Invalid(format!("cannot write CSV: {e}")))?;
    let text =
        String::from_utf8(bytes).map_err(|e| Error::Invalid(format!("cannot write CSV: {e}")))?;
    Ok(format!("\u{feff}{text}"))
}

/// JSON of the chosen tables (all when `only` is `None`), with the scope, basis, deduction
/// rules and notes; every area carries m², 公顷 and 亩.
pub fn json_value(tables: &PlanTables, only: Option<TableKind>) -> Result<Value> {
    let mut value = serde_json::to_value(tables)
        .map_err(|e| Error::Invalid(format!("cannot write JSON: {e}")))?;
    if let (Some(kind), Some(object)) = (only, value.as_object_mut()) {
        let keep = match kind {
            TableKind::Current | TableKind::Structure => "structure",
            TableKind::Indicators => "indicators",
            TableKind::Control => "control",
            TableKind::Survey => "survey",
            TableKind::Projects => "projects",
        };
        for key in ["structure", "indicators", "control", "survey", "projects"] {
            if key != keep {
                object.remove(key);
            }
        }
    }
    Ok(value)
}

#[cfg(test)]
mod tests {
    use super::headings;

    fn parts(p: &[&str]) -> Vec<String> {
        p.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn a_row_opens_the_groups_it_does_not_share_with_the_row_above() {
        let town = parts(&["村域建设用地", "村域城乡建设用地", "城镇用地"]);
        let housing = parts(&[
            "村域建设用地",
            "村域城乡建设用地",
            "村庄建设用地",
            "居住用地",
        ]);
        let services = parts(&[
            "村域建设用地",
            "村域城乡建设用地",
            "村庄建设用地",
            "公共管理",
        ]);
        let firsts: Vec<String> = headings(&parts(&["耕地"]), &town, 3)
            .into_iter()
            .map(|r| r[0].clone())
            .collect();
        assert_eq!(firsts, ["村域建设用地", "  村域城乡建设用地"]);
        let opened = headings(&town, &housing, 3);
        assert_eq!(
            opened,
            [vec![
                "    村庄建设用地".to_string(),
                String::new(),
                String::new()
            ]]
        );
        assert!(headings(&housing, &services, 3).is_empty());
        assert!(headings(&[], &parts(&["耕地"]), 3).is_empty());
    }
}
