//! `villageplan sample`: writes the synthetic 凤庆县 sample project.

use std::path::Path;

use villageplan::Progress;
use villageplan::io;
use villageplan::sample::{SampleOptions, generate};

/// File name of the sample project inside the output directory.
pub const SAMPLE_FILE: &str = "fengqing.gpkg";

/// Generates the sample and saves it atomically as `<out>/fengqing.gpkg`.
pub fn run(
    out: &Path,
    seed: u64,
    parcels: usize,
    progress: &dyn Progress,
) -> anyhow::Result<String> {
    std::fs::create_dir_all(out)
        .map_err(|e| anyhow::anyhow!("{}: cannot create directory: {e}", out.display()))?;
    let project = generate(&SampleOptions { seed, parcels }, progress)?;
    let path = out.join(SAMPLE_FILE);
    io::save_project(&project, &path, progress)?;
    let counts: Vec<String> = project
        .layers
        .iter()
        .map(|l| format!("{} {}", l.name, l.features().len()))
        .collect();
    Ok(format!(
        "wrote {} (synthetic sample, seed {seed}): {}\n",
        path.display(),
        counts.join(", ")
    ))
}
