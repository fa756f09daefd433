//! The row structure of the 空间功能结构调整表 and the 现状指标表, read from data
//! (`assets/tables/structure.toml`, docs/domain.md §6.1), and which row a class goes to.
//!
//! A province's variant is another file: [`StructureRows::parse`] reads any text of the
//! same form and names the line of a mistake.

use serde::Deserialize;

use super::accounting::ClassKey;
use crate::error::{Error, Result};

const BUNDLED: &str = include_str!("../../../assets/tables/structure.toml");
const BUNDLED_NAME: &str = "assets/tables/structure.toml";

/// What a row holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RowKind {
    /// Counts the classes of its codes.
    Counted,
    /// 城镇用地: construction land in towns.
    Town,
    /// 小计 of the counted rows under its label.
    Subtotal,
    /// 总计.
    Total,
    /// 待细分: classes whose candidates fall in different rows (added by the program).
    Pending,
    /// 未归类: codes outside the dictionary or that no row counts (added by the program).
    Unclassified,
}

impl RowKind {
    /// True for rows that count land themselves (the leaves the rounding works on).
    pub fn is_leaf(self) -> bool {
        matches!(
            self,
            RowKind::Counted | RowKind::Town | RowKind::Pending | RowKind::Unclassified
        )
    }
}

/// One row of the structure.
#[derive(Debug, Clone, PartialEq)]
pub struct RowSpec {
    /// The nesting, outermost first; the last part is the row's own name.
    pub label: Vec<String>,
    /// The codes shown after the name (text).
    pub code: String,
    /// What the row holds.
    pub kind: RowKind,
    /// The 用地用海 2023 code prefixes it counts (ranges expanded).
    pub codes: Vec<String>,
}

impl RowSpec {
    /// The row's own name (the last part of its label).
    pub fn name(&self) -> &str {
        self.label.last().map(String::as_str).unwrap_or_default()
    }

    /// `耕地（01）`, or the bare name when the row shows no code.
    pub fn display(&self) -> String {
        if self.code.is_empty() {
            self.name().to_string()
        } else {
            format!("{}（{}）", self.name(), self.code)
        }
    }

    /// The label a 小计 sums under: its label less its last part.
    fn subtotal_prefix(&self) -> &[String] {
        &self.label[..self.label.len().saturating_sub(1)]
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FileRow {
    label: Vec<String>,
    #[serde(default)]
    code: String,
    #[serde(default)]
    codes: Vec<String>,
    #[serde(default)]
    town: bool,
    #[serde(default)]
    subtotal: bool,
    #[serde(default)]
    total: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    title: String,
    base_title: String,
    row: Vec<FileRow>,
}

/// Where a class goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Resolution {
    /// Into this row (index into [`StructureRows::rows`]).
    Row(usize),
    /// Its possible sub-classes fall in these different rows: 待细分.
    Ambiguous(Vec<usize>),
    /// No row counts it: 未归类.
    Nowhere,
}

/// The rows of the 空间功能结构调整表, with the two rows the program adds.
#[derive(Debug, Clone, PartialEq)]
pub struct StructureRows {
    /// The table's title (空间功能结构调整表).
    pub title: String,
    /// The title of the base-year table with the same rows (现状指标表).
    pub base_title: String,
    /// The rows in order; the 待细分 and 未归类 rows stand just before the 总计.
    pub rows: Vec<RowSpec>,
    /// Where the file came from, for messages and the 说明 sheet.
    pub source: String,
}

/// Expands `1301-1310` into its codes; a single code stays as it is.
fn expand(pattern: &str, source: &str, line: usize) -> Result<Vec<String>> {
    let Some((first, last)) = pattern.split_once('-') else {
        return Ok(vec![pattern.trim().to_string()]);
    };
    let (first, last) = (first.trim(), last.trim());
    let bad = || Error::Table {
        source_name: source.to_string(),
        line,
        detail: format!("code range '{pattern}' is not two numbers of the same length"),
    };
    if first.len() != last.len() {
        return Err(bad());
    }
    let (a, b): (u32, u32) = (
        first.parse().map_err(|_| bad())?,
        last.parse().map_err(|_| bad())?,
    );
    if a > b {
        return Err(bad());
    }
    Ok((a..=b)
        .map(|n| format!("{n:0width$}", width = first.len()))
        .collect())
}

/// A row-structure file read into `T`; a syntax or schema error names the file (`source`)
/// and the line, so a province editing its variant finds the mistake.
pub fn parse_toml<T: serde::de::DeserializeOwned>(text: &str, source: &str) -> Result<T> {
    toml::from_str(text).map_err(|e| Error::Table {
        source_name: source.to_string(),
        line: e
            .span()
            .map(|s| text[..s.start].lines().count().max(1))
            .unwrap_or(0),
        detail: e.message().to_string(),
    })
}

impl StructureRows {
    /// The bundled structure (docs/domain.md §6.1).
    pub fn bundled() -> Result<Self> {
        Self::parse(BUNDLED, BUNDLED_NAME)
    }

