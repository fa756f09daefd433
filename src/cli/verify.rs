//! `villageplan verify DIR|FILE.zip`: re-checks a review package (any BagIt bag with a
//! SHA-256 manifest) and names every file that changed, is missing or was added. Exit code
//! 0 intact, 1 not intact, 2 not a readable bag (see `main.rs`).

use std::fmt::Write as _;
use std::path::Path;

use villageplan::io::bagit::verify_bag;

/// What `verify` found: the lines to print and whether the bag is intact.
pub struct Outcome {
    pub text: String,
    pub intact: bool,
}

/// Verifies the bag at `path`.
pub fn run(path: &Path) -> anyhow::Result<Outcome> {
    let check = verify_bag(path)?;
    let mut text = String::new();
    for (label, names) in [
        ("已改动 changed", &check.changed),
        ("缺失 missing", &check.missing),
        ("新增 added", &check.added),
    ] {
        for name in names {
            let _ = writeln!(text, "{label}: {name}");
        }
    }
    if check.is_intact() {
        let _ = writeln!(
            text,
            "完好 intact: {} ({} files match their checksums)",
            path.display(),
            check.checked
        );
    } else {
        let _ = writeln!(
            text,
            "不完好 NOT intact: {}: {} changed, {} missing, {} added",
            path.display(),
            check.changed.len(),
            check.missing.len(),
            check.added.len()
        );
    }
    Ok(Outcome {
        text,
        intact: check.is_intact(),
    })
}
