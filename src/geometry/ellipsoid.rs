//! The area of a lon/lat ring on the CGCS2000 ellipsoid, computed on its authalic sphere.
//!
//! *Why not GeographicLib per edge*: its polygon area solves the inverse geodesic problem
//! for every edge (an iteration with dozens of trigonometric calls), and that was most of
//! the time of the planning tables on a county. The authalic sphere has the ellipsoid's
//! area, and the authalic latitude maps the ellipsoid onto it preserving area exactly
//! (Snyder, *Map Projections — A Working Manual*, 1987, eq. 3-11, 3-12 and 3-18). On the
//! sphere the signed area of a ring with great-circle edges is a sum over edges of the
//! spherical excess of the triangle each edge forms with the pole, `2·atan(tan(Δλ/2)·
//! (tan(ξ₁/2) + tan(ξ₂/2)) / (1 + tan(ξ₁/2)·tan(ξ₂/2)))`, a handful of elementary calls per
//! vertex. The only departure from the geodesic polygon is that an edge is the image of a
//! great circle of the authalic sphere instead of a geodesic of the ellipsoid, and the
//! difference grows with the edge's length: it is below GeographicLib's own round-off
//! (≈ 10⁻⁴ m²) for parcel edges, 2 × 10⁻⁸ of the area for 1.5 km edges and 10⁻⁶ for 80 km
//! edges — far inside the 0.001 % the tables are held to. The tests hold this method to
//! `geographiclib-rs` on parcels, villages and county-sized rings.

/// An ellipsoid's constants for areas on its authalic sphere.
#[derive(Debug, Clone, Copy)]
pub struct AuthalicSphere {
    /// First eccentricity `e` and its square.
    e: f64,
    e2: f64,
    /// `q` at the pole (Snyder 3-12 with φ = 90°).
    qp: f64,
    /// The authalic radius squared (m²): the sphere with the ellipsoid's area.
    radius2: f64,
}

impl AuthalicSphere {
    /// The sphere of the ellipsoid with semi-major axis `a` (m) and flattening `f`.
    pub fn new(a: f64, f: f64) -> Self {
        let e2 = f * (2.0 - f);
        let e = e2.sqrt();
        let qp = 1.0 + (1.0 - e2) * e.atanh() / e;
        AuthalicSphere {
            e,
            e2,
            qp,
            radius2: a * a * qp / 2.0,
        }
    }

    /// tan(ξ/2) of the authalic latitude ξ of geodetic latitude `lat` (degrees).
    fn half_tan_authalic(&self, lat: f64) -> f64 {
        let s = lat.to_radians().sin();
        let q = (1.0 - self.e2) * (s / (1.0 - self.e2 * s * s) + (self.e * s).atanh() / self.e);
        let sin_xi = (q / self.qp).clamp(-1.0, 1.0);
        let cos_xi = (1.0 - sin_xi * sin_xi).sqrt();
        sin_xi / (1.0 + cos_xi)
    }

