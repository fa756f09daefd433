//! The report as titled tables of cells — what the terminal aligns, CSV writes and the
//! workbook lays out one sheet each — so that the three show the same rows. Areas in 公顷
//! and 亩 (1 亩 = 10000/15 m²), shares in %.

use super::designations::Designation;
use super::progress::FlagKind;
use super::report::DemoReport;
use super::summary::Population;
use crate::units::{hectares, mu};

/// One cell.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Text(String),
    /// A number shown with `decimals` decimals.
    Number {
        value: f64,
        decimals: usize,
    },
    Empty,
}

impl Cell {
    /// The cell as text (numbers with their decimals, empty cells empty).
    pub fn text(&self) -> String {
        match self {
            Cell::Text(t) => t.clone(),
            Cell::Number { value, decimals } => format!("{value:.decimals$}"),
            Cell::Empty => String::new(),
        }
    }

    /// True for numbers (right-aligned).
    pub fn is_number(&self) -> bool {
        matches!(self, Cell::Number { .. })
    }
}

/// One titled table.
#[derive(Debug, Clone, PartialEq)]
pub struct Sheet {
    pub title: String,
    pub header: Vec<String>,
    pub rows: Vec<Vec<Cell>>,
}

fn t(s: impl Into<String>) -> Cell {
    Cell::Text(s.into())
}

fn n(value: f64, decimals: usize) -> Cell {
    Cell::Number { value, decimals }
}

fn opt(value: Option<f64>, decimals: usize) -> Cell {
    value.map_or(Cell::Empty, |v| n(v, decimals))
}

fn yes(b: bool) -> Cell {
    t(if b { "是" } else { "" })
}

fn heads(names: &[&str]) -> Vec<String> {
    names.iter().map(|s| s.to_string()).collect()
}

fn area_cells(m2: f64) -> [Cell; 2] {
    [n(hectares(m2), 4), n(mu(m2), 2)]
}

/// Population with `decimals` decimals: 0 for a village's own figures, 1 for the pro rata
/// figures inside (not whole persons).
fn population_cells(p: &Population, decimals: usize) -> [Cell; 3] {
    [
        opt(p.registered, decimals),
        opt(p.resident, decimals),
        opt(p.poverty_alleviated, decimals),
    ]
}

