//! Finds the inputs: files and directories from the command line, walked with `ignore`
//! (.gitignore, .ignore, .kspmignore), classified (manifest file, Helm chart, Kustomize
//! build root, stdin), and read or rendered into sources.

use std::collections::BTreeSet;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use ignore::WalkBuilder;
use rayon::prelude::*;

use crate::engine::ContextSource;
use crate::render::kustomize::model::{KUSTOMIZATION_NAMES, plan};
use crate::render::{self, RenderFailure, RenderOptions, helm, kustomize};
use crate::report::LintError;
use crate::source::SourceFile;

pub const STDIN_ARG: &str = "-";
pub const STDIN_NAME: &str = "<stdin>";

/// One input to lint.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Input {
    /// `display` is the path as reached from the argument, with `/` separators.
    File {
        display: String,
        path: PathBuf,
    },
    Stdin,
    /// A Kustomize build root (a folder with a kustomization no other one in the scanned
    /// tree includes).
    Kustomize {
        display: String,
        path: PathBuf,
    },
    /// A Helm chart folder (with `Chart.yaml`); its templates are never read as YAML.
    Chart {
        display: String,
        path: PathBuf,
    },
}

#[derive(Debug, Default)]
pub struct Discovered {
    /// Each input with its lint context: the index of the argument that reached it.
    pub inputs: Vec<(usize, Input)>,
    pub notes: Vec<String>,
    pub errors: Vec<LintError>,
}

fn is_manifest_name(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    (lower.ends_with(".yaml") || lower.ends_with(".yml") || lower.ends_with(".json"))
        && !KUSTOMIZATION_NAMES.contains(&name)
}

/// The display form of a path: `/` separators, no leading `./`.
fn display_path(p: &Path) -> String {
    let s = p.to_string_lossy().replace('\\', "/");
    let mut s = s.as_str();
    while let Some(rest) = s.strip_prefix("./") {
        s = rest;
    }
    s.to_string()
}

/// The argument as the user should see it: an absolute path under `cwd` becomes relative.
fn argument_path(arg: &str, cwd: &Path) -> PathBuf {
    let p = PathBuf::from(arg);
    if let Some(rel) = p.is_absolute().then(|| p.strip_prefix(cwd).ok()).flatten() {
        return if rel.as_os_str().is_empty() {
            PathBuf::from(".")
        } else {
            rel.to_path_buf()
        };
    }
    p
}

/// The Helm chart whose `templates/` folder holds `path`, if any.
fn chart_of_template(path: &Path) -> Option<PathBuf> {
    path.ancestors().skip(1).find_map(|dir| {
        (dir.file_name()? == "templates")
            .then(|| dir.parent())
            .flatten()
            .filter(|chart| chart.join("Chart.yaml").is_file())
            .map(Path::to_path_buf)
    })
}

/// Walk the arguments. `cwd` makes absolute arguments relative.
pub fn discover(args: &[String], cwd: &Path) -> Discovered {
    let mut out = Discovered::default();
    for (context, arg) in args.iter().enumerate() {
        if arg == STDIN_ARG {
            out.inputs.push((context, Input::Stdin));
            continue;
        }
        let path = argument_path(arg, cwd);
        let meta = match std::fs::metadata(&path) {
            Ok(m) => m,
            Err(e) => {
                out.errors
                    .push(error(&display_path(&path), format!("cannot read: {e}")));
                continue;
            }
        };
        if meta.is_file() {
            out.inputs.push((context, classify_file(path)));
            continue;
        }
        if path.join("Chart.yaml").is_file() {
            out.inputs.push((context, chart_input(&path)));
            continue;
        }
        walk(context, &path, &mut out);
    }
    out.inputs.sort();
    out.inputs.dedup();
    out
}

/// A file named on the command line: a chart's template or `Chart.yaml` stands for its
/// chart, a kustomization file for its build; anything else is a manifest file.
fn classify_file(path: PathBuf) -> Input {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let parent = path
        .parent()
        .map(|p| {
            if p.as_os_str().is_empty() {
                PathBuf::from(".")
            } else {
                p.to_path_buf()
            }
        })
        .unwrap_or_else(|| PathBuf::from("."));
    if let Some(chart) = chart_of_template(&path) {
        return chart_input(&chart);
    }
    if name == "Chart.yaml" {
        return chart_input(&parent);
    }
    if KUSTOMIZATION_NAMES.contains(&name.as_str()) {
        return Input::Kustomize {
            display: shown_dir(&parent),
            path: parent,
        };
    }
    Input::File {
        display: display_path(&path),
        path,
    }
}

fn shown_dir(dir: &Path) -> String {
    let shown = display_path(dir);
    if shown.is_empty() {
        ".".to_string()
    } else {
        shown
    }
}