    /// Reads a structure file; `source` names it in errors.
    pub fn parse(text: &str, source: &str) -> Result<Self> {
        let file: File = parse_toml(text, source)?;
        let mut rows = Vec::new();
        for (i, row) in file.row.into_iter().enumerate() {
            let where_ = || Error::Table {
                source_name: source.to_string(),
                line: 0,
                detail: format!(
                    "row {} ({}): exactly one of codes, subtotal, total, and a label, please",
                    i + 1,
                    row.label.join(" › ")
                ),
            };
            let kind = match (row.town, row.subtotal, row.total, row.codes.is_empty()) {
                (false, false, false, false) => RowKind::Counted,
                (true, false, false, false) => RowKind::Town,
                (false, true, false, true) => RowKind::Subtotal,
                (false, false, true, true) => RowKind::Total,
                _ => return Err(where_()),
            };
            if row.label.is_empty() {
                return Err(where_());
            }
            let mut codes = Vec::new();
            for pattern in &row.codes {
                codes.extend(expand(pattern, source, i + 1)?);
            }
            if kind == RowKind::Total {
                rows.push(RowSpec {
                    label: vec!["待细分（须规划确定）".into()],
                    code: String::new(),
                    kind: RowKind::Pending,
                    codes: Vec::new(),
                });
                rows.push(RowSpec {
                    label: vec!["未归类（编码无法归入表行）".into()],
                    code: String::new(),
                    kind: RowKind::Unclassified,
                    codes: Vec::new(),
                });
            }
            rows.push(RowSpec {
                label: row.label,
                code: row.code,
                kind,
                codes,
            });
        }
        if rows.iter().filter(|r| r.kind == RowKind::Total).count() != 1 {
            return Err(Error::Table {
                source_name: source.to_string(),
                line: 0,
                detail: "the structure needs exactly one total row".into(),
            });
        }
        Ok(StructureRows {
            title: file.title,
            base_title: file.base_title,
            rows,
            source: source.to_string(),
        })
    }

    /// The row of the 待细分 classes.
    pub fn pending_row(&self) -> usize {
        self.position(RowKind::Pending)
    }

    /// The row of the 未归类 codes.
    pub fn unclassified_row(&self) -> usize {
        self.position(RowKind::Unclassified)
    }

    fn position(&self, kind: RowKind) -> usize {
        // Both are added by `parse`, always.
        self.rows.iter().position(|r| r.kind == kind).unwrap_or(0)
    }

    /// Where a 用地用海 2023 class goes. A row counting a prefix of the code takes it (the
    /// town row first for land in towns, else the longest prefix); a code coarser than every
    /// row's codes (`13`) goes to the one row all its sub-classes would reach, and is
    /// [`Resolution::Ambiguous`] when they would reach several.
    pub fn resolve(&self, key: &ClassKey) -> Resolution {
        let code = key.code.as_str();
        let applies = |row: &RowSpec| match row.kind {
            RowKind::Town => key.in_town,
            RowKind::Counted => true,
            _ => false,
        };
        if key.in_town
            && let Some(town) = self.rows.iter().position(|r| {
                r.kind == RowKind::Town && r.codes.iter().any(|c| code.starts_with(c.as_str()))
            })
        {
            return Resolution::Row(town);
        }
        let covering = self
            .rows
            .iter()
            .enumerate()
            .filter(|(_, r)| r.kind == RowKind::Counted)
            .flat_map(|(i, r)| r.codes.iter().map(move |c| (i, c)))
            .filter(|(_, c)| code.starts_with(c.as_str()))
            .max_by_key(|(_, c)| c.len());
        if let Some((i, _)) = covering {
            return Resolution::Row(i);
        }
        if code.is_empty() {
            return Resolution::Nowhere;
        }
        // A coarse code: the rows its finer codes would reach. In a town a finer code the
        // town row counts goes there, not to its own row.
        let town_codes: Vec<&String> = self
            .rows
            .iter()
            .filter(|r| r.kind == RowKind::Town && key.in_town)
            .flat_map(|r| r.codes.iter())
            .collect();
        let mut reached: Vec<usize> = Vec::new();
        for (i, row) in self.rows.iter().enumerate().filter(|(_, r)| applies(r)) {
            let hit = row.codes.iter().any(|c| {
                c.starts_with(code)
                    && (row.kind == RowKind::Town
                        || !town_codes.iter().any(|t| c.starts_with(t.as_str())))
            });
            if hit && !reached.contains(&i) {
                reached.push(i);
            }
        }
        match reached.len() {
            0 => Resolution::Nowhere,
            1 => Resolution::Row(reached[0]),
            _ => Resolution::Ambiguous(reached),
        }
    }

