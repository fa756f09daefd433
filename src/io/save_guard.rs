//! What keeps the saves of one project file from harming each other and from cluttering
//! its folder: the save lock, the stamp of the file, and the removal of what killed saves
//! left. The design, and what it does not cover, is in the docs of `project_file`.

use std::collections::BTreeMap;
use std::ffi::OsString;
use std::fs::{self, TryLockError};
use std::io;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};
use crate::model::{FileStamp, Project};
use crate::progress::Progress;

/// What SQLite may leave beside a GeoPackage it was writing when its process was killed
/// (the rollback journal; WAL files should GDAL ever use that mode), after the file itself.
const SQLITE_SIDECARS: [&str; 4] = ["", "-journal", "-wal", "-shm"];

/// The folder holding `path` (`.` for a bare file name).
fn folder_of(path: &Path) -> &Path {
    match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    }
}

/// The name of a temporary save file of `path` without the process id: what comes before
/// it and what after.
pub(super) fn temporary_name_parts(path: &Path) -> (String, String) {
    // The extension stays last: drivers pick their format (and warnings) by it.
    let stem = path
        .file_stem()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "project".into());
    let ext = path
        .extension()
        .map(|e| format!(".{}", e.to_string_lossy()))
        .unwrap_or_default();
    (format!(".{stem}.saving-"), ext)
}

/// The lock file that saves of `path` hold, `.NAME.gpkg.lock` beside it.
fn lock_path(path: &Path) -> PathBuf {
    let mut name = OsString::from(".");
    name.push(path.file_name().unwrap_or("project".as_ref()));
    name.push(".lock");
    path.with_file_name(name)
}

/// Saves of one path run one after the other while this is held; dropping it closes the
/// lock file, which releases the lock.
pub(super) struct SaveLock {
    /// `None` where the file system does not support locks (the save goes on unlocked).
    _file: Option<fs::File>,
}

impl SaveLock {
    fn open(path: &Path) -> io::Result<fs::File> {
        let lock = lock_path(path);
        let mut options = fs::OpenOptions::new();
        options.read(true).write(true).create(true).truncate(false);
        match options.open(&lock) {
            // Created by another user of a shared folder and not writable by us: a lock on a
            // read-only handle serves as well.
            Err(e) if e.kind() == io::ErrorKind::PermissionDenied && lock.exists() => {
                fs::File::open(&lock)
            }
            other => other,
        }
    }

    /// Waits until no other save of `path` runs. A lock file that cannot be opened means
    /// the folder cannot be written, so that is an error; a file system that cannot lock is
    /// only noted, since saving worked there before saves were locked.
    pub(super) fn acquire(path: &Path, progress: &dyn Progress) -> Result<SaveLock> {
        let file = Self::open(path).map_err(|e| {
            Error::write(
                path,
                format!(
                    "cannot open the lock file {}: {e}",
                    lock_path(path).display()
                ),
            )
        })?;
        let locked = match file.try_lock() {
            Ok(()) => Ok(()),
            Err(TryLockError::WouldBlock) => {
                progress.note(&format!(
                    "{}: waiting for another save of this project to finish",
                    path.display()
                ));
                file.lock()
            }
            Err(TryLockError::Error(e)) => Err(e),
        };
        match locked {
            Ok(()) => Ok(SaveLock { _file: Some(file) }),
            Err(e) => {
                progress.note(&format!(
                    "{}: saving without a lock, so a save from another program at the same \
                     moment is not prevented (the folder cannot lock {}: {e})",
                    path.display(),
                    lock_path(path).display()
                ));
                Ok(SaveLock { _file: None })
            }
        }
    }

    /// The lock if no save of `path` runs now, `None` if one does.
    fn try_acquire(path: &Path) -> io::Result<Option<SaveLock>> {
        let file = Self::open(path)?;
        match file.try_lock() {
            Ok(()) => Ok(Some(SaveLock { _file: Some(file) })),
            Err(TryLockError::WouldBlock) => Ok(None),
            // As for a save: without locks, the process ids alone decide.
            Err(TryLockError::Error(_)) => Ok(Some(SaveLock { _file: None })),
        }
    }
}

/// Whether process `pid` may still be running, and writing its temporary file. Only Linux
/// answers no (there is no `/proc/PID`); elsewhere any process may be, so nothing goes.
fn process_may_run(pid: u32) -> bool {
    if cfg!(target_os = "linux") {
        let proc = Path::new("/proc");
        // Without /proc mounted every process would look dead.
        !proc.join("self").exists() || proc.join(pid.to_string()).exists()
    } else {
        true
    }
}

/// The process id in `name` when it is one of the files a save of the project whose
/// temporary names are `before` PID `after` writes.
fn temporary_pid(name: &str, before: &str, after: &str) -> Option<u32> {
    let rest = name.strip_prefix(before)?;
    let digits = rest
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(rest.len());
    let pid = rest[..digits].parse().ok()?;
    let sidecar = rest[digits..].strip_prefix(after)?;
    SQLITE_SIDECARS.contains(&sidecar).then_some(pid)
}

/// The files that killed saves of `path` left, by the process id in their name; those of
/// running processes and of this one are not listed.
fn stale_temporaries(path: &Path) -> io::Result<BTreeMap<u32, Vec<(PathBuf, u64)>>> {
    let (before, after) = temporary_name_parts(path);
    let mut stale: BTreeMap<u32, Vec<(PathBuf, u64)>> = BTreeMap::new();
    for entry in fs::read_dir(folder_of(path))? {
        let entry = entry?;
        let name = entry.file_name();
        let Some(pid) = name
            .to_str()
            .and_then(|n| temporary_pid(n, &before, &after))
        else {
            continue;
        };
        if pid == std::process::id() || process_may_run(pid) {
            continue;
        }
        // The size is only told in the note; a file gone meanwhile is simply not removed.
        let len = entry.metadata().map_or(0, |m| m.len());
        stale.entry(pid).or_default().push((entry.path(), len));
    }
    for files in stale.values_mut() {
        files.sort();
    }
    Ok(stale)
}

