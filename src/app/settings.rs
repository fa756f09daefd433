//! What the window keeps between sessions in its config directory: the preferences
//! (language, basemap, 天地图 key) as JSON, the recent projects, and the recovery copies of
//! unsaved work. A missing or unreadable settings file gives the defaults: Chinese, no
//! basemap (offline).

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::basemap::Basemap;

/// Preferences that outlive a session.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct AppSettings {
    /// `zh-CN` or `en`.
    pub language: String,
    /// Tiles drawn under the layers; `None` fetches nothing.
    pub basemap: Basemap,
    /// The user's own 天地图 key (tianditu.gov.cn issues them free of charge).
    pub tianditu_key: String,
}

impl Default for AppSettings {
    fn default() -> Self {
        AppSettings {
            language: "zh-CN".into(),
            basemap: Basemap::None,
            tianditu_key: String::new(),
        }
    }
}

/// Where settings, the recent list and the tile cache live by default:
/// `$XDG_CONFIG_HOME/villageplan` or `~/.config/villageplan`.
pub fn default_config_dir() -> Option<PathBuf> {
    let base = std::env::var_os("XDG_CONFIG_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".config")))?;
    Some(base.join("villageplan"))
}

/// The settings stored in `dir`, or the defaults.
pub fn load(dir: Option<&Path>) -> AppSettings {
    dir.and_then(|d| std::fs::read_to_string(d.join("settings.json")).ok())
        .and_then(|text| serde_json::from_str(&text).ok())
        .unwrap_or_default()
}

/// Writes `text` to `file` through a temporary file beside it, so a crash never leaves half
/// a file.
fn write_atomically(file: &Path, text: &str) -> crate::Result<()> {
    let dir = file.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir).map_err(|e| crate::Error::io(dir, e))?;
    let name = file.file_name().map(|n| n.to_string_lossy().into_owned());
    let tmp = dir.join(format!(".{}.tmp", name.unwrap_or_default()));
    std::fs::write(&tmp, text).map_err(|e| crate::Error::io(&tmp, e))?;
    std::fs::rename(&tmp, file).map_err(|e| crate::Error::io(file, e))
}

/// Writes `settings` to `dir`. Failing only loses the preference; the caller says so.
pub fn store(dir: Option<&Path>, settings: &AppSettings) -> crate::Result<()> {
    let Some(dir) = dir else { return Ok(()) };
    let text = serde_json::to_string_pretty(settings).map_err(|e| crate::Error::Write {
        path: dir.join("settings.json"),
        detail: e.to_string(),
    })?;
    write_atomically(&dir.join("settings.json"), &text)
}

/// How many recent projects are remembered.
const RECENT_MAX: usize = 8;

/// The recent projects listed in `dir`, most recent first (a missing or unreadable list is
/// simply empty).
pub fn recent_projects(dir: Option<&Path>) -> Vec<PathBuf> {
    dir.and_then(|d| std::fs::read_to_string(d.join("recent.json")).ok())
        .and_then(|text| serde_json::from_str::<Vec<PathBuf>>(&text).ok())
        .unwrap_or_default()
}

/// Puts `path` first in the recent list kept in `dir`.
pub fn remember(dir: Option<&Path>, path: &Path) -> crate::Result<()> {
    let Some(dir) = dir else { return Ok(()) };
    let mut list = recent_projects(Some(dir));
    list.retain(|p| p != path);
    list.insert(0, path.to_path_buf());
    list.truncate(RECENT_MAX);
    let file = dir.join("recent.json");
    let text = serde_json::to_string_pretty(&list).map_err(|e| crate::Error::Write {
        path: file.clone(),
        detail: e.to_string(),
    })?;
    write_atomically(&file, &text)
}

/// The recovery copy of a project: `<config>/recovery/<stem>-<hash of the path>.gpkg`, so two
/// projects with the same name in different folders do not share one. An unsaved new
/// project uses its name.
pub fn recovery_path(config_dir: &Path, project: Option<&Path>, name: &str) -> PathBuf {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    let stem = match project {
        Some(p) => {
            p.hash(&mut h);
            p.file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default()
        }
        None => {
            name.hash(&mut h);
            format!("unsaved-{name}")
        }
    };
    config_dir
        .join("recovery")
        .join(format!("{stem}-{:016x}.gpkg", h.finish()))
}
