//! The review package (成果包): one folder, optionally zipped, that a reviewer can check
//! without VillagePlan — a BagIt bag ([`crate::io::bagit`], RFC 8493) whose `data/` holds
//! the plan layers, the check results, the classification, the standard tables and the
//! demonstration summaries of the county or of one village ([`parts::PARTS`]), and whose
//! `bag-info.txt` says what they are ([`info`]).
//!
//! Atomic: the bag is written into a temporary folder beside the destination and renamed
//! onto it once complete (the zip likewise), so a failed or cancelled package leaves
//! nothing half-written and a replaced one (`force`) stays intact until the new one is
//! ready.

mod info;
mod parts;
mod scope;

use std::path::{Path, PathBuf};

use crate::analysis::checks::{CheckScope, RuleSet, run_checks};
use crate::analysis::demonstration::project_classification;
use crate::error::{Error, Result};
use crate::io::bagit;
use crate::model::Project;
use crate::progress::Progress;

pub use parts::{PARTS, Part};
pub use scope::Village;

/// What to package and where.
#[derive(Debug, Clone, Default)]
pub struct PackageRequest {
    /// The bag folder to write.
    pub out: PathBuf,
    /// Only this village (12-digit code); the whole county when `None`.
    pub village: Option<String>,
    /// Also write `<out>.zip` beside the folder.
    pub zip: bool,
    /// Replace an existing non-empty folder (and zip).
    pub force: bool,
    /// `Source-Organization` of the bag (the 编制单位).
    pub organization: Option<String>,
}

impl PackageRequest {
    /// The zip written beside the folder: `<out>.zip`.
    pub fn zip_path(&self) -> PathBuf {
        let mut name = self
            .out
            .file_name()
            .map(|n| n.to_os_string())
            .unwrap_or_else(|| "package".into());
        name.push(".zip");
        // `with_file_name`, not appending to the path: `--out pkg/` gives `pkg.zip`.
        self.out.with_file_name(name)
    }
}

/// What [`write_package`] wrote.
#[derive(Debug, Clone)]
pub struct PackageReport {
    /// The bag folder.
    pub folder: PathBuf,
    /// The zip, when asked for.
    pub zip: Option<PathBuf>,
    /// Payload files.
    pub files: usize,
    /// One line per thing left out (a feature with invalid geometry, a part the project's
    /// data cannot give): the package is written, but it is not the whole plan.
    pub left_out: Vec<String>,
}

/// Written when no organisation is given.
const NO_ORGANIZATION: &str = "未填写编制单位 (organisation not given)";

/// Refuses a destination that is a file, or a non-empty folder (or an existing zip)
/// without `force`, before any work is done.
fn check_destination(request: &PackageRequest) -> Result<()> {
    let out = &request.out;
    if out.is_file() {
        return Err(Error::Invalid(format!(
            "{}: is a file; the package is a folder (choose a folder path)",
            out.display()
        )));
    }
    if request.force {
        return Ok(());
    }
    let non_empty = std::fs::read_dir(out).is_ok_and(|mut d| d.next().is_some());
    if non_empty {
        return Err(Error::Invalid(format!(
            "{}: folder exists and is not empty; choose another folder or replace it (--force)",
            out.display()
        )));
    }
    let zip = request.zip_path();
    if request.zip && zip.exists() {
        return Err(Error::Invalid(format!(
            "{}: exists; choose another folder or replace it (--force)",
            zip.display()
        )));
    }
    Ok(())
}

/// A hidden sibling of `path` for work in progress: `.NAME.WHAT-PID`.
fn sibling(path: &Path, what: &str) -> PathBuf {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "package".into());
    path.with_file_name(format!(".{name}.{what}-{}", std::process::id()))
}

