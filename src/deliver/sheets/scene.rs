//! What one sheet shows, gathered from the project: the place it is of (a village or the
//! county), its title, the scale, and the layers cut down to the map window.

use std::sync::Arc;

use geo::{BoundingRect, Contains, Geometry, InteriorPoint, Rect};

use super::furniture::nice_scale;
use super::kinds::SheetKind;
use super::layout::Layout;
use crate::analysis::classify::{self, TYPE_FIELD, VillageType};
use crate::crs::{Transformer, epsg_srs};
use crate::error::{Error, Result};
use crate::model::admin::{AdminUnits, short_name, township_names};
use crate::model::{Layer, LayerRole, Project};
use crate::render::EPSG_WEB_MERCATOR;

/// Fraction of the map left free around the place, so its boundary does not touch the
/// neat line.
const MARGIN: f64 = 0.06;

/// The place, scale and layers of one sheet.
#[derive(Debug, Clone)]
pub struct Scene {
    /// The 图名.
    pub title: String,
    /// The village or the county outline (working CRS), emphasised and unmasked.
    pub focus: Option<Geometry<f64>>,
    /// Scale denominator (1:`scale`).
    pub scale: f64,
    /// Ground metres per image pixel.
    pub ground_metres_per_pixel: f64,
    /// Centre of the map in Web Mercator metres.
    pub centre_mercator: [f64; 2],
    /// Web Mercator metres per ground metre at the centre (1 / cos latitude).
    pub mercator_factor: f64,
    /// The layers drawn, bottom first, cut to the map window and styled for the sheet.
    pub layers: Vec<Arc<Layer>>,
    /// Notes for the panel (e.g. that the village types were computed for this sheet).
    pub notes: Vec<String>,
    /// What the reviewer must know: an empty theme, a name the font cannot write.
    pub problems: Vec<String>,
}

/// Gathers the scene of `kind` (for `village` on a village sheet) on `layout`.
pub fn gather(
    project: &Project,
    kind: SheetKind,
    village: Option<&str>,
    layout: &Layout,
) -> Result<Scene> {
    let theme = project.required_layer(kind.theme())?;
    let county = county_name(project);
    let (title, place, focus) = match (kind.is_village(), village) {
        (true, Some(code)) => {
            let units = AdminUnits::villages(project)?;
            let unit = units.by_code(code).ok_or_else(|| Error::NoVillage {
                layer: units.layer.name.clone(),
                code: code.trim().to_string(),
            })?;
            let township = township_names(project)
                .get(&unit.code.chars().take(9).collect::<String>())
                .cloned()
                .unwrap_or_default();
            let title = format!(
                "{county}{township}{}村庄规划  {}",
                short_name(&unit.name),
                kind.title_name()
            );
            let place = format!("village {} {}", unit.code, short_name(&unit.name));
            (title, place, units.geometry(unit).cloned())
        }
        (true, None) => {
            return Err(Error::Invalid(format!(
                "{kind} is a village sheet: name the village by its 12-digit code (--village)"
            )));
        }
        (false, Some(code)) => {
            return Err(Error::Invalid(format!(
                "{kind} is a county sheet: it takes no village (got --village {code})"
            )));
        }
        (false, None) => {
            let outline = project
                .layer_by_role(LayerRole::County)
                .and_then(|l| l.features().first())
                .and_then(|f| f.geometry.clone());
            (
                format!("{county}{}", kind.title_name()),
                county.clone(),
                outline,
            )
        }
    };
    let extent = focus
        .as_ref()
        .and_then(|g| g.bounding_rect())
        .or_else(|| layer_extent(theme))
        .ok_or_else(|| Error::Invalid(format!("layer '{}' has no geometry", theme.name)))?;

    // The smallest planning scale at which the place fits the map with its margin.
    let unit = layout.ground_metres_per_pixel(1.0);
    let needed = (extent.width() * (1.0 + 2.0 * MARGIN) / (layout.map.w as f64 * unit))
        .max(extent.height() * (1.0 + 2.0 * MARGIN) / (layout.map.h as f64 * unit));
    let scale = nice_scale(needed);
    let gmpp = layout.ground_metres_per_pixel(scale);
    let centre = extent.center();
    let (_, lat) = Transformer::lonlat_from_gk(project.crs)?.transform_point(centre.x, centre.y)?;
    let (mx, my) = Transformer::new(&project.crs.spatial_ref()?, &epsg_srs(EPSG_WEB_MERCATOR)?)?
        .transform_point(centre.x, centre.y)?;

    // The map window in the working CRS, a little larger so nothing is cut at the edge.
    let half = [
        layout.map.w as f64 * gmpp * 0.55,
        layout.map.h as f64 * gmpp * 0.55,
    ];
    let window = (
        [centre.x - half[0], centre.y - half[1]],
        [centre.x + half[0], centre.y + half[1]],
    );
    let mut source = project.clone();
    let mut notes = Vec::new();
    let mut problems = Vec::new();
    if kind == SheetKind::Classification {
        notes.extend(ensure_types(&mut source)?);
    }
    let stroke_scale = layout.mm(0.2646);
    let mut layers = Vec::new();
    for &role in kind.roles() {
        for layer in source.layers_with_role(role) {
            let mut cut = cut(layer, window);
            let mut style = kind.style(role, &layer.style);
            if kind == SheetKind::Classification && role == LayerRole::Village {
                style = VillageType::thematic_style(&style);
            }
            style.stroke_width *= stroke_scale;
            style.visible = true;
            cut.style = style;
            if role == kind.theme() && !covers(&cut, focus.as_ref()) {
                problems.push(format!(
                    "layer '{}' has no features in {place}: the {kind} shows none of its content",
                    layer.name
                ));
            }
            layers.push(Arc::new(cut));
        }
    }
    Ok(Scene {
        title,
        focus,
        scale,
        ground_metres_per_pixel: gmpp,
        centre_mercator: [mx, my],
        mercator_factor: 1.0 / lat.to_radians().cos(),
        layers,
        notes,
        problems,
    })
}

