//! `villageplan`: the desktop app (no subcommand) and batch commands for planners and
//! reviewers.
#![deny(unsafe_code)]

mod cli;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use villageplan::LayerRole;
use villageplan::analysis::areas::AreaBasis;
use villageplan::analysis::stats::ClassLevel;
use villageplan::analysis::tables::{AreaUnit, Scope, TableKind};
use villageplan::io::LoadOptions;

use cli::progress::TerminalProgress;

#[derive(Parser)]
#[command(
    name = "villageplan",
    version,
    about = "村庄规划 VillagePlan — 多规合一实用性村庄规划 desktop GIS",
    args_conflicts_with_subcommands = true
)]
struct Args {
    #[command(subcommand)]
    command: Option<Command>,
    /// Project (.gpkg) or any vector file to open in the window; the bundled 凤庆 sample
    /// when omitted.
    path: Option<PathBuf>,
    /// Interface language: zh-CN or en (default: as last chosen in 设置, else zh-CN).
    #[arg(long)]
    lang: Option<String>,
}

/// The bundled sample project, opened when no path is given.
const SAMPLE_PROJECT: &str = "sample-maps/fengqing/fengqing.gpkg";

/// How to read a source when detection is not enough.
#[derive(clap::Args, Clone, Default)]
struct ReadArgs {
    /// Text encoding of Shapefile DBFs (GBK, UTF-8, 936, Big5 …); detected when omitted.
    #[arg(long)]
    encoding: Option<String>,
    /// CRS to assume, e.g. EPSG:4490 or EPSG:4542; needed when a file has no .prj.
    #[arg(long)]
    assume_crs: Option<String>,
    /// Layer role (e.g. 永久基本农田 or permanent_farmland); guessed when omitted.
    #[arg(long)]
    role: Option<String>,
}

impl ReadArgs {
    fn options(&self) -> anyhow::Result<LoadOptions> {
        let role = match &self.role {
            Some(text) => Some(
                LayerRole::parse(text).ok_or_else(|| anyhow::anyhow!("unknown role '{text}'"))?,
            ),
            None => None,
        };
        Ok(LoadOptions {
            encoding: self.encoding.clone(),
            assume_crs: self.assume_crs.clone(),
            role,
        })
    }
}

