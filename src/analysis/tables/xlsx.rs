//! The tables as an Excel workbook (`rust_xlsxwriter`), laid out as the templates lay them
//! out (docs/domain.md §6): one sheet per table named after it, a title row, the unit row
//! (`单位：公顷、%`), the two-level column header with merged cells, row labels with their
//! codes (`耕地（01）`), nested labels in merged cells, values as numbers (never formulas)
//! in `0.0000` (areas) and `0.00` (%), codes as text, and a 说明 sheet with the basis, the
//! deduction rule per layer, the sources and the tool version.

use std::path::Path;

use rust_xlsxwriter::{Format, FormatAlign, FormatBorder, Workbook, Worksheet, XlsxError};

use super::indicators::IndicatorValue;
use super::rounding::{AreaUnit, Fixed};
use super::structure::StructureTable;
use super::{PlanTables, TableKind};
use crate::error::{Error, Result};

/// Columns of the nested row labels of the structure tables.
const LABEL_COLUMNS: u16 = 4;

struct Formats {
    title: Format,
    unit: Format,
    header: Format,
    label: Format,
    text: Format,
    area: Format,
    share: Format,
    number2: Format,
    count: Format,
}

impl Formats {
    fn new() -> Self {
        let cell = Format::new().set_border(FormatBorder::Thin);
        Formats {
            title: Format::new()
                .set_bold()
                .set_font_size(14)
                .set_align(FormatAlign::Center),
            unit: Format::new().set_align(FormatAlign::Right),
            header: cell
                .clone()
                .set_bold()
                .set_align(FormatAlign::Center)
                .set_align(FormatAlign::VerticalCenter)
                .set_text_wrap(),
            label: cell.clone().set_align(FormatAlign::VerticalCenter),
            text: cell.clone().set_num_format("@"),
            area: cell.clone().set_num_format("0.0000"),
            share: cell.clone().set_num_format("0.00"),
            number2: cell.clone().set_num_format("0.00"),
            count: cell.set_num_format("0"),
        }
    }
}

/// A sheet and its formats: writes that merge only when there is more than one cell (the
/// writer refuses a one-cell merge).
struct Sheet<'a> {
    ws: &'a mut Worksheet,
    f: &'a Formats,
}

impl Sheet<'_> {
    fn put(
        &mut self,
        r: u32,
        c: u16,
        r2: u32,
        c2: u16,
        text: &str,
        format: &Format,
    ) -> Result<(), XlsxError> {
        if r == r2 && c == c2 {
            self.ws.write_string_with_format(r, c, text, format)?;
        } else {
            self.ws.merge_range(r, c, r2, c2, text, format)?;
        }
        Ok(())
    }

    fn number(&mut self, r: u32, c: u16, value: Fixed, format: &Format) -> Result<(), XlsxError> {
        self.ws
            .write_number_with_format(r, c, value.value(), format)?;
        Ok(())
    }

    fn dash(&mut self, r: u32, c: u16) -> Result<(), XlsxError> {
        let f = self.f.text.clone().set_align(FormatAlign::Center);
        self.ws.write_string_with_format(r, c, "—", &f)?;
        Ok(())
    }

    /// Title (row 0) and unit (row 1) over `width` columns.
    fn heading(&mut self, title: &str, unit: &str, width: u16) -> Result<(), XlsxError> {
        let f = self.f;
        let last = width.saturating_sub(1);
        self.put(0, 0, 0, last, title, &f.title)?;
        self.put(1, 0, 1, last, unit, &f.unit)?;
        Ok(())
    }
}

fn scope_title(tables: &PlanTables, title: &str) -> String {
    let synthetic = if tables.synthetic {
        "（合成示例数据）"
    } else {
        ""
    };
    format!("{}{title}{synthetic}", tables.scope.name)
}

fn unit_row(unit: AreaUnit) -> String {
    format!("单位：{}、%", unit.name_zh())
}

