//! Finds the inputs: files and directories from the command line, walked with `ignore`
//! (.gitignore, .ignore, .kspmignore), classified, and read into sources.

use std::collections::BTreeSet;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use ignore::WalkBuilder;
use rayon::prelude::*;

use crate::engine::ContextSource;
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
}

#[derive(Debug, Default)]
pub struct Discovered {
    /// Each input with its lint context: the index of the argument that reached it.
    pub inputs: Vec<(usize, Input)>,
    pub notes: Vec<String>,
    pub errors: Vec<LintError>,
}

const KUSTOMIZATION_NAMES: [&str; 3] = ["kustomization.yaml", "kustomization.yml", "Kustomization"];

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

fn chart_note(chart: &Path) -> String {
    let shown = display_path(chart);
    let shown = if shown.is_empty() {
        ".".to_string()
    } else {
        shown
    };
    format!(
        "{shown}: Helm chart templates are not plain YAML; they are skipped until Helm rendering is supported"
    )
}

/// Walk the arguments. `cwd` makes absolute arguments relative.
pub fn discover(args: &[String], cwd: &Path) -> Discovered {
    let mut out = Discovered::default();
    let charts = Arc::new(Mutex::new(BTreeSet::<PathBuf>::new()));
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
            match chart_of_template(&path) {
                Some(chart) => lock(&charts).extend([chart]),
                None => out.inputs.push((
                    context,
                    Input::File {
                        display: display_path(&path),
                        path,
                    },
                )),
            }
            continue;
        }
        walk(context, &path, &charts, &mut out);
    }
    let mut notes: Vec<String> = lock(&charts).iter().map(|c| chart_note(c)).collect();
    out.notes.append(&mut notes);
    out.inputs.sort();
    out.inputs.dedup();
    out
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

fn walk(context: usize, root: &Path, charts: &Arc<Mutex<BTreeSet<PathBuf>>>, out: &mut Discovered) {
    let canonical_root = std::fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf());
    let seen = Arc::clone(charts);
    let root_for_filter = canonical_root.clone();
    let walker = WalkBuilder::new(root)
        .follow_links(true)
        .require_git(false)
        .add_custom_ignore_filename(".kspmignore")
        .sort_by_file_name(|a, b| a.cmp(b))
        .filter_entry(move |e| {
            // A chart's templates are Go templates, not YAML: skip the whole folder.
            let is_templates = e.file_type().is_some_and(|t| t.is_dir())
                && e.file_name() == "templates"
                && e.path()
                    .parent()
                    .is_some_and(|p| p.join("Chart.yaml").is_file());
            if let Some(chart) = e.path().parent().filter(|_| is_templates) {
                lock(&seen).insert(chart.to_path_buf());
            }
            // Never follow a link (to a file or a folder) out of the scanned root.
            let escapes = e.path_is_symlink()
                && !std::fs::canonicalize(e.path()).is_ok_and(|c| c.starts_with(&root_for_filter));
            !is_templates && !escapes
        })
        .build();
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
        if !is_manifest_name(&name) {
            continue;
        }
        out.inputs.push((
            context,
            Input::File {
                display: display_path(entry.path()),
                path: entry.path().to_path_buf(),
            },
        ));
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

/// Read every input into a source; unreadable or non-UTF-8 inputs become errors.
pub fn read_sources(inputs: &[(usize, Input)]) -> (Vec<ContextSource>, Vec<LintError>) {
    let results: Vec<Result<ContextSource, LintError>> = inputs
        .par_iter()
        .map(|(context, input)| {
            read_input(input).map(|source| ContextSource {
                source,
                context: *context,
            })
        })
        .collect();
    let mut sources = Vec::new();
    let mut errors = Vec::new();
    for r in results {
        match r {
            Ok(s) => sources.push(s),
            Err(e) => errors.push(e),
        }
    }
    (sources, errors)
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
        Input::File { display, path } => {
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
