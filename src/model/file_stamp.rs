//! Which version of a project file a project in memory came from: saving over a file that
//! someone else has saved since must be noticed, not silently undone (`io::save_project`).

use std::path::PathBuf;
use std::time::SystemTime;

/// The file a project was loaded from or last saved to, as that file was then: a save to
/// the same file refuses when it has changed since (see `io::save_project`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProjectFile {
    /// The path as given to `io::load_project` or `io::save_project`.
    pub path: PathBuf,
    /// The file as it was then.
    pub stamp: FileStamp,
}

/// Tells one version of a file from another without reading it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FileStamp {
    len: u64,
    /// `None` where the platform keeps no modification time; the rest still tells.
    modified: Option<SystemTime>,
    /// Device and inode (Unix). Every save renames a new file into place, so this tells two
    /// saves apart even within one tick of a coarse file-system clock.
    file_id: Option<(u64, u64)>,
}

impl FileStamp {
    /// The stamp of a file as its metadata describes it now.
    pub fn of(meta: &std::fs::Metadata) -> Self {
        #[cfg(unix)]
        let file_id = {
            use std::os::unix::fs::MetadataExt;
            Some((meta.dev(), meta.ino()))
        };
        #[cfg(not(unix))]
        let file_id = None;
        FileStamp {
            len: meta.len(),
            modified: meta.modified().ok(),
            file_id,
        }
    }
}
