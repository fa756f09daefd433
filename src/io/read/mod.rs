//! Reading any OGR vector source into layers (GDAL).
//!
//! One pass per layer: raw values and geometries are read, the text encoding is decided
//! (Shapefiles, see [`super::encoding`]), text is decoded strictly, and every geometry is
//! transformed once into the project's working CRS. Null and empty geometries are skipped
//! and counted, invalid polygons kept and flagged: nothing disappears silently.
//!
//! *Performance*: GDAL reads on one thread while workers convert, judge and — when the
//! working CRS is known before the read — reproject the geometries ([`pipeline`]);
//! otherwise [`SourceLayer::into_layer`] reprojects on all cores afterwards. A text repeated
//! over a survey's parcels is decoded once and stored once, and a cell costs 16 bytes. The
//! answers GEOS gave stay with the project layer ([`Layer::known_validity`]) when no
//! reprojection moved the coordinates, so the validity check does not ask again.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use gdal::spatial_ref::{AxisMappingStrategy, SpatialRef};
use gdal::vector::LayerAccess;
use gdal::{Dataset, DatasetOptions, GdalOpenFlags, Metadata};
use rayon::prelude::*;

use super::encoding::{TextEncoding, decide_dbf_encoding};
use super::ogr;
use crate::crs::{self, TransformRecipe, Transformer, WorkingCrs};
use crate::error::{Error, Result};
use crate::model::{
    Feature, FieldDef, FieldKind, GeometryKind, Layer, LayerRole, LayerSource, LoadReport,
    RoleGuess,
};
use crate::progress::Progress;
use pipeline::{Cell, Converted, Read, attribute_values, read_and_convert};

mod pipeline;

/// Choices the user can impose on a read; `None` means "detect".
#[derive(Debug, Clone, Default)]
pub struct LoadOptions {
    /// Text encoding of Shapefile DBFs (`GBK`, `UTF-8`, `936`…).
    pub encoding: Option<String>,
    /// CRS to use instead of (or in the absence of) the declared one.
    pub assume_crs: Option<String>,
    /// Role to give the layer(s) instead of the guessed one.
    pub role: Option<LayerRole>,
}

/// What `info` reports about a layer.
#[derive(Debug, Clone)]
pub struct LayerDescription {
    /// Layer name inside the source.
    pub name: String,
    /// GDAL driver short name, e.g. `ESRI Shapefile`.
    pub driver: String,
    /// OGR geometry type name, e.g. `Multi Polygon`.
    pub geometry_type: String,
    /// Number of features.
    pub feature_count: u64,
    /// The CRS that will be used (`None`: the source declares none).
    pub crs: Option<String>,
    /// Why the CRS differs from the declared one, if it does.
    pub crs_note: Option<String>,
    /// Columns, with decoded names.
    pub fields: Vec<FieldDef>,
    /// Text encoding used and why.
    pub encoding: TextEncoding,
    /// Guessed (or imposed) role.
    pub role: RoleGuess,
    /// Extent `[min_x, min_y, max_x, max_y]` in the source CRS.
    pub extent: Option<[f64; 4]>,
}

/// A layer as read, before it joins a project: its geometries in the source CRS, or already
/// in the working CRS when the read was given one (`moved_into`).
pub struct SourceLayer {
    /// Path of the source.
    pub path: PathBuf,
    /// What was found.
    pub description: LayerDescription,
    srs: Option<SpatialRef>,
    features: Vec<Feature>,
    /// GEOS's verdict on each feature's geometry (in step with `features`), in the source
    /// CRS: the project layer keeps it when no reprojection moves the coordinates.
    validity: Vec<Option<bool>>,
    /// The working CRS the geometries were moved into during the read (`None`: they are
    /// in the source CRS).
    moved_into: Option<WorkingCrs>,
    /// The first geometry that could not be moved, reported when the layer joins a project
    /// (where the reprojection of an unmoved layer reports it too).
    move_failure: Option<(Error, i64)>,
    report: LoadReport,
}

