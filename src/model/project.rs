//! The project: every layer of one plan in one working CRS, plus its settings.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::{Layer, LayerRole};
use crate::crs::WorkingCrs;
use crate::error::{Error, Result};

/// Settings and metadata saved with a project.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ProjectSettings {
    /// Free description shown in the about box and `info`.
    #[serde(default)]
    pub description: String,
    /// True when the data is synthetic (the bundled sample): reports must say so.
    #[serde(default)]
    pub synthetic: bool,
    /// Where the data came from, with licences and attributions.
    #[serde(default)]
    pub provenance: String,
    /// Settings added by later features (check exceptions, classification overrides…),
    /// kept verbatim so older builds do not lose them on save.
    #[serde(default, flatten)]
    pub extra: BTreeMap<String, serde_json::Value>,
}

/// A village-planning project.
#[derive(Debug, Clone)]
pub struct Project {
    /// Project name (the file stem by default).
    pub name: String,
    /// The CRS every layer is held in (CGCS2000 3° Gauss-Kruger).
    pub crs: WorkingCrs,
    /// Layers in drawing order, bottom first.
    pub layers: Vec<Layer>,
    /// Settings and metadata.
    pub settings: ProjectSettings,
}

impl Project {
    /// An empty project in the given working CRS.
    pub fn new(name: impl Into<String>, crs: WorkingCrs) -> Self {
        Project {
            name: name.into(),
            crs,
            layers: Vec::new(),
            settings: ProjectSettings::default(),
        }
    }

    /// The first layer with a role (projects usually have one per role).
    pub fn layer_by_role(&self, role: LayerRole) -> Option<&Layer> {
        self.layers.iter().find(|l| l.role == role)
    }

    /// The first layer with `role`, or [`Error::MissingLayer`] naming the project and the
    /// role, for operations that cannot do without it.
    pub fn required_layer(&self, role: LayerRole) -> Result<&Layer> {
        self.layer_by_role(role)
            .ok_or_else(|| missing_layer(&self.name, role))
    }

    /// [`Project::required_layer`] to change.
    pub fn required_layer_mut(&mut self, role: LayerRole) -> Result<&mut Layer> {
        let name = &self.name;
        self.layers
            .iter_mut()
            .find(|l| l.role == role)
            .ok_or_else(|| missing_layer(name, role))
    }

    /// A layer by id.
    pub fn layer(&self, id: &str) -> Option<&Layer> {
        self.layers.iter().find(|l| l.id == id)
    }

    /// A fresh layer id derived from `base` that no layer uses yet. Ids are GeoPackage
    /// table names, so they are kept to ASCII letters, digits and `_`.
    pub fn unique_layer_id(&self, base: &str) -> String {
        let mut clean: String = base
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() {
                    c.to_ascii_lowercase()
                } else {
                    '_'
                }
            })
            .collect();
        if clean.trim_matches('_').is_empty() || clean.starts_with(|c: char| c.is_ascii_digit()) {
            clean = format!("layer_{clean}");
        }
        let mut id = clean.clone();
        let mut n = 2;
        while self.layer(&id).is_some() {
            id = format!("{clean}_{n}");
            n += 1;
        }
        id
    }
}

fn missing_layer(project: &str, role: LayerRole) -> Error {
    Error::MissingLayer {
        project: project.to_string(),
        role: format!("{} ({})", role.name_zh(), role.name_en().to_lowercase()),
    }
}