    /// The leaf rows a 小计 or the 总计 adds up.
    pub fn members(&self, row: usize) -> Vec<usize> {
        let spec = &self.rows[row];
        self.rows
            .iter()
            .enumerate()
            .filter(|(_, r)| r.kind.is_leaf())
            .filter(|(_, r)| match spec.kind {
                RowKind::Total => true,
                RowKind::Subtotal => r.label.starts_with(spec.subtotal_prefix()),
                _ => false,
            })
            .map(|(i, _)| i)
            .collect()
    }

    /// The row with this display name or code path (`村庄建设用地` finds its 小计,
    /// `耕地` its row), for indicators that read a row.
    pub fn find(&self, name: &str) -> Option<usize> {
        self.rows.iter().position(|r| match r.kind {
            RowKind::Subtotal => r.subtotal_prefix().last().is_some_and(|l| l == name),
            _ => r.name() == name,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(code: &str, in_town: bool) -> ClassKey {
        ClassKey {
            code: code.into(),
            in_town,
        }
    }

    fn name(rows: &StructureRows, r: Resolution) -> String {
        match r {
            Resolution::Row(i) => rows.rows[i].name().to_string(),
            Resolution::Ambiguous(v) => format!(
                "?{}",
                v.iter()
                    .map(|i| rows.rows[*i].name())
                    .collect::<Vec<_>>()
                    .join("/")
            ),
            Resolution::Nowhere => "-".into(),
        }
    }

    #[test]
    fn every_code_lands_in_its_row() {
        let rows = StructureRows::bundled().unwrap();
        let at = |code: &str, town: bool| name(&rows, rows.resolve(&key(code, town)));
        assert_eq!(at("0103", false), "耕地");
        assert_eq!(at("060102", false), "农业设施建设用地");
        assert_eq!(at("0601", false), "农业设施建设用地");
        assert_eq!(at("1207", false), "村庄内部道路用地");
        assert_eq!(at("1207", true), "城镇用地");
        assert_eq!(at("0703", false), "居住用地");
        assert_eq!(at("0703", true), "城镇用地");
        assert_eq!(
            at("0701", false),
            "-",
            "城镇住宅 outside a town fits no row"
        );
        assert_eq!(at("1311", false), "区域基础设施用地");
        assert_eq!(at("1311", true), "区域基础设施用地", "not town land");
        assert_eq!(at("1312", false), "公用设施用地");
        assert_eq!(at("1002", false), "其他建设用地");
        assert_eq!(at("2301", false), "空闲地");
        assert_eq!(at("2303", false), "其他土地");
        assert_eq!(at("2303", true), "其他土地");
        assert_eq!(at("1701", false), "陆地水域");
        assert_eq!(at("08", false), "公共管理与公共服务用地");
        assert_eq!(at("13", false), "?公用设施用地/区域基础设施用地");
        assert_eq!(at("12", true), "?城镇用地/区域基础设施用地");
        assert_eq!(at("9999", false), "-");
        assert_eq!(at("", false), "-");
    }

    #[test]
    fn subtotals_add_their_leaves() {
        let rows = StructureRows::bundled().unwrap();
        let village = rows.find("村庄建设用地").unwrap();
        assert_eq!(rows.members(village).len(), 12);
        let urban_rural = rows.find("村域城乡建设用地").unwrap();
        assert_eq!(rows.members(urban_rural).len(), 13);
        let construction = rows.find("村域建设用地").unwrap();
        assert_eq!(rows.members(construction).len(), 15);
        let total = rows
            .rows
            .iter()
            .position(|r| r.kind == RowKind::Total)
            .unwrap();
        assert_eq!(
            rows.members(total).len(),
            rows.rows.iter().filter(|r| r.kind.is_leaf()).count()
        );
        assert_eq!(
            rows.rows[rows.find("耕地").unwrap()].display(),
            "耕地（01）"
        );
    }

    #[test]
    fn a_bad_file_names_its_problem() {
        let err = StructureRows::parse("title = 1", "mine.toml").unwrap_err();
        assert!(err.to_string().starts_with("mine.toml, line 1"), "{err}");
        let err = StructureRows::parse(
            "title='t'\nbase_title='b'\n[[row]]\nlabel=['x']\ncodes=['13-1']\n[[row]]\nlabel=['总计']\ntotal=true\n",
            "mine.toml",
        )
        .unwrap_err();
        assert!(err.to_string().contains("13-1"), "{err}");
    }
}
