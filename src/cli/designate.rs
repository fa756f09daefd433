//! `villageplan designate <project>`: marks a township 乡村振兴示范乡镇, an administrative
//! village 精品示范村 or a natural village 美丽村庄 (or removes the mark), or sets the county's
//! target for a designation; `--write` saves the project atomically.

use std::path::Path;

use villageplan::analysis::demonstration::{Designation, Designations, designate, set_target};
use villageplan::{Progress, io};

/// Which unit the code names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    Township,
    Village,
    NaturalVillage,
}

impl Level {
    fn flag(self) -> &'static str {
        match self {
            Level::Township => "--township",
            Level::Village => "--village",
            Level::NaturalVillage => "--natural-village",
        }
    }
}

/// What `designate` was asked to do: a code (or a target) and the designation.
pub struct Request<'a> {
    pub project: &'a Path,
    pub unit: Option<(Level, &'a str)>,
    pub target: Option<u32>,
    pub designation: &'a str,
    pub remove: bool,
    pub write: bool,
}

/// Changes the designation or target and reports the county's progress.
pub fn run(request: &Request, progress: &dyn Progress) -> anyhow::Result<String> {
    let mut project = io::load_project(request.project, progress)?;
    let d = Designation::parse(request.designation).ok_or_else(|| {
        anyhow::anyhow!(
            "--as '{}' is not 乡村振兴示范乡镇, 精品示范村 or 美丽村庄",
            request.designation
        )
    })?;
    let mut out = String::new();
    match (request.unit, request.target) {
        (Some((level, code)), None) => {
            let wanted = match d {
                Designation::Township => Level::Township,
                Designation::Village => Level::Village,
                Designation::NaturalVillage => Level::NaturalVillage,
            };
            if level != wanted {
                anyhow::bail!(
                    "{} is a designation of {} (use {} CODE), not of {}",
                    d.name_zh(),
                    d.unit_zh(),
                    wanted.flag(),
                    level.flag()
                );
            }
            let changed = designate(&mut project, d, code, request.remove)?;
            let verb = match (request.remove, changed) {
                (false, true) => "指定 designated",
                (true, true) => "取消 removed",
                (false, false) => "已是 already designated",
                (true, false) => "本未指定 was not designated",
            };
            out.push_str(&format!("{verb}: {code} {}\n", d.name_zh()));
        }
        (None, Some(n)) => {
            set_target(&mut project, d, n)?;
            out.push_str(&format!("目标 target {}: {n}\n", d.name_zh()));
        }
        _ => anyhow::bail!(
            "give one of --township CODE, --village CODE, --natural-village CODE or --target N"
        ),
    }
    let designations = Designations::from_settings(&project.settings)?;
    for d in Designation::ALL {
        out.push_str(&format!(
            "  {} {}/{}\n",
            d.name_zh(),
            designations.codes(d).len(),
            designations.targets.of(d)
        ));
    }
    if request.write {
        io::save_project(&project, request.project, progress)?;
        out.push_str(&format!("写入 wrote {}\n", request.project.display()));
    } else {
        out.push_str("未写入 not saved: add --write to save the project\n");
    }
    Ok(out)
}
