//! The project: every layer of one plan in one working CRS, plus its settings.

use std::collections::BTreeMap;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use super::{Layer, LayerRole, ProjectFile};
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
///
/// Layers are shared (`Arc`), so cloning a project costs one reference count per layer: a
/// worker thread (checks, classification, rendering, saving) takes a clone as a consistent
/// snapshot while the window keeps editing, and an edit copies only the layer it changes
/// ([`Project::layer_mut`]).
#[derive(Debug, Clone)]
pub struct Project {
    /// Project name (the file stem by default).
    pub name: String,
    /// The CRS every layer is held in (CGCS2000 3° Gauss-Kruger).
    pub crs: WorkingCrs,
    /// Layers in drawing order, bottom first.
    pub layers: Vec<Arc<Layer>>,
    /// Settings and metadata.
    pub settings: ProjectSettings,
    /// The file the project was loaded from or last saved to, as it was then; `None` for a
    /// project never saved. A save to that file refuses when someone else changed it since.
    pub file: Option<ProjectFile>,
}

impl Project {
    /// An empty project in the given working CRS.
    pub fn new(name: impl Into<String>, crs: WorkingCrs) -> Self {
        Project {
            name: name.into(),
            crs,
            layers: Vec::new(),
            settings: ProjectSettings::default(),
            file: None,
        }
    }

    /// The first layer with a role (projects usually have one per role).
    pub fn layer_by_role(&self, role: LayerRole) -> Option<&Layer> {
        self.layers.iter().map(Arc::as_ref).find(|l| l.role == role)
    }

    /// The first layer with `role`, or [`Error::MissingLayer`] naming the project and the
    /// role, for operations that cannot do without it.
    pub fn required_layer(&self, role: LayerRole) -> Result<&Layer> {
        self.layer_by_role(role)
            .ok_or_else(|| missing_layer(&self.name, role))
    }

    /// [`Project::required_layer`] to change (copied first if a snapshot shares it, see
    /// [`Project::layer_mut`]).
    pub fn required_layer_mut(&mut self, role: LayerRole) -> Result<&mut Layer> {
        match self.layers.iter_mut().find(|l| l.role == role) {
            Some(layer) => Ok(Arc::make_mut(layer)),
            None => Err(missing_layer(&self.name, role)),
        }
    }

    /// The layers with `role`, in drawing order.
    pub fn layers_with_role(&self, role: LayerRole) -> impl Iterator<Item = &Layer> {
        self.layers
            .iter()
            .map(Arc::as_ref)
            .filter(move |l| l.role == role)
    }

    /// A layer by id.
    pub fn layer(&self, id: &str) -> Option<&Layer> {
        self.layers.iter().map(Arc::as_ref).find(|l| l.id == id)
    }

    /// A layer by id, to change. Copy on write: when another clone of the project (a
    /// worker's snapshot) still holds this layer, the layer is copied first — only this one
    /// layer, the others stay shared — so the snapshot never sees the edit.
    pub fn layer_mut(&mut self, id: &str) -> Option<&mut Layer> {
        self.layers
            .iter_mut()
            .find(|l| l.id == id)
            .map(Arc::make_mut)
    }

    /// Position of a layer in the drawing order (0 = bottom).
    pub fn layer_position(&self, id: &str) -> Option<usize> {
        self.layers.iter().position(|l| l.id == id)
    }

    /// Adds a layer on top of the others.
    pub fn add_layer(&mut self, layer: Layer) {
        self.layers.push(Arc::new(layer));
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{AttrValue, Feature, FieldDef, FieldKind};

    fn layer(id: &str) -> Layer {
        Layer::new(
            id,
            id,
            LayerRole::Other,
            vec![FieldDef::new("MC", FieldKind::Text)],
            vec![Feature {
                id: 1,
                geometry: None,
                attributes: vec![AttrValue::text("旧")],
            }],
        )
    }

    #[test]
    fn an_edit_copies_only_the_layer_a_snapshot_shares() {
        let mut project = Project::new("t", WorkingCrs::from_epsg(4542).unwrap());
        project.add_layer(layer("a"));
        project.add_layer(layer("b"));
        assert_eq!(project.layer_position("b"), Some(1));
        assert_eq!(project.layer_position("c"), None);
        let snapshot = project.clone();
        assert!(Arc::ptr_eq(&project.layers[0], &snapshot.layers[0]));

        let a = project.layer_mut("a").unwrap();
        a.set_value(0, 0, AttrValue::text("新")).unwrap();
        assert_eq!(
            snapshot.layer("a").unwrap().value(0, "MC"),
            Some(&AttrValue::text("旧")),
            "the snapshot keeps its version"
        );
        assert_eq!(
            project.layer("a").unwrap().value(0, "MC"),
            Some(&AttrValue::text("新"))
        );
        assert!(!Arc::ptr_eq(&project.layers[0], &snapshot.layers[0]));
        assert!(
            Arc::ptr_eq(&project.layers[1], &snapshot.layers[1]),
            "b is still shared"
        );
        assert!(project.layer_mut("c").is_none());
    }
}
