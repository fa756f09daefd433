//! Rounding so that the shown rows add up to the shown totals (docs/domain.md §6: planners
//! check this by hand).
//!
//! The total is rounded on its own; the leaf rows are rounded down and the units still
//! missing go, one each, to the rows with the largest remainders (the largest-remainder or
//! Hamilton method); subtotals are then sums of rounded leaves, so every shown sum is exact.
//! Values are kept as whole numbers of the last shown digit ([`Fixed`]) so no sum drifts.

use serde::Serialize;

use crate::units::{M2_PER_HECTARE, M2_PER_MU};

/// Decimals of areas in 公顷 and in 亩 (docs/domain.md §6: 4 in 公顷; 亩 is given the same
/// 4 decimals so it is never coarser than the 公顷 table).
pub const AREA_DECIMALS: u32 = 4;
/// Decimals of 比重 in %.
pub const SHARE_DECIMALS: u32 = 2;

/// The unit areas are shown in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum AreaUnit {
    /// 公顷 (hm²), the templates' unit.
    #[default]
    Hectare,
    /// 亩 (1 亩 = 10000/15 m²).
    Mu,
}

impl AreaUnit {
    /// Parses `公顷`/`ha`/`hectare` and `亩`/`mu`.
    pub fn parse(text: &str) -> Option<Self> {
        match text.trim().to_ascii_lowercase().as_str() {
            "公顷" | "ha" | "hm2" | "hectare" | "hectares" => Some(AreaUnit::Hectare),
            "亩" | "mu" => Some(AreaUnit::Mu),
            _ => None,
        }
    }

    /// The Chinese unit name.
    pub fn name_zh(self) -> &'static str {
        match self {
            AreaUnit::Hectare => "公顷",
            AreaUnit::Mu => "亩",
        }
    }

    /// m² in one unit.
    pub fn m2(self) -> f64 {
        match self {
            AreaUnit::Hectare => M2_PER_HECTARE,
            AreaUnit::Mu => M2_PER_MU,
        }
    }

    /// Both units, in table order.
    pub const BOTH: [AreaUnit; 2] = [AreaUnit::Hectare, AreaUnit::Mu];
}

/// A rounded value: a whole number of 10^-decimals.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Fixed {
    /// Units of the last shown digit.
    pub units: i64,
    /// How many decimals.
    pub decimals: u32,
}

impl Fixed {
    /// `value` rounded half away from zero to `decimals`.
    pub fn round(value: f64, decimals: u32) -> Self {
        Fixed {
            units: (value * 10f64.powi(decimals as i32)).round() as i64,
            decimals,
        }
    }

    /// Zero with `decimals`.
    pub fn zero(decimals: u32) -> Self {
        Fixed { units: 0, decimals }
    }

    /// The value as a number (for JSON and the workbook).
    pub fn value(self) -> f64 {
        self.units as f64 / 10f64.powi(self.decimals as i32)
    }

    /// The shown text, e.g. `12.3400`, `-0.0100`.
    pub fn text(self) -> String {
        let scale = 10i64.pow(self.decimals);
        let sign = if self.units < 0 { "-" } else { "" };
        let abs = self.units.unsigned_abs();
        if self.decimals == 0 {
            return format!("{sign}{abs}");
        }
        format!(
            "{sign}{}.{:0width$}",
            abs / scale as u64,
            abs % scale as u64,
            width = self.decimals as usize
        )
    }

    /// The sum of values of the same precision.
    pub fn sum(values: impl IntoIterator<Item = Fixed>, decimals: u32) -> Fixed {
        Fixed {
            units: values.into_iter().map(|v| v.units).sum(),
            decimals,
        }
    }

    /// `self − other` (the 增减).
    pub fn minus(self, other: Fixed) -> Fixed {
        Fixed {
            units: self.units - other.units,
            decimals: self.decimals,
        }
    }
}

impl Serialize for Fixed {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.serialize_f64(self.value())
    }
}

