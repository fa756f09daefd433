//! Parsing the bundled code tables into lookup maps.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use super::{LandUseClass, Space, Standard, ThreeCategory};
use crate::error::{Error, Result};
use crate::model::Rgba;

const SANDIAO: &str = include_str!("../../assets/landuse/sandiao_dlbm.csv");
const YDYH_2023: &str = include_str!("../../assets/landuse/ydyh_2023.csv");
const YDYH_2020: &str = include_str!("../../assets/landuse/ydyh_2020_trial.csv");
const SANDIAO_TO_2023: &str = include_str!("../../assets/landuse/sandiao_to_ydyh2023_codes.csv");
const SANSHENG: &str = include_str!("../../assets/landuse/ydyh_to_sansheng.csv");
const COLOURS: &str = include_str!("../../assets/landuse/colours.csv");

/// Fallback for codes no colour row covers: a neutral grey, visibly "unknown".
const UNKNOWN_COLOUR: Rgba = Rgba::rgb(200, 200, 200);

/// The 三调 → 用地用海 2023 conversion of one code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Conversion {
    /// The 用地用海 2023 code (first-level when the class must still be refined).
    pub ydyh2023: String,
    /// True for "待细分": the planner must pick the sub-class from field evidence.
    pub needs_refinement: bool,
    /// The table's note, e.g. `待细分 (0802/0803/0804/0805/0806)`.
    pub note: String,
}

/// All code tables, parsed once.
#[derive(Debug)]
pub struct CodeBook {
    classes: BTreeMap<(Standard, String), LandUseClass>,
    sandiao_to_2023: BTreeMap<String, Conversion>,
}

/// A space rule: a code, or an inclusive range of codes, of 用地用海.
struct SpaceRule {
    first: String,
    last: String,
    space: Space,
}

impl SpaceRule {
    fn covers(&self, code: &str) -> bool {
        let n = self.first.len();
        let prefix = code.get(..n).unwrap_or(code);
        prefix.len() == n && self.first.as_str() <= prefix && prefix <= self.last.as_str()
    }
}

fn table_error(source_name: &str, line: usize, detail: impl Into<String>) -> Error {
    Error::Table {
        source_name: source_name.to_string(),
        line,
        detail: detail.into(),
    }
}

/// Rows of a bundled CSV (header skipped), with their 1-based line numbers.
pub(super) fn rows(source_name: &str, text: &str) -> Result<Vec<(usize, Vec<String>)>> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut out = Vec::new();
    for (i, record) in reader.records().enumerate() {
        let record = record.map_err(|e| table_error(source_name, i + 2, e.to_string()))?;
        out.push((i + 2, record.iter().map(|s| s.trim().to_string()).collect()));
    }
    Ok(out)
}

pub(super) fn field<'a>(row: &'a [String], i: usize, name: &str, line: usize) -> Result<&'a str> {
    row.get(i)
        .map(String::as_str)
        .ok_or_else(|| table_error(name, line, format!("missing column {}", i + 1)))
}

