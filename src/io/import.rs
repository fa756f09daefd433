//! Bringing source files into a project: the working CRS is chosen from the data.

use std::path::Path;

use super::read::{LoadOptions, SourceLayer, read_all_layers_into};
use crate::crs::WorkingCrs;
use crate::error::{Error, Result};
use crate::model::Project;
use crate::progress::Progress;

/// Reads every layer of `path` and adds it to `project`, transformed into the project's
/// working CRS. Returns the ids of the new layers.
pub fn add_source_to_project(
    project: &mut Project,
    path: &Path,
    options: &LoadOptions,
    progress: &dyn Progress,
) -> Result<Vec<String>> {
    let sources = read_all_layers_into(path, options, Some(project.crs), progress)?;
    add_layers(project, sources)
}

fn add_layers(project: &mut Project, sources: Vec<SourceLayer>) -> Result<Vec<String>> {
    let mut ids = Vec::new();
    for source in sources {
        let id = project.unique_layer_id(&source.description.name);
        let layer = source.into_layer(id.clone(), project.crs)?;
        project.add_layer(layer);
        ids.push(id);
    }
    Ok(ids)
}

/// A new project from source files. The working CRS is `working` when given, otherwise the
/// CGCS2000 3° Gauss-Kruger zone of the first georeferenced layer's centre.
pub fn project_from_sources(
    name: &str,
    paths: &[&Path],
    options: &LoadOptions,
    working: Option<WorkingCrs>,
    progress: &dyn Progress,
) -> Result<Project> {
    let mut all = Vec::new();
    for path in paths {
        all.extend(read_all_layers_into(path, options, working, progress)?);
    }
    project_from_layers(name, all, working)
}

/// A new project of layers already read, in their order; the working CRS as for
/// [`project_from_sources`]. For callers that choose among a source's layers first.
pub fn project_from_layers(
    name: &str,
    layers: Vec<SourceLayer>,
    working: Option<WorkingCrs>,
) -> Result<Project> {
    let crs = match working {
        Some(crs) => crs,
        None => {
            let mut center = None;
            for layer in &layers {
                if let Some(c) = layer.lonlat_center()? {
                    center = Some(c);
                    break;
                }
            }
            let (lon, _) = center.ok_or_else(|| {
                Error::Invalid("no layer has geometry to choose a working CRS from".into())
            })?;
            WorkingCrs::for_longitude(lon)?
        }
    };
    let mut project = Project::new(name, crs);
    add_layers(&mut project, layers)?;
    Ok(project)
}
