//! Unlimited undo/redo for the session. One user action is one entry (a batch for tools
//! that change several features at once).

use super::command::Edit;
use crate::error::Result;
use crate::model::Project;

/// Applied edits (as their inverses) and undone ones (as their re-applications).
#[derive(Debug, Default, Clone)]
pub struct History {
    undo: Vec<(String, Edit)>,
    redo: Vec<(String, Edit)>,
    changed: Option<geo::Rect<f64>>,
}

fn union(a: Option<geo::Rect<f64>>, b: Option<geo::Rect<f64>>) -> Option<geo::Rect<f64>> {
    match (a, b) {
        (Some(a), Some(b)) => Some(geo::Rect::new(
            geo::coord! { x: a.min().x.min(b.min().x), y: a.min().y.min(b.min().y) },
            geo::coord! { x: a.max().x.max(b.max().x), y: a.max().y.max(b.max().y) },
        )),
        (a, b) => a.or(b),
    }
}

impl History {
    /// Applies `edit` as one undoable step named `label` (shown as 撤销 <label>). A new
    /// edit clears the redo list, as in every editor.
    pub fn apply(&mut self, project: &mut Project, label: &str, edit: Edit) -> Result<()> {
        let forward = edit.bbox();
        let inverse = edit.apply(project)?;
        self.changed = union(forward, inverse.bbox());
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
