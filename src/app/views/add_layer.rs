//! 添加图层: any GDAL source into the open project. The file is read on a worker thread;
//! when detection leaves something open (no CRS, an undeclared non-UTF-8 encoding, no
//! recognisable role — [`crate::io::Undecided`]) the dialog asks before anything joins the
//! project. Reprojection and display preparation run on the worker too.

use std::path::{Path, PathBuf};

use rust_i18n::t;

use crate::app::jobs::Job;
use crate::app::widgets::file_browser::{FileBrowser, Filter};
use crate::app::workspace::Workspace;
use crate::crs::WorkingCrs;
use crate::io::{self, LayerDescription, LoadOptions, SourceLayer, Undecided};
use crate::model::{Layer, LayerRole, LayerStyle};
use crate::progress::Progress;
use crate::render::DisplayLayer;

/// Encodings offered when a Shapefile does not declare one.
const ENCODINGS: [&str; 4] = ["GBK", "UTF-8", "GB18030", "Big5"];

/// What the user is asked about the layers of a source.
pub struct Questions {
    layers: Vec<LayerDescription>,
    undecided: Vec<Undecided>,
    sample: Option<String>,
}

/// What reading a source led to.
pub enum Outcome {
    /// Everything was decided: the layers, reprojected and ready to draw.
    Added(Vec<(Layer, DisplayLayer)>),
    /// Detection left questions.
    Ask(Questions),
}

/// Where the 添加图层 dialog is.
pub enum AddLayer {
    /// Typing the path.
    Choose {
        path: String,
        options: LoadOptions,
        error: Option<String>,
        browser: FileBrowser,
    },
    /// Reading the file. `roles` holds the user's choices when re-reading from the
    /// confirmation, `then_add` that they already pressed 添加.
    Reading {
        path: String,
        options: LoadOptions,
        job: Job<Outcome>,
        roles: Option<Vec<LayerRole>>,
        then_add: bool,
    },
    /// Detection left questions; the user answers them.
    Confirm {
        path: String,
        options: LoadOptions,
        questions: Questions,
        roles: Vec<LayerRole>,
        crs_text: String,
    },
}

impl AddLayer {
    /// The dialog at its start.
    pub fn new() -> Self {
        AddLayer::Choose {
            path: String::new(),
            options: LoadOptions::default(),
            error: None,
            browser: FileBrowser::new(Path::new(""), Filter::Vector),
        }
    }
}

/// Reads `path` on a worker. The layers are added at once when nothing needs asking, or
/// when the user has answered (`roles` given and `then_add`).
fn start_read(
    ctx: &egui::Context,
    crs: WorkingCrs,
    path: String,
    options: LoadOptions,
    roles: Option<Vec<LayerRole>>,
    then_add: bool,
) -> AddLayer {
    let (p, o, chosen) = (PathBuf::from(path.trim()), options.clone(), roles.clone());
    let job = Job::spawn(ctx, path.trim().to_string(), move |progress| {
        let mut sources = io::read_all_layers(&p, &o, progress)?;
        if sources.is_empty() {
            return Err(crate::Error::Invalid(
                t!("add.empty", path = p.display().to_string()).into_owned(),
            ));
        }
        let mut undecided: Vec<Undecided> = sources.iter().map(SourceLayer::undecided).collect();
        if let Some(chosen) = chosen.as_ref().filter(|c| c.len() == sources.len()) {
            // The user has answered the role question.
            for ((source, u), role) in sources.iter_mut().zip(&mut undecided).zip(chosen) {
                source.description.role.role = *role;
                u.role = false;
            }
        }
        let settled = undecided.iter().all(|u| u.is_settled());
        // Answers given in the confirmation only take effect on 添加.
        if !settled || (chosen.is_some() && !then_add) {
            return Ok(Outcome::Ask(Questions {
                sample: sources.iter().find_map(sample_text),
                layers: sources.into_iter().map(|s| s.description).collect(),
                undecided,
            }));
        }
        progress.begin(&t!("add.reprojecting"), sources.len() as u64);
        let mut out = Vec::new();
        for source in sources {
            let mut layer = source.into_layer(String::new(), crs)?;
            layer.style = LayerStyle::for_role(layer.role);
            let display = DisplayLayer::prepare(&layer, crs)?;
            out.push((layer, display));
            progress.advance(1);
        }
        Ok(Outcome::Added(out))
    });
    AddLayer::Reading {
        path,
        options,
        job,
        roles,
        then_add,
    }
}

