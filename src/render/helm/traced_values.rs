//! Findings on values a template action printed (`{{ toYaml .Values.resources | nindent
//! 12 }}`, `image: {{ .Values.image }}`) placed on the values-file line that set them: the
//! native renderer's trace names the action, the action names its `.Values` references,
//! and the chart knows which file (`-f` or a values.yaml) set each key.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use kspm_helm::kspm_helm_chart::{Chart, locate_value};
use kspm_helm::trace::{Segment, Trace};

use crate::render::{DisplayRoot, Location, MapRequest};
use crate::source::SourceFile;
use crate::yaml::load::load_all;
use crate::yaml::{Node, Seg, Span, Value, YamlPath};

/// Where a printed value was set.
#[derive(Debug)]
pub struct ValueHit<'t> {
    pub location: Location,
    /// The values key, dotted (`resources.limits`), below the chart's own values.
    pub path: String,
    /// The whole field path resolved to a key of its own (no list index dropped).
    pub exact: bool,
    /// The action that printed it.
    pub action: &'t Segment,
}

/// A field's values line, found when the chart was rendered.
#[derive(Debug, Clone)]
struct Found {
    file: PathBuf,
    line: usize,
    path: String,
    exact: bool,
    /// Index of the action's segment in the trace.
    segment: usize,
}

/// The values lines of every rendered field an action printed from `.Values`, worked out
/// once with the chart at hand (the chart's values are not shareable between threads; the
/// findings come later, from any worker).
#[derive(Debug, Default)]
pub struct ValuesTracer {
    /// The rendered stream's documents (start byte, root).
    docs: Vec<(usize, Node)>,
    /// (document start, field path) -> where its value was set.
    found: HashMap<(usize, String), Found>,
    /// Values files read so far, by path (`None`: unreadable).
    files: Mutex<HashMap<PathBuf, Option<Arc<SourceFile>>>>,
    /// Whether `-f` files are layered over the chart's values (a values line is then not
    /// the only place that sets its key).
    pub(crate) layered: bool,
}

/// The dependency names below the root chart of a template path
/// (`top/charts/db/templates/x.yaml` -> `["db"]`).
fn chain_of(template: &str) -> Vec<&str> {
    let parts: Vec<&str> = template.split('/').collect();
    let mut chain = Vec::new();
    let mut i = 1;
    while i + 1 < parts.len() && parts[i] == "charts" {
        chain.push(parts[i + 1]);
        i += 2;
    }
    chain
}

/// The values key of an action's reference (`$.Values.a.b` -> `["a", "b"]`).
fn values_key(field: &str) -> Option<Vec<&str>> {
    let f = field.strip_prefix('$').unwrap_or(field);
    let rest = f.strip_prefix(".Values")?;
    Some(rest.split('.').filter(|s| !s.is_empty()).collect())
}

/// Where the node at `path[..i]` starts in the stream (its key, or the list item).
fn starts(root: &Node, path: &[Seg]) -> Vec<usize> {
    let mut node = root;
    let mut out = Vec::new();
    for seg in path {
        match seg {
            Seg::Key(k) => {
                let Some(e) = node.entry(k) else { break };
                out.push(e.key.span.start);
                node = &e.value;
            }
            Seg::Index(i) => {
                let Some(n) = node.as_seq().and_then(|s| s.get(*i)) else {
                    break;
                };
                out.push(n.span.start);
                node = n;
            }
        }
    }
    out
}

/// Whether a values line (`key: "v"`, `- v`) writes the scalar `want`.
fn line_has_scalar(line: &str, want: &str) -> bool {
    let t = line.trim();
    let t = t.strip_prefix("- ").unwrap_or(t);
    let value = t.split_once(": ").map_or(t, |(_, v)| v);
    let value = value.split(" #").next().unwrap_or(value).trim();
    let unquoted = value
        .strip_prefix('"')
        .and_then(|v| v.strip_suffix('"'))
        .or_else(|| value.strip_prefix('\'').and_then(|v| v.strip_suffix('\'')))
        .unwrap_or(value);
    !want.is_empty() && unquoted == want
}

