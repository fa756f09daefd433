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
//!   each village with the red line and the farmland and reads zones, heritage and projects.

use std::time::Instant;

use villageplan::analysis::areas::AreaBasis;
use villageplan::analysis::tables::accounting::ParcelAccounting;
use villageplan::analysis::tables::rows::StructureRows;
use villageplan::analysis::tables::structure::structure_table;
use villageplan::analysis::tables::{Scope, TableBook};
use villageplan::{Silent, io};

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
    Ok(())
}
