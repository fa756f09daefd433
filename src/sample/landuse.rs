//! Current land use (三调 DLBM) of every parcel.
//!
//! Corridors and settlements are fixed first; the rest is allocated class by class to the
//! parcels that suit it best (terrain score plus patchy noise) until the class reaches its
//! share of the county, so the mix is that of a mountainous tea county whatever the terrain
//! draws: 林地 ≈ 60 %, 茶园 ≈ 11.5 %, 旱地 ≈ 11.5 %, 水田 ≈ 3 %, 农村宅基地 ≈ 1.5 %.

use geo::Coord;

use super::corridors::SeedKind;
use super::terrain::{ValueNoise, unit_hash};

/// Per-parcel facts the allocation reads.
#[derive(Debug, Clone)]
pub struct ParcelFacts {
    /// A point inside the parcel.
    pub pos: Coord,
    /// Planar area, m².
    pub area: f64,
    /// Seed kind (corridor centre or land).
    pub kind: SeedKind,
    /// Elevation, m.
    pub elevation: f64,
    /// Slope, m/m.
    pub slope: f64,
    /// Distance to the county seat, m.
    pub to_county_seat: f64,
    /// Distance to its township's seat, m.
    pub to_township_seat: f64,
    /// Distance to the nearest settlement nucleus of its village, m.
    pub to_settlement: f64,
}

/// Radius of the county seat's built-up area, m.
pub const COUNTY_SEAT_RADIUS: f64 = 1_250.0;
/// Radius of a township seat's built-up area, m.
pub const TOWNSHIP_SEAT_RADIUS: f64 = 380.0;

/// Land use of one parcel.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LandUse {
    /// 三调 code, e.g. `0702`.
    pub dlbm: &'static str,
    /// 城镇村属性码: 201 城市, 202 建制镇, 203 村庄; `None` outside 城镇村.
    pub czcsxm: Option<&'static str>,
}

impl LandUse {
    const fn plain(dlbm: &'static str) -> Self {
        LandUse { dlbm, czcsxm: None }
    }
}

/// Share of the county for each terrain-allocated class, in allocation order.
const SHARES: &[(&str, f64)] = &[
    ("1207", 0.010),
    ("0404", 0.070),
    ("0101", 0.030),
    ("1104", 0.0015),
    ("0103", 0.115),
    ("0202", 0.115),
    ("0201", 0.030),
    ("0305", 0.120),
    ("0307", 0.080),
];

/// Share of the county in 农村宅基地.
const HOMESTEAD_SHARE: f64 = 0.015;

/// Land use of every parcel, in parcel order.
pub fn allocate(facts: &[ParcelFacts], seed: u64) -> Vec<LandUse> {
    let total: f64 = facts.iter().map(|f| f.area).sum();
    let mut out: Vec<Option<LandUse>> = facts
        .iter()
        .enumerate()
        .map(|(i, f)| {
            let urban = |czcs| {
                let r = unit_hash(seed ^ (i as u64).wrapping_mul(0x2545_F491));
                let dlbm = if r < 0.62 {
                    "0701"
                } else if r < 0.82 {
                    "05H1"
                } else {
                    "08H2"
                };
                Some(LandUse {
                    dlbm,
                    czcsxm: Some(czcs),
                })
            };
            match f.kind {
                SeedKind::River => Some(LandUse::plain("1101")),
                SeedKind::Reservoir => Some(LandUse::plain("1103")),
                SeedKind::Highway => Some(LandUse::plain("1003")),
                SeedKind::RuralRoad => Some(LandUse::plain("1006")),
                SeedKind::Land if f.to_county_seat < COUNTY_SEAT_RADIUS => urban("201"),
                SeedKind::Land if f.to_township_seat < TOWNSHIP_SEAT_RADIUS => urban("202"),
                SeedKind::Land => None,
            }
        })
        .collect();

    let patch = ValueNoise::new(seed ^ 0x9A7C, 3_000.0, 3);
    let patch2 = ValueNoise::new(seed ^ 0x1F0E, 1_500.0, 2);
    let take = |out: &mut Vec<Option<LandUse>>,
                lu: LandUse,
                share: f64,
                score: &dyn Fn(&ParcelFacts) -> f64| {
        let mut order: Vec<(f64, usize)> = out
            .iter()
            .enumerate()
            .filter(|(_, o)| o.is_none())
            .map(|(i, _)| (score(&facts[i]), i))
            .collect();
        order.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
        let mut got = 0.0;
        for (_, i) in order {
            if got >= share * total {
                break;
            }
            out[i] = Some(lu);
            got += facts[i].area;
        }
    };

    // Houses cluster around each village's nuclei; the nucleus parcel itself always counts.
    take(
        &mut out,
        LandUse {
            dlbm: "0702",
            czcsxm: Some("203"),
        },
        HOMESTEAD_SHARE,
        &|f| f.to_settlement * (0.8 + 0.4 * patch2.at(f.pos)),
    );
    for &(code, share) in SHARES {
        let score: Box<dyn Fn(&ParcelFacts) -> f64> = match code {
            "1207" => Box::new(|f: &ParcelFacts| -f.elevation - 200.0 * patch.at(f.pos)),
            "0404" => {
                Box::new(|f: &ParcelFacts| (f.elevation - 2_550.0).abs() + 600.0 * patch.at(f.pos))
            }
            "0101" => Box::new(|f: &ParcelFacts| {
                f.elevation + 4_000.0 * f.slope + 450.0 * patch2.at(f.pos)
            }),
            "1104" => Box::new(|f: &ParcelFacts| f.elevation + 0.5 * f.to_settlement),
            "0103" => Box::new(|f: &ParcelFacts| {
                (f.elevation - 1_550.0).abs()
                    + 1_500.0 * f.slope
                    + 0.12 * f.to_settlement
                    + 900.0 * patch.at(f.pos)
            }),
            "0202" => Box::new(|f: &ParcelFacts| {
                (f.elevation - 1_850.0).abs() + 300.0 * f.slope + 900.0 * patch2.at(f.pos)
            }),
            "0201" => Box::new(|f: &ParcelFacts| 0.2 * f.to_settlement + 800.0 * patch.at(f.pos)),
            "0305" => Box::new(|f: &ParcelFacts| -f.elevation - 3_000.0 * f.slope),
            _ => Box::new(|f: &ParcelFacts| patch2.at(f.pos)),
        };
        take(&mut out, LandUse::plain(code), share, score.as_ref());
    }
    out.into_iter()
        .map(|o| o.unwrap_or(LandUse::plain("0301")))
        .collect()
}