/// Rounds `values` to `decimals` so that they add up to `total` rounded to `decimals`:
/// each is rounded down, and the missing units go to the largest remainders (ties to the
/// earlier value). `total` is normally the sum of `values`; if it is not, the shortfall or
/// excess is still spread so the rounded values add up to the rounded total.
pub fn largest_remainder(values: &[f64], total: f64, decimals: u32) -> Vec<Fixed> {
    let scale = 10f64.powi(decimals as i32);
    let target = (total * scale).round() as i64;
    let scaled: Vec<f64> = values.iter().map(|v| v * scale).collect();
    let mut units: Vec<i64> = scaled.iter().map(|v| v.floor() as i64).collect();
    let mut missing = target - units.iter().sum::<i64>();
    let mut order: Vec<usize> = (0..values.len()).collect();
    let remainder = |i: usize| scaled[i] - scaled[i].floor();
    if missing > 0 {
        order.sort_by(|&a, &b| remainder(b).total_cmp(&remainder(a)).then(a.cmp(&b)));
        let n = order.len().max(1);
        let mut k = 0;
        while missing > 0 && !order.is_empty() {
            units[order[k % n]] += 1;
            missing -= 1;
            k += 1;
        }
    } else if missing < 0 {
        // Only when the total is less than the values' sum: take from the smallest
        // remainders, never below zero for non-negative values.
        order.sort_by(|&a, &b| remainder(a).total_cmp(&remainder(b)).then(a.cmp(&b)));
        let mut k = 0;
        let mut guard = 0;
        while missing < 0 && !order.is_empty() && guard < 4 * order.len() + 4 * (-missing) as usize
        {
            let i = order[k % order.len()];
            if units[i] > 0 || values[i] < 0.0 {
                units[i] -= 1;
                missing += 1;
            }
            k += 1;
            guard += 1;
        }
    }
    units
        .into_iter()
        .map(|units| Fixed { units, decimals })
        .collect()
}

/// Areas (m²) of leaf rows rounded in `unit` against their rounded total.
pub fn round_areas(areas_m2: &[f64], unit: AreaUnit) -> (Vec<Fixed>, Fixed) {
    let values: Vec<f64> = areas_m2.iter().map(|a| a / unit.m2()).collect();
    let total: f64 = values.iter().sum();
    let rounded = largest_remainder(&values, total, AREA_DECIMALS);
    let total = Fixed::sum(rounded.iter().copied(), AREA_DECIMALS);
    (rounded, total)
}

/// The 比重 (%) of leaf rows, summing to exactly 100.00 (0 everywhere when the total is 0).
pub fn round_shares(areas_m2: &[f64]) -> Vec<Fixed> {
    let total: f64 = areas_m2.iter().sum();
    if total <= 0.0 {
        return vec![Fixed::zero(SHARE_DECIMALS); areas_m2.len()];
    }
    let shares: Vec<f64> = areas_m2.iter().map(|a| a / total * 100.0).collect();
    largest_remainder(&shares, 100.0, SHARE_DECIMALS)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_rounded_rows_add_up_to_the_rounded_total() {
        // Three thirds of 1: rounding each gives 0.3333 × 3 = 0.9999, not 1.0000.
        let r = largest_remainder(&[1.0 / 3.0; 3], 1.0, 4);
        assert_eq!(
            r.iter().map(|f| f.units).collect::<Vec<_>>(),
            [3334, 3333, 3333]
        );
        let shares = round_shares(&[1.0, 1.0, 1.0]);
        assert_eq!(
            shares.iter().map(|f| f.text()).collect::<Vec<_>>(),
            ["33.34", "33.33", "33.33"]
        );
        assert_eq!(round_shares(&[0.0, 0.0]), vec![Fixed::zero(2); 2]);
        let (rows, total) = round_areas(&[5_000.4, 5_000.4, 0.2], AreaUnit::Hectare);
        assert_eq!(total.text(), "1.0001");
        assert_eq!(
            rows.iter().map(|f| f.text()).collect::<Vec<_>>(),
            ["0.5001", "0.5000", "0.0000"]
        );
        let (_, total) = round_areas(&[10_000.0], AreaUnit::Mu);
        assert_eq!(total.text(), "15.0000");
    }

    #[test]
    fn fixed_text_and_arithmetic() {
        assert_eq!(Fixed::round(-0.004, 2).text(), "0.00");
        assert_eq!(Fixed::round(-0.006, 2).text(), "-0.01");
        assert_eq!(Fixed::round(12.345_678, 4).text(), "12.3457");
        assert_eq!(
            Fixed::round(1.5, 4).minus(Fixed::round(2.0, 4)).text(),
            "-0.5000"
        );
        assert_eq!(Fixed::round(7.0, 0).text(), "7");
        assert_eq!(AreaUnit::parse("亩"), Some(AreaUnit::Mu));
        assert_eq!(AreaUnit::parse("公顷"), Some(AreaUnit::Hectare));
    }
}