    /// The signed area (m²) of a ring of lon/lat vertices in degrees (closed or not; the
    /// closing edge is implied): positive when the ring runs counter-clockwise, 0 for fewer
    /// than three distinct vertices.
    pub fn signed_ring_area(&self, lons: &[f64], lats: &[f64]) -> f64 {
        let mut n = lons.len().min(lats.len());
        if n > 1 && lons[0] == lons[n - 1] && lats[0] == lats[n - 1] {
            n -= 1;
        }
        if n < 3 {
            return 0.0;
        }
        let (mut lon1, mut t1) = (lons[n - 1], self.half_tan_authalic(lats[n - 1]));
        let mut excess = 0.0;
        for i in 0..n {
            let (lon2, t2) = (lons[i], self.half_tan_authalic(lats[i]));
            let mut dlon = lon2 - lon1;
            if dlon > 180.0 {
                dlon -= 360.0;
            } else if dlon < -180.0 {
                dlon += 360.0;
            }
            let half = (dlon.to_radians() / 2.0).tan();
            excess += 2.0 * (half * (t1 + t2)).atan2(1.0 + t1 * t2);
            (lon1, t1) = (lon2, t2);
        }
        // Each term is the triangle with the north pole, so a counter-clockwise ring sums
        // to minus its area.
        -excess * self.radius2
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use geographiclib_rs::{Geodesic, PolygonArea, Winding};

    const A: f64 = 6_378_137.0;
    const F: f64 = 1.0 / 298.257_222_101;

    fn geographiclib(lons: &[f64], lats: &[f64]) -> f64 {
        let geodesic = Geodesic::new(A, F);
        let mut ring = PolygonArea::new(&geodesic, Winding::CounterClockwise);
        for (lon, lat) in lons.iter().zip(lats) {
            ring.add_point(*lat, *lon);
        }
        ring.compute(true).1
    }

    /// A star-shaped ring of `n` vertices around (lon, lat), radii between `r` and 2r
    /// degrees: not convex, edges in every direction.
    fn star(lon: f64, lat: f64, r: f64, n: usize) -> (Vec<f64>, Vec<f64>) {
        (0..n)
            .map(|i| {
                let angle = i as f64 / n as f64 * std::f64::consts::TAU;
                let radius = r * (1.0 + ((i * 7919) % 13) as f64 / 13.0);
                (lon + radius * angle.cos(), lat + radius * angle.sin())
            })
            .unzip()
    }

    /// Parcels (≈ 10 m–2 km), villages (≈ 5–20 km) and a county (≈ 100 km) in Yunnan and
    /// elsewhere, as quadrilaterals and 41-vertex stars, in both windings. The difference
    /// from GeographicLib's geodesic polygon is its round-off (≈ 10⁻⁴ m², either sign) plus
    /// the edges' shape, which grows with the edge length: measured 2 × 10⁻⁸ of the area
    /// for 1.5 km edges, 10⁻⁶ for 80 km edges (a thousandth of the 0.001 % allowed).
    #[test]
    fn agrees_with_geographiclib_from_parcels_to_counties() {
        let sphere = AuthalicSphere::new(A, F);
        for (lon, lat) in [(99.9, 24.58), (100.2, 21.9), (116.4, 39.9), (87.6, 43.8)] {
            for r in [0.0001, 0.001, 0.003, 0.01, 0.05, 0.1, 0.5] {
                for n in [4, 41] {
                    let (lons, lats) = star(lon, lat, r, n);
                    let exact = geographiclib(&lons, &lats);
                    let fast = sphere.signed_ring_area(&lons, &lats);
                    let diff = (fast - exact).abs();
                    let allowed = 2e-4 + exact.abs() * 2.5e-6 * r / 0.5;
                    assert!(
                        diff <= allowed,
                        "({lon}, {lat}) r {r}° n {n}: {fast} vs {exact} (diff {diff} m²)"
                    );
                    let (rl, rt): (Vec<f64>, Vec<f64>) = (
                        lons.iter().rev().copied().collect(),
                        lats.iter().rev().copied().collect(),
                    );
                    let reversed = sphere.signed_ring_area(&rl, &rt);
                    assert!((reversed + fast).abs() <= 1e-9 * fast.abs(), "{reversed}");
                }
            }
        }
    }

    #[test]
    fn degenerate_rings_have_no_area() {
        let sphere = AuthalicSphere::new(A, F);
        assert_eq!(sphere.signed_ring_area(&[], &[]), 0.0);
        assert_eq!(
            sphere.signed_ring_area(&[99.0, 99.1, 99.0], &[24.0, 24.1, 24.0]),
            0.0
        );
    }

    /// A ring across the antimeridian is measured across it, not around the Earth.
    #[test]
    fn a_ring_across_the_antimeridian() {
        let sphere = AuthalicSphere::new(A, F);
        let lons = [179.99, -179.99, -179.99, 179.99];
        let lats = [0.0, 0.0, 0.01, 0.01];
        let area = sphere.signed_ring_area(&lons, &lats);
        let exact = geographiclib(&lons, &lats);
        assert!((area - exact).abs() < 1e-3, "{area} vs {exact}");
    }
}