#[derive(Subcommand)]
enum Command {
    /// Layers, counts, geometry types, CRS, text encoding (and why) and fields of any
    /// vector source or project.
    Info {
        /// Shapefile, GeoPackage, GeoJSON, FileGDB (also .gdb.zip), KML, DXF …
        path: PathBuf,
        #[command(flatten)]
        read: ReadArgs,
    },
    /// A new project from source files: every layer is read, transformed into the working
    /// CRS and indexed, then saved when --out is given.
    Import {
        /// Source files (any vector format).
        #[arg(required = true)]
        sources: Vec<PathBuf>,
        /// Project file to write (.gpkg).
        #[arg(long)]
        out: Option<PathBuf>,
        /// Working CRS EPSG code (CGCS2000 3° GK, 4534–4554); chosen from the data when omitted.
        #[arg(long)]
        crs: Option<u32>,
        #[command(flatten)]
        read: ReadArgs,
    },
    /// Current land-use area by class per village and for the county (公顷 and 亩).
    Stats {
        /// A VillagePlan project (.gpkg), or a delivery database (.gdb/.gpkg), plan GeoPackage
        /// or Shapefile folder to review (layers recognised by their delivered names).
        project: PathBuf,
        /// Output format.
        #[arg(long, value_enum, default_value = "table")]
        format: cli::stats::Format,
        /// Group by the parcel's own code instead of first-level classes.
        #[arg(long)]
        detailed: bool,
        /// Only this village (12-digit code or name).
        #[arg(long)]
        village: Option<String>,
        /// Area basis: ellipsoidal (CGCS2000, as 三调 TBMJ; the default) or planar
        /// (Gauss-Kruger).
        #[arg(long, default_value = "ellipsoidal")]
        basis: String,
    },
    /// The standard planning tables (现状指标表, 空间功能结构调整表, 规划指标一览表, 国土空间管控表,
    /// 土地利用现状分类面积汇总表, 近期建设项目表) of a village, a township or the county, with
    /// the 田坎 deduction on a stated area basis.
    Tables {
        /// A VillagePlan project (.gpkg), or a delivery database (.gdb/.gpkg), plan GeoPackage
        /// or Shapefile folder to review (layers recognised by their delivered names).
        project: PathBuf,
        /// Only this village (12-digit code).
        #[arg(long, conflicts_with = "township")]
        village: Option<String>,
        /// Only this township (9-digit code): the sum of its villages.
        #[arg(long)]
        township: Option<String>,
        /// One table: 现状, 结构调整, 指标, 管控, 三调汇总 or 项目 (all when omitted).
        #[arg(long)]
        table: Option<String>,
        /// Area basis: ellipsoidal (CGCS2000, as 三调 TBMJ) or planar (Gauss-Kruger).
        #[arg(long, default_value = "ellipsoidal")]
        basis: String,
        /// Area unit of CSV and XLSX: 公顷 or 亩 (the terminal and JSON show both).
        #[arg(long, default_value = "公顷")]
        unit: String,
        /// Output format.
        #[arg(long, value_enum, default_value = "table")]
        format: cli::tables::Format,
        /// Write to this file (needed for xlsx).
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// The five village types (五类村庄) with the rule and the reason for each village;
    /// planner overrides stored in the project are kept and shown.
    Classify {
        /// A VillagePlan project (.gpkg), or a delivery database (.gdb/.gpkg), plan GeoPackage
        /// or Shapefile folder to review (layers recognised by their delivered names).
        project: PathBuf,
        /// Rule file (TOML); the project's own rules, else the bundled defaults, when omitted.
        #[arg(long)]
        rules: Option<PathBuf>,
        /// Village table (CSV, or the first sheet of an .xlsx/.ods workbook) joined by the
        /// 12-digit village code: 户籍人口, 常住人口, flags.
        #[arg(long)]
        table: Option<PathBuf>,
        /// Output format.
        #[arg(long, value_enum, default_value = "table")]
        format: cli::classify::Format,
        /// Write the output to this file instead of the terminal.
        #[arg(long)]
        out: Option<PathBuf>,
        /// Save the types (CZLX), the results and the --rules file into the project.
        #[arg(long)]
        write: bool,
    },
    /// 质检: run the check rules on a project. Exit code 0 when no error remains (accepted
    /// exceptions excluded), 1 when errors remain, 2 when the input cannot be read.
    Check {
        /// A VillagePlan project (.gpkg), or a delivery database (.gdb/.gpkg), plan GeoPackage
        /// or Shapefile folder to review (layers recognised by their delivered names).
        project: PathBuf,
        /// Only this village (12-digit code).
        #[arg(long)]
        village: Option<String>,
        /// A rule file (TOML) applied over the bundled and the project's rules.
        #[arg(long)]
        rules: Option<PathBuf>,
        /// Output format.
        #[arg(long, value_enum, default_value = "table")]
        format: cli::check::Format,
        /// Write the report to this file instead of standard output.
        #[arg(long)]
        out: Option<PathBuf>,
        /// Also print to standard error how long the load and each rule took (which rule to
        /// look at when a check feels slow; the benchmarks read it).
        #[arg(long)]
        timings: bool,
    },
    /// A draft of the 三生空间 (生态/生产/生活) of villages from current land use: the red line
    /// becomes 生态, permanent farmland 生产; areas per village, and a new layer with --write.
    Spaces {
        /// A VillagePlan project (.gpkg).
        project: PathBuf,
        /// Only this village (12-digit code).
        #[arg(long)]
        village: Option<String>,
        /// Add the draft as a new 三生空间 layer and save the project (atomically).
        #[arg(long)]
        write: bool,
    },
    /// A draft of the 管控边界 (control zones) of villages from planned land use (current land
    /// use where a village has none): 生态保护红线 and 永久基本农田 win, slivers are merged;
    /// areas per village and zone, and a new layer with --write.
    Zones {
        /// A VillagePlan project (.gpkg).
        project: PathBuf,
        /// Only this village (12-digit code).
        #[arg(long)]
        village: Option<String>,
        /// Add the draft as a new 管控边界 layer and save the project (atomically).
        #[arg(long)]
        write: bool,
    },
    /// One layer, or every layer, for another tool or a reviewer: .geojson (RFC 7946 lon/lat,
    /// with areas in m², 公顷 and 亩 on the stated basis), .gpkg, .shp or .gdb (working CRS).
    Export {
        /// A VillagePlan project (.gpkg).
        project: PathBuf,
        /// The layer's id or name (`villageplan info PROJECT` lists them).
        #[arg(long)]
        layer: Option<String>,
        /// Every layer: one .gpkg (or .gdb) with the delivery names (CJDCQ, JQDLTB, STBHHX …)
        /// and the fields' Chinese aliases, or a new folder of .geojson / .shp files.
        #[arg(long)]
        all: bool,
        /// geojson, gpkg, shp or gdb (default: by the --out extension).
        #[arg(long)]
        format: Option<String>,
        /// File (or, with --all and geojson/shp, folder) to write.
        #[arg(long)]
        out: PathBuf,
        /// Area basis of the GeoJSON's areas: ellipsoidal (the default) or planar.
        #[arg(long, default_value = "ellipsoidal")]
        basis: String,
        /// GeoJSON in the working CRS's Gauss-Kruger metres (not RFC 7946; internal use).
        #[arg(long)]
        gauss_kruger: bool,
        /// A Shapefile's text encoding: gbk (.cpg 936, the default) or utf-8.
        #[arg(long, default_value = "gbk")]
        encoding: String,
    },
    /// The delivery database (成果数据库, docs/domain.md §9) of one or more villages: a
    /// FileGDB (.gdb, the default) or a GeoPackage (.gpkg) with the structure's layers,
    /// fields, aliases, YSDM and 20-character BSM; what the project lacks is written empty
    /// and listed. Exit 1 when it holds invalid geometry.
    Deliver {
        /// A VillagePlan project (.gpkg).
        project: PathBuf,
        /// The villages' 12-digit codes, comma-separated.
        #[arg(long)]
        village: String,
        /// gdb or gpkg (default: by the --out extension, else gdb).
        #[arg(long)]
        format: Option<String>,
        /// The delivered CRS as an EPSG code, e.g. EPSG:4521 (default: the working CRS).
        #[arg(long)]
        crs: Option<String>,
        /// A province's structure file (default: the bundled assets/delivery/default.toml).
        #[arg(long)]
        schema: Option<PathBuf>,
        /// Area basis of the computed areas: ellipsoidal (the default) or planar.
        #[arg(long, default_value = "ellipsoidal")]
        basis: String,
        /// The database to write (.gdb folder or .gpkg file).
        #[arg(long)]
        out: PathBuf,
    },
    /// The demonstration zones and corridors (示范区带线) with the townships and villages
    /// each touches (share of area, population pro rata), areas by 三生 space and land-use
    /// class, and the designations against the county's targets (3 / 24 / 300 by default),
    /// flagged where they contradict the classification or carry check errors.
    Demo {
        /// A VillagePlan project (.gpkg).
        project: PathBuf,
        /// Only the area with this name (all when omitted).
        #[arg(long)]
        name: Option<String>,
        /// Output format (geojson and xlsx need --out).
        #[arg(long, value_enum, default_value = "table")]
        format: cli::demo::Format,
        /// Write to this file.
        #[arg(long)]
        out: Option<PathBuf>,
        /// Area basis: ellipsoidal (CGCS2000, as 三调 TBMJ) or planar (Gauss-Kruger).
        #[arg(long, default_value = "ellipsoidal")]
        basis: String,
        /// Do not run the 质检 checks (faster; designations are then not checked for
        /// unresolved errors).
        #[arg(long)]
        skip_checks: bool,
    },
    /// A new 示范带 / 示范线: a centre line (--line FILE, or straight through township seats
    /// in the given order with --through) buffered to --width metres; added to the project
    /// with --write.
    Corridor {
        /// A VillagePlan project (.gpkg).
        project: PathBuf,
        /// 名称 of the corridor (unique in the project).
        #[arg(long)]
        name: String,
        /// 示范线 or 示范带.
        #[arg(long, default_value = "示范线")]
        kind: String,
        /// Full width in metres (0 < width ≤ 50 000).
        #[arg(long)]
        width: f64,
        /// A vector file whose lines (first layer) are the centre line.
        #[arg(long, conflicts_with = "through")]
        line: Option<PathBuf>,
        /// Township seats by code, full or short name, comma-separated, in route order.
        #[arg(long)]
        through: Option<String>,
        /// With --through: follow the 道路中心线 layer's roads from seat to seat (the
        /// shortest road path) instead of straight lines.
        #[arg(long, requires = "through")]
        along_roads: bool,
        /// Flat (square-cut) ends instead of round ones.
        #[arg(long)]
        flat_ends: bool,
        /// 主题 of the corridor.
        #[arg(long)]
        theme: Option<String>,
        /// Save the corridor into the project (atomically).
        #[arg(long)]
        write: bool,
    },
    /// Mark a township 乡村振兴示范乡镇, a village 精品示范村 or a natural village 美丽村庄
    /// (--remove to unmark), or set the county's --target for a designation.
    Designate {
        /// A VillagePlan project (.gpkg).
        project: PathBuf,
        /// A 9-digit township code.
        #[arg(long, group = "unit")]
        township: Option<String>,
        /// A 12-digit village code.
        #[arg(long, group = "unit")]
        village: Option<String>,
        /// A 15-digit natural-village code.
        #[arg(long, group = "unit")]
        natural_village: Option<String>,
        /// The county's target for the designation (instead of a code).
        #[arg(long, group = "unit")]
        target: Option<u32>,
        /// 乡村振兴示范乡镇, 精品示范村 or 美丽村庄.
        #[arg(long = "as")]
        designation: String,
        /// Remove the designation instead.
        #[arg(long)]
        remove: bool,
        /// Save the project (atomically).
        #[arg(long)]
        write: bool,
    },
    /// 成果包: the review package — a BagIt bag (RFC 8493) of the plan layers (GeoJSON), the
    /// check results, the classification, the standard tables and the demonstration
    /// summaries, for the county or one village. Exit code 1 when something was left out
    /// (listed), 2 when the input is unusable.
    Package {
        /// A VillagePlan project (.gpkg).
        project: PathBuf,
        /// Only this village (12-digit code).
        #[arg(long)]
        village: Option<String>,
        /// The package folder to write.
        #[arg(long)]
        out: PathBuf,
        /// Also write DIR.zip beside the folder.
        #[arg(long)]
        zip: bool,
        /// Replace a folder (and zip) that exists and is not empty.
        #[arg(long)]
        force: bool,
        /// 编制单位: the bag's Source-Organization.
        #[arg(long)]
        organization: Option<String>,
    },
    /// Re-check a review package (a folder or its .zip): names every file that changed, is
    /// missing or was added. Exit code 0 intact, 1 not intact, 2 not a readable bag.
    Verify {
        /// The package folder or FILE.zip.
        path: PathBuf,
    },
    /// 出图: a map sheet as PNG — 现状图, 规划图, 三生空间图, 管控图 of a village (--village),
    /// 村庄分类图 or 示范区布局图 of the county. Exit code 1 when the sheet holds problems
    /// (listed), 2 when it cannot be made.
    Render {
        /// A VillagePlan project (.gpkg).
        project: PathBuf,
        /// The village (12-digit code), for the village sheets.
        #[arg(long)]
        village: Option<String>,
        /// 现状图, 规划图, 三生空间图, 管控图, 村庄分类图 or 示范区布局图.
        #[arg(long)]
        sheet: String,
        /// Resolution in dots per inch (20–600).
        #[arg(long, default_value_t = villageplan::deliver::sheets::DEFAULT_DPI)]
        dpi: u32,
        /// A3 or A4, landscape.
        #[arg(long, default_value = "A3")]
        paper: String,
        /// 编制单位 printed on the sheet (default: the project's setting).
        #[arg(long)]
        organisation: Option<String>,
        /// 编制日期 printed on the sheet, e.g. 2026年12月 (default: the project's, else this month).
        #[arg(long)]
        date: Option<String>,
        /// The PNG to write (replaced atomically).
        #[arg(long)]
        out: PathBuf,
    },
    /// Generate the synthetic 凤庆县 sample project.
    Sample {
        /// Output directory (the project is written as fengqing.gpkg inside it).
        #[arg(long, default_value = "sample-maps/fengqing")]
        out: PathBuf,
        /// Random seed; the same seed gives the same project.
        #[arg(long, default_value_t = 530921)]
        seed: u64,
        /// Number of land-use parcels.
        #[arg(long, default_value_t = 25_000)]
        parcels: usize,
    },
}

/// Exit code of `check` when errors remain.
const EXIT_ERRORS_FOUND: u8 = 1;
/// Exit code when the input cannot be read (or any other failure).
const EXIT_UNREADABLE: u8 = 2;

/// Runs a command; the exit code is 0 unless `check` finds errors.
fn run(args: Args) -> anyhow::Result<u8> {
    let progress = TerminalProgress::new();
    let mut code = 0;
    let text = match args.command {
        None => {
            let path = args.path.unwrap_or_else(|| PathBuf::from(SAMPLE_PROJECT));
            open_window(path, args.lang.as_deref())?;
            String::new()
        }
        Some(Command::Info { path, read }) => cli::info::run(&path, &read.options()?, &progress)?,
        Some(Command::Import {
            sources,
            out,
            crs,
            read,
        }) => cli::import::run(&sources, out.as_deref(), crs, &read.options()?, &progress)?,
        Some(Command::Spaces {
            project,
            village,
            write,
        }) => cli::spaces::run(&project, village.as_deref(), write, &progress)?,
        Some(Command::Zones {
            project,
            village,
            write,
        }) => cli::zones::run(&project, village.as_deref(), write, &progress)?,
        Some(Command::Export {
            project,
            layer,
            all,
            format,
            out,
            basis,
            gauss_kruger,
            encoding,
        }) => cli::export::run(
            &cli::export::Request {
                project: &project,
                layer: layer.as_deref(),
                all,
                format: format.as_deref(),
                out: &out,
                basis: parse_basis(&basis)?,
                gauss_kruger,
                encoding: villageplan::io::ShapefileEncoding::parse(&encoding)
                    .ok_or_else(|| anyhow::anyhow!("--encoding '{encoding}': use gbk or utf-8"))?,
            },
            &progress,
        )?,
        Some(Command::Deliver {
            project,
            village,
            format,
            crs,
            schema,
            basis,
            out,
        }) => {
            let (text, problems) = cli::deliver::run(
                &cli::deliver::Request {
                    project: &project,
                    villages: &village,
                    format: format.as_deref(),
                    crs: crs.as_deref(),
                    schema: schema.as_deref(),
                    basis: parse_basis(&basis)?,
                    out: &out,
                },
                &progress,
            )?;
            if problems {
                code = EXIT_ERRORS_FOUND;
            }
            text
        }
        Some(Command::Stats {
            project,
            format,
            detailed,
            village,
            basis,
        }) => {
            let level = if detailed {
                ClassLevel::Exact
            } else {
                ClassLevel::First
            };
            cli::stats::run(
                &project,
                format,
                level,
                parse_basis(&basis)?,
                village.as_deref(),
                &progress,
            )?
        }
        Some(Command::Tables {
            project,
            village,
            township,
            table,
            basis,
            unit,
            format,
            out,
        }) => {
            let scope = match (village, township) {
                (Some(v), _) => Scope::Village(v),
                (None, Some(t)) => Scope::Township(t),
                (None, None) => Scope::County,
            };
            let table = match table {
                Some(t) => Some(TableKind::parse(&t).ok_or_else(|| {
                    anyhow::anyhow!(
                        "unknown table '{t}' (现状, 结构调整, 指标, 管控, 三调汇总, 项目)"
                    )
                })?),
                None => None,
            };
            cli::tables::run(
                &cli::tables::Request {
                    project: &project,
                    scope,
                    table,
                    basis: parse_basis(&basis)?,
                    unit: AreaUnit::parse(&unit)
                        .ok_or_else(|| anyhow::anyhow!("unknown unit '{unit}' (公顷 or 亩)"))?,
                    format,
                    out,
                },
                &progress,
            )?
        }
        Some(Command::Classify {
            project,
            rules,
            table,
            format,
            out,
            write,
        }) => cli::classify::run(
            &cli::classify::Request {
                project: &project,
                rules: rules.as_deref(),
                table: table.as_deref(),
                format,
                out: out.as_deref(),
                write,
            },
            &progress,
        )?,
        Some(Command::Demo {
            project,
            name,
            format,
            out,
            basis,
            skip_checks,
        }) => cli::demo::run(
            &cli::demo::Request {
                project: &project,
                name: name.as_deref(),
                basis: parse_basis(&basis)?,
                format,
                out: out.as_deref(),
                checks: !skip_checks,
            },
            &progress,
        )?,
        Some(Command::Corridor {
            project,
            name,
            kind,
            width,
            line,
            through,
            along_roads,
            flat_ends,
            theme,
            write,
        }) => cli::corridor::run(
            &cli::corridor::Request {
                project: &project,
                name: &name,
                kind: &kind,
                width_m: width,
                line,
                through,
                along_roads,
                flat_ends,
                theme,
                write,
            },
            &progress,
        )?,
        Some(Command::Designate {
            project,
            township,
            village,
            natural_village,
            target,
            designation,
            remove,
            write,
        }) => {
            use cli::designate::Level;
            let unit = [
                (Level::Township, township),
                (Level::Village, village),
                (Level::NaturalVillage, natural_village),
            ]
            .into_iter()
            .find_map(|(level, code)| code.map(|c| (level, c)));
            cli::designate::run(
                &cli::designate::Request {
                    project: &project,
                    unit: unit.as_ref().map(|(l, c)| (*l, c.as_str())),
                    target,
                    designation: &designation,
                    remove,
                    write,
                },
                &progress,
            )?
        }
        Some(Command::Package {
            project,
            village,
            out,
            zip,
            force,
            organization,
        }) => {
            let request = villageplan::deliver::package::PackageRequest {
                out,
                village,
                zip,
                force,
                organization,
            };
            let outcome = cli::package::run(&project, &request, &progress)?;
            if outcome.left_out > 0 {
                code = EXIT_ERRORS_FOUND;
            }
            outcome.text
        }
        Some(Command::Verify { path }) => {
            let outcome = cli::verify::run(&path)?;
            if !outcome.intact {
                code = EXIT_ERRORS_FOUND;
            }
            outcome.text
        }
        Some(Command::Render {
            project,
            village,
            sheet,
            dpi,
            paper,
            organisation,
            date,
            out,
        }) => {
            let outcome = cli::render::run(
                &cli::render::Request {
                    project: &project,
                    village,
                    sheet: &sheet,
                    paper: &paper,
                    dpi,
                    organisation,
                    date,
                    out: &out,
                },
                &progress,
            )?;
            if outcome.problems > 0 {
                code = EXIT_ERRORS_FOUND;
            }
            outcome.text
        }
        Some(Command::Sample { out, seed, parcels }) => {
            cli::sample::run(&out, seed, parcels, &progress)?
        }
        Some(Command::Check {
            project,
            village,
            rules,
            format,
            out,
            timings,
        }) => {
            let outcome = cli::check::run(
                &project,
                village.as_deref(),
                rules.as_deref(),
                format,
                timings,
                &progress,
            )?;
            if outcome.blocking > 0 {
                code = EXIT_ERRORS_FOUND;
            }
            match out {
                Some(path) => {
                    std::fs::write(&path, &outcome.text)
                        .map_err(|e| anyhow::anyhow!("{}: cannot write: {e}", path.display()))?;
                    String::new()
                }
                None => outcome.text,
            }
        }
    };
    print!("{text}");
    Ok(code)
}

/// `--basis ellipsoidal|planar`.
fn parse_basis(text: &str) -> anyhow::Result<AreaBasis> {
    AreaBasis::parse(text)
        .ok_or_else(|| anyhow::anyhow!("unknown area basis '{text}' (ellipsoidal or planar)"))
}

/// The map window on `path` (a project or any vector file).
#[cfg(feature = "gui")]
fn open_window(path: PathBuf, lang: Option<&str>) -> anyhow::Result<()> {
    villageplan::app::run(Some(path), lang)
}

/// This build has no window: say so and name the subcommands.
#[cfg(not(feature = "gui"))]
fn open_window(path: PathBuf, _lang: Option<&str>) -> anyhow::Result<()> {
    anyhow::bail!(
        "this villageplan was built without the map window (cargo feature `gui`), so it \
         cannot open {}; use a subcommand (villageplan --help), or rebuild with the default \
         features",
        path.display()
    )
}

/// GDAL prints its own warnings and errors to stderr; our errors already carry what the
/// user needs, so GDAL's log is shown only on request (`VILLAGEPLAN_GDAL_LOG=1`).
fn route_gdal_messages() {
    let verbose = std::env::var_os("VILLAGEPLAN_GDAL_LOG").is_some();
    gdal::config::set_error_handler(move |class, code, msg| {
        if verbose {
            eprintln!("GDAL {class:?} {code}: {msg}");
        }
    });
}

fn main() -> ExitCode {
    route_gdal_messages();
    match run(Args::parse()) {
        Ok(code) => ExitCode::from(code),
        Err(e) => {
            eprintln!("villageplan: {e:#}");
            ExitCode::from(EXIT_UNREADABLE)
        }
    }
}
