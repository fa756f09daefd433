//! The synthetic sample project: 凤庆县 (530921) with real codes, names and county outline
//! and SYNTHETIC geometry and attributes for everything else.
//!
//! Built bottom-up so the hierarchy tiles exactly: parcels are wiggled Voronoi cells clipped
//! to the county; villages, townships and the county are exact unions of parcels; the
//! control lines are unions of parcels too. Deterministic for a seed: one `Pcg64`, no hash
//! map iteration in anything that reaches the output, no threads.

mod admin;
mod centre_lines;
mod corridors;
mod deduction;
mod demonstration_layout;
mod dissolve;
mod inputs;
mod landuse;
mod layers;
mod mesh;
mod natural_villages;
mod plan_types;
mod planning;
mod seeds;
mod terrain;
mod township_seats;
mod village_plans;
mod villages;
mod world;

use geo::{Area, BoundingRect, Coord, InteriorPoint, LineString, Polygon, Rect};
use rand::{RngExt, SeedableRng};
use rand_pcg::Pcg64;

use crate::crs::WorkingCrs;
use crate::error::{Error, Result};
use crate::model::Project;
use crate::progress::Progress;

/// What to generate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SampleOptions {
    /// Random seed; the same seed gives the same project, byte for byte.
    pub seed: u64,
    /// Approximate number of 三调 parcels (the county is tiled by about this many).
    pub parcels: usize,
}

impl Default for SampleOptions {
    /// Seed 530921 (the county code) and 25 000 parcels: the committed sample.
    fn default() -> Self {
        SampleOptions {
            seed: 530_921,
            parcels: 25_000,
        }
    }
}

/// Fewest parcels that still give each of the 190 villages several parcels.
const MIN_PARCELS: usize = 1_500;

