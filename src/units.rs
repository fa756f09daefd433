//! Area units planners read: 公顷 (hectare) and 亩 (mu).
//!
//! Areas are stored in m² everywhere in the library and converted only for display, so a
//! rounding never feeds back into a computation.

/// Square metres in one 公顷 (hectare).
pub const M2_PER_HECTARE: f64 = 10_000.0;

/// Square metres in one 亩: 10 000 / 15 m², exactly.
pub const M2_PER_MU: f64 = 10_000.0 / 15.0;

/// m² → 公顷.
pub fn hectares(area_m2: f64) -> f64 {
    area_m2 / M2_PER_HECTARE
}

/// m² → 亩.
pub fn mu(area_m2: f64) -> f64 {
    area_m2 / M2_PER_MU
}

/// `"12.3456 公顷 (185.18 亩)"`: the form used in messages and panels. An area that rounds
/// to zero reads `0.0000`, never `-0.0000` (the sum of no areas is −0 in IEEE arithmetic).
pub fn format_area(area_m2: f64) -> String {
    format!(
        "{:.4} 公顷 ({:.2} 亩)",
        unsigned_zero(hectares(area_m2), 4),
        unsigned_zero(mu(area_m2), 2)
    )
}

/// `x`, or +0 when it shows as zero at `decimals` places.
fn unsigned_zero(x: f64, decimals: i32) -> f64 {
    if (x * 10f64.powi(decimals)).round() == 0.0 {
        0.0
    } else {
        x
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_mu_is_a_fifteenth_of_a_hectare() {
        assert!((mu(10_000.0) - 15.0).abs() < 1e-12);
        assert!((hectares(M2_PER_MU) * 15.0 - 1.0).abs() < 1e-12);
        assert_eq!(format_area(20_000.0), "2.0000 公顷 (30.00 亩)");
    }

    /// No area, or a rounding error below the last place shown, reads as zero; a real
    /// negative difference keeps its sign.
    #[test]
    fn zero_has_no_sign() {
        let none: f64 = std::iter::empty::<f64>().sum();
        assert!(none.is_sign_negative(), "the premise: an empty sum is −0");
        assert_eq!(format_area(none), "0.0000 公顷 (0.00 亩)");
        assert_eq!(format_area(-0.3), "0.0000 公顷 (0.00 亩)");
        assert_eq!(format_area(-20_000.0), "-2.0000 公顷 (-30.00 亩)");
    }
}