fn chart_input(dir: &Path) -> Input {
    Input::Chart {
        display: shown_dir(dir),
        path: dir.to_path_buf(),
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

fn walk(context: usize, root: &Path, out: &mut Discovered) {
    let canonical_root = std::fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf());
    let charts = Arc::new(Mutex::new(BTreeSet::<PathBuf>::new()));
    let seen = Arc::clone(&charts);
    let root_for_filter = canonical_root.clone();
    let walker = WalkBuilder::new(root)
        .follow_links(true)
        .require_git(false)
        .add_custom_ignore_filename(".kspmignore")
        .sort_by_file_name(|a, b| a.cmp(b))
        .filter_entry(move |e| {
            // A chart is one input, rendered as a whole: its templates are Go templates,
            // and its values, subcharts and CRDs are read by the renderer.
            let is_chart = e.depth() > 0
                && e.file_type().is_some_and(|t| t.is_dir())
                && e.path().join("Chart.yaml").is_file();
            if is_chart {
                lock(&seen).insert(e.path().to_path_buf());
            }
            // Never follow a link (to a file or a folder) out of the scanned root.
            let escapes = e.path_is_symlink()
                && !std::fs::canonicalize(e.path()).is_ok_and(|c| c.starts_with(&root_for_filter));
            !is_chart && !escapes
        })
        .build();
    let mut files = Vec::new();
    let mut kustomizations = Vec::new();
    for entry in walker {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                // Loops and unreadable folders are reported, never fatal.
                out.errors.push(error(&display_path(root), e.to_string()));
                continue;
            }
        };
        if !entry.file_type().is_some_and(|t| t.is_file()) {
            continue;
        }
        let name = entry.file_name().to_string_lossy();
        if KUSTOMIZATION_NAMES.contains(&name.as_ref()) {
            if let Some(dir) = entry.path().parent() {
                kustomizations.push(dir.to_path_buf());
            }
            continue;
        }
        if is_manifest_name(&name) {
            files.push(entry.path().to_path_buf());
        }
    }
    // Files a build reads are linted through the build, not a second time on their own.
    let plan = plan(&kustomizations);
    for path in files {
        let consumed = std::fs::canonicalize(&path).is_ok_and(|c| plan.consumed.contains(&c));
        if !consumed {
            out.inputs.push((
                context,
                Input::File {
                    display: display_path(&path),
                    path,
                },
            ));
        }
    }
    for i in plan.roots {
        let dir = &kustomizations[i];
        out.inputs.push((
            context,
            Input::Kustomize {
                display: shown_dir(dir),
                path: dir.clone(),
            },
        ));
    }
    for chart in lock(&charts).iter() {
        out.inputs.push((context, chart_input(chart)));
    }
}

fn error(path: &str, message: String) -> LintError {
    LintError {
        path: path.to_string(),
        line: 0,
        column: 0,
        message,
        source: None,
        span: None,
    }
}

/// What reading and rendering the inputs produced.
#[derive(Debug, Default)]
pub struct Sources {
    pub sources: Vec<ContextSource>,
    pub errors: Vec<LintError>,
    pub notes: Vec<String>,
    /// Inputs that could not be read or rendered (the summary counts them as files).
    pub failed: usize,
}

/// Read every input into a source, rendering charts and kustomizations; unreadable,
/// non-UTF-8 or unrenderable inputs become errors.
pub fn read_sources(inputs: &[(usize, Input)], opts: &RenderOptions) -> Sources {
    let results: Vec<Vec<ReadResult>> = inputs
        .par_iter()
        .map(|(context, input)| read_one(*context, input, opts))
        .collect();
    let mut out = Sources::default();
    for r in results.into_iter().flatten() {
        match r {
            Ok((s, notes)) => {
                out.sources.push(s);
                out.notes.extend(notes);
            }
            Err(RenderFailure::Errors(e)) => {
                out.failed += 1;
                out.errors.extend(e);
            }
            Err(RenderFailure::Note(n)) => out.notes.push(n),
        }
    }
    out
}

type ReadResult = Result<(ContextSource, Vec<String>), RenderFailure>;

fn read_one(context: usize, input: &Input, opts: &RenderOptions) -> Vec<ReadResult> {
    let rendered = |r: render::Rendered| {
        (
            ContextSource {
                source: r.source,
                context,
                mapper: Some(r.mapper),
            },
            r.notes,
        )
    };
    match input {
        Input::Kustomize { display, path } => {
            vec![kustomize::build(path, display).map(rendered)]
        }
        Input::Chart { display, path } => helm::render_chart(path, display, opts)
            .into_iter()
            .map(|r| r.map(rendered))
            .collect(),
        Input::File { .. } | Input::Stdin => vec![
            read_input(input)
                .map(|source| {
                    // `helm template` output: findings are traced to the templates.
                    let mapper = helm::stream_mapper(&source, opts.chart_dir.as_deref());
                    (
                        ContextSource {
                            source,
                            context,
                            mapper,
                        },
                        Vec::new(),
                    )
                })
                .map_err(|e| RenderFailure::Errors(vec![e])),
        ],
    }
}

fn read_input(input: &Input) -> Result<Arc<SourceFile>, LintError> {
    let (name, bytes) = match input {
        Input::Stdin => {
            let mut buf = Vec::new();
            std::io::stdin()
                .read_to_end(&mut buf)
                .map_err(|e| error(STDIN_NAME, format!("cannot read: {e}")))?;
            (STDIN_NAME.to_string(), buf)
        }
        Input::File { display, path }
        | Input::Kustomize { display, path }
        | Input::Chart { display, path } => {
            let buf =
                std::fs::read(path).map_err(|e| error(display, format!("cannot read: {e}")))?;
            (display.clone(), buf)
        }
    };
    match String::from_utf8(bytes) {
        Ok(text) => Ok(SourceFile::new(name, text)),
        Err(e) => {
            let valid = e.utf8_error().valid_up_to();
            let bytes = e.into_bytes();
            let prefix = String::from_utf8_lossy(&bytes[..valid]);
            let line = prefix.matches('\n').count() + 1;
            let column = prefix.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
            Err(LintError {
                path: name,
                line,
                column,
                message: "not valid UTF-8 (YAML input must be UTF-8)".to_string(),
                source: None,
                span: None,
            })
        }
    }
}
