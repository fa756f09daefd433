//! Slivers (碎图斑): parcels smaller than the minimum mapped area of their class.
//!
//! *Rule source*: docs/domain.md §3 and §5.8; thresholds from `sandiao_min_areas.csv` [S]
//! (bundled in `assets/landuse/`). The `lx_min_m2` column holds the 三调 上图 thresholds
//! (建设用地 200 m², 农用地 400 m², 其他 600 m²); `jz_min_m2` the doubled, stricter ones.
//! A code listed explicitly wins over a range that contains it (1006 农村道路 is listed
//! with the 农用地 group and also falls in the 1001–1009 range).

use geo::Area;

use super::rules::MinAreaColumn;
use super::{Ctx, Finding, RuleOutput, missing_field, missing_role};
use crate::error::{Error, Result};
use crate::model::LayerRole;
use crate::units;

const MIN_AREAS: &str = include_str!("../../../assets/landuse/sandiao_min_areas.csv");

/// One row of the table: explicit codes, ranges, meaning, thresholds.
struct MinArea {
    codes: Vec<String>,
    ranges: Vec<(String, String)>,
    meaning: String,
    jz: f64,
    lx: f64,
}

fn table() -> Result<Vec<MinArea>> {
    let name = "sandiao_min_areas.csv";
    let mut reader = csv::Reader::from_reader(MIN_AREAS.as_bytes());
    let mut out = Vec::new();
    for (k, row) in reader.records().enumerate() {
        let line = k + 2;
        let bad = |detail: &str| Error::Table {
            source_name: name.into(),
            line,
            detail: detail.into(),
        };
        let row = row.map_err(|e| bad(&e.to_string()))?;
        let get = |i: usize| row.get(i).ok_or_else(|| bad("missing column"));
        let number = |i: usize| -> Result<f64> {
            get(i)?
                .trim()
                .parse()
                .map_err(|_| bad("area is not a number"))
        };
        let (mut codes, mut ranges) = (Vec::new(), Vec::new());
        for item in get(0)?.split(',').map(str::trim) {
            match item.split_once('-') {
                Some((a, b)) => ranges.push((a.to_string(), b.to_string())),
                None => codes.push(item.to_string()),
            }
        }
        out.push(MinArea {
            codes,
            ranges,
            meaning: get(1)?.to_string(),
            jz: number(2)?,
            lx: number(3)?,
        });
    }
    Ok(out)
}

fn threshold<'a>(table: &'a [MinArea], code: &str) -> Option<&'a MinArea> {
    table
        .iter()
        .find(|row| row.codes.iter().any(|c| c == code))
        .or_else(|| {
            table.iter().find(|row| {
                row.ranges
                    .iter()
                    .any(|(a, b)| code.len() == a.len() && code >= a.as_str() && code <= b.as_str())
            })
        })
}

/// Parcels below the minimum mapped area of their class.
pub(crate) fn slivers(
    ctx: &Ctx,
    role: LayerRole,
    code_field: &str,
    column: MinAreaColumn,
) -> Result<RuleOutput> {
    let table = table()?;
    let mut out = RuleOutput::default();
    if ctx.layers(role).next().is_none() {
        out.skipped.push(missing_role(role));
    }
    for layer in ctx.layers(role) {
        let Some(col) = layer.field_index(code_field) else {
            out.skipped.push(missing_field(layer, code_field));
            continue;
        };
        for i in ctx.candidates(layer) {
            let f = &layer.features()[i];
            let (Some(g), Some(code)) = (&f.geometry, f.attributes[col].as_text()) else {
                continue;
            };
            let code = code.trim().to_ascii_uppercase();
            let Some(row) = threshold(&table, &code) else {
                continue;
            };
            let min = match column {
                MinAreaColumn::Lx => row.lx,
                MinAreaColumn::Jz => row.jz,
            };
            let area = g.unsigned_area();
            if area >= min {
                continue;
            }
            out.findings.push(
                Finding::new(
                    layer,
                    vec![i],
                    format!(
                        "“{}”要素 {}（{code}，{}）面积 {:.2} 平方米（{:.3} 亩）小于最小上图面积 {min} 平方米",
                        layer.name,
                        f.id,
                        row.meaning,
                        area,
                        units::mu(area)
                    ),
                    format!(
                        "'{}' feature {} ({code}): {:.2} m² is below the minimum mapped area {min} m²",
                        layer.name, f.id, area
                    ),
                )
                .at(Some(g.clone()))
                .measuring(area),
            );
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn explicit_codes_win_over_ranges() {
        let t = table().unwrap();
        assert_eq!(threshold(&t, "1006").unwrap().lx, 400.0);
        assert_eq!(threshold(&t, "1003").unwrap().lx, 200.0);
        assert_eq!(threshold(&t, "0103").unwrap().lx, 400.0);
        assert_eq!(threshold(&t, "0702").unwrap().jz, 400.0);
        assert_eq!(threshold(&t, "0404").unwrap().lx, 600.0);
        assert!(threshold(&t, "9999").is_none());
    }
}
