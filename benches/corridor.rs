//! A corridor's live update while its width slider moves: the polygon of a ≈ 40 km centre
//! line at a new width (`corridor_polygon`) and its summary (`SummaryContext::summarise`:
//! townships, villages and population inside, land use with 田坎 and 三生 spaces, natural
//! villages), from a context prepared once — what the window does every frame
//! (for benches/corridor_vs_geopandas.sh).
//!
//!   cargo bench --no-default-features --bench corridor -- PROJECT.gpkg [--through SEAT,SEAT,…] [--write DIR] [ellipsoidal|planar]
//!
//! The centre line runs straight through township seats (`line_through_seats`; default
//! 三岔河镇 → 小湾镇 → 洛党镇: 40.0 km on the committed sample, 39.7 km on the 200 000-parcel
//! one, whose seats differ slightly). Widths alternate 950, 1000
//! and 1050 m, so no update reuses the previous polygon. Lines for the script:
//! `UPDATE <median ms>` and `POLYGON` / `SUMMARY` medians of the two steps apart.
//!
//! With `--write DIR` it writes what the geopandas peer needs to do the same work and check
//! it: `DIR/corridor-centre.wkt` (the centre line, working CRS, shortest round-trip
//! coordinates) and `DIR/corridor-villages.csv` (code, planar m² inside at 1000 m, from a
//! planar summary; its last lines `LAND_USE` and `TERRACE`: the parcel area inside, 田坎 included, and the
//! 田坎 deducted from it).

use std::path::{Path, PathBuf};
use std::time::Instant;

use geo::{Euclidean, Length};
use villageplan::analysis::areas::AreaBasis;
use villageplan::analysis::demonstration::SummaryContext;
use villageplan::edit::demonstration::{corridor_polygon, line_through_seats};
use villageplan::model::demonstration::{CorridorLine, LineEnds, centre_line_text};
use villageplan::{Silent, io};

const DEFAULT_SEATS: &str = "三岔河镇,小湾镇,洛党镇";
const WIDTHS_M: [f64; 3] = [950.0, 1000.0, 1050.0];
const WARM_UP: usize = 6;
const UPDATES: usize = 120;

fn median(v: &mut [f64]) -> f64 {
    percentile(v, 0.5)
}

fn percentile(v: &mut [f64], p: f64) -> f64 {
    v.sort_by(f64::total_cmp);
    v[((v.len() - 1) as f64 * p).round() as usize]
}

struct Args {
    project: PathBuf,
    seats: String,
    write: Option<PathBuf>,
    basis: AreaBasis,
}

fn args() -> Result<Args, String> {
    let usage = "usage: corridor PROJECT.gpkg [--through SEAT,SEAT,…] [--write DIR] \
                 [ellipsoidal|planar]";
    let mut out = Args {
        project: PathBuf::new(),
        seats: DEFAULT_SEATS.into(),
        write: None,
        basis: AreaBasis::Ellipsoidal,
    };
    let mut it = std::env::args().skip(1).filter(|a| a != "--bench");
    while let Some(a) = it.next() {
        match a.as_str() {
            "--through" => out.seats = it.next().ok_or(usage)?,
            "--write" => out.write = Some(it.next().ok_or(usage)?.into()),
            _ if a.ends_with(".gpkg") => out.project = a.into(),
            _ => out.basis = AreaBasis::parse(&a).ok_or(usage)?,
        }
    }
    if out.project.as_os_str().is_empty() {
        return Err(usage.into());
    }
    Ok(out)
}

