//! Opening projects and layers on a worker thread, with progress, so the window never
//! freezes.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{Receiver, channel};

use crate::io::{self, LoadOptions};
use crate::render::DisplayLayer;
use crate::{Progress, Project};

/// Progress shared between the worker and the window.
#[derive(Default)]
pub struct SharedProgress {
    done: AtomicU64,
    total: AtomicU64,
    task: std::sync::Mutex<String>,
}

impl SharedProgress {
    /// Fraction done (0–1) and the current task.
    pub fn snapshot(&self) -> (f32, String) {
        let total = self.total.load(Ordering::Relaxed).max(1);
        let done = self.done.load(Ordering::Relaxed).min(total);
        let task = self.task.lock().map(|t| t.clone()).unwrap_or_default();
        (done as f32 / total as f32, task)
    }
}

impl Progress for SharedProgress {
    fn begin(&self, task: &str, total: u64) {
        if let Ok(mut t) = self.task.lock() {
            *t = task.to_string();
        }
        self.total.store(total, Ordering::Relaxed);
        self.done.store(0, Ordering::Relaxed);
    }
    fn advance(&self, n: u64) {
        self.done.fetch_add(n, Ordering::Relaxed);
    }
}

/// A project ready to show: the data and its display layers.
pub struct Loaded {
    pub project: Project,
    pub path: Option<PathBuf>,
    pub display: Vec<Arc<DisplayLayer>>,
}

/// A running load.
pub struct LoadJob {
    pub what: String,
    pub progress: Arc<SharedProgress>,
    pub result: Receiver<Result<Loaded, String>>,
}

/// Display layers for every layer of `project`, in order.
pub fn prepare_display(project: &Project) -> Result<Vec<Arc<DisplayLayer>>, String> {
    project
        .layers
        .iter()
        .map(|l| {
            DisplayLayer::prepare(l, project.crs)
                .map(Arc::new)
                .map_err(|e| e.to_string())
        })
        .collect()
}

fn open(path: &Path, progress: &SharedProgress) -> Result<Loaded, String> {
    let is_project = io::layer_names(path)
        .map(|names| names.iter().any(|n| n == io::PROJECT_TABLE))
        .map_err(|e| e.to_string())?;
    let project = if is_project {
        io::load_project(path, progress).map_err(|e| e.to_string())?
    } else {
        let name = path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        io::project_from_sources(&name, &[path], &LoadOptions::default(), None, progress)
            .map_err(|e| e.to_string())?
    };
    let display = prepare_display(&project)?;
    Ok(Loaded {
        project,
        path: is_project.then(|| path.to_path_buf()),
        display,
    })
}

/// Starts opening `path` (a project, or any vector file as a new project).
pub fn start(path: PathBuf, ctx: egui::Context) -> LoadJob {
    let progress = Arc::new(SharedProgress::default());
    let (tx, rx) = channel();
    let worker_progress = Arc::clone(&progress);
    let what = path.display().to_string();
    std::thread::spawn(move || {
        let result = open(&path, &worker_progress);
        let _ = tx.send(result);
        ctx.request_repaint();
    });
    LoadJob {
        what,
        progress,
        result: rx,
    }
}
