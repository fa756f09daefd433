//! `villageplan render <project> --sheet KIND --out FILE.png`: one map sheet (出图) as PNG.
//! The sheet is written even when it holds problems (a missing glyph, an empty theme);
//! they are listed and the exit code is 1, as `check` does for its findings.

use std::path::Path;

use villageplan::deliver::sheets::{self, Credits, Paper, SheetKind, SheetSpec};
use villageplan::{Progress, io};

/// What `render` was asked to do.
pub struct Request<'a> {
    pub project: &'a Path,
    pub village: Option<String>,
    pub sheet: &'a str,
    pub paper: &'a str,
    pub dpi: u32,
    pub organisation: Option<String>,
    pub date: Option<String>,
    pub out: &'a Path,
}

/// What was written and what the reviewer must be told.
pub struct Outcome {
    pub text: String,
    pub problems: usize,
}

/// Renders and saves the sheet.
pub fn run(request: &Request, progress: &dyn Progress) -> anyhow::Result<Outcome> {
    let kind = SheetKind::parse(request.sheet).ok_or_else(|| {
        let names: Vec<&str> = SheetKind::ALL.iter().map(|k| k.cli_name()).collect();
        anyhow::anyhow!(
            "unknown sheet '{}' (use {})",
            request.sheet,
            names.join(", ")
        )
    })?;
    let paper = Paper::parse(request.paper)
        .ok_or_else(|| anyhow::anyhow!("--paper '{}': use A3 or A4", request.paper))?;
    let mut project = io::load_project(request.project, progress)?;
    if request.organisation.is_some() || request.date.is_some() {
        let stored = Credits::of(&project);
        Credits {
            organisation: request.organisation.clone().unwrap_or(stored.organisation),
            date: request.date.clone().unwrap_or(stored.date),
        }
        .store(&mut project);
    }
    let spec = SheetSpec {
        kind,
        village: request.village.clone(),
        paper,
        dpi: request.dpi,
    };
    let sheet = sheets::render_sheet(&project, &spec, progress)?;
    sheets::save_png(&sheet, request.out)?;
    let mut text = format!(
        "{}: {} {} dpi, 1:{:.0}, {}×{} px, written to {}\n",
        sheet.title,
        paper,
        request.dpi,
        sheet.scale,
        sheet.pixmap.width(),
        sheet.pixmap.height(),
        request.out.display()
    );
    for p in &sheet.problems {
        text.push_str(&format!("问题 problem: {p}\n"));
    }
    Ok(Outcome {
        text,
        problems: sheet.problems.len(),
    })
}
