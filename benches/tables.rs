//! The standard planning tables of every village of a project, timed after the project is
//! loaded (for benches/tables_vs_geopandas.sh).
//!
//!   cargo bench --no-default-features --bench tables -- PROJECT.gpkg [ellipsoidal|planar]
//!
//! Two timings, each from the loaded project:
//! - `ACCOUNTING`: what geopandas does in `tables_geopandas.py` — every parcel measured on
//!   the basis, placed in its village (ZLDWDM, else its interior point), its 田坎 deduction
//!   applied, the 空间功能结构调整表 rows of every village summed and rounded;
//! - `TOTAL`: all six tables of every village (`TableBook::tables`), which also intersects
//!   each village with the red line and the farmland and reads zones, heritage and projects;
//! - `RINGS`: the ellipsoidal area of every parcel ring already in lon/lat, on one core, by
//!   VillagePlan's authalic-sphere method and by GeographicLib's geodesic polygon (the
//!   library it replaced for speed), with the largest difference between the two.

use std::time::Instant;

use villageplan::analysis::areas::AreaBasis;
use villageplan::analysis::tables::accounting::ParcelAccounting;
use villageplan::analysis::tables::rows::StructureRows;
use villageplan::analysis::tables::structure::structure_table;
use villageplan::analysis::tables::{Scope, TableBook};
use villageplan::crs::Transformer;
use villageplan::geometry::{AuthalicSphere, for_each_polygon};
use villageplan::model::LayerRole;
use villageplan::{Project, Silent, io};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| a != "--bench")
        .collect();
    let path = args
        .first()
        .ok_or("usage: tables PROJECT.gpkg [ellipsoidal|planar]")?;
    let basis = match args.get(1) {
        Some(b) => AreaBasis::parse(b).ok_or("basis: ellipsoidal or planar")?,
        None => AreaBasis::Ellipsoidal,
    };
    let t = Instant::now();
    let project = io::load_project(std::path::Path::new(path), &Silent)?;
    println!("load        {:8.3} s", t.elapsed().as_secs_f64());

    let t = Instant::now();
    let accounting = ParcelAccounting::of(&project, basis)?;
    let rows = StructureRows::bundled()?;
    let base = accounting.base.as_ref().ok_or("no current land use")?;
    let mut lines = 0;
    let mut total_ha = 0i64;
    for (code, sums) in &base.villages {
        let target = accounting
            .target
            .as_ref()
            .and_then(|t| t.villages.get(code));
        let table = structure_table(&rows, sums, target);
        lines += table.lines.len();
        total_ha += table.total().map_or(0, |l| l.base.area.ha.units);
    }
    let accounting_s = t.elapsed().as_secs_f64();
    println!(
        "ACCOUNTING  {accounting_s:8.3} s  {} villages, {lines} rows, {:.4} ha",
        base.villages.len(),
        total_ha as f64 / 1e4
    );

    let t = Instant::now();
    let book = TableBook::new(&project, basis)?;
    let mut tables = 0;
    for code in book.village_codes() {
        match book.tables(&Scope::Village(code)) {
            Ok(_) => tables += 1,
            Err(villageplan::Error::NoParcels { .. }) => {}
            Err(e) => return Err(e.into()),
        }
    }
    println!(
        "TOTAL       {:8.3} s  six tables of {tables} villages",
        t.elapsed().as_secs_f64()
    );
    rings_side_by_side(&project)
}

/// Every ring of the current land-use layer in lon/lat (outside the timing), then measured
/// by both methods on one core.
fn rings_side_by_side(project: &Project) -> Result<(), Box<dyn std::error::Error>> {
    let layer = project
        .layers
        .iter()
        .find(|l| l.role == LayerRole::CurrentLandUse)
        .ok_or("no current land use")?;
    let lonlat = Transformer::lonlat_from_gk(project.crs)?;
    let mut rings: Vec<(Vec<f64>, Vec<f64>)> = Vec::new();
    for feature in layer.features() {
        if let Some(g) = &feature.geometry {
            for_each_polygon(g, &mut |p| {
                for ring in std::iter::once(p.exterior()).chain(p.interiors()) {
                    rings.push(ring.0.iter().map(|c| (c.x, c.y)).unzip());
                }
            });
        }
    }
    for (xs, ys) in &mut rings {
        lonlat.transform_xy(xs, ys)?;
    }
    let sphere = AuthalicSphere::new(6_378_137.0, 1.0 / 298.257_222_101);
    let t = Instant::now();
    let fast: Vec<f64> = rings
        .iter()
        .map(|(lons, lats)| sphere.signed_ring_area(lons, lats).abs())
        .collect();
    let fast_s = t.elapsed().as_secs_f64();
    let geodesic = geographiclib_rs::Geodesic::new(6_378_137.0, 1.0 / 298.257_222_101);
    let t = Instant::now();
    let exact: Vec<f64> = rings
        .iter()
        .map(|(lons, lats)| {
            let mut ring = geographiclib_rs::PolygonArea::new(
                &geodesic,
                geographiclib_rs::Winding::CounterClockwise,
            );
            for (lon, lat) in lons.iter().zip(lats).skip(1) {
                ring.add_point(*lat, *lon);
            }
            ring.compute(true).1.abs()
        })
        .collect();
    let exact_s = t.elapsed().as_secs_f64();
    let worst = fast
        .iter()
        .zip(&exact)
        .map(|(a, b)| (a - b).abs())
        .fold(0.0, f64::max);
    let (sum_fast, sum_exact): (f64, f64) = (fast.iter().sum(), exact.iter().sum());
    println!(
        "RINGS       {fast_s:8.3} s  authalic sphere, {exact_s:.3} s GeographicLib ({:.1}×), {} rings, largest difference {worst:.2e} m², totals {sum_fast:.2} / {sum_exact:.2} m²",
        exact_s / fast_s,
        rings.len()
    );
    Ok(())
}