impl std::fmt::Debug for SourceLayer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SourceLayer")
            .field("path", &self.path)
            .field("description", &self.description)
            .field("features", &self.features.len())
            .field("report", &self.report)
            .finish()
    }
}

const SHAPEFILE_DRIVER: &str = "ESRI Shapefile";

/// Opens a vector source: plain paths, `.zip` archives (also `.gdb.zip` and `.shp.zip`)
/// through GDAL's virtual file systems. `raw_text` turns off GDAL's own recoding of
/// Shapefile text so that we can decide the encoding.
fn open(path: &Path, raw_text: bool) -> Result<Dataset> {
    if !path.exists() {
        return Err(Error::NotFound {
            path: path.to_path_buf(),
        });
    }
    let open_options: &[&str] = if raw_text { &["ENCODING="] } else { &[] };
    let options = || DatasetOptions {
        open_flags: GdalOpenFlags::GDAL_OF_VECTOR | GdalOpenFlags::GDAL_OF_READONLY,
        allowed_drivers: raw_text.then_some(&[SHAPEFILE_DRIVER][..]),
        open_options: raw_text.then_some(open_options),
        sibling_files: None,
    };
    let first = Dataset::open_ex(path, options());
    let is_zip = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("zip"));
    match first {
        Ok(ds) => Ok(ds),
        Err(_) if is_zip => {
            let vsi = PathBuf::from(format!("/vsizip/{}", path.display()));
            Dataset::open_ex(&vsi, options()).map_err(|e| Error::Unreadable {
                path: path.to_path_buf(),
                detail: e.to_string(),
            })
        }
        Err(e) => Err(Error::Unreadable {
            path: path.to_path_buf(),
            detail: e.to_string(),
        }),
    }
}

/// Opens a source for reading attribute text as raw bytes where that matters.
fn open_for_reading(path: &Path) -> Result<(Dataset, String)> {
    let ds = open(path, false)?;
    let driver = ds.driver().short_name();
    if driver == SHAPEFILE_DRIVER {
        let raw = open(path, true)?;
        return Ok((raw, driver));
    }
    Ok((ds, driver))
}

/// The layer names of a source, in order.
pub fn layer_names(path: &Path) -> Result<Vec<String>> {
    let ds = open(path, false)?;
    Ok(ds.layers().map(|l| l.name()).collect())
}

/// Reads one layer (the first when `layer` is `None`) in its source CRS.
pub fn read_layer(
    path: &Path,
    layer: Option<&str>,
    options: &LoadOptions,
    progress: &dyn Progress,
) -> Result<SourceLayer> {
    let (ds, driver) = open_for_reading(path)?;
    let mut ogr_layer = match layer {
        Some(name) => named_layer(&ds, path, name)?,
        None => ds.layer(0).map_err(|e| Error::Unreadable {
            path: path.to_path_buf(),
            detail: format!("no layers ({e})"),
        })?,
    };
    read_open_layer(path, &driver, &mut ogr_layer, options, None, progress)
}

/// Reads the named layers, in the order given, opening the source once (a project of
/// twenty-odd tables would otherwise open its GeoPackage twenty-odd times).
pub fn read_named_layers(
    path: &Path,
    names: &[&str],
    options: &LoadOptions,
    progress: &dyn Progress,
) -> Result<Vec<SourceLayer>> {
    let (ds, driver) = open_for_reading(path)?;
    names
        .iter()
        .map(|name| {
            let mut layer = named_layer(&ds, path, name)?;
            read_open_layer(path, &driver, &mut layer, options, None, progress)
        })
        .collect()
}

fn named_layer<'a>(ds: &'a Dataset, path: &Path, name: &str) -> Result<gdal::vector::Layer<'a>> {
    ds.layer_by_name(name).map_err(|_| Error::NoSuchLayer {
        path: path.to_path_buf(),
        layer: name.to_string(),
        available: ds.layers().map(|l| l.name()).collect::<Vec<_>>().join(", "),
    })
}