fn write_structure(
    sheet: &mut Sheet,
    tables: &PlanTables,
    table: &StructureTable,
    unit: AreaUnit,
    with_target: bool,
) -> Result<(), XlsxError> {
    let f = sheet.f;
    let title = if with_target {
        &table.title
    } else {
        &table.base_title
    };
    let width = LABEL_COLUMNS + if with_target { 5 } else { 2 };
    sheet.heading(&scope_title(tables, title), &unit_row(unit), width)?;
    sheet.put(2, 0, 3, LABEL_COLUMNS - 1, "用地类型名称及编码", &f.header)?;
    let year_heads: &[&str] = if with_target {
        &["规划基期年", "规划目标年"]
    } else {
        &["现状基期年"]
    };
    for (k, head) in year_heads.iter().enumerate() {
        let c = LABEL_COLUMNS + 2 * k as u16;
        sheet.put(2, c, 2, c + 1, head, &f.header)?;
        sheet.put(3, c, 3, c, "面积", &f.header)?;
        sheet.put(3, c + 1, 3, c + 1, "比重", &f.header)?;
    }
    if with_target {
        sheet.put(
            2,
            LABEL_COLUMNS + 4,
            3,
            LABEL_COLUMNS + 4,
            "规划期内面积增减",
            &f.header,
        )?;
    }
    let first = 4u32;
    let lines = &table.lines;
    for (i, line) in lines.iter().enumerate() {
        let r = first + i as u32;
        let depth = line.label.len();
        // Outer label parts: one merged cell over the run of rows sharing the prefix,
        // written at the run's first row.
        for k in 0..depth.saturating_sub(1) {
            let prefix = &line.label[..=k];
            let starts = i == 0 || !lines[i - 1].label.starts_with(prefix);
            if starts {
                let run = lines[i..]
                    .iter()
                    .take_while(|l| l.label.starts_with(prefix) && l.label.len() > k + 1)
                    .count() as u32;
                sheet.put(r, k as u16, r + run - 1, k as u16, &line.label[k], &f.label)?;
            }
        }
        let own = if line.kind == super::rows::RowKind::Subtotal {
            "小计".to_string()
        } else {
            line.display.clone()
        };
        sheet.put(r, (depth - 1) as u16, r, LABEL_COLUMNS - 1, &own, &f.label)?;
        let c = LABEL_COLUMNS;
        sheet.number(r, c, line.base.area.in_unit(unit), &f.area)?;
        sheet.number(r, c + 1, line.base.share_percent, &f.share)?;
        if with_target {
            match (&line.target, &line.change) {
                (Some(t), Some(change)) => {
                    sheet.number(r, c + 2, t.area.in_unit(unit), &f.area)?;
                    sheet.number(r, c + 3, t.share_percent, &f.share)?;
                    sheet.number(r, c + 4, change.in_unit(unit), &f.area)?;
                }
                _ => {
                    for k in 2..5 {
                        sheet.dash(r, c + k)?;
                    }
                }
            }
        }
    }
    sheet.ws.set_column_width(LABEL_COLUMNS - 1, 28)?;
    for c in 0..LABEL_COLUMNS - 1 {
        sheet.ws.set_column_width(c, 10)?;
    }
    for c in LABEL_COLUMNS..width {
        sheet.ws.set_column_width(c, 13)?;
    }
    Ok(())
}

fn write_indicators(
    sheet: &mut Sheet,
    tables: &PlanTables,
    unit: AreaUnit,
) -> Result<(), XlsxError> {
    let f = sheet.f;
    let table = &tables.indicators;
    sheet.heading(&scope_title(tables, &table.title), "", 6)?;
    for (c, head) in ["序号", "指标", "属性", "单位", "现状基期年", "规划目标年"]
        .iter()
        .enumerate()
    {
        sheet.put(2, c as u16, 2, c as u16, head, &f.header)?;
    }
    let mut r = 3u32;
    let mut section = "";
    for line in &table.lines {
        if line.section != section {
            section = &line.section;
            sheet.put(r, 0, r, 5, section, &f.label)?;
            r += 1;
        }
        sheet
            .ws
            .write_number_with_format(r, 0, line.number as f64, &f.count)?;
        sheet.put(r, 1, r, 1, &line.name, &f.label)?;
        sheet.put(r, 2, r, 2, &line.attribute, &f.label)?;
        sheet.put(r, 3, r, 3, line.kind.unit_zh(unit), &f.label)?;
        for (c, value) in [(4u16, &line.base), (5, &line.target)] {
            match value {
                IndicatorValue::Area { area } => sheet.number(r, c, area.in_unit(unit), &f.area)?,
                IndicatorValue::Number { value } => sheet.number(r, c, *value, &f.number2)?,
                IndicatorValue::Count { count } => {
                    sheet
                        .ws
                        .write_number_with_format(r, c, *count as f64, &f.count)?;
                }
                IndicatorValue::Missing { .. } => sheet.dash(r, c)?,
            }
        }
        r += 1;
    }
    sheet.ws.set_column_width(1, 30)?;
    for c in 4..6 {
        sheet.ws.set_column_width(c, 14)?;
    }
    Ok(())
}

