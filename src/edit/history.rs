//! Unlimited undo/redo for the session. One user action is one entry (a batch for tools
//! that change several features at once).

use super::command::{Edit, union};
use crate::error::Result;
use crate::model::Project;

/// Applied edits (as their inverses) and undone ones (as their re-applications).
#[derive(Debug, Default, Clone)]
pub struct History {
    undo: Vec<(String, Edit)>,
    redo: Vec<(String, Edit)>,
    changed: Option<geo::Rect<f64>>,
    changed_layers: Vec<String>,
}

impl History {
    /// Applies `edit` as one undoable step named `label` (shown as 撤销 <label>). A new
    /// edit clears the redo list, as in every editor.
    pub fn apply(&mut self, project: &mut Project, label: &str, edit: Edit) -> Result<()> {
        let forward = edit.bbox();
        let inverse = edit.apply(project)?;
        self.changed = union(forward, inverse.bbox());
        self.changed_layers = owned(inverse.layers());
        self.undo.push((label.to_string(), inverse));
        self.redo.clear();
        Ok(())
    }

    /// Undoes the last step; returns its label, or `None` when there is nothing to undo.
    pub fn undo(&mut self, project: &mut Project) -> Result<Option<String>> {
        let Some((label, inverse)) = self.undo.pop() else {
            return Ok(None);
        };
        match inverse.clone().apply(project) {
            Ok(redo) => {
                self.changed = union(inverse.bbox(), redo.bbox());
                self.changed_layers = owned(redo.layers());
                self.redo.push((label.clone(), redo));
                Ok(Some(label))
            }
            Err(e) => {
                self.undo.push((label, inverse));
                Err(e)
            }
        }
    }

    /// Redoes the last undone step; returns its label, or `None`.
    pub fn redo(&mut self, project: &mut Project) -> Result<Option<String>> {
        let Some((label, edit)) = self.redo.pop() else {
            return Ok(None);
        };
        match edit.clone().apply(project) {
            Ok(inverse) => {
                self.changed = union(edit.bbox(), inverse.bbox());
                self.changed_layers = owned(inverse.layers());
                self.undo.push((label.clone(), inverse));
                Ok(Some(label))
            }
            Err(e) => {
                self.redo.push((label, edit));
                Err(e)
            }
        }
    }

    /// The envelope of what the last apply, undo or redo changed (working CRS): the area an
    /// incremental re-check covers. `None` when only attributes changed.
    pub fn last_changed(&self) -> Option<geo::Rect<f64>> {
        self.changed
    }

    /// The ids of the layers the last apply, undo or redo changed (what to redraw).
    pub fn last_changed_layers(&self) -> &[String] {
        &self.changed_layers
    }

    /// The label of the step [`Self::undo`] would undo.
    pub fn undo_label(&self) -> Option<&str> {
        self.undo.last().map(|(l, _)| l.as_str())
    }

    /// The label of the step [`Self::redo`] would redo.
    pub fn redo_label(&self) -> Option<&str> {
        self.redo.last().map(|(l, _)| l.as_str())
    }

    /// Forgets everything (a different project was opened).
    pub fn clear(&mut self) {
        self.undo.clear();
        self.redo.clear();
    }
}

fn owned(ids: Vec<&str>) -> Vec<String> {
    ids.into_iter().map(str::to_string).collect()
}
