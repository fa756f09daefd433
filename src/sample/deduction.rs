//! The 田坎 deduction of the sample's cultivated land (docs/domain.md §1.1): every 耕地
//! parcel gets its slope class `GDPDJB` from the synthetic terrain and a deduction
//! coefficient `KCXS` by class, so that `KCMJ = TBMJ × KCXS` and `TBDLMJ = TBMJ − KCMJ`
//! show the deduction a real 三调 table makes.
//!
//! The coefficients are illustrative values in the range common in the Yunnan mountains
//! (docs/domain.md §1.1: often 0.05–0.30); a province sets the real ones per slope class and
//! region. The same rule gives planned 耕地 its deduction, so land that stays 耕地 carries
//! the same 田坎 in the base year and the target year.

/// Upper bounds (degrees, inclusive) of slope classes 1–4 of cultivated land: ≤2°, 2–6°,
/// 6–15°, 15–25°; steeper is class 5 (>25°).
const CLASS_BOUNDS_DEG: [f64; 4] = [2.0, 6.0, 15.0, 25.0];

/// Illustrative `KCXS` of slope classes 1–5 (flat land has no terrace banks).
pub const KCXS_BY_CLASS: [f64; 5] = [0.0, 0.05, 0.10, 0.15, 0.20];

/// 三调 code of the deducted class (田坎).
pub const KCDLBM: &str = "1203";

/// True for the 三调 cultivated-land classes that carry a deduction (水田, 水浇地, 旱地).
pub fn is_cultivated(dlbm: &str) -> bool {
    matches!(dlbm, "0101" | "0102" | "0103")
}

/// The slope class (1–5) of ground with `slope` metres of rise per metre.
pub fn slope_class(slope: f64) -> u8 {
    let degrees = slope.abs().atan().to_degrees();
    CLASS_BOUNDS_DEG
        .iter()
        .position(|&bound| degrees <= bound)
        .map_or(5, |i| i as u8 + 1)
}

/// Rounds an area to 0.01 m², as areas are stored on features (docs/domain.md §9.3).
pub fn round_m2(area: f64) -> f64 {
    (area * 100.0).round() / 100.0
}

/// The deduction fields of one parcel.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Deduction {
    /// Slope class 1–5; `None` for land that is not cultivated.
    pub class: Option<u8>,
    /// `KCXS` (0 where nothing is deducted).
    pub kcxs: f64,
    /// `KCMJ = area × KCXS`, m² to 2 decimals.
    pub kcmj: f64,
    /// `TBDLMJ = area − KCMJ`, m² to 2 decimals.
    pub tbdlmj: f64,
}

impl Deduction {
    /// The deduction of a parcel of `area` m² (already rounded) in slope class `class`
    /// (`None`: not cultivated, nothing deducted).
    pub fn new(area: f64, class: Option<u8>) -> Self {
        let kcxs = class.map_or(0.0, |c| KCXS_BY_CLASS[usize::from(c.clamp(1, 5)) - 1]);
        let kcmj = round_m2(area * kcxs);
        Deduction {
            class,
            kcxs,
            kcmj,
            tbdlmj: round_m2(area - kcmj),
        }
    }

    /// `KCDLBM`: 1203 where something is deducted.
    pub fn kcdlbm(&self) -> Option<&'static str> {
        (self.kcxs > 0.0).then_some(KCDLBM)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slope_classes_follow_the_degree_bounds() {
        let slope = |deg: f64| deg.to_radians().tan();
        assert_eq!(slope_class(0.0), 1);
        assert_eq!(slope_class(slope(1.99)), 1);
        assert_eq!(slope_class(slope(2.01)), 2);
        assert_eq!(slope_class(slope(6.01)), 3);
        assert_eq!(slope_class(slope(15.01)), 4);
        assert_eq!(slope_class(slope(25.01)), 5);
        assert_eq!(slope_class(slope(60.0)), 5);
    }

    #[test]
    fn the_deduction_splits_the_area_exactly() {
        let d = Deduction::new(1234.56, Some(4));
        assert_eq!(d.kcxs, 0.15);
        assert_eq!(d.kcmj, 185.18);
        assert_eq!(d.tbdlmj, 1049.38);
        assert_eq!(d.kcdlbm(), Some("1203"));
        let flat = Deduction::new(1000.0, Some(1));
        assert_eq!((flat.kcmj, flat.tbdlmj, flat.kcdlbm()), (0.0, 1000.0, None));
        let forest = Deduction::new(500.0, None);
        assert_eq!((forest.kcxs, forest.kcmj, forest.tbdlmj), (0.0, 0.0, 500.0));
    }
}