/// Removes the files of killed saves of `path` (see the docs of `project_file`). Each
/// removal and each failure is a note: neither stops the load or save that tidies up.
pub(super) fn remove_stale_temporaries(path: &Path, progress: &dyn Progress) {
    let stale = match stale_temporaries(path) {
        Ok(stale) => stale,
        // No folder: nothing was left there, and the load or save itself says what is wrong.
        Err(e) if e.kind() == io::ErrorKind::NotFound => return,
        Err(e) => {
            progress.note(&format!(
                "{}: cannot look for files left by interrupted saves: {e}",
                folder_of(path).display()
            ));
            return;
        }
    };
    for (pid, files) in stale {
        let mut removed = Vec::new();
        let mut bytes = 0;
        for (file, len) in files {
            let name = file
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            match fs::remove_file(&file) {
                Ok(()) => {
                    removed.push(name);
                    bytes += len;
                }
                // Another program tidied it up first.
                Err(e) if e.kind() == io::ErrorKind::NotFound => {}
                Err(e) => progress.note(&format!(
                    "{}: cannot remove {name}, left by a save that was interrupted \
                     (process {pid} is no longer running): {e}",
                    folder_of(path).display()
                )),
            }
        }
        if !removed.is_empty() {
            progress.note(&format!(
                "{}: removed {} ({:.1} MB), left by a save that was interrupted (process {pid} \
                 is no longer running)",
                path.display(),
                removed.join(", "),
                bytes as f64 / 1e6
            ));
        }
    }
}

/// Before a load: removes the files of killed saves, unless a save is running (it does so).
pub(super) fn tidy_before_load(path: &Path, progress: &dyn Progress) {
    // The lock file is only created when there is something to remove: a project in a
    // folder nobody may write is still read without a word.
    match stale_temporaries(path) {
        Ok(stale) if stale.is_empty() => return,
        Ok(_) => {}
        // No folder: the load itself says so.
        Err(e) if e.kind() == io::ErrorKind::NotFound => return,
        Err(e) => {
            progress.note(&format!(
                "{}: cannot look for files left by interrupted saves: {e}",
                folder_of(path).display()
            ));
            return;
        }
    }
    match SaveLock::try_acquire(path) {
        Ok(Some(_lock)) => remove_stale_temporaries(path, progress),
        Ok(None) => {}
        Err(e) => progress.note(&format!(
            "{}: files left by interrupted saves are kept: cannot open the lock file {}: {e}",
            path.display(),
            lock_path(path).display()
        )),
    }
}

/// Whether `a` and `b` name the same file, also when one is relative or goes through a
/// linked folder; the file itself need not exist.
fn same_path(a: &Path, b: &Path) -> bool {
    let resolved = |p: &Path| -> Option<PathBuf> {
        Some(folder_of(p).canonicalize().ok()?.join(p.file_name()?))
    };
    a == b || resolved(a).is_some_and(|ra| resolved(b).is_some_and(|rb| ra == rb))
}

/// Refuses to replace `path` when it is the project's own file and has changed since the
/// project read or wrote it: another window or command saved it meanwhile.
pub(super) fn ensure_unchanged(project: &Project, path: &Path) -> Result<()> {
    let Some(own) = project.file.as_ref().filter(|f| same_path(&f.path, path)) else {
        return Ok(());
    };
    match fs::metadata(path) {
        Ok(meta) if FileStamp::of(&meta) == own.stamp => Ok(()),
        Ok(_) => Err(Error::ChangedOnDisk {
            path: path.to_path_buf(),
        }),
        // Deleted or moved away since: writing it replaces nobody's work.
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(Error::io(path, e)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn temporary_files_are_told_by_the_project_name_and_a_process_id() {
        let (before, after) = temporary_name_parts(Path::new("/x/凤庆.gpkg"));
        let pid = |name: &str| temporary_pid(name, &before, &after);
        assert_eq!(pid(".凤庆.saving-42.gpkg"), Some(42));
        assert_eq!(pid(".凤庆.saving-42.gpkg-journal"), Some(42));
        assert_eq!(pid(".凤庆.saving-42.gpkg-wal"), Some(42));
        assert_eq!(pid(".凤庆.saving-.gpkg"), None);
        assert_eq!(pid(".凤庆.saving-42.gpkg.bak"), None);
        assert_eq!(pid(".凤庆.saving-42.geojson"), None);
        assert_eq!(pid(".凤庆2.saving-42.gpkg"), None);
        assert_eq!(pid("凤庆.gpkg"), None);
        assert_eq!(
            pid(".凤庆.saving-99999999999.gpkg"),
            None,
            "not a process id"
        );

        let (before, after) = temporary_name_parts(Path::new("plan"));
        assert_eq!(temporary_pid(".plan.saving-7", &before, &after), Some(7));
        assert_eq!(
            temporary_pid(".plan.saving-7-journal", &before, &after),
            Some(7)
        );
    }

    #[test]
    fn the_lock_file_is_hidden_beside_the_project() {
        assert_eq!(
            lock_path(Path::new("/x/凤庆.gpkg")),
            Path::new("/x/.凤庆.gpkg.lock")
        );
    }
}
