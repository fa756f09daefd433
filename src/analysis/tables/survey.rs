//! 土地利用现状分类面积汇总表: the 三调 statistics, one row per 行政区域 (the villages, the
//! township, the county), columns 国土调查总面积 then every 三调 first-level class followed by
//! its second-level classes, including 1203 田坎 (docs/domain.md §6.4).
//!
//! The columns are the bundled 三调 classification (`assets/landuse/sandiao_dlbm.csv`, in
//! its order); third-level codes (`0201K` 可调整果园, `1104A` 养殖坑塘 …) are counted under
//! their second-level class, as the survey's statistics do. Each row is rounded on its own
//! (its leaves against its own rounded total); a township's row is summed from its villages'
//! m², not from their rounded rows.

use std::collections::BTreeMap;

use serde::Serialize;

use super::accounting::ClassSums;
use super::rounding::{AREA_DECIMALS, AreaUnit, Fixed, round_areas};
use super::structure::Area;
use crate::landuse::{CodeBook, Standard};

/// One column of the table.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SurveyColumn {
    /// 三调 code (text).
    pub code: String,
    /// Class name.
    pub name: String,
    /// 1 for a first-level class (the sum of its second-level columns), 2 for a class.
    pub level: u8,
    /// Indices of the leaf columns a first-level column adds up (itself for a leaf).
    pub members: Vec<usize>,
}

/// What a row is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AdminLevel {
    /// 行政村.
    Village,
    /// 乡镇.
    Township,
    /// 县.
    County,
}

/// One row: one 行政区域.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SurveyRow {
    /// Village, township or county.
    pub level: AdminLevel,
    /// Its code (12, 9 or 6 digits; empty for a county the project does not code).
    pub code: String,
    /// Its name.
    pub name: String,
    /// 国土调查总面积.
    pub total: Area,
    /// One value per column.
    pub values: Vec<Area>,
}

/// The 土地利用现状分类面积汇总表.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SurveyTable {
    /// 土地利用现状分类面积汇总表.
    pub title: String,
    /// The columns after 国土调查总面积 (a last 未知编码 column when codes are unknown).
    pub columns: Vec<SurveyColumn>,
    /// The rows.
    pub rows: Vec<SurveyRow>,
    /// Codes outside the classification, with their m² over the whole table's scope.
    pub unknown_codes: BTreeMap<String, f64>,
}

/// The column layout, and for each 三调 code the leaf column it goes to.
pub struct SurveyLayout {
    columns: Vec<SurveyColumn>,
    leaf_of: BTreeMap<String, usize>,
}

impl SurveyLayout {
    /// From the bundled 三调 classification, plus an unknown-code column.
    pub fn bundled() -> Self {
        let book = CodeBook::bundled();
        let classes: Vec<_> = book.classes(Standard::Sandiao).collect();
        // The CSV order (first-level class, then its classes), as `classes` is sorted by code.
        let mut firsts: Vec<&str> = Vec::new();
        for c in classes.iter().filter(|c| c.level == 1) {
            firsts.push(&c.code);
        }
        // 00 湿地 holds classes whose codes belong to other first-level numbers: order the
        // first-level classes by code, each followed by its own classes in code order.
        let mut columns = Vec::new();
        let mut leaf_of = BTreeMap::new();
        for first in firsts {
            let Some(class) = book.lookup(Standard::Sandiao, first) else {
                continue;
            };
            let children: Vec<_> = classes
                .iter()
                .filter(|c| c.level == 2 && c.parent.as_deref() == Some(first))
                .collect();
            let head = columns.len();
            columns.push(SurveyColumn {
                code: first.to_string(),
                name: class.name.clone(),
                level: 1,
                members: Vec::new(),
            });
            if children.is_empty() {
                columns[head].members = vec![head];
                leaf_of.insert(first.to_string(), head);
                continue;
            }
            for child in children {
                let i = columns.len();
                columns.push(SurveyColumn {
                    code: child.code.clone(),
                    name: child.name.clone(),
                    level: 2,
                    members: vec![i],
                });
                columns[head].members.push(i);
                leaf_of.insert(child.code.clone(), i);
            }
        }
        for c in classes.iter().filter(|c| c.level == 3) {
            // 0201K → 0201, 08H2A → 08H2.
            let parent: String = c.code[..c.code.len() - 1].to_string();
            if let Some(&i) = leaf_of.get(&parent) {
                leaf_of.insert(c.code.clone(), i);
            }
        }
        let unknown = columns.len();
        columns.push(SurveyColumn {
            code: String::new(),
            name: "未知编码".into(),
            level: 2,
            members: vec![unknown],
        });
        SurveyLayout { columns, leaf_of }
    }