/// Reads every layer of a source.
pub fn read_all_layers(
    path: &Path,
    options: &LoadOptions,
    progress: &dyn Progress,
) -> Result<Vec<SourceLayer>> {
    read_all_layers_into(path, options, None, progress)
}

/// Reads every layer of a source for a project whose working CRS is already known, so the
/// geometries are moved into it while GDAL still reads (see [`Ahead`]).
pub(super) fn read_all_layers_into(
    path: &Path,
    options: &LoadOptions,
    working: Option<WorkingCrs>,
    progress: &dyn Progress,
) -> Result<Vec<SourceLayer>> {
    let (ds, driver) = open_for_reading(path)?;
    let mut out = Vec::new();
    for i in 0..ds.layer_count() {
        let mut layer = ds.layer(i).map_err(|e| Error::Unreadable {
            path: path.to_path_buf(),
            detail: e.to_string(),
        })?;
        out.push(read_open_layer(
            path, &driver, &mut layer, options, working, progress,
        )?);
    }
    Ok(out)
}

/// Reads one open layer; with `working`, geometries are moved into it during the read when
/// what the layer declares settles its CRS beforehand ([`Ahead`]).
fn read_open_layer(
    path: &Path,
    driver: &str,
    layer: &mut gdal::vector::Layer,
    options: &LoadOptions,
    working: Option<WorkingCrs>,
    progress: &dyn Progress,
) -> Result<SourceLayer> {
    let mut ahead = working.and_then(|w| Ahead::plan(layer, options, w));
    loop {
        if let Some(source) =
            read_layer_once(path, driver, layer, options, ahead.as_ref(), progress)?
        {
            return Ok(source);
        }
        // The coordinates contradicted the declared extent's zone: read again, unmoved;
        // `into_layer` then moves them with the CRS the coordinates settle.
        ahead = None;
        layer.reset_feature_reading();
    }
}

/// A reprojection decided before the read, from what the layer declares: its CRS (or the
/// one the user imposes) corrected by its declared extent, exactly as the read corrects it
/// afterwards by the coordinates ([`crs::reconcile_with_coordinates`]). The workers then
/// move each geometry while GDAL still reads. The premise is checked after the read; a
/// layer whose coordinates settle a different CRS is read again.
struct Ahead {
    recipe: TransformRecipe,
    target: WorkingCrs,
    /// The zone the declared extent's eastings imply, which the correction depends on.
    zone: Option<u32>,
}

impl Ahead {
    /// `None` when nothing needs moving or the layer does not declare enough to decide.
    fn plan(
        layer: &gdal::vector::Layer,
        options: &LoadOptions,
        working: WorkingCrs,
    ) -> Option<Ahead> {
        let chosen = match &options.assume_crs {
            Some(text) => crs::parse_crs(text).ok()?,
            None => declared_srs(layer)?,
        };
        let min_x = layer.try_get_extent().ok().flatten()?.MinX;
        let (srs, _) = crs::reconcile_with_coordinates(chosen, min_x).ok()?;
        if srs.auth_code().ok() == Some(working.epsg() as i32) {
            return None;
        }
        let recipe = TransformRecipe::new(&srs, &working.spatial_ref().ok()?).ok()?;
        // Each worker builds its own; one that would not build is found here instead.
        recipe.build().ok()?;
        Some(Ahead {
            recipe,
            target: working,
            zone: crs::zone_prefixed_epsg(min_x),
        })
    }
}

/// The CRS the layer declares, x before y.
fn declared_srs(layer: &gdal::vector::Layer) -> Option<SpatialRef> {
    layer.spatial_ref().map(|mut s| {
        s.set_axis_mapping_strategy(AxisMappingStrategy::TraditionalGisOrder);
        s
    })
}