impl CodeBook {
    /// The bundled tables. They are compiled in and checked by the test suite, so failing
    /// to parse them is a build defect, not a user error.
    pub fn bundled() -> &'static CodeBook {
        static BOOK: OnceLock<CodeBook> = OnceLock::new();
        BOOK.get_or_init(|| {
            CodeBook::parse().expect("bundled land-use tables are validated by the tests")
        })
    }

    fn parse() -> Result<CodeBook> {
        let colours = parse_colours()?;
        let space_rules = parse_space_rules()?;
        let mut sandiao_to_2023 = BTreeMap::new();
        for (line, row) in rows("sandiao_to_ydyh2023_codes.csv", SANDIAO_TO_2023)? {
            let src = field(&row, 0, "sandiao_to_ydyh2023_codes.csv", line)?;
            let dst = field(&row, 1, "sandiao_to_ydyh2023_codes.csv", line)?;
            let note = row.get(2).cloned().unwrap_or_default();
            sandiao_to_2023.insert(
                src.to_string(),
                Conversion {
                    ydyh2023: dst.to_string(),
                    needs_refinement: note.contains("待细分"),
                    note,
                },
            );
        }
        let space_of = |code: &str| {
            space_rules
                .iter()
                .filter(|r| r.covers(code))
                .max_by_key(|r| r.first.len())
                .map(|r| r.space)
        };
        let colour_of = |std: &str, code: &str| {
            (1..=code.len())
                .rev()
                .find_map(|n| colours.get(&(std.to_string(), code[..n].to_string())))
                .copied()
                .unwrap_or(UNKNOWN_COLOUR)
        };

        let mut classes = BTreeMap::new();
        for (line, row) in rows("sandiao_dlbm.csv", SANDIAO)? {
            let name = "sandiao_dlbm.csv";
            let code = field(&row, 0, name, line)?.to_string();
            let level: u8 = field(&row, 2, name, line)?
                .parse()
                .map_err(|_| table_error(name, line, "level is not a number"))?;
            let parent = Some(field(&row, 3, name, line)?.to_string()).filter(|p| !p.is_empty());
            let three_category = match field(&row, 5, name, line)? {
                "农用地" => Some(ThreeCategory::Agricultural),
                "建设用地" => Some(ThreeCategory::Construction),
                "未利用地" => Some(ThreeCategory::Unused),
                _ => None,
            };
            let space = sandiao_to_2023
                .get(&code)
                .and_then(|c| space_of(&c.ydyh2023));
            classes.insert(
                (Standard::Sandiao, code.clone()),
                LandUseClass {
                    standard: Standard::Sandiao,
                    name: field(&row, 1, name, line)?.to_string(),
                    level,
                    level1: parent.clone().unwrap_or_else(|| code.clone()),
                    parent,
                    three_category,
                    construction: None,
                    space,
                    colour: colour_of("sandiao", &code),
                    code,
                },
            );
        }
        for (standard, name, text) in [
            (Standard::Ydyh2023, "ydyh_2023.csv", YDYH_2023),
            (Standard::Ydyh2020, "ydyh_2020_trial.csv", YDYH_2020),
        ] {
            for (line, row) in rows(name, text)? {
                let code = field(&row, 0, name, line)?.to_string();
                let level: u8 = field(&row, 2, name, line)?
                    .parse()
                    .map_err(|_| table_error(name, line, "level is not a number"))?;
                let level1 = field(&row, 3, name, line)?.to_string();
                let parent = match level {
                    1 => None,
                    _ => Some(code[..code.len() - 2].to_string()),
                };
                let first: u32 = level1
                    .parse()
                    .map_err(|_| table_error(name, line, "level-1 code is not a number"))?;
                classes.insert(
                    (standard, code.clone()),
                    LandUseClass {
                        standard,
                        name: field(&row, 1, name, line)?.to_string(),
                        level,
                        parent,
                        level1,
                        three_category: None,
                        construction: Some((6..=16).contains(&first)),
                        space: space_of(&code),
                        colour: colour_of("ydyh", &code),
                        code,
                    },
                );
            }
        }
        Ok(CodeBook {
            classes,
            sandiao_to_2023,
        })
    }

    /// What `code` means in `standard`; `None` when it is not in the dictionary.
    /// Codes are matched after trimming, case-insensitively for the K/A/H suffixes.
    pub fn lookup(&self, standard: Standard, code: &str) -> Option<&LandUseClass> {
        let code = code.trim().to_ascii_uppercase();
        self.classes.get(&(standard, code))
    }

    /// True when `code` is in the dictionary of `standard`.
    pub fn is_valid(&self, standard: Standard, code: &str) -> bool {
        self.lookup(standard, code).is_some()
    }

    /// True when `name` is the official name of `code` (the 质检 "name agrees with code").
    pub fn name_matches(&self, standard: Standard, code: &str, name: &str) -> bool {
        self.lookup(standard, code)
            .is_some_and(|c| c.name == name.trim())
    }

    /// The first-level class of a code.
    pub fn level1(&self, standard: Standard, code: &str) -> Option<&LandUseClass> {
        let class = self.lookup(standard, code)?;
        self.lookup(standard, &class.level1)
    }

    /// The 用地用海 2023 equivalent of a 三调 code (with its 待细分 flag).
    pub fn sandiao_to_ydyh2023(&self, code: &str) -> Option<&Conversion> {
        self.sandiao_to_2023.get(&code.trim().to_ascii_uppercase())
    }

    /// Every class of a standard, in code order.
    pub fn classes(&self, standard: Standard) -> impl Iterator<Item = &LandUseClass> {
        self.classes
            .iter()
            .filter(move |((s, _), _)| *s == standard)
            .map(|(_, c)| c)
    }
}