/// The sheets of `report`, in reading order: progress, areas, townships, villages, spaces,
/// land use, 美丽村庄 inside each area, the designated units.
pub fn sheets(report: &DemoReport) -> Vec<Sheet> {
    let mut out = Vec::new();
    let progress = report
        .review
        .targets
        .iter()
        .map(|p| {
            vec![
                t(p.designation.name_zh()),
                n(p.target as f64, 0),
                n(p.designated as f64, 0),
                n(p.percent, 1),
            ]
        })
        .collect();
    out.push(Sheet {
        title: "目标进度（全县）".into(),
        header: heads(&["类型", "目标", "已指定", "完成率（%）"]),
        rows: progress,
    });
    let mut areas = Vec::new();
    let (mut towns, mut villages, mut spaces, mut classes, mut beautiful) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for a in &report.areas {
        let s = &a.summary;
        let mut row = vec![t(&a.name), t(&a.kind), t(&a.theme), opt(a.width_m, 0)];
        row.extend(area_cells(s.area_m2));
        row.push(n(s.townships.len() as f64, 0));
        row.push(n(s.villages.len() as f64, 0));
        row.extend(population_cells(&s.population_inside, 1));
        row.extend(Designation::ALL.map(|d| n(a.designated(d) as f64, 0)));
        areas.push(row);
        for u in &s.townships {
            let mut row = vec![t(&a.name), t(&u.code), t(&u.name), n(u.share * 100.0, 2)];
            row.extend(area_cells(u.inside_m2));
            row.push(yes(u.designated));
            towns.push(row);
        }
        for v in &s.villages {
            let u = &v.unit;
            let mut row = vec![
                t(&a.name),
                t(&u.code),
                t(&u.name),
                t(&v.township),
                n(u.share * 100.0, 2),
            ];
            row.extend(area_cells(u.inside_m2));
            row.extend(population_cells(&v.population, 0));
            row.extend(population_cells(&v.population_inside, 1));
            row.push(yes(u.designated));
            villages.push(row);
        }
        for c in &s.spaces {
            let mut row = vec![t(&a.name), t(&c.name)];
            row.extend(area_cells(c.area_m2));
            spaces.push(row);
        }
        for c in &s.land_use {
            let mut row = vec![t(&a.name), t(&c.code), t(&c.name)];
            row.extend(area_cells(c.area_m2));
            classes.push(row);
        }
        for v in s.natural_villages.iter().filter(|v| v.designated) {
            beautiful.push(vec![
                t(&a.name),
                t(&v.code),
                t(&v.name),
                opt(v.households.map(|h| h as f64), 0),
            ]);
        }
    }
    let sheet = |title: &str, header: &[&str], rows: Vec<Vec<Cell>>| Sheet {
        title: title.into(),
        header: heads(header),
        rows,
    };
    out.push(sheet(
        "示范区带线",
        &[
            "名称",
            "类型",
            "主题",
            "宽度（米）",
            "面积（公顷）",
            "面积（亩）",
            "涉及乡镇",
            "涉及行政村",
            "区内户籍人口",
            "区内常住人口",
            "区内脱贫人口",
            "示范乡镇",
            "精品示范村",
            "美丽村庄",
        ],
        areas,
    ));
    out.push(sheet(
        "涉及乡镇",
        &[
            "示范区带线",
            "乡镇代码",
            "乡镇",
            "区内面积比例（%）",
            "区内面积（公顷）",
            "区内面积（亩）",
            "示范乡镇",
        ],
        towns,
    ));
    out.push(sheet(
        "涉及行政村",
        &[
            "示范区带线",
            "村代码",
            "行政村",
            "乡镇",
            "区内面积比例（%）",
            "区内面积（公顷）",
            "区内面积（亩）",
            "户籍人口",
            "常住人口",
            "脱贫人口",
            "区内户籍人口",
            "区内常住人口",
            "区内脱贫人口",
            "精品示范村",
        ],
        villages,
    ));
    out.push(sheet(
        "三生空间",
        &["示范区带线", "空间类型", "面积（公顷）", "面积（亩）"],
        spaces,
    ));
    out.push(sheet(
        "现状地类",
        &[
            "示范区带线",
            "地类编码",
            "地类名称",
            "面积（公顷）",
            "面积（亩）",
        ],
        classes,
    ));
    out.push(sheet(
        "区内美丽村庄",
        &["示范区带线", "自然村代码", "自然村", "户数"],
        beautiful,
    ));
    let designated = report
        .review
        .units
        .iter()
        .map(|u| {
            let flags: Vec<String> = u
                .flags
                .iter()
                .map(|f| {
                    let mark = match f.kind {
                        FlagKind::Contradiction => "⚠矛盾",
                        FlagKind::Review => "待定",
                        FlagKind::CheckErrors => "质检",
                        FlagKind::Missing => "缺失",
                    };
                    format!("{mark}：{}", f.message_zh)
                })
                .collect();
            vec![
                t(u.designation.name_zh()),
                t(&u.code),
                t(&u.name),
                t(&u.township),
                t(&u.village),
                t(u.village_type.map(|v| v.name_zh()).unwrap_or("")),
                t(u.areas.join("、")),
                t(flags.join("；")),
            ]
        })
        .collect();
    out.push(sheet(
        "已指定",
        &[
            "类型",
            "代码",
            "名称",
            "乡镇",
            "行政村",
            "村庄类型",
            "所在示范区带线",
            "提示",
        ],
        designated,
    ));
    out
}

/// The 说明 lines: synthetic data, basis, population rule, targets, classification, checks,
/// what the project lacks.
pub fn explanation(report: &DemoReport) -> Vec<(String, String)> {
    let mut out = Vec::new();
    if report.synthetic {
        out.push((
            "数据".to_string(),
            "合成示例数据（SYNTHETIC），非真实调查 / synthetic sample data".to_string(),
        ));
    }
    out.push(("面积口径".into(), report.basis.clone()));
    out.push((
        "地类".into(),
        "三调一级类；田坎（1203）按扣除系数单列 / 三调 first-level classes, 田坎 apart".into(),
    ));
    out.push(("人口".into(), report.population_rule.to_string()));
    out.push((
        "目标".into(),
        if report.review.targets_set {
            "县设定 / set by the county".into()
        } else {
            "默认：凤庆县规划的 3 个示范乡镇、24 个精品示范村、300 个美丽村庄 / the seed plan's \
             defaults"
                .into()
        },
    ));
    out.push(("村庄分类".into(), report.review.classification.clone()));
    out.push(("质检".into(), report.review.checks.clone()));
    for note in &report.notes {
        out.push(("注意".into(), note.clone()));
    }
    out
}
