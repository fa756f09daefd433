//! A small file browser inside the open, add-layer, save-as, export and sheet dialogs: folders first, then
//! the files VillagePlan can read. It lives in the window (no desktop portal or GTK needed,
//! so it works the same on every Linux desktop and under Xvfb); typing a path still works.

use std::path::{Path, PathBuf};

use egui::Ui;
use rust_i18n::t;

/// File name endings offered (lower case). A FileGDB is a folder ending in `.gdb`.
const VECTOR_ENDINGS: &[&str] = &[
    ".gpkg", ".shp", ".geojson", ".json", ".gdb", ".zip", ".kml", ".dxf", ".fgb", ".gml",
];

/// Which files a browser lists.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Filter {
    /// Anything GDAL is likely to read.
    Vector,
    /// Project files only.
    Project,
    /// Statistics tables: CSV and spreadsheets.
    Table,
    /// Reports: CSV, spreadsheets and GeoJSON.
    Report,
    /// Map sheets: PNG.
    Image,
}

impl Filter {
    fn accepts(self, name: &str) -> bool {
        let lower = name.to_lowercase();
        match self {
            Filter::Vector => VECTOR_ENDINGS.iter().any(|e| lower.ends_with(e)),
            Filter::Project => lower.ends_with(".gpkg"),
            Filter::Table => [".csv", ".xlsx", ".ods"].iter().any(|e| lower.ends_with(e)),
            Filter::Report => [".csv", ".xlsx", ".geojson"]
                .iter()
                .any(|e| lower.ends_with(e)),
            Filter::Image => lower.ends_with(".png"),
        }
    }
}

/// One listed entry.
struct Entry {
    name: String,
    path: PathBuf,
    folder: bool,
}

/// The folder being shown and its entries.
pub struct FileBrowser {
    folder: PathBuf,
    entries: Vec<Entry>,
    error: Option<String>,
    filter: Filter,
}

impl FileBrowser {
    /// A browser showing `start` (or the folder of the path typed, or the working
    /// directory).
    pub fn new(start: &Path, filter: Filter) -> Self {
        let folder = if start.is_dir() {
            start.to_path_buf()
        } else {
            start
                .parent()
                .filter(|p| p.is_dir())
                .map(Path::to_path_buf)
                .or_else(|| std::env::current_dir().ok())
                .unwrap_or_else(|| PathBuf::from("/"))
        };
        let mut browser = FileBrowser {
            folder: PathBuf::new(),
            entries: Vec::new(),
            error: None,
            filter,
        };
        browser.show_folder(folder);
        browser
    }

    fn show_folder(&mut self, folder: PathBuf) {
        self.entries.clear();
        self.error = None;
        match std::fs::read_dir(&folder) {
            Ok(read) => {
                for entry in read.flatten() {
                    let name = entry.file_name().to_string_lossy().into_owned();
                    if name.starts_with('.') {
                        continue;
                    }
                    let path = entry.path();
                    // A FileGDB is a folder, but it is opened, not entered.
                    let folder = path.is_dir() && !name.to_lowercase().ends_with(".gdb");
                    if folder || self.filter.accepts(&name) {
                        self.entries.push(Entry { name, path, folder });
                    }
                }
                self.entries
                    .sort_by(|a, b| b.folder.cmp(&a.folder).then(a.name.cmp(&b.name)));
            }
            Err(e) => self.error = Some(format!("{}: {e}", folder.display())),
        }
        self.folder = folder;
    }

    /// A FileGDB folder is a dataset to open, not a folder to enter.
    fn is_openable(&self, path: &Path) -> bool {
        path.to_string_lossy().to_lowercase().ends_with(".gdb")
    }

    /// Shows the browser. A click on a file puts its path in `path`; a double click also
    /// returns it (meaning "open this").
    pub fn ui(&mut self, ui: &mut Ui, path: &mut String) -> Option<PathBuf> {
        // Typing a folder's path shows it.
        let typed = Path::new(path.trim());
        if !path.trim().is_empty()
            && typed.is_dir()
            && typed != self.folder
            && !self.is_openable(typed)
        {
            self.show_folder(typed.to_path_buf());
        }
        let mut go_to = None;
        let mut chosen = None;
        ui.horizontal(|ui| {
            if ui.small_button(t!("browse.up")).clicked()
                && let Some(parent) = self.folder.parent()
            {
                go_to = Some(parent.to_path_buf());
            }
            if ui.small_button(t!("browse.home")).clicked()
                && let Some(home) = std::env::var_os("HOME")
            {
                go_to = Some(PathBuf::from(home));
            }
            ui.label(egui::RichText::new(self.folder.display().to_string()).small());
        });
        if let Some(e) = &self.error {
            ui.colored_label(egui::Color32::from_rgb(200, 40, 40), e);
        }
        egui::ScrollArea::vertical()
            .max_height(220.0)
            .auto_shrink([false, false])
            .show(ui, |ui| {
                for entry in &self.entries {
                    let text = if entry.folder {
                        format!("[{}] {}", t!("browse.folder"), entry.name)
                    } else {
                        entry.name.clone()
                    };
                    let selected = !entry.folder && *path == entry.path.display().to_string();
                    let response = ui.selectable_label(selected, text);
                    if response.double_clicked() {
                        if entry.folder {
                            go_to = Some(entry.path.clone());
                        } else {
                            chosen = Some(entry.path.clone());
                        }
                    } else if response.clicked() {
                        if entry.folder {
                            go_to = Some(entry.path.clone());
                        } else {
                            *path = entry.path.display().to_string();
                        }
                    }
                }
                if self.entries.is_empty() && self.error.is_none() {
                    ui.label(egui::RichText::new(t!("browse.empty")).weak());
                }
            });
        if let Some(folder) = go_to {
            *path = folder.display().to_string();
            self.show_folder(folder);
        }
        chosen
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_folders_first_then_readable_files_only() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("村庄")).unwrap();
        std::fs::create_dir(dir.path().join("data.gdb")).unwrap();
        for f in ["b.shp", "b.dbf", "a.gpkg", "notes.txt", ".hidden.gpkg"] {
            std::fs::write(dir.path().join(f), b"").unwrap();
        }
        let browser = FileBrowser::new(dir.path(), Filter::Vector);
        let names: Vec<&str> = browser.entries.iter().map(|e| e.name.as_str()).collect();
        assert_eq!(names, ["村庄", "a.gpkg", "b.shp", "data.gdb"]);
        let projects = FileBrowser::new(&dir.path().join("a.gpkg"), Filter::Project);
        let names: Vec<&str> = projects.entries.iter().map(|e| e.name.as_str()).collect();
        assert_eq!(names, ["村庄", "a.gpkg"]);
    }
}