/// Writes the review package of `project` (read from `project_file`) as `request` asks.
pub fn write_package(
    project: &Project,
    project_file: &Path,
    request: &PackageRequest,
    progress: &dyn Progress,
) -> Result<PackageReport> {
    check_destination(request)?;
    let village = request
        .village
        .as_deref()
        .map(|code| Village::find(project, code))
        .transpose()?;
    let rules = RuleSet::for_project(&project.settings)?;
    let check_scope = match &village {
        Some(v) => CheckScope::Village(v.code.clone()),
        None => CheckScope::All,
    };
    let checks = run_checks(project, &rules, &check_scope, progress)?;
    let classification = project_classification(project)
        .map(|(mut c, source)| {
            if let Some(v) = &village {
                c.villages.retain(|r| r.code == v.code);
            }
            (c, source)
        })
        .map_err(|e| e.to_string());
    let inputs = parts::Inputs {
        project,
        village: village.as_ref(),
        checks,
        classification,
    };
    let parent = request
        .out
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    std::fs::create_dir_all(parent).map_err(|e| cannot_write(&request.out, e))?;
    let work = sibling(&request.out, "packaging");
    if work.exists() {
        std::fs::remove_dir_all(&work).map_err(|e| Error::io(&work, e))?;
    }
    let result = assemble(&inputs, project_file, request, &work, progress);
    match result {
        Ok(report) => Ok(report),
        Err(e) => {
            let _ = std::fs::remove_dir_all(&work);
            let _ = std::fs::remove_file(sibling(&request.zip_path(), "packaging"));
            Err(e)
        }
    }
}

/// A folder that cannot be written: say so plainly (a read-only destination is the usual
/// cause).
fn cannot_write(path: &Path, e: std::io::Error) -> Error {
    Error::write(path, format!("cannot create the package there: {e}"))
}

fn assemble(
    inputs: &parts::Inputs,
    project_file: &Path,
    request: &PackageRequest,
    work: &Path,
    progress: &dyn Progress,
) -> Result<PackageReport> {
    let data = work.join(bagit::PAYLOAD_DIR);
    std::fs::create_dir_all(&data).map_err(|e| cannot_write(&request.out, e))?;
    progress.begin("成果包 Review package", PARTS.len() as u64 + 1);
    let mut left_out = Vec::new();
    for part in PARTS {
        if progress.cancelled() {
            progress.finish();
            return Err(Error::Invalid(
                "成果包已取消 package cancelled; nothing was written".into(),
            ));
        }
        match (part.write)(inputs, &data) {
            Ok(lines) => left_out.extend(lines),
            // The disk failed: the package cannot be trusted.
            Err(e @ (Error::Io { .. } | Error::Write { .. })) => {
                progress.finish();
                return Err(e);
            }
            // The plan's data cannot give this part (a geometry GEOS cannot take, a layer
            // the part needs): the rest of the package is still worth reviewing.
            Err(e) => left_out.push(format!("{}: {e}", part.name)),
        }
        progress.advance(1);
    }
    let file_name = project_file
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let organization = request
        .organization
        .as_deref()
        .filter(|o| !o.trim().is_empty())
        .unwrap_or(NO_ORGANIZATION);
    let info = info::bag_info(
        inputs,
        organization,
        &file_name,
        &info::today(),
        left_out.len(),
    );
    let files = bagit::write_tag_files(work, &info)?;
    progress.advance(1);
    progress.finish();
    replace(work, &request.out)?;
    let zip = if request.zip {
        let zip = request.zip_path();
        let temp = sibling(&zip, "packaging");
        bagit::zip_bag(&request.out, &temp)
            .and_then(|()| std::fs::rename(&temp, &zip).map_err(|e| Error::io(&zip, e)))?;
        Some(zip)
    } else {
        None
    };
    Ok(PackageReport {
        folder: request.out.clone(),
        zip,
        files,
        left_out,
    })
}

/// Puts the finished bag `work` at `out`: an empty folder there is removed first, a full
/// one (allowed by `force`) moved aside and removed once the new bag is in place.
fn replace(work: &Path, out: &Path) -> Result<()> {
    let old = sibling(out, "replaced");
    let had_old = out.exists();
    if had_old {
        std::fs::rename(out, &old).map_err(|e| Error::io(out, e))?;
    }
    if let Err(e) = std::fs::rename(work, out) {
        if had_old {
            let _ = std::fs::rename(&old, out);
        }
        return Err(Error::io(out, e));
    }
    if had_old {
        std::fs::remove_dir_all(&old).map_err(|e| Error::io(&old, e))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_zip_sits_beside_the_folder_even_with_a_trailing_slash() {
        let request = |out: &str| PackageRequest {
            out: PathBuf::from(out),
            ..PackageRequest::default()
        };
        assert_eq!(request("out/pkg").zip_path(), PathBuf::from("out/pkg.zip"));
        assert_eq!(request("out/pkg/").zip_path(), PathBuf::from("out/pkg.zip"));
        assert_eq!(
            sibling(Path::new("out/pkg"), "packaging"),
            PathBuf::from(format!("out/.pkg.packaging-{}", std::process::id()))
        );
    }
}