fn write_control(sheet: &mut Sheet, tables: &PlanTables, unit: AreaUnit) -> Result<(), XlsxError> {
    let f = sheet.f;
    let table = &tables.control;
    sheet.heading(&scope_title(tables, &table.title), &unit_row(unit), 3)?;
    let heads = [
        "管控边界类型名称".to_string(),
        format!("面积（{}）", unit.name_zh()),
        "占比（%）".to_string(),
    ];
    for (c, head) in heads.iter().enumerate() {
        sheet.put(2, c as u16, 2, c as u16, head, &f.header)?;
    }
    for (i, line) in table.lines.iter().enumerate() {
        let r = 3 + i as u32;
        let label = if line.code.is_empty() {
            line.name.clone()
        } else {
            format!("{}（{}）", line.name, line.code)
        };
        sheet.put(r, 0, r, 0, &label, &f.label)?;
        if table.layer.is_some() {
            sheet.number(r, 1, line.area.in_unit(unit), &f.area)?;
            sheet.number(r, 2, line.share_percent, &f.share)?;
        } else {
            sheet.dash(r, 1)?;
            sheet.dash(r, 2)?;
        }
    }
    sheet.ws.set_column_width(0, 28)?;
    sheet.ws.set_column_width(1, 14)?;
    sheet.ws.set_column_width(2, 12)?;
    Ok(())
}

fn write_survey(sheet: &mut Sheet, tables: &PlanTables, unit: AreaUnit) -> Result<(), XlsxError> {
    let f = sheet.f;
    let table = &tables.survey;
    let width = 3 + table.columns.len() as u16;
    sheet.heading(
        &scope_title(tables, &table.title),
        &format!("单位：{}", unit.name_zh()),
        width,
    )?;
    sheet.put(2, 0, 3, 1, "行政区域", &f.header)?;
    sheet.put(2, 2, 3, 2, "国土调查总面积", &f.header)?;
    let mut c = 3u16;
    let mut i = 0;
    while i < table.columns.len() {
        let column = &table.columns[i];
        let span = column.members.len() as u16;
        let head = if column.code.is_empty() {
            column.name.clone()
        } else {
            format!("{}（{}）", column.name, column.code)
        };
        if column.level == 1 && column.members != [i] {
            sheet.put(2, c, 2, c + span, &head, &f.header)?;
            sheet.put(3, c, 3, c, "小计", &f.header)?;
            for k in 0..span as usize {
                let child = &table.columns[i + 1 + k];
                let text = format!("{}（{}）", child.name, child.code);
                sheet.put(3, c + 1 + k as u16, 3, c + 1 + k as u16, &text, &f.header)?;
            }
            c += span + 1;
            i += span as usize + 1;
        } else {
            sheet.put(2, c, 3, c, &head, &f.header)?;
            c += 1;
            i += 1;
        }
    }
    for (k, row) in table.rows.iter().enumerate() {
        let r = 4 + k as u32;
        sheet.put(r, 0, r, 0, &row.code, &f.text)?;
        sheet.put(r, 1, r, 1, &row.name, &f.label)?;
        sheet.number(r, 2, row.total.in_unit(unit), &f.area)?;
        for (j, value) in row.values.iter().enumerate() {
            sheet.number(r, 3 + j as u16, value.in_unit(unit), &f.area)?;
        }
    }
    sheet.ws.set_column_width(0, 14)?;
    sheet.ws.set_column_width(1, 18)?;
    Ok(())
}

fn write_projects(sheet: &mut Sheet, tables: &PlanTables, unit: AreaUnit) -> Result<(), XlsxError> {
    let f = sheet.f;
    let table = &tables.projects;
    let heads = [
        "序号".to_string(),
        "项目类型".into(),
        "项目名称".into(),
        format!("用地面积（{}）", unit.name_zh()),
        "高度层数".into(),
        "风貌管控".into(),
        "建设年限".into(),
        "投资额（万元）".into(),
        "建议资金来源".into(),
        "备注".into(),
    ];
    sheet.heading(&scope_title(tables, &table.title), "", heads.len() as u16)?;
    for (c, head) in heads.iter().enumerate() {
        sheet.put(2, c as u16, 2, c as u16, head, &f.header)?;
    }
    let mut r = 3u32;
    for (i, line) in table.lines.iter().enumerate() {
        sheet
            .ws
            .write_number_with_format(r, 0, (i + 1) as f64, &f.count)?;
        for (c, text) in [
            (1u16, &line.kind),
            (2, &line.name),
            (4, &line.floors),
            (5, &line.style),
            (6, &line.period),
            (8, &line.funding),
            (9, &line.note),
        ] {
            sheet.put(r, c, r, c, text, &f.text)?;
        }
        match &line.land {
            Some(a) => sheet.number(r, 3, a.in_unit(unit), &f.area)?,
            None => sheet.dash(r, 3)?,
        }
        match line.investment {
            Some(v) => sheet.number(r, 7, v, &f.number2)?,
            None => sheet.dash(r, 7)?,
        }
        r += 1;
    }
    sheet.put(r, 0, r, 2, "合计", &f.label)?;
    sheet.number(r, 3, table.total_land.in_unit(unit), &f.area)?;
    sheet.number(r, 7, table.total_investment, &f.number2)?;
    sheet.ws.set_column_width(2, 30)?;
    Ok(())
}