/// True when a feature of `layer` lies in `focus` (its interior point inside; the sheet's
/// whole window when there is no focus): a neighbour's parcels along the boundary do not
/// make a village's 规划图.
fn covers(layer: &Layer, focus: Option<&Geometry<f64>>) -> bool {
    layer.features().iter().any(|f| match (&f.geometry, focus) {
        (Some(_), None) => true,
        (Some(g), Some(focus)) => g.interior_point().is_some_and(|p| focus.contains(&p)),
        (None, _) => false,
    })
}

/// The county's name from the 县界 layer (`XZQMC`), else the project's name.
fn county_name(project: &Project) -> String {
    project
        .layer_by_role(LayerRole::County)
        .and_then(|l| {
            (0..l.features().len())
                .find_map(|i| l.value(i, "XZQMC").and_then(|v| v.as_text()))
                .map(|t| t.trim().to_string())
        })
        .filter(|t| !t.is_empty())
        .unwrap_or_else(|| project.name.clone())
}

fn layer_extent(layer: &Layer) -> Option<Rect<f64>> {
    layer
        .features()
        .iter()
        .filter_map(|f| f.geometry.as_ref()?.bounding_rect())
        .reduce(|a, b| {
            Rect::new(
                geo::coord! { x: a.min().x.min(b.min().x), y: a.min().y.min(b.min().y) },
                geo::coord! { x: a.max().x.max(b.max().x), y: a.max().y.max(b.max().y) },
            )
        })
}

/// A copy of `layer` holding only the features whose envelope meets `window` (working
/// CRS), found through the layer's index: a village sheet draws, projects and lists in its
/// legend only what it shows.
fn cut(layer: &Layer, (min, max): ([f64; 2], [f64; 2])) -> Layer {
    let mut positions: Vec<usize> = layer.index().query(min, max).collect();
    positions.sort_unstable();
    let features = positions
        .into_iter()
        .map(|i| layer.features()[i].clone())
        .collect();
    Layer::new(
        layer.id.clone(),
        layer.name.clone(),
        layer.role,
        layer.fields().to_vec(),
        features,
    )
}

/// Makes sure every village has a type in `CZLX` for the 村庄分类图: when none has one,
/// the project is classified with its rules (in this copy only, nothing is saved) and the
/// note saying so is returned.
fn ensure_types(project: &mut Project) -> Result<Option<String>> {
    let villages = project.required_layer(LayerRole::Village)?;
    let typed = (0..villages.features().len()).any(|i| {
        villages
            .value(i, TYPE_FIELD)
            .and_then(|v| v.as_text())
            .is_some_and(|t| VillageType::parse(&t).is_some())
    });
    if typed {
        return Ok(None);
    }
    let rules = classify::project_rules(project)?;
    let result = classify::classify(project, &rules, None)?;
    classify::apply_classification(project, &result)?;
    Ok(Some(format!(
        "村庄类型按{}计算（项目中尚未保存分类）",
        rules.source
    )))
}