    fn unknown_column(&self) -> usize {
        self.columns.len() - 1
    }

    /// One row from the sums of a 行政区域; codes outside the classification go to the
    /// 未知编码 column and into `unknown`.
    pub fn row(
        &self,
        level: AdminLevel,
        code: &str,
        name: &str,
        sums: &ClassSums,
        unknown: &mut BTreeMap<String, f64>,
    ) -> SurveyRow {
        let mut m2 = vec![0.0; self.columns.len()];
        for (key, sum) in &sums.classes {
            match self.leaf_of.get(&key.code) {
                Some(&i) => m2[i] += sum.area_m2,
                None => {
                    m2[self.unknown_column()] += sum.area_m2;
                    *unknown.entry(key.code.clone()).or_default() += sum.area_m2;
                }
            }
        }
        let leaves: Vec<usize> = (0..self.columns.len())
            .filter(|&i| self.columns[i].members == [i])
            .collect();
        let leaf_m2: Vec<f64> = leaves.iter().map(|&i| m2[i]).collect();
        let (ha, ha_total) = round_areas(&leaf_m2, AreaUnit::Hectare);
        let (mu, mu_total) = round_areas(&leaf_m2, AreaUnit::Mu);
        let mut values = vec![Area::default(); self.columns.len()];
        for (k, &i) in leaves.iter().enumerate() {
            values[i] = Area {
                m2: leaf_m2[k],
                ha: ha[k],
                mu: mu[k],
            };
        }
        for (i, column) in self.columns.iter().enumerate() {
            if column.members != [i] {
                values[i] = Area {
                    m2: column.members.iter().map(|&m| values[m].m2).sum(),
                    ha: Fixed::sum(column.members.iter().map(|&m| values[m].ha), AREA_DECIMALS),
                    mu: Fixed::sum(column.members.iter().map(|&m| values[m].mu), AREA_DECIMALS),
                };
            }
        }
        SurveyRow {
            level,
            code: code.to_string(),
            name: name.to_string(),
            total: Area {
                m2: leaf_m2.iter().sum(),
                ha: ha_total,
                mu: mu_total,
            },
            values,
        }
    }

    /// The table from its rows; the 未知编码 column is dropped when no row needs it.
    pub fn table(
        &self,
        mut rows: Vec<SurveyRow>,
        unknown_codes: BTreeMap<String, f64>,
    ) -> SurveyTable {
        let mut columns = self.columns.clone();
        if unknown_codes.is_empty() {
            columns.pop();
            for row in &mut rows {
                row.values.pop();
            }
        }
        SurveyTable {
            title: "土地利用现状分类面积汇总表".into(),
            columns,
            rows,
            unknown_codes,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_follow_the_classification_and_terraces_have_theirs() {
        let layout = SurveyLayout::bundled();
        let codes: Vec<&str> = layout.columns.iter().map(|c| c.code.as_str()).collect();
        assert_eq!(&codes[..4], ["00", "0303", "0304", "0306"]);
        let other = codes.iter().position(|c| *c == "12").unwrap();
        assert!(codes[other..].contains(&"1203"));
        assert_eq!(layout.leaf_of["0201K"], layout.leaf_of["0201"]);
        assert_eq!(
            layout.leaf_of["09"],
            codes.iter().position(|c| *c == "09").unwrap()
        );
    }
}
