//! Map sheets in bulk: every village's 现状图 (A3, 300 dpi by default) rendered and written
//! as PNG, one after the other, from a project loaded once — what a county's batch of
//! review drawings costs.
//!
//!   cargo bench --no-default-features --bench sheets -- [PROJECT.gpkg] [--every N] [--dpi N]
//!
//! `--every N` takes every N-th village of the 行政村界 layer (a subset for slow builds);
//! the total for all villages is then extrapolated from the mean and printed as such.
//! Lines: one per sheet (code, seconds), then `SHEETS <n> of <villages>`, `MEAN`,
//! `MEDIAN`, `MAX` and `ALL` (measured, or `ALL_EXTRAPOLATED`).

use std::path::PathBuf;
use std::time::Instant;

use villageplan::deliver::sheets::{
    DEFAULT_DPI, Paper, SheetKind, SheetSpec, render_sheet, save_png,
};
use villageplan::model::admin::AdminUnits;
use villageplan::{Silent, io};

fn main() -> Result<(), String> {
    let mut project = PathBuf::from("sample-maps/fengqing/fengqing.gpkg");
    let (mut every, mut dpi) = (1usize, DEFAULT_DPI);
    let mut args = std::env::args().skip(1).filter(|a| a != "--bench");
    while let Some(a) = args.next() {
        let mut number = |what: &str| {
            args.next()
                .and_then(|v| v.parse::<usize>().ok())
                .filter(|&v| v > 0)
                .ok_or_else(|| format!("{what} needs a positive number"))
        };
        match a.as_str() {
            "--every" => every = number("--every")?,
            "--dpi" => dpi = number("--dpi")? as u32,
            _ => project = PathBuf::from(a),
        }
    }
    let started = Instant::now();
    let project = io::load_project(&project, &Silent).map_err(|e| e.to_string())?;
    println!("LOAD {:.2} s", started.elapsed().as_secs_f64());
    let codes: Vec<String> = AdminUnits::villages(&project)
        .map_err(|e| e.to_string())?
        .list
        .into_iter()
        .map(|u| u.code)
        .collect();
    let out = std::env::temp_dir().join(format!("villageplan-sheets-{}", std::process::id()));
    std::fs::create_dir_all(&out).map_err(|e| e.to_string())?;
    let mut times = Vec::new();
    for code in codes.iter().step_by(every) {
        let spec = SheetSpec {
            kind: SheetKind::Current,
            village: Some(code.clone()),
            paper: Paper::A3,
            dpi,
        };
        let t = Instant::now();
        let sheet = render_sheet(&project, &spec, &Silent).map_err(|e| format!("{code}: {e}"))?;
        let path = out.join("sheet.png");
        save_png(&sheet, &path).map_err(|e| e.to_string())?;
        let s = t.elapsed().as_secs_f64();
        println!("{code} {s:.3} s ({} problems)", sheet.problems.len());
        times.push(s);
    }
    let _ = std::fs::remove_dir_all(&out);
    let n = times.len();
    let total: f64 = times.iter().sum();
    let mean = total / n.max(1) as f64;
    times.sort_by(f64::total_cmp);
    println!("SHEETS {n} of {} villages, A3 {dpi} dpi", codes.len());
    println!("MEAN {mean:.3} s");
    println!("MEDIAN {:.3} s", times[n / 2]);
    println!("MAX {:.3} s", times[n - 1]);
    if n == codes.len() {
        println!("ALL {total:.1} s");
    } else {
        println!("ALL_EXTRAPOLATED {:.1} s", mean * codes.len() as f64);
    }
    Ok(())
}