/// Generates the synthetic 凤庆县 sample project (see the module docs and
/// `sample-maps/fengqing/README.md`).
pub fn generate(options: &SampleOptions, progress: &dyn Progress) -> Result<Project> {
    if options.parcels < MIN_PARCELS {
        return Err(Error::Invalid(format!(
            "sample: at least {MIN_PARCELS} parcels are needed for 190 villages (got {})",
            options.parcels
        )));
    }
    let crs = WorkingCrs::for_longitude(99.9)?;
    let inputs = inputs::Inputs::load(crs)?;
    let mut rng = Pcg64::seed_from_u64(options.seed);
    let seed = options.seed;

    let county = &inputs.county_in_gk;
    let cell_size = (county.unsigned_area() / options.parcels as f64).sqrt();
    let terrain = terrain::Terrain::new(
        seed,
        vec![inputs.lancang_in_gk.clone(), inputs.heihui_in_gk.clone()],
    );
    let seats: Vec<Coord> = inputs.townships.iter().map(|t| t.seat_in_gk).collect();
    let corridors = corridors::corridors(&inputs, seed);
    let band = corridors::band_seeds(&corridors, cell_size, &seats, &mut rng);
    let bbox = county
        .bounding_rect()
        .ok_or_else(|| Error::Invalid("sample: empty county outline".into()))?;
    let margin = Coord {
        x: 2.0 * cell_size + 500.0,
        y: 2.0 * cell_size + 500.0,
    };
    let area = Rect::new(bbox.min() - margin, bbox.max() + margin);
    let mask = seeds::CountyMask::new(county);
    progress.begin("Placing parcel seeds", 0);
    let seed_points = seeds::seeds(
        area,
        &mask,
        &terrain,
        &corridors,
        band,
        inputs.county_seat_in_gk,
        &seats,
        cell_size,
        options.parcels,
        &mut rng,
    );
    progress.finish();
    let pieces = mesh::pieces(&seed_points, area, county, cell_size, progress)?;

    progress.begin("Assigning townships, villages and land use", 4);
    let rings: Vec<Vec<Coord>> = pieces.iter().map(|p| p.ring.clone()).collect();
    let areas: Vec<f64> = rings.iter().map(|r| mesh::ring_area(r)).collect();
    let pos: Vec<Coord> = pieces
        .iter()
        .map(|p| {
            if p.clipped {
                Polygon::new(LineString::from(p.ring.clone()), vec![])
                    .interior_point()
                    .map_or(p.ring[0], |pt| pt.0)
            } else {
                p.site
            }
        })
        .collect();
    let adjacency = dissolve::adjacency(&rings);
    let mut township_of = admin::townships(&inputs, &pos, seed);
    admin::make_connected(&mut township_of, &adjacency, &areas, &|_, _| true);
    progress.advance(1);
    let (mut village_of, village_centre) =
        admin::villages(&inputs, &pos, &areas, &township_of, &mut rng);
    let town_of_village: Vec<usize> = inputs.villages.iter().map(|v| v.township).collect();
    admin::make_connected(&mut village_of, &adjacency, &areas, &|a, b| {
        town_of_village[a] == town_of_village[b]
    });
    for v in 0..inputs.villages.len() {
        if !village_of.contains(&v) {
            return Err(Error::Invalid(format!(
                "sample: village {} received no parcel; use more parcels",
                inputs.villages[v].code
            )));
        }
    }
    progress.advance(1);

    // Settlement nuclei: the parcel nearest each village centre and two lower-lying hamlets.
    let nucleus: Vec<usize> = (0..inputs.villages.len())
        .map(|v| {
            (0..pos.len())
                .filter(|&i| village_of[i] == v && !pieces[i].clipped)
                .min_by(|&a, &b| {
                    let d = |i: usize| {
                        (pos[i] - village_centre[v])
                            .x
                            .hypot((pos[i] - village_centre[v]).y)
                    };
                    d(a).total_cmp(&d(b))
                })
                .or_else(|| village_of.iter().position(|&x| x == v))
                .unwrap_or(0)
        })
        .collect();
    let elevation: Vec<f64> = pos.iter().map(|&p| terrain.elevation(p)).collect();
    let slope: Vec<f64> = pos.iter().map(|&p| terrain.slope(p)).collect();
    let mut nuclei: Vec<Vec<Coord>> = nucleus.iter().map(|&n| vec![pos[n]]).collect();
    for (v, list) in nuclei.iter_mut().enumerate() {
        let members: Vec<usize> = (0..pos.len()).filter(|&i| village_of[i] == v).collect();
        for _ in 0..2 {
            let pick = (0..3)
                .map(|_| members[rng.random_range(0..members.len())])
                .min_by(|&a, &b| elevation[a].total_cmp(&elevation[b]).then(a.cmp(&b)))
                .unwrap_or(members[0]);
            list.push(pos[pick]);
        }
    }
    let dist = |a: Coord, b: Coord| (a - b).x.hypot((a - b).y);
    let facts: Vec<landuse::ParcelFacts> = (0..pos.len())
        .map(|i| landuse::ParcelFacts {
            pos: pos[i],
            area: areas[i],
            kind: pieces[i].kind,
            elevation: elevation[i],
            slope: slope[i],
            to_county_seat: if inputs.townships[township_of[i]].name.starts_with("凤山") {
                dist(pos[i], inputs.county_seat_in_gk)
            } else {
                f64::INFINITY
            },
            to_township_seat: dist(pos[i], inputs.townships[township_of[i]].seat_in_gk),
            to_settlement: nuclei[village_of[i]]
                .iter()
                .map(|&c| dist(pos[i], c))
                .fold(f64::INFINITY, f64::min),
        })
        .collect();
    let land_use = landuse::allocate(&facts, seed);
    progress.advance(1);

    // Parcels in village-code order; BSM = village code + sequence within the village.
    let mut order: Vec<usize> = (0..pos.len()).collect();
    order.sort_by_key(|&i| (village_of[i], i));
    let mut bsm = vec![String::new(); pos.len()];
    let mut seq = vec![0usize; inputs.villages.len()];
    for &i in &order {
        let v = village_of[i];
        seq[v] += 1;
        bsm[i] = format!("{}{:06}", inputs.villages[v].code, seq[v]);
    }
    let world = world::World {
        inputs,
        rings,
        pos,
        area: areas,
        elevation,
        slope,
        adjacency,
        village_of,
        land_use,
        village_centre,
        nucleus,
        bsm,
    };
    let project = plan_types::assemble(world, &order, crs, options, &mut rng)?;
    progress.advance(1);
    progress.finish();
    Ok(project)
}