/// One read of a layer; `None` when `ahead`'s premise proved wrong (nothing else does).
fn read_layer_once(
    path: &Path,
    driver: &str,
    layer: &mut gdal::vector::Layer,
    options: &LoadOptions,
    ahead: Option<&Ahead>,
    progress: &dyn Progress,
) -> Result<Option<SourceLayer>> {
    let layer_name = layer.name();
    let feature_count = layer.feature_count();
    let geometry_type = gdal::vector::geometry_type_to_name(layer.defn().geometry_type());
    let defn_fields: Vec<(Vec<u8>, FieldKind)> = layer
        .defn()
        .fields()
        .enumerate()
        .map(|(i, f)| {
            (
                ogr::field_name_bytes(layer.defn(), i),
                ogr::field_kind(f.field_type()),
            )
        })
        .collect();

    let has_geometry_field = layer.defn().geom_fields().count() > 0;
    progress.begin(&format!("读取 {layer_name}"), feature_count);
    let read = read_and_convert(layer, &defn_fields, ahead.map(|a| &a.recipe), progress);
    progress.finish();
    if let (Some(a), Some(extent)) = (ahead, read.extent)
        && crs::zone_prefixed_epsg(extent[0]) != a.zone
    {
        return Ok(None);
    }
    let Read {
        features: converted,
        texts,
        extent,
        move_failure,
    } = read;
    let texts = texts.into_texts();
    let mut report = LoadReport::default();
    // The features and, beside them, their cells (text still as numbers): the cells
    // become the attribute values once the encoding is known.
    let mut features = Vec::with_capacity(converted.len());
    let mut cells = Vec::with_capacity(converted.len());
    let mut validity = Vec::with_capacity(converted.len());
    for Converted {
        id,
        values,
        geometry,
    } in converted
    {
        let converted = geometry.map_err(|kind| Error::UnsupportedGeometry {
            path: path.to_path_buf(),
            layer: layer_name.clone(),
            fid: id,
            kind: kind.0,
        })?;
        report.dropped_zm += usize::from(converted.had_zm);
        report.linearised += usize::from(converted.linearised);
        if converted.invalid() {
            report.invalid_ids.push(id);
        }
        let geometry = match converted.geometry {
            Some(g) => Some(g),
            None if converted.empty => {
                report.skipped_empty += 1;
                continue;
            }
            None if has_geometry_field => {
                report.skipped_null += 1;
                continue;
            }
            None => None,
        };
        features.push(Feature {
            id,
            geometry,
            attributes: Vec::new(),
        });
        cells.push(values);
        validity.push(converted.valid);
    }

    let encoding = if driver == SHAPEFILE_DRIVER {
        let cpg = layer.metadata_item("CPG_VALUE", "SHAPEFILE");
        let ldid = layer
            .metadata_item("LDID_VALUE", "SHAPEFILE")
            .and_then(|v| v.trim().parse::<u8>().ok());
        let names = defn_fields.iter().map(|(n, _)| n.as_slice());
        decide_dbf_encoding(
            options.encoding.as_deref(),
            cpg.as_deref(),
            ldid,
            names.chain(texts.iter().map(Vec::as_slice)),
        )?
    } else {
        TextEncoding::native()
    };

    let undecodable = |fid: i64, field: &str| Error::Undecodable {
        path: path.to_path_buf(),
        layer: layer_name.clone(),
        fid,
        field: field.to_string(),
        encoding: encoding.encoding.name().to_string(),
    };
    let mut fields = Vec::with_capacity(defn_fields.len());
    for (name, kind) in defn_fields {
        let name = encoding
            .decode(&name)
            .ok_or_else(|| undecodable(-1, "(field name)"))?;
        fields.push(FieldDef::new(name, kind));
    }
    // Each distinct text is decoded once, on all cores; a text that cannot be is an error
    // only where a feature that was kept holds it, and the first such value in source
    // order is the one reported.
    let decoded: Vec<Option<Arc<String>>> = texts
        .into_par_iter()
        .map(|bytes| encoding.decode_owned(bytes).map(Arc::new))
        .collect();
    if let Some((fid, field)) = features.iter().zip(&cells).find_map(|(f, values)| {
        values
            .iter()
            .zip(&fields)
            .find_map(|(value, field)| match value {
                Cell::Text(n) if decoded[*n].is_none() => Some((f.id, field.name.as_str())),
                _ => None,
            })
    }) {
        return Err(undecodable(fid, field));
    }
    features
        .par_iter_mut()
        .zip(cells)
        .for_each(|(f, values)| f.attributes = attribute_values(values, &decoded));

    let chosen = match &options.assume_crs {
        Some(text) => Some(crs::parse_crs(text)?),
        None => declared_srs(layer),
    };
    let extent = extent.or_else(|| {
        layer
            .try_get_extent()
            .ok()
            .flatten()
            .map(|e| [e.MinX, e.MinY, e.MaxX, e.MaxY])
    });
    let (srs, crs_note) = match (chosen, extent) {
        (Some(srs), Some(ext)) => {
            let (srs, note) = crs::reconcile_with_coordinates(srs, ext[0])?;
            (Some(srs), note)
        }
        (srs, _) => (srs, None),
    };

    let field_names: Vec<&str> = fields.iter().map(|f| f.name.as_str()).collect();
    let role = match options.role {
        Some(role) => RoleGuess {
            role,
            reason: "chosen by the user".into(),
        },
        None => LayerRole::guess(&layer_name, &field_names),
    };
    Ok(Some(SourceLayer {
        path: path.to_path_buf(),
        description: LayerDescription {
            name: layer_name,
            driver: driver.to_string(),
            geometry_type,
            feature_count,
            crs: srs.as_ref().map(crs::describe),
            crs_note,
            fields,
            encoding,
            role,
            extent,
        },
        srs,
        features,
        validity,
        moved_into: ahead.map(|a| a.target),
        move_failure,
        report,
    }))
}