/// Puts the new layers on top of the map.
fn finish(ws: &mut Workspace, added: Vec<(Layer, DisplayLayer)>) {
    let Some(doc) = &mut ws.doc else { return };
    let names: Vec<String> = added.iter().map(|(l, _)| l.name.clone()).collect();
    doc.add_layers(added);
    ws.tell(t!("add.added", names = names.join("、")));
}

/// The 添加图层 dialog and its worker: its next state, `None` when it is done.
pub fn adding_ui(ctx: &egui::Context, ws: &mut Workspace, state: AddLayer) -> Option<AddLayer> {
    let crs = ws.doc.as_ref().map(|d| d.project().crs)?;
    match state {
        AddLayer::Reading {
            path,
            options,
            job,
            roles,
            then_add,
        } => match job.poll() {
            Some(Ok(Outcome::Added(added))) => {
                finish(ws, added);
                None
            }
            Some(Ok(Outcome::Ask(questions))) => Some(AddLayer::Confirm {
                crs_text: options.assume_crs.clone().unwrap_or_default(),
                roles: roles
                    .unwrap_or_else(|| questions.layers.iter().map(|d| d.role.role).collect()),
                path,
                options,
                questions,
            }),
            Some(Err(error)) => Some(AddLayer::Choose {
                browser: FileBrowser::new(Path::new(path.trim()), Filter::Vector),
                path,
                options,
                error: Some(error.to_string()),
            }),
            None => {
                busy_ui(ctx, &job);
                Some(AddLayer::Reading {
                    path,
                    options,
                    job,
                    roles,
                    then_add,
                })
            }
        },
        AddLayer::Choose {
            path,
            options,
            error,
            browser,
        } => choose_ui(ctx, crs, browser, path, options, error),
        AddLayer::Confirm {
            path,
            options,
            questions,
            roles,
            crs_text,
        } => confirm_ui(ctx, crs, path, options, questions, roles, crs_text),
    }
}

fn busy_ui(ctx: &egui::Context, job: &Job<Outcome>) {
    let (fraction, task) = job.progress();
    egui::Modal::new(egui::Id::unique("add_layer_busy")).show(ctx, |ui| {
        ui.label(t!("add.reading"));
        ui.add(
            egui::ProgressBar::new(fraction)
                .desired_width(300.0)
                .text(task),
        );
    });
    ctx.request_repaint_after(std::time::Duration::from_millis(100));
}

fn choose_ui(
    ctx: &egui::Context,
    crs: WorkingCrs,
    mut browser: FileBrowser,
    mut path: String,
    options: LoadOptions,
    error: Option<String>,
) -> Option<AddLayer> {
    let mut go = false;
    let mut cancel = false;
    egui::Modal::new(egui::Id::unique("add_layer_dialog")).show(ctx, |ui| {
        ui.heading(t!("menu.add_layer"));
        let label = ui.label(t!("add.path"));
        let edit = ui
            .add(
                egui::TextEdit::singleline(&mut path)
                    .hint_text("/path/to/永久基本农田.shp")
                    .desired_width(420.0),
            )
            .labelled_by(label.id);
        go = edit.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
        if let Some(chosen) = browser.ui(ui, &mut path) {
            path = chosen.display().to_string();
            go = true;
        }
        if let Some(e) = &error {
            ui.colored_label(egui::Color32::from_rgb(200, 40, 40), e);
        }
        ui.separator();
        ui.horizontal(|ui| {
            go |= ui.button(t!("add.add")).clicked();
            cancel = ui.button(t!("save.cancel")).clicked();
        });
    });
    if cancel {
        None
    } else if go && !path.trim().is_empty() {
        Some(start_read(ctx, crs, path, options, None, false))
    } else {
        Some(AddLayer::Choose {
            path,
            options,
            error,
            browser,
        })
    }
}

