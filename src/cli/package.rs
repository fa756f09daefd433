//! `villageplan package <project> [--village CODE] --out DIR [--zip] [--force]`: the review
//! package (a BagIt bag, see `deliver::package`). Exit code 0 when everything went in, 1
//! when something had to be left out (invalid geometry: listed, the package still written),
//! 2 when the input is unusable (see `main.rs`).

use std::fmt::Write as _;
use std::path::Path;

use villageplan::deliver::package::{PackageRequest, write_package};
use villageplan::{Progress, io};

/// What `package` produced: the lines to print and whether anything was left out.
pub struct Outcome {
    pub text: String,
    pub left_out: usize,
}

/// Loads the project and writes its package.
pub fn run(
    project_path: &Path,
    request: &PackageRequest,
    progress: &dyn Progress,
) -> anyhow::Result<Outcome> {
    let project = io::load_project(project_path, progress)?;
    let report = write_package(&project, project_path, request, progress)?;
    let mut text = String::new();
    for line in &report.left_out {
        let _ = writeln!(text, "未写入 left out: {line}");
    }
    let _ = writeln!(
        text,
        "成果包 package written: {} ({} payload files, BagIt 1.0, SHA-256)",
        report.folder.display(),
        report.files
    );
    if let Some(zip) = &report.zip {
        let _ = writeln!(text, "压缩包 zip written: {}", zip.display());
    }
    if !report.left_out.is_empty() {
        let _ = writeln!(
            text,
            "{} 项未写入，见上 ({} things left out, listed above)",
            report.left_out.len(),
            report.left_out.len()
        );
    }
    Ok(Outcome {
        text,
        left_out: report.left_out.len(),
    })
}