/// The 说明 rows: what the numbers are and where they come from.
pub fn explanation(tables: &PlanTables, unit: AreaUnit) -> Vec<(String, String)> {
    let mut rows = vec![
        ("项目".to_string(), tables.project.clone()),
        (
            "范围".into(),
            format!(
                "{} {}（{} 个行政村，其中 {} 个有规划）",
                tables.scope.name,
                tables.scope.code,
                tables.scope.villages.len(),
                tables.scope.planned_villages
            ),
        ),
        (
            "面积基准".into(),
            format!("{}；{}", tables.basis_zh, tables.basis_en),
        ),
        (
            "单位与取整".into(),
            format!(
                "{}保留 4 位小数，比重（%）保留 2 位小数；各行按最大余数法取整，小计为取整后各行之和，总计等于行政村面积",
                unit.name_zh()
            ),
        ),
    ];
    for layer in &tables.layers {
        rows.push((
            format!("田坎扣除（{}，{}）", layer.layer, layer.year.name_zh()),
            format!("{}；{}", layer.deduction_zh, layer.deduction_en),
        ));
        rows.push((
            format!("数据来源（{}）", layer.year.name_zh()),
            format!("图层“{}”，地类编码字段 {}", layer.layer, layer.code_field),
        ));
    }
    rows.push(("表格结构".into(), tables.sources.join("、")));
    rows.push(("工具版本".into(), tables.tool.clone()));
    if tables.synthetic {
        rows.push((
            "注意".into(),
            "合成示例数据（SYNTHETIC sample data），并非真实调查成果".into(),
        ));
    }
    for note in &tables.notes {
        rows.push(("提示".into(), note.clone()));
    }
    rows
}

fn write_explanation(
    sheet: &mut Sheet,
    tables: &PlanTables,
    unit: AreaUnit,
) -> Result<(), XlsxError> {
    let f = sheet.f;
    sheet.put(0, 0, 0, 1, &scope_title(tables, "规划表格说明"), &f.title)?;
    for (i, (key, value)) in explanation(tables, unit).iter().enumerate() {
        let r = 1 + i as u32;
        sheet.put(r, 0, r, 0, key, &f.label)?;
        sheet.put(r, 1, r, 1, value, &f.text)?;
    }
    sheet.ws.set_column_width(0, 26)?;
    sheet.ws.set_column_width(1, 120)?;
    Ok(())
}

/// The workbook's bytes: the chosen tables (all when `only` is `None`) and the 说明 sheet.
pub fn workbook_bytes(
    tables: &PlanTables,
    only: Option<TableKind>,
    unit: AreaUnit,
) -> Result<Vec<u8>> {
    let fail = |e: XlsxError| Error::Invalid(format!("cannot build the workbook: {e}"));
    let formats = Formats::new();
    let mut book = Workbook::new();
    for kind in TableKind::ALL {
        if only.is_some_and(|o| o != kind) {
            continue;
        }
        let ws = book.add_worksheet();
        ws.set_name(kind.sheet_name()).map_err(fail)?;
        let mut sheet = Sheet { ws, f: &formats };
        match kind {
            TableKind::Current => {
                write_structure(&mut sheet, tables, &tables.structure, unit, false)
            }
            TableKind::Structure => {
                write_structure(&mut sheet, tables, &tables.structure, unit, true)
            }
            TableKind::Indicators => write_indicators(&mut sheet, tables, unit),
            TableKind::Control => write_control(&mut sheet, tables, unit),
            TableKind::Survey => write_survey(&mut sheet, tables, unit),
            TableKind::Projects => write_projects(&mut sheet, tables, unit),
        }
        .map_err(fail)?;
    }
    let ws = book.add_worksheet();
    ws.set_name("说明").map_err(fail)?;
    write_explanation(&mut Sheet { ws, f: &formats }, tables, unit).map_err(fail)?;
    book.save_to_buffer().map_err(fail)
}

/// Writes the workbook to `path` (atomically: a temporary file beside it, then a rename).
pub fn write_workbook(
    tables: &PlanTables,
    only: Option<TableKind>,
    unit: AreaUnit,
    path: &Path,
) -> Result<()> {
    let bytes = workbook_bytes(tables, only, unit)?;
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let temp = dir.join(format!(".{name}.writing-{}", std::process::id()));
    std::fs::write(&temp, &bytes).map_err(|e| Error::write(path, e.to_string()))?;
    std::fs::rename(&temp, path).map_err(|e| {
        // The rename's failure is the error the user gets; the temporary file is only
        // tidied away, and if that fails too its name says what it is.
        std::fs::remove_file(&temp).ok();
        Error::write(path, e.to_string())
    })
}