/// Where the value at `q` of a document was set, when an action printed it from `.Values`.
fn find(
    chart: &Chart,
    value_files: &[PathBuf],
    texts: &mut HashMap<PathBuf, Option<ValuesText>>,
    trace: &Trace,
    root: &Node,
    q: &[Seg],
) -> Option<Found> {
    let (node, span) = crate::render::node_at(root, q)?;
    // The printed value itself, else the field.
    let value_start = match &node.value {
        Value::Map(m) => m.first().map(|e| e.key.span.start),
        Value::Seq(s) => s.first().map(|n| n.span.start),
        Value::Scalar(_) => Some(node.span.start),
    };
    let (segment, action) = [value_start, Some(node.span.start), Some(span.start)]
        .into_iter()
        .flatten()
        .filter_map(|b| {
            let i = trace.segments.partition_point(|s| s.end <= b);
            let s = trace.segments.get(i).filter(|s| s.start <= b)?;
            Some((i, s))
        })
        .find(|(_, s)| !s.literal && !s.fields.is_empty())?;
    // The part of the path the action printed: its keys are in the action's output (an
    // include's lines split it into several stretches, all with the action's identity).
    let printed = |b: usize| {
        trace.segment(b).is_some_and(|s| {
            !s.literal
                && s.template == action.template
                && s.offset == action.offset
                && s.calls == action.calls
        })
    };
    let inside = starts(root, q)
        .iter()
        .position(|&b| printed(b))
        .unwrap_or(q.len());
    // A list the action printed into after other items (`rules:` then two `toYaml`
    // lists): count the items from the first one it printed.
    let mut below = q[inside..].to_vec();
    if let Some(Seg::Index(i)) = below.first_mut()
        && let Some((parent, _)) = crate::render::node_at(root, &q[..inside])
        && let Some(items) = parent.as_seq()
    {
        *i -= items
            .iter()
            .take(*i)
            .filter(|n| !printed(n.span.start))
            .count();
    }
    let below = &below[..];
    // Keys up to the first list index go to `locate_value`; the rest is looked up in the
    // file it names.
    let cut = below
        .iter()
        .position(|s| matches!(s, Seg::Index(_)))
        .unwrap_or(below.len());
    let sub: Vec<&str> = below[..cut]
        .iter()
        .filter_map(|s| match s {
            Seg::Key(k) => Some(k.as_str()),
            Seg::Index(_) => None,
        })
        .collect();
    let tail = &below[cut..];
    let outer = action
        .calls
        .first()
        .map_or(&action.template, |c| &c.template);
    let chain = chain_of(outer);
    for field in &action.fields {
        let Some(mut key) = values_key(field) else {
            continue;
        };
        if key.is_empty() {
            continue;
        }
        key.extend(&sub);
        let Some(hit) = locate_value(chart, value_files, &chain, &key) else {
            continue;
        };
        let Some(file) = texts
            .entry(hit.file.clone())
            .or_insert_with(|| ValuesText::read(&hit.file))
        else {
            continue;
        };
        let key_name = key.last().copied().unwrap_or("");
        let (line, exact, written, in_file) = match file.below(hit.line, key_name, tail) {
            Some((line, written, at)) => (line, true, written, Some(at)),
            None if tail.is_empty() => (hit.line, true, None, None),
            None => (hit.line, false, None, None),
        };
        // A scalar must be the one written there (not a default the template chose, nor
        // a --set override of it).
        if exact && let Some(s) = node.scalar() {
            let same = match written {
                Some(w) => w == s.text,
                None => line_has_scalar(file.src.line_text(line), &s.text),
            };
            if !same {
                continue;
            }
        }
        // The path as written in that file (a subchart's keys under its section).
        let shown =
            in_file.unwrap_or_else(|| key.iter().map(|k| Seg::Key(k.to_string())).collect());
        return Some(Found {
            file: hit.file,
            line,
            path: YamlPath(shown).to_string(),
            exact,
            segment,
        });
    }
    None
}

/// A values file, read and parsed once per build.
struct ValuesText {
    src: Arc<SourceFile>,
    root: Option<Node>,
}

impl ValuesText {
    fn read(path: &PathBuf) -> Option<ValuesText> {
        let text = std::fs::read_to_string(path).ok()?;
        let src = SourceFile::new(path.display().to_string(), text);
        let root = load_all(&src)
            .into_iter()
            .next()
            .and_then(Result::ok)
            .map(|d| d.root);
        Some(ValuesText { src, root })
    }

    /// The line of `tail` below the entry `key` written on `line`, the scalar written
    /// there, and its path in the file.
    fn below(
        &self,
        line: usize,
        key: &str,
        tail: &[Seg],
    ) -> Option<(usize, Option<String>, Vec<Seg>)> {
        let mut path = Vec::new();
        let entry = entry_on_line(self.root.as_ref()?, &self.src, line, key, &mut path)?;
        let (node, span) = crate::render::node_at(&entry.value, tail)?;
        let at = if tail.is_empty() {
            line
        } else {
            self.src.position(span.start).line
        };
        path.extend_from_slice(tail);
        Some((at, node.scalar().map(|s| s.text.clone()), path))
    }
}

/// The map entry `key` whose key is on `line`; `path` ends as its path from the root.
fn entry_on_line<'a>(
    node: &'a Node,
    src: &SourceFile,
    line: usize,
    key: &str,
    path: &mut Vec<Seg>,
) -> Option<&'a crate::yaml::Entry> {
    match &node.value {
        Value::Map(m) => m.iter().find_map(|e| {
            path.push(Seg::Key(e.key_str.clone()));
            if e.key_str == key && src.position(e.key.span.start).line == line {
                return Some(e);
            }
            let found = entry_on_line(&e.value, src, line, key, path);
            if found.is_none() {
                path.pop();
            }
            found
        }),
        Value::Seq(s) => s.iter().enumerate().find_map(|(i, n)| {
            path.push(Seg::Index(i));
            let found = entry_on_line(n, src, line, key, path);
            if found.is_none() {
                path.pop();
            }
            found
        }),
        Value::Scalar(_) => None,
    }
}

