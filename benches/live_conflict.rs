//! Live conflict feedback while drawing: the cost of one update (sketch with the pointer
//! as its last vertex ∩ 永久基本农田 and 生态保护红线) on a project, at village scale.
//!
//!   cargo bench --bench live_conflict -- [PROJECT.gpkg]
//!
//! The peer is the same computation without the spatial index (every protected feature
//! intersected), in the same run: what the index saves.

use std::time::Instant;

use geo::{Area, BooleanOps, Coord, Geometry, InteriorPoint, LineString, MultiPolygon, Polygon};
use villageplan::analysis::live_conflicts::{PROTECTED, construction_conflicts};
use villageplan::{LayerRole, Silent, io};

fn percentile(v: &mut [f64], p: f64) -> f64 {
    v.sort_by(f64::total_cmp);
    v[((v.len() - 1) as f64 * p).round() as usize]
}

/// A 1.2 km × 0.9 km quadrilateral whose last corner follows a pointer at step `k`.
fn sketch(c: Coord<f64>, k: usize) -> Polygon<f64> {
    let wobble = (k as f64 * 0.37).sin() * 150.0;
    let pts = vec![
        (c.x - 600.0, c.y - 450.0),
        (c.x + 600.0, c.y - 450.0),
        (c.x + 600.0 + wobble, c.y + 450.0),
        (c.x - 600.0, c.y + 450.0 + wobble),
        (c.x - 600.0, c.y - 450.0),
    ];
    Polygon::new(LineString::from(pts), vec![])
}

fn brute_force(project: &villageplan::Project, s: &Polygon<f64>) -> f64 {
    let s = MultiPolygon(vec![s.clone()]);
    let mut area = 0.0;
    for layer in project
        .layers
        .iter()
        .filter(|l| PROTECTED.contains(&l.role))
    {
        for f in layer.features() {
            let g = match &f.geometry {
                Some(Geometry::Polygon(p)) => MultiPolygon(vec![p.clone()]),
                Some(Geometry::MultiPolygon(m)) => m.clone(),
                _ => continue,
            };
            area += s.intersection(&g).unsigned_area();
        }
    }
    area
}

fn main() {
    let path = std::env::args()
        .skip(1)
        .find(|a| a.ends_with(".gpkg"))
        .unwrap_or_else(|| "sample-maps/fengqing/fengqing.gpkg".into());
    let project = match io::load_project(path.as_ref(), &Silent) {
        Ok(p) => p,
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(2);
        }
    };
    // Centre the sketch inside the largest farmland polygon, where it conflicts.
    let farmland = project
        .layer_by_role(LayerRole::PermanentFarmland)
        .expect("farmland");
    let centre = farmland
        .features()
        .iter()
        .filter_map(|f| f.geometry.as_ref())
        .max_by(|a, b| a.unsigned_area().total_cmp(&b.unsigned_area()))
        .and_then(|g| g.interior_point())
        .map(|p| p.0)
        .expect("a farmland polygon");
    let parcels = project
        .layer_by_role(LayerRole::CurrentLandUse)
        .map_or(0, |l| l.features().len());
    println!(
        "{path}: {parcels} parcels, {} farmland polygons",
        farmland.features().len()
    );
    let mut indexed = Vec::new();
    let mut area = 0.0;
    for k in 0..200 {
        let s = sketch(centre, k);
        let t = Instant::now();
        let found = construction_conflicts(&project, &s);
        indexed.push(t.elapsed().as_secs_f64() * 1e3);
        area = found.iter().map(|c| c.area_m2).sum::<f64>();
    }
    let mut brute = Vec::new();
    let mut brute_area = 0.0;
    for k in 0..20 {
        let s = sketch(centre, k + 180);
        let t = Instant::now();
        brute_area = brute_force(&project, &s);
        brute.push(t.elapsed().as_secs_f64() * 1e3);
    }
    let last = construction_conflicts(&project, &sketch(centre, 199));
    let last_area: f64 = last.iter().map(|c| c.area_m2).sum();
    assert!(
        (last_area - brute_area).abs() < 1e-3 * brute_area.max(1.0),
        "same overlap"
    );
    let (m, p95) = (
        percentile(&mut indexed, 0.5),
        percentile(&mut indexed, 0.95),
    );
    let b = percentile(&mut brute, 0.5);
    println!(
        "overlap of the last sketch: {:.1} 亩",
        area / (10_000.0 / 15.0)
    );
    println!("indexed update: median {m:.2} ms, p95 {p95:.2} ms (goal ≤ 30 ms)");
    println!("without the index: median {b:.2} ms → {:.1}× faster", b / m);
}