fn confirm_ui(
    ctx: &egui::Context,
    working: WorkingCrs,
    path: String,
    mut options: LoadOptions,
    questions: Questions,
    mut roles: Vec<LayerRole>,
    mut crs_text: String,
) -> Option<AddLayer> {
    let warn = egui::Color32::from_rgb(200, 90, 0);
    let needs_crs = questions.undecided.iter().any(|u| u.crs);
    let needs_encoding = questions.undecided.iter().any(|u| u.encoding);
    let mut encoding = options.encoding.clone();
    let (mut add, mut cancel) = (false, false);
    egui::Modal::new(egui::Id::unique("add_layer_confirm")).show(ctx, |ui| {
        ui.heading(t!("add.confirm_title"));
        ui.label(egui::RichText::new(path.trim()).small().weak());
        ui.separator();
        for ((d, undecided), role) in questions
            .layers
            .iter()
            .zip(&questions.undecided)
            .zip(&mut roles)
        {
            ui.label(
                egui::RichText::new(format!(
                    "{} · {} · {}",
                    d.name,
                    d.geometry_type,
                    t!("layers.features", count = d.feature_count)
                ))
                .strong(),
            );
            ui.horizontal(|ui| {
                let label = ui.label(t!("add.role"));
                egui::ComboBox::from_id_salt(("add_role", &d.name))
                    .selected_text(role.name_zh())
                    .show_ui(ui, |ui| {
                        for r in LayerRole::ALL {
                            ui.selectable_value(
                                role,
                                r,
                                format!("{} {}", r.name_zh(), r.name_en()),
                            );
                        }
                    })
                    .response
                    .labelled_by(label.id);
                if undecided.role {
                    ui.colored_label(warn, t!("add.role_unknown"));
                }
            });
        }
        if needs_encoding {
            ui.separator();
            ui.colored_label(warn, t!("add.encoding_unknown"));
            ui.horizontal(|ui| {
                ui.label(t!("add.encoding"));
                for e in ENCODINGS {
                    if ui
                        .selectable_label(encoding.as_deref() == Some(e), e)
                        .clicked()
                    {
                        encoding = Some(e.to_string());
                    }
                }
            });
            if let Some(sample) = &questions.sample {
                ui.label(t!("add.encoding_sample", text = sample));
            }
        }
        if needs_crs {
            ui.separator();
            ui.colored_label(warn, t!("add.crs_missing"));
            let label = ui.label(t!("add.crs"));
            ui.add(
                egui::TextEdit::singleline(&mut crs_text)
                    .hint_text("EPSG:4490")
                    .desired_width(200.0),
            )
            .labelled_by(label.id);
        }
        ui.label(
            egui::RichText::new(t!("add.working", crs = working.label()))
                .small()
                .weak(),
        );
        ui.separator();
        ui.horizontal(|ui| {
            add = ui
                .add_enabled(
                    !needs_crs || !crs_text.trim().is_empty(),
                    egui::Button::new(t!("add.add")),
                )
                .clicked();
            cancel = ui.button(t!("save.cancel")).clicked();
        });
    });
    if cancel {
        return None;
    }
    let crs_choice = (!crs_text.trim().is_empty()).then(|| crs_text.trim().to_string());
    // A new encoding or CRS means reading again; a role only relabels.
    if encoding != options.encoding || (add && crs_choice != options.assume_crs) {
        options.encoding = encoding;
        options.assume_crs = crs_choice;
        return Some(start_read(ctx, working, path, options, Some(roles), add));
    }
    if add {
        return Some(start_read(ctx, working, path, options, Some(roles), true));
    }
    Some(AddLayer::Confirm {
        path,
        options,
        questions,
        roles,
        crs_text,
    })
}

/// The first non-empty text value of a layer, so the user can see whether the chosen
/// encoding reads it correctly.
fn sample_text(source: &SourceLayer) -> Option<String> {
    source.features().iter().find_map(|f| {
        f.attributes
            .iter()
            .filter_map(|v| v.as_text())
            .find(|t| !t.trim().is_empty() && !t.is_ascii())
            .map(|t| t.into_owned())
    })
}

impl AddLayer {
    /// True while the file is being read (the window is busy).
    pub fn reading(&self) -> bool {
        matches!(self, AddLayer::Reading { .. })
    }
}
