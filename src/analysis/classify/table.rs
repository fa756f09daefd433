//! A village statistics table joined by the 12-digit village code: population, heritage
//! listings and flags that the village layer lacks or has outdated.
//!
//! CSV (UTF-8 with or without BOM, or GBK as Excel writes it on Chinese Windows), or the
//! first sheet of an Excel `.xlsx` / LibreOffice `.ods` workbook read through GDAL's
//! spreadsheet drivers (every cell as text, so 12-digit codes keep their digits). Columns are recognised by the names in
//! [`super::attributes`]; other columns are listed in [`VillageTable::ignored_columns`] so
//! a misspelt header is visible, not silently dropped. A cell that is not a number (or a
//! yes/no for flags) is an error naming the file, line and column.

use std::collections::BTreeMap;
use std::path::Path;

use super::attributes::{indicator_for_column, is_code_column, is_name_column, parse_cell};
use super::indicators::{Indicator, IndicatorValues};
use crate::error::{Error, Result};

/// Rows of a village table by village code.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct VillageTable {
    /// The file it was read from.
    pub source: String,
    /// Values by 12-digit village code; empty cells are absent.
    pub rows: BTreeMap<String, IndicatorValues>,
    /// The indicator columns found.
    pub columns: Vec<Indicator>,
    /// Headers that are neither the code, the name nor an indicator.
    pub ignored_columns: Vec<String>,
}

impl VillageTable {
    /// Reads a CSV file or the first sheet of an `.xlsx` / `.ods` workbook.
    pub fn read(path: &Path) -> Result<VillageTable> {
        let ext = path
            .extension()
            .map(|e| e.to_string_lossy().to_ascii_lowercase())
            .unwrap_or_default();
        match ext.as_str() {
            "xlsx" | "ods" => VillageTable::from_spreadsheet(path),
            "xls" => Err(Error::Invalid(format!(
                "{}: the old binary .xls format is not read; save it as .xlsx or CSV",
                path.display()
            ))),
            _ => {
                let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
                VillageTable::from_csv_bytes(&bytes, &path.display().to_string())
            }
        }
    }

    /// The first sheet of a workbook through GDAL, every cell as text. The first row is
    /// the header (a sheet without one has no code column and is refused with the
    /// columns it found).
    fn from_spreadsheet(path: &Path) -> Result<VillageTable> {
        use gdal::vector::LayerAccess;
        let source = path.display().to_string();
        let gdal_err = |e: gdal::errors::GdalError| Error::Table {
            source_name: source.clone(),
            line: 0,
            detail: e.to_string(),
        };
        // Text cells keep leading zeros and 12-digit codes exactly; with every cell text,
        // GDAL cannot guess the header row, so the first row is taken as the header.
        const OPTIONS: [(&str, &str); 4] = [
            ("OGR_XLSX_FIELD_TYPES", "STRING"),
            ("OGR_ODS_FIELD_TYPES", "STRING"),
            ("OGR_XLSX_HEADERS", "FORCE"),
            ("OGR_ODS_HEADERS", "FORCE"),
        ];
        for (key, value) in OPTIONS {
            gdal::config::set_thread_local_config_option(key, value).map_err(gdal_err)?;
        }
        let opened = gdal::Dataset::open_ex(
            path,
            gdal::DatasetOptions {
                open_flags: gdal::GdalOpenFlags::GDAL_OF_VECTOR,
                ..Default::default()
            },
        );
        // The driver reads the sheet lazily: the options must hold until it is read.
        let read = opened.and_then(|dataset| {
            let mut sheet = dataset.layer(0)?;
            let headers: Vec<String> = sheet.defn().fields().map(|f| f.name()).collect();
            let width = headers.len();
            let rows: Vec<Vec<String>> = sheet
                .features()
                .map(|f| {
                    (0..width)
                        .map(|i| f.field_as_string(i).ok().flatten().unwrap_or_default())
                        .collect()
                })
                .collect();
            Ok((headers, rows))
        });
        for (key, _) in OPTIONS {
            let _ = gdal::config::clear_thread_local_config_option(key);
        }
        let (headers, rows) = read.map_err(gdal_err)?;
        VillageTable::from_rows(
            &headers,
            rows.into_iter().map(Ok::<_, std::convert::Infallible>),
            &source,
        )
    }

    /// Parses CSV bytes; `source` names the table in errors.
    pub fn from_csv_bytes(bytes: &[u8], source: &str) -> Result<VillageTable> {
        let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
        let text = match std::str::from_utf8(bytes) {
            Ok(t) => std::borrow::Cow::Borrowed(t),
            // Excel on Chinese Windows saves CSV in GBK; a strict UTF-8 failure is strong
            // evidence of it (docs/domain.md §7).
            Err(_) => encoding_rs::GBK.decode_without_bom_handling(bytes).0,
        };
        let table_err = |line: usize, detail: String| Error::Table {
            source_name: source.to_string(),
            line,
            detail,
        };
        let mut reader = csv::ReaderBuilder::new()
            .flexible(true)
            .from_reader(text.as_bytes());
        let headers = reader
            .headers()
            .map_err(|e| table_err(1, e.to_string()))?
            .clone();
        let headers: Vec<String> = headers.iter().map(str::to_string).collect();
        let rows = reader
            .records()
            .map(|r| r.map(|rec| rec.iter().map(str::to_string).collect::<Vec<String>>()));
        VillageTable::from_rows(&headers, rows, source)
    }