/// What detection could not settle for a layer, so a window asks the user before the
/// layer joins a project (the CLI takes `--assume-crs`, `--encoding`, `--role` instead).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Undecided {
    /// The layer has geometry but no CRS: it cannot be placed at all.
    pub crs: bool,
    /// Shapefile text whose encoding is undeclared and not UTF-8: GBK is only a guess.
    pub encoding: bool,
    /// Neither the layer name nor its fields suggested a role.
    pub role: bool,
}

impl Undecided {
    /// True when nothing needs asking.
    pub fn is_settled(self) -> bool {
        self == Undecided::default()
    }
}

impl SourceLayer {
    /// What the user must decide before this layer can join a project.
    pub fn undecided(&self) -> Undecided {
        let d = &self.description;
        let has_text = d
            .fields
            .iter()
            .any(|f| f.kind == crate::model::FieldKind::Text);
        Undecided {
            crs: d.crs.is_none() && d.extent.is_some(),
            encoding: has_text && d.encoding.reason == super::EncodingReason::GbkFallback,
            role: d.role.role == LayerRole::Other,
        }
    }

    /// What was skipped or repaired while reading.
    pub fn report(&self) -> &LoadReport {
        &self.report
    }

    /// The features, in the source CRS — or, when the read was given the working CRS
    /// ([`super::project_from_sources`] with one), already in it.
    pub fn features(&self) -> &[Feature] {
        &self.features
    }

    fn require_srs(&self) -> Result<&SpatialRef> {
        self.srs.as_ref().ok_or_else(|| Error::MissingCrs {
            path: self.path.clone(),
            layer: self.description.name.clone(),
        })
    }