/// The planar summary at 1000 m for the peer to check against, and the centre line.
fn write_reference(
    dir: &Path,
    project: &villageplan::Project,
    line: &CorridorLine,
) -> Result<(), Box<dyn std::error::Error>> {
    std::fs::create_dir_all(dir)?;
    std::fs::write(
        dir.join("corridor-centre.wkt"),
        centre_line_text(&line.centre) + "\n",
    )?;
    let planar = SummaryContext::new(project, AreaBasis::Planar)?;
    let at_1000 = CorridorLine {
        width_m: 1000.0,
        ..line.clone()
    };
    let summary = planar.summarise(&corridor_polygon(&at_1000)?)?;
    let mut csv = String::from("code,inside_m2\n");
    for v in &summary.villages {
        csv += &format!("{},{:.3}\n", v.unit.code, v.unit.inside_m2);
    }
    let land_use: f64 = summary.land_use.iter().map(|c| c.area_m2).sum();
    let terrace: f64 = summary
        .land_use
        .iter()
        .filter(|c| c.code == "1203")
        .map(|c| c.area_m2)
        .sum();
    csv += &format!("LAND_USE,{land_use:.3}\nTERRACE,{terrace:.3}\n");
    std::fs::write(dir.join("corridor-villages.csv"), csv)?;
    println!(
        "reference   planar, 1000 m: {} villages, parcels inside {:.1} ha → {}",
        summary.villages.len(),
        land_use / 1e4,
        dir.display()
    );
    Ok(())
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args = args()?;
    let t = Instant::now();
    let project = io::load_project(&args.project, &Silent)?;
    println!(
        "load        {:8.3} s  {}",
        t.elapsed().as_secs_f64(),
        args.project.display()
    );
    let seats: Vec<&str> = args.seats.split(',').map(str::trim).collect();
    let centre = line_through_seats(&project, &seats)?;
    let length: f64 = centre.0.iter().map(|l| Euclidean.length(l)).sum::<f64>();
    let line = CorridorLine {
        centre,
        width_m: 1000.0,
        ends: LineEnds::Round,
    };
    println!(
        "line        {} ({:.1} km, EPSG:{}), round ends",
        seats.join(" → "),
        length / 1e3,
        project.crs.epsg()
    );
    if let Some(dir) = &args.write {
        write_reference(dir, &project, &line)?;
    }

    let t = Instant::now();
    let context = SummaryContext::new(&project, args.basis)?;
    println!(
        "context     {:8.3} s  once ({})",
        t.elapsed().as_secs_f64(),
        args.basis.describe_zh(project.crs)
    );

    let (mut updates, mut polygons, mut summaries) = (Vec::new(), Vec::new(), Vec::new());
    let mut last = None;
    for k in 0..WARM_UP + UPDATES {
        let at = CorridorLine {
            width_m: WIDTHS_M[k % WIDTHS_M.len()],
            ..line.clone()
        };
        let t = Instant::now();
        let polygon = corridor_polygon(&at)?;
        let drawn = t.elapsed().as_secs_f64() * 1e3;
        let summary = context.summarise(&polygon)?;
        let total = t.elapsed().as_secs_f64() * 1e3;
        if k >= WARM_UP {
            updates.push(total);
            polygons.push(drawn);
            summaries.push(total - drawn);
        }
        last = Some((at.width_m, summary));
    }
    if let Some((width, s)) = &last {
        let land: f64 = s.land_use.iter().map(|c| c.area_m2).sum();
        println!(
            "last        {width} m: {:.1} ha, {} townships, {} villages, {} natural villages, \
             parcels inside {:.1} ha",
            s.area_m2 / 1e4,
            s.townships.len(),
            s.villages.len(),
            s.natural_villages.len(),
            land / 1e4
        );
    }
    let (lo, hi) = (
        updates.iter().copied().fold(f64::INFINITY, f64::min),
        updates.iter().copied().fold(0.0, f64::max),
    );
    let p95 = percentile(&mut updates, 0.95);
    println!(
        "UPDATE      {:.2} ms median of {UPDATES} widths (p95 {p95:.2}, {lo:.2}–{hi:.2} ms; goal ≤ 30 ms)",
        median(&mut updates)
    );
    println!("POLYGON     {:.2} ms median", median(&mut polygons));
    println!("SUMMARY     {:.2} ms median", median(&mut summaries));
    Ok(())
}