    /// The table from a header row and data rows (line 2 onwards), whatever the file type; a
    /// row the reader could not read is reported at its line.
    fn from_rows<E: std::fmt::Display>(
        headers: &[String],
        rows: impl Iterator<Item = std::result::Result<Vec<String>, E>>,
        source: &str,
    ) -> Result<VillageTable> {
        let table_err = |line: usize, detail: String| Error::Table {
            source_name: source.to_string(),
            line,
            detail,
        };
        let code_col = headers
            .iter()
            .position(|h| is_code_column(h))
            .ok_or_else(|| {
                table_err(
                    1,
                    format!(
                        "no village code column (XZQDM, 村代码 …); columns: {}",
                        headers.join(", ")
                    ),
                )
            })?;
        let mut table = VillageTable {
            source: source.to_string(),
            ..Default::default()
        };
        let mut columns: Vec<(usize, Indicator)> = Vec::new();
        for (i, h) in headers.iter().enumerate() {
            if i == code_col || is_name_column(h) {
                continue;
            }
            match indicator_for_column(h) {
                Some(ind) if columns.iter().any(|(_, c)| *c == ind) => {
                    return Err(table_err(
                        1,
                        format!("two columns hold {} ('{h}')", ind.name_zh()),
                    ));
                }
                Some(ind) => columns.push((i, ind)),
                None => table.ignored_columns.push(h.to_string()),
            }
        }
        table.columns = columns.iter().map(|(_, c)| *c).collect();
        for (n, record) in rows.enumerate() {
            let line = n + 2;
            let record = record.map_err(|e| table_err(line, e.to_string()))?;
            let cell = |i: usize| record.get(i).map(String::as_str).unwrap_or_default();
            let code = cell(code_col).trim().to_string();
            if code.is_empty() {
                continue;
            }
            if code.len() != 12 || !code.chars().all(|c| c.is_ascii_digit()) {
                return Err(table_err(
                    line,
                    format!("village code '{code}' is not 12 digits"),
                ));
            }
            let mut values = IndicatorValues::new();
            for &(col, ind) in &columns {
                match parse_cell(ind, cell(col)) {
                    Ok(Some(v)) => {
                        values.insert(ind, v);
                    }
                    Ok(None) => {}
                    Err(e) => {
                        return Err(table_err(line, format!("column '{}': {e}", &headers[col])));
                    }
                }
            }
            if table.rows.insert(code.clone(), values).is_some() {
                return Err(table_err(line, format!("village {code} appears twice")));
            }
        }
        Ok(table)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_utf8_and_gbk_with_aliases() {
        let csv = "村代码,村名称,户籍人口（人）,常住人口,传统村落,备注\n\
                   530921201208,河平村,\"1,200\",500,是,x\n530921201206,牌坊村,800,,否,\n";
        let t = VillageTable::from_csv_bytes(csv.as_bytes(), "t.csv").unwrap();
        assert_eq!(t.ignored_columns, vec!["备注".to_string()]);
        let hp = &t.rows["530921201208"];
        assert_eq!(hp[&Indicator::RegisteredPopulation], 1200.0);
        assert_eq!(hp[&Indicator::TraditionalVillage], 1.0);
        assert!(
            !t.rows["530921201206"].contains_key(&Indicator::ResidentPopulation),
            "empty cell is unknown"
        );
        let (gbk, _, _) = encoding_rs::GBK.encode(csv);
        assert_eq!(VillageTable::from_csv_bytes(&gbk, "g.csv").unwrap(), {
            let mut t2 = t.clone();
            t2.source = "g.csv".into();
            t2
        });
    }

    #[test]
    fn bad_cells_name_the_line_and_column() {
        let csv = "XZQDM,HJRK\n530921201208,100\n530921201206,lots\n";
        let e = VillageTable::from_csv_bytes(csv.as_bytes(), "t.csv")
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("t.csv, line 3") && e.contains("HJRK") && e.contains("lots"),
            "{e}"
        );
        let e = VillageTable::from_csv_bytes(b"name,HJRK\nx,1\n", "n.csv")
            .unwrap_err()
            .to_string();
        assert!(e.contains("no village code column"), "{e}");
        let e = VillageTable::from_csv_bytes(b"XZQDM\n5309\n", "s.csv")
            .unwrap_err()
            .to_string();
        assert!(e.contains("not 12 digits"), "{e}");
    }
}