fn parse_colours() -> Result<BTreeMap<(String, String), Rgba>> {
    let name = "colours.csv";
    let mut out = BTreeMap::new();
    for (line, row) in rows(name, COLOURS)? {
        let colour = Rgba::from_hex(field(&row, 2, name, line)?)
            .ok_or_else(|| table_error(name, line, "colour is not #rrggbb"))?;
        out.insert(
            (
                field(&row, 0, name, line)?.to_string(),
                field(&row, 1, name, line)?.to_string(),
            ),
            colour,
        );
    }
    Ok(out)
}

fn parse_space_rules() -> Result<Vec<SpaceRule>> {
    let name = "ydyh_to_sansheng.csv";
    let mut out = Vec::new();
    for (line, row) in rows(name, SANSHENG)? {
        let codes = field(&row, 0, name, line)?;
        if !codes.starts_with(|c: char| c.is_ascii_digit()) {
            // Overlay rows (红线 → 生态, 永久基本农田 → 生产) are applied by the space
            // generator, not per code.
            continue;
        }
        let space = Space::from_name(field(&row, 1, name, line)?)
            .ok_or_else(|| table_error(name, line, "unknown space"))?;
        let (first, last) = codes.split_once('-').unwrap_or((codes, codes));
        out.push(SpaceRule {
            first: first.to_string(),
            last: last.to_string(),
            space,
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bundled_tables_parse() {
        let book = CodeBook::parse().unwrap();
        assert_eq!(
            book.classes(Standard::Ydyh2023)
                .filter(|c| c.level == 1)
                .count(),
            24
        );
        assert_eq!(book.classes(Standard::Ydyh2023).count(), 175);
    }

    #[test]
    fn what_is_a_code() {
        let book = CodeBook::bundled();
        let dry = book.lookup(Standard::Sandiao, "0103").unwrap();
        assert_eq!(dry.name, "旱地");
        assert_eq!(dry.parent.as_deref(), Some("01"));
        assert_eq!(dry.three_category, Some(ThreeCategory::Agricultural));
        assert_eq!(dry.space, Some(Space::Production));
        assert!(!dry.is_construction());

        let homestead = book.lookup(Standard::Sandiao, "0702").unwrap();
        assert!(homestead.is_construction());
        assert_eq!(homestead.space, Some(Space::Living));

        let forest = book.lookup(Standard::Ydyh2023, "0301").unwrap();
        assert_eq!(forest.space, Some(Space::Ecological));
        assert_eq!(forest.construction, Some(false));
        let road = book.lookup(Standard::Ydyh2023, "1202").unwrap();
        assert_eq!(road.construction, Some(true));
        assert_eq!(road.space, Some(Space::Living), "1201-1206 range rule");
        assert_eq!(
            book.lookup(Standard::Ydyh2023, "2305").unwrap().space,
            Some(Space::Ecological)
        );
        assert_eq!(
            book.lookup(Standard::Ydyh2023, "1704").unwrap().space,
            Some(Space::Production),
            "the code-specific rule beats the level-1 rule"
        );
        assert!(book.lookup(Standard::Sandiao, "9999").is_none());
        assert!(book.name_matches(Standard::Sandiao, "0202", "茶园"));
        assert!(!book.name_matches(Standard::Sandiao, "0202", "果园"));
        assert!(book.is_valid(Standard::Sandiao, "0201k"));
        assert_eq!(
            book.level1(Standard::Ydyh2023, "080403").unwrap().name,
            "公共管理与公共服务用地"
        );
        assert!(book.is_valid(Standard::Ydyh2020, "0204"));
    }

    #[test]
    fn conversion_flags_refinement() {
        let book = CodeBook::bundled();
        let paddy = book.sandiao_to_ydyh2023("0101").unwrap();
        assert_eq!(paddy.ydyh2023, "0101");
        assert!(!paddy.needs_refinement);
        let public = book.sandiao_to_ydyh2023("08H2").unwrap();
        assert!(public.needs_refinement);
        assert_eq!(public.ydyh2023, "08");
    }

    #[test]
    fn every_class_has_a_listed_colour() {
        let book = CodeBook::bundled();
        for std in [Standard::Sandiao, Standard::Ydyh2023, Standard::Ydyh2020] {
            for class in book.classes(std) {
                assert_ne!(class.colour, UNKNOWN_COLOUR, "{:?} {}", std, class.code);
            }
        }
    }
}