    /// The centre of the layer's extent in CGCS2000 lon/lat, which picks the working zone.
    pub fn lonlat_center(&self) -> Result<Option<(f64, f64)>> {
        let Some([x0, y0, x1, y1]) = self.description.extent else {
            return Ok(None);
        };
        let to_lonlat = Transformer::new(self.require_srs()?, &crs::epsg_srs(crs::EPSG_CGCS2000)?)?;
        let (lon, lat) = to_lonlat
            .transform_point((x0 + x1) / 2.0, (y0 + y1) / 2.0)
            .map_err(|e| e.in_source(&self.path, Some(&self.description.name), None))?;
        Ok(Some((lon, lat)))
    }

    /// Transforms every geometry into the working CRS (unless the read already did) and
    /// builds the project layer.
    pub fn into_layer(self, id: String, working: WorkingCrs) -> Result<Layer> {
        let has_geometry = self.features.iter().any(|f| f.geometry.is_some());
        let already_working = match self.moved_into {
            Some(moved) => moved == working,
            None => self
                .srs
                .as_ref()
                .is_some_and(|s| s.auth_code().ok() == Some(working.epsg() as i32)),
        };
        let recipe = if has_geometry && !already_working {
            let from = match self.moved_into {
                Some(moved) => moved.spatial_ref()?,
                None => self.require_srs()?.clone(),
            };
            Some(TransformRecipe::new(&from, &working.spatial_ref()?)?)
        } else {
            None
        };
        let SourceLayer {
            path,
            description,
            mut features,
            validity,
            moved_into,
            move_failure,
            report,
            ..
        } = self;
        if let Some((e, fid)) = move_failure {
            return Err(e.in_source(&path, Some(&description.name), Some(fid)));
        }
        if let Some(recipe) = &recipe {
            transform_features(&mut features, recipe)
                .map_err(|(e, fid)| e.in_source(&path, Some(&description.name), Some(fid)))?;
        }
        let mut layer = Layer::new(
            id,
            description.name.clone(),
            description.role.role,
            description.fields,
            features,
        );
        if recipe.is_none() && moved_into.is_none() {
            // GEOS judged these very coordinates: the checks need not ask again.
            layer.set_known_validity(validity);
        }
        if layer.features().iter().all(|f| f.geometry.is_none()) {
            // No geometry to tell the kind: take the one the source declares (an empty
            // 永久基本农田 layer is still a polygon layer).
            let declared = description.geometry_type.to_ascii_lowercase();
            layer.geometry_kind = if declared.contains("polygon") {
                GeometryKind::Polygon
            } else if declared.contains("line") {
                GeometryKind::Line
            } else if declared.contains("point") {
                GeometryKind::Point
            } else if declared.contains("none") || declared.is_empty() {
                GeometryKind::None
            } else {
                GeometryKind::Mixed
            };
        }
        // The layer found the duplicate ids; the read found the rest.
        layer.load_report = LoadReport {
            duplicate_ids: std::mem::take(&mut layer.load_report.duplicate_ids),
            ..report
        };
        layer.source = Some(LayerSource {
            path,
            layer: description.name,
            crs: description.crs.unwrap_or_default(),
            encoding: Some(description.encoding.describe()),
        });
        Ok(layer)
    }
}

/// Transforms every geometry into the working CRS on all cores, one transformer per chunk
/// (a few chunks per core, so an uneven chunk does not leave a core idle). The first
/// failure in source order is reported, with the feature's id.
fn transform_features(
    features: &mut [Feature],
    recipe: &TransformRecipe,
) -> std::result::Result<(), (Error, i64)> {
    let chunk = features
        .len()
        .div_ceil(4 * rayon::current_num_threads())
        .max(1);
    let outcomes: Vec<std::result::Result<(), (Error, i64)>> = features
        .par_chunks_mut(chunk)
        .map(|chunk| {
            let t = recipe.build().map_err(|e| (e, chunk[0].id))?;
            for f in chunk.iter_mut() {
                if let Some(g) = &mut f.geometry {
                    t.transform_geometry(g).map_err(|e| (e, f.id))?;
                }
            }
            Ok(())
        })
        .collect();
    outcomes.into_iter().collect()
}