/// Every node below `node` (paths from the document root), depth first.
fn walk(node: &Node, path: &mut Vec<Seg>, visit: &mut dyn FnMut(&[Seg])) {
    match &node.value {
        Value::Map(m) => {
            for e in m {
                path.push(Seg::Key(e.key_str.clone()));
                visit(path);
                walk(&e.value, path, visit);
                path.pop();
            }
        }
        Value::Seq(s) => {
            for (i, n) in s.iter().enumerate() {
                path.push(Seg::Index(i));
                visit(path);
                walk(n, path, visit);
                path.pop();
            }
        }
        Value::Scalar(_) => {}
    }
}

impl ValuesTracer {
    /// Trace the fields of the rendered `text` whose values an action printed.
    pub fn build(chart: &Chart, value_files: &[PathBuf], text: &str, trace: &Trace) -> Self {
        let src = SourceFile::new("rendered", text);
        let docs: Vec<(usize, Node)> = load_all(&src)
            .into_iter()
            .filter_map(Result::ok)
            .map(|d| (d.root.span.start, d.root))
            .collect();
        let mut found = HashMap::new();
        let mut texts = HashMap::new();
        for (start, root) in &docs {
            walk(root, &mut Vec::new(), &mut |q| {
                if let Some(f) = find(chart, value_files, &mut texts, trace, root, q) {
                    found.insert((*start, YamlPath(q.to_vec()).to_string()), f);
                }
            });
        }
        ValuesTracer {
            docs,
            found,
            files: Mutex::new(HashMap::new()),
            layered: !value_files.is_empty(),
        }
    }

    fn source(&self, path: &PathBuf, root: &DisplayRoot) -> Option<Arc<SourceFile>> {
        let Ok(mut files) = self.files.lock() else {
            return None;
        };
        files
            .entry(path.clone())
            .or_insert_with(|| {
                let text = std::fs::read_to_string(path).ok()?;
                let canonical = std::fs::canonicalize(path).unwrap_or_else(|_| path.clone());
                Some(SourceFile::new(root.show(&canonical), text))
            })
            .clone()
    }

    /// The key of the field a finding is on (its rendered span), when the field is a map
    /// entry.
    pub fn key_span(&self, req: &MapRequest<'_>) -> Option<Span> {
        let i = self.docs.partition_point(|(s, _)| *s <= req.span.start);
        let (_, root) = self.docs.get(i.checked_sub(1)?)?;
        let segs = req.path.segs();
        let q = &segs[..crate::render::existing_depth(root, segs)];
        let (Seg::Key(last), parent) = q.split_last()? else {
            return None;
        };
        let (node, _) = crate::render::node_at(root, parent)?;
        Some(node.entry(last)?.key.span)
    }

    /// The values line that set the field a finding is on, when an action printed it.
    pub fn locate<'t>(
        &self,
        trace: &'t Trace,
        shown: &DisplayRoot,
        req: &MapRequest<'_>,
    ) -> Option<ValueHit<'t>> {
        let i = self.docs.partition_point(|(s, _)| *s <= req.span.start);
        let (start, root) = self.docs.get(i.checked_sub(1)?)?;
        let segs = req.path.segs();
        let q = &segs[..crate::render::existing_depth(root, segs)];
        let f = self
            .found
            .get(&(*start, YamlPath(q.to_vec()).to_string()))?;
        let action = trace.segments.get(f.segment)?;
        let source = self.source(&f.file, shown)?;
        let line = source.line_text(f.line);
        let first = source.line_start(f.line);
        let begin = first + (line.len() - line.trim_start().len());
        let end = first + line.trim_end().len();
        Some(ValueHit {
            location: Location {
                source,
                span: Span::new(begin, end.max(begin)),
                document: 0,
            },
            path: f.path.clone(),
            exact: f.exact,
            action,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chains_and_keys_come_from_names() {
        assert_eq!(
            chain_of("top/charts/db/charts/x/templates/a.yaml"),
            ["db", "x"]
        );
        assert!(chain_of("top/templates/a.yaml").is_empty());
        assert_eq!(values_key("$.Values.a.b"), Some(vec!["a", "b"]));
        assert_eq!(values_key(".Release.Name"), None);
        assert!(line_has_scalar("  tag: \"1.2\" # pinned", "1.2"));
        assert!(line_has_scalar("- nginx", "nginx"));
        assert!(!line_has_scalar("  tag: \"\"", ""));
    }
}
