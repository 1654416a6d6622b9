//! Finds the inputs: files and directories from the command line, walked with `ignore`
//! (.gitignore, .ignore, .kspmignore), classified (manifest file, Helm chart, Kustomize
//! build root, stdin), and read or rendered into sources.

mod read;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use ignore::WalkBuilder;
use rayon::prelude::*;

use crate::engine::ContextSource;
use crate::render::kustomize::model::{KUSTOMIZATION_NAMES, plan};
use crate::render::{self, RenderFailure, RenderOptions, helm, kustomize};
use crate::report::LintError;

pub use read::{DEFAULT_MAX_FILE_SIZE, human_size, parse_size};

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
        if !meta.is_dir() {
            // A FIFO or device named on the command line (`kspm lint <(helm template .)`)
            // is read as a stream, within the size limit.
            out.inputs.push((
                context,
                Input::File {
                    display: display_path(&path),
                    path,
                },
            ));
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
    let escaped = Arc::new(Mutex::new(Vec::<PathBuf>::new()));
    let escaped_in_filter = Arc::clone(&escaped);
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
            // (A dangling link is not an escape: reading it reports it.)
            let escapes = e.path_is_symlink()
                && std::fs::canonicalize(e.path()).is_ok_and(|c| !c.starts_with(&root_for_filter));
            if escapes {
                lock(&escaped_in_filter).push(e.path().to_path_buf());
            }
            !is_chart && !escapes
        })
        .build();
    let mut files = Vec::new();
    let mut kustomizations = Vec::new();
    for entry in walker {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                walk_problem(&e, out);
                continue;
            }
        };
        let name = entry.file_name().to_string_lossy();
        if !entry.file_type().is_some_and(|t| t.is_file()) {
            let special = entry
                .file_type()
                .is_some_and(|t| !t.is_dir() && !t.is_symlink());
            if special && is_manifest_name(&name) {
                out.notes.push(format!(
                    "{}: not a regular file (a FIFO, socket or device): not read; name it on the command line to read it as a stream",
                    display_path(entry.path())
                ));
            }
            continue;
        }
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
    for link in lock(&escaped).iter() {
        out.notes.push(format!(
            "{}: a symbolic link out of {}: not followed",
            display_path(link),
            shown_dir(root)
        ));
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

/// A walk error: an unreadable folder or manifest is an error at its own path; a link loop
/// (its target is walked anyway) and an unreadable entry that is not a manifest are notes.
fn walk_problem(e: &ignore::Error, out: &mut Discovered) {
    let (path, loop_target, io) = walk_error_parts(e);
    let Some(path) = path else {
        out.errors.push(error("", e.to_string()));
        return;
    };
    let shown = display_path(&path);
    if let Some(ancestor) = loop_target {
        out.notes.push(format!(
            "{shown}: a symbolic link to its ancestor {}: not followed (a loop)",
            display_path(&ancestor)
        ));
        return;
    }
    // `ignore` wraps the OS error in a message that repeats the path.
    // `ignore` wraps the OS error in a message that repeats the path: ask again.
    let cause = match std::fs::metadata(&path)
        .err()
        .or_else(|| std::fs::read_dir(&path).err())
    {
        Some(os) => os.to_string(),
        None => io.map_or_else(|| e.to_string(), ToString::to_string),
    };
    let link = path
        .symlink_metadata()
        .is_ok_and(|m| m.file_type().is_symlink());
    let cause = if link {
        format!("a symbolic link whose target cannot be read ({cause})")
    } else {
        cause
    };
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    // A dangling link or a loop of links looks the same whatever its name: only a manifest
    // name or a folder matters.
    if is_manifest_name(&name) || path.is_dir() {
        out.errors
            .push(error(&shown, format!("cannot read: {cause}")));
    } else {
        out.notes
            .push(format!("{shown}: skipped, cannot read: {cause}"));
    }
}

/// The path an `ignore` error is about, the ancestor of a loop, and the I/O error.
fn walk_error_parts(
    e: &ignore::Error,
) -> (Option<PathBuf>, Option<PathBuf>, Option<&std::io::Error>) {
    match e {
        ignore::Error::WithPath { path, err } => {
            let (_, ancestor, io) = walk_error_parts(err);
            (Some(path.clone()), ancestor, io)
        }
        ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => {
            walk_error_parts(err)
        }
        ignore::Error::Loop { ancestor, child } => {
            (Some(child.clone()), Some(ancestor.clone()), None)
        }
        ignore::Error::Io(io) => (None, None, Some(io)),
        ignore::Error::Partial(errs) => errs.first().map_or((None, None, None), walk_error_parts),
        _ => (None, None, None),
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
/// binary, oversized or unrenderable inputs become errors (see `read_sources_limited`).
pub fn read_sources(inputs: &[(usize, Input)], opts: &RenderOptions) -> Sources {
    read_sources_limited(inputs, opts, DEFAULT_MAX_FILE_SIZE)
}

/// `read_sources`, refusing manifest files and streams over `max_file_size` bytes. Text
/// with invalid UTF-8 is linted with an error at its first bad byte.
pub fn read_sources_limited(
    inputs: &[(usize, Input)],
    opts: &RenderOptions,
    max_file_size: u64,
) -> Sources {
    let results: Vec<Vec<ReadResult>> = inputs
        .par_iter()
        .map(|(context, input)| read_one(*context, input, opts, max_file_size))
        .collect();
    let mut out = Sources::default();
    for r in results.into_iter().flatten() {
        match r {
            Ok((s, notes, errors)) => {
                out.sources.push(s);
                out.notes.extend(notes);
                out.errors.extend(errors);
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

/// A source with its notes and the errors about an input that was still linted.
type ReadResult = Result<(ContextSource, Vec<String>, Vec<LintError>), RenderFailure>;

fn read_one(context: usize, input: &Input, opts: &RenderOptions, max: u64) -> Vec<ReadResult> {
    let rendered = |r: render::Rendered| {
        (
            ContextSource {
                source: r.source,
                context,
                mapper: Some(r.mapper),
            },
            r.notes,
            Vec::new(),
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
            read_input(input, max)
                .map(|text| {
                    let source = text.source;
                    // `helm template` output: findings are traced to the templates.
                    let mapper = helm::stream_mapper(&source, opts.chart_dir.as_deref());
                    (
                        ContextSource {
                            source,
                            context,
                            mapper,
                        },
                        Vec::new(),
                        text.warning.into_iter().collect(),
                    )
                })
                .map_err(|e| RenderFailure::Errors(vec![e])),
        ],
    }
}

fn read_input(input: &Input, max: u64) -> Result<read::Text, LintError> {
    let (name, bytes) = match input {
        Input::Stdin => (
            STDIN_NAME.to_string(),
            read::read_bounded(std::io::stdin().lock(), STDIN_NAME, None, max)?,
        ),
        Input::File { display, path }
        | Input::Kustomize { display, path }
        | Input::Chart { display, path } => {
            let cannot = |e: std::io::Error| error(display, format!("cannot read: {e}"));
            let file = std::fs::File::open(path).map_err(cannot)?;
            let meta = file.metadata().map_err(cannot)?;
            if meta.is_dir() {
                // It was a file when the walk saw it.
                return Err(error(
                    display,
                    "cannot read: it is now a folder".to_string(),
                ));
            }
            // Only a regular file's length is known before reading (a FIFO says 0).
            let len = meta.is_file().then_some(meta.len());
            (
                display.clone(),
                read::read_bounded(file, display, len, max)?,
            )
        }
    };
    read::decode(&name, bytes)
}
