//! Locating a rendered field in Helm template text, without evaluating the template.
//!
//! A template is Go text/template around YAML. Each line is read as what it will most
//! likely render to: a `key:` line, a `- ` item, a line of template actions only, or other
//! text (block scalars included). A rendered path
//! (`spec.template.spec.containers[0].securityContext.privileged`) is followed through that
//! outline by indentation, the way the YAML will nest:
//!
//! - `include`/`template` of a named template (`define` in any template file of the chart
//!   or its subcharts) is expanded in place, shifted to its `nindent`/`indent` column, so a
//!   field written in `_pod.tpl` is found there;
//! - a key that is not written in the template but injected with `toYaml` (`toYaml
//!   .Values.securityContext | nindent 12`, `with .Values.x` + `toYaml .`, or bitnami's
//!   `tplvalues.render (dict "value" .Values.x ...)`) continues in the values files, under
//!   that values path; so does `key: {{ .Values.a.b }}`;
//! - list items are matched by their `name:` when the template writes it literally, else by
//!   position, else any item (the body of a `range`);
//! - a literal scalar on the template line must equal the rendered value, so the branch of
//!   an `if`/`else` that did not render is not chosen; among several candidates the one
//!   that explains more of the path wins.
//!
//! The answer is a line (the key on it) or a values path, and how many path segments it
//! explains.

use std::collections::HashMap;
use std::sync::{Arc, LazyLock};

use regex::Regex;

use crate::render::{node_at, same_scalar};
use crate::source::SourceFile;
use crate::yaml::load::load_all;
use crate::yaml::{Node, Seg, Span};

/// Expansion depth for nested `include`s (helpers including helpers).
const MAX_INCLUDE_DEPTH: usize = 8;
/// Lines one template may expand to; a pathological helper web stops growing there.
const MAX_EXPANDED_LINES: usize = 200_000;

/// A template file, outlined line by line.
#[derive(Debug)]
pub struct TemplateFile {
    pub source: Arc<SourceFile>,
    /// The chart it belongs to (index in the chart tree).
    pub chart: usize,
    lines: Vec<Line>,
}

#[derive(Clone, Debug)]
struct Line {
    /// Leading spaces.
    indent: usize,
    kind: Kind,
    /// Template actions on the line, trimmed of `{{-`/`-}}`.
    actions: Vec<String>,
}

#[derive(Clone, Debug, PartialEq)]
enum Kind {
    Blank,
    /// Nothing but template actions (or comments).
    Action,
    /// `key: value` or `- key: value`: the key's column and character offset, the dash's
    /// column, the value as written (actions shown as U+0001).
    Key {
        col: usize,
        dash: Option<usize>,
        key: String,
        value: String,
    },
    /// `- value`.
    Item {
        col: usize,
        value: String,
    },
    /// `---`
    Separator,
    Text,
}

impl Line {
    /// The column that decides nesting, for a line that holds YAML structure.
    fn col(&self) -> Option<usize> {
        match &self.kind {
            Kind::Key {
                col, dash: None, ..
            } => Some(*col),
            Kind::Key { dash: Some(d), .. } | Kind::Item { col: d, .. } => Some(*d),
            Kind::Text => Some(self.indent),
            _ => None,
        }
    }

    fn dash(&self) -> Option<usize> {
        match &self.kind {
            Kind::Key { dash, .. } => *dash,
            Kind::Item { col, .. } => Some(*col),
            _ => None,
        }
    }
}

static KEY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"^(?:"([^"{}]*)"|'([^'{}]*)'|([^\s:{}"'#\-][^\s:{}]*|-[^\s:{}]+)):(?:\s|$)"#)
        .expect("valid regex")
});
static INCLUDE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"\b(?:include|template)\s+"([^"]+)"\s*(\S*)"#).expect("valid regex")
});
static ASSIGN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"^\$(\w+)\s*:?=\s*include\s+"([^"]+)"\s*(\S*)"#).expect("valid regex")
});
static VAR_OUT: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\$(\w+)\s*(?:\||$)").expect("valid regex"));
static INDENT: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\bn?indent\s+(\d+)").expect("valid regex"));
static DEFINE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r#"^define\s+"([^"]+)""#).expect("valid regex"));
static VALUES_REF: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\(?\$?\.Values((?:\.[A-Za-z0-9_\-]+)*)\)?$").expect("valid regex")
});
static TO_YAML: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r#"(?:toYaml\s+(\(?\$?\.[A-Za-z0-9_.\-$]*\)?)|(\$?\.[A-Za-z0-9_.\-$]*)\s*\|\s*toYaml|"value"\s+(\$?\.[A-Za-z0-9_.\-$]*))"#,
    )
    .expect("valid regex")
});

/// The template actions of a line and its text with each action replaced by U+0001. An
/// action still open at the end of the line is reported (`open`), and a line that starts
/// inside one skips to its end.
fn actions_of(line: &str, open: bool) -> (Vec<String>, String, bool) {
    let mut actions = Vec::new();
    let mut text = String::new();
    let mut rest = line;
    if open {
        match rest.find("}}") {
            Some(i) => rest = &rest[i + 2..],
            None => return (actions, text, true),
        }
    }
    while let Some(i) = rest.find("{{") {
        text.push_str(&rest[..i]);
        let after = &rest[i + 2..];
        match after.find("}}") {
            Some(j) => {
                let a = after[..j]
                    .trim()
                    .trim_start_matches('-')
                    .trim_end_matches('-')
                    .trim();
                if !a.starts_with("/*") {
                    actions.push(a.to_string());
                }
                text.push('\u{1}');
                rest = &after[j + 2..];
            }
            None => {
                actions.push(after.trim().trim_start_matches('-').trim().to_string());
                return (actions, text, true);
            }
        }
    }
    text.push_str(rest);
    (actions, text, false)
}

impl TemplateFile {
    pub fn new(source: Arc<SourceFile>, chart: usize) -> Self {
        let mut lines = Vec::with_capacity(source.line_count());
        let mut open = false;
        // Inside a block scalar (`key: |`) whose key sits at this indentation.
        let mut scalar_block: Option<usize> = None;
        for n in 1..=source.line_count() {
            let raw = source.line_text(n);
            let was_open = open;
            let (actions, text, still_open) = actions_of(raw, open);
            open = still_open;
            let indent = raw.chars().take_while(|c| *c == ' ').count();
            let only_actions = text.replace('\u{1}', "").trim().is_empty();
            if let Some(k) = scalar_block
                && (raw.trim().is_empty() || indent > k || (only_actions && !actions.is_empty()))
            {
                let kind = if only_actions && !actions.is_empty() {
                    Kind::Action
                } else {
                    Kind::Text
                };
                lines.push(Line {
                    indent,
                    kind,
                    actions,
                });
                continue;
            }
            scalar_block = None;
            let kind = if raw.trim().is_empty() {
                Kind::Blank
            } else if (was_open || !actions.is_empty()) && only_actions {
                Kind::Action
            } else if raw.trim_end() == "---" || raw.starts_with("--- ") {
                Kind::Separator
            } else if raw.trim_start().starts_with('#') {
                Kind::Blank
            } else {
                classify(&text, indent)
            };
            if let Kind::Key { value, col, .. } = &kind
                && (value.starts_with('|') || value.starts_with('>'))
            {
                scalar_block = Some(*col);
            }
            lines.push(Line {
                indent,
                kind,
                actions,
            });
        }
        TemplateFile {
            source,
            chart,
            lines,
        }
    }

    /// Named templates defined in this file: (name, first body line, end line), 0-based.
    fn defines(&self) -> Vec<(String, usize, usize)> {
        let mut out = Vec::new();
        let mut i = 0;
        while i < self.lines.len() {
            let name = self.lines[i]
                .actions
                .iter()
                .find_map(|a| DEFINE.captures(a).map(|c| c[1].to_string()));
            if let Some(name) = name {
                let end = block_end(&self.lines, i);
                out.push((name, i + 1, end));
                i = end;
            }
            i += 1;
        }
        out
    }
}

/// The line of the `end` that closes the block opened on line `start`.
fn block_end(lines: &[Line], start: usize) -> usize {
    let mut depth = 0i32;
    for (i, l) in lines.iter().enumerate().skip(start) {
        for a in &l.actions {
            match a.split_whitespace().next().unwrap_or("") {
                "if" | "with" | "range" | "define" | "block" => depth += 1,
                "end" => depth -= 1,
                _ => {}
            }
            if depth == 0 {
                return i;
            }
        }
    }
    lines.len()
}

/// Outline one line; `text` has its actions replaced by U+0001.
fn classify(text: &str, indent: usize) -> Kind {
    let rest: String = text.chars().skip(indent).collect();
    let (dash, body, body_col) = match rest.strip_prefix('-') {
        Some(after) if after.is_empty() || after.starts_with(' ') => {
            let spaces = after.chars().take_while(|c| *c == ' ').count();
            (
                Some(indent),
                after[spaces..].to_string(),
                indent + 1 + spaces,
            )
        }
        _ => (None, rest.clone(), indent),
    };
    if let Some(c) = KEY.captures(&body) {
        let key = c
            .get(1)
            .or(c.get(2))
            .or(c.get(3))
            .map_or("", |m| m.as_str())
            .to_string();
        let value = body[c.get(0).map_or(0, |m| m.end())..].trim();
        return Kind::Key {
            col: body_col,
            dash,
            key,
            value: value.trim().to_string(),
        };
    }
    match dash {
        Some(col) => Kind::Item {
            col,
            value: body.trim().to_string(),
        },
        None => Kind::Text,
    }
}

/// What `.` is at a point of a template.
#[derive(Clone, Debug, PartialEq)]
enum Dot {
    /// The chart's root context (`.Values` works).
    Root,
    /// A values subtree (`with .Values.x`).
    Values(Vec<String>),
    Unknown,
}

/// A line of a template with includes expanded: where it really is and where it renders.
#[derive(Clone, Debug)]
struct VLine {
    file: usize,
    line: usize,
    /// Columns shift by this much where it renders.
    shift: isize,
    dot: Dot,
}

/// All template files of a chart tree, with the named templates they define.
#[derive(Debug, Default)]
pub struct Templates {
    pub files: Vec<TemplateFile>,
    defines: HashMap<String, (usize, usize, usize)>,
}

/// Where a rendered field was found.
#[derive(Clone, Debug, PartialEq)]
pub enum Found {
    /// A line of a template file and its span (the key, or the item, to the end of the
    /// line).
    Line { file: usize, span: Span },
    /// From values: the values path of the field (`securityContext.privileged`), and the
    /// line that injects it, for when no values file holds the path.
    Values {
        path: Vec<Seg>,
        /// How many leading segments of `path` the template names (the rest is the
        /// rendered field below the injected subtree).
        injected: usize,
        /// Values lists injected right after this one into the same list: an item past
        /// the end of `path[..injected]` continues in them.
        more: Vec<Vec<String>>,
        file: usize,
        span: Span,
        chart: usize,
    },
}

/// A located field: where, and how many segments of the path it explains.
#[derive(Clone, Debug)]
pub struct Located {
    pub found: Found,
    pub depth: usize,
}

impl Templates {
    pub fn new(files: Vec<TemplateFile>) -> Self {
        let mut defines = HashMap::new();
        for (i, f) in files.iter().enumerate() {
            for (name, start, end) in f.defines() {
                defines.entry(name).or_insert((i, start, end));
            }
        }
        Templates { files, defines }
    }

    /// Find `path` (from the document root) of `rendered` in the template `file`, in the
    /// `occurrence`-th document the template wrote with this kind. `depth` 0 means only
    /// the document's first line was found.
    pub fn locate(
        &self,
        file: usize,
        rendered: &Node,
        path: &[Seg],
        occurrence: usize,
    ) -> Option<Located> {
        let mut lines = Vec::new();
        let n = self.files.get(file)?.lines.len();
        self.expand(file, 0, n, 0, Dot::Root, 0, &mut lines);
        let sections = self.sections(&lines);
        let kind = rendered.get("kind").and_then(Node::as_str).unwrap_or("");
        let matching: Vec<(usize, usize)> = sections
            .iter()
            .copied()
            .filter(|(s, e)| self.section_kind(&lines[*s..*e]).is_none_or(|k| k == kind))
            .collect();
        let (start, end) = if matching.is_empty() {
            *sections.first()?
        } else {
            matching[occurrence % matching.len()]
        };
        let section = &lines[start..end];
        let first = section.iter().find(|v| self.line(v).col().is_some())?;
        let top = Located {
            found: Found::Line {
                file: first.file,
                span: self.span_of(first),
            },
            depth: 0,
        };
        Some(self.search(section, None, rendered, path, 0).unwrap_or(top))
    }

    fn line(&self, v: &VLine) -> &Line {
        &self.files[v.file].lines[v.line]
    }

    /// The column where a line renders.
    fn col(&self, v: &VLine) -> Option<usize> {
        self.line(v).col().map(|c| shift(c, v.shift))
    }

    fn dash(&self, v: &VLine) -> Option<usize> {
        self.line(v).dash().map(|c| shift(c, v.shift))
    }

    fn key_col(&self, v: &VLine) -> Option<usize> {
        match &self.line(v).kind {
            Kind::Key { col, .. } => Some(shift(*col, v.shift)),
            _ => None,
        }
    }

    /// The span of a line's key (or item) to the end of the line, in its real file.
    fn span_of(&self, v: &VLine) -> Span {
        let f = &self.files[v.file];
        let l = &f.lines[v.line];
        let n = v.line + 1;
        let start = f.source.line_start(n);
        let text = f.source.line_text(n);
        let at = match &l.kind {
            Kind::Key { col, .. } => *col,
            Kind::Item { col, .. } => *col,
            _ => l.indent,
        };
        let at = text.char_indices().nth(at).map_or(text.len(), |(i, _)| i);
        Span::new(start + at, start + text.trim_end().len().max(at))
    }

    #[allow(clippy::too_many_arguments)]
    fn expand(
        &self,
        file: usize,
        from: usize,
        to: usize,
        shift_by: isize,
        dot: Dot,
        depth: usize,
        out: &mut Vec<VLine>,
    ) {
        let mut stack = vec![dot];
        let mut vars: HashMap<String, (String, String)> = HashMap::new();
        let lines = &self.files[file].lines;
        for (i, l) in lines.iter().enumerate().take(to).skip(from) {
            let current = stack.last().cloned().unwrap_or(Dot::Unknown);
            out.push(VLine {
                file,
                line: i,
                shift: shift_by,
                dot: current.clone(),
            });
            for a in &l.actions {
                let mut words = a.split_whitespace();
                match words.next().unwrap_or("") {
                    "with" => {
                        let expr = words.next().unwrap_or("");
                        stack.push(values_path(expr, &current).map_or(Dot::Unknown, Dot::Values));
                    }
                    "range" | "define" | "block" => stack.push(Dot::Unknown),
                    "if" => stack.push(current.clone()),
                    "end" if stack.len() > 1 => {
                        stack.pop();
                    }
                    _ => {}
                }
            }
            // `labels: {{ include "x.labels" . | nindent 4 }}` nests the template's lines
            // under the key, as a line of its own would.
            let single_value = matches!(&l.kind, Kind::Key { value, .. } | Kind::Item { value, .. }
                if value == "\u{1}" && l.actions.iter().any(|a| INDENT.is_match(a)));
            if !(l.kind == Kind::Action || single_value)
                || depth >= MAX_INCLUDE_DEPTH
                || out.len() >= MAX_EXPANDED_LINES
            {
                continue;
            }
            for a in &l.actions {
                // `$ports := include "x" .` renders nothing here; `$ports | nindent 6` later
                // renders the named template there.
                if let Some(c) = ASSIGN.captures(a) {
                    vars.insert(c[1].to_string(), (c[2].to_string(), c[3].to_string()));
                    continue;
                }
                let first = a.split_whitespace().next().unwrap_or("");
                if ["if", "with", "range", "else", "define", "block", "end"].contains(&first) {
                    continue;
                }
                let (name, arg) = if let Some(c) = INCLUDE.captures(a) {
                    (
                        c[1].to_string(),
                        c.get(2).map_or("", |m| m.as_str()).to_string(),
                    )
                } else if let Some(c) = VAR_OUT.captures(a)
                    && let Some(v) = vars.get(&c[1])
                {
                    v.clone()
                } else {
                    continue;
                };
                let Some(&(df, start, end)) = self.defines.get(&name) else {
                    continue;
                };
                let inner = match arg.as_str() {
                    "." | "$" => current.clone(),
                    // `(dict "Values" ...)`, `($podData | merge ...)`: the root in practice.
                    a if a.starts_with('(') || a.starts_with('$') => Dot::Root,
                    _ => Dot::Unknown,
                };
                let body_end = end.min(self.files[df].lines.len());
                let base = self.files[df].lines[start..body_end]
                    .iter()
                    .filter_map(Line::col)
                    .min()
                    .unwrap_or(0);
                let target = match INDENT.captures(a) {
                    Some(n) => n[1].parse::<isize>().unwrap_or(0) + shift_by,
                    None => shift(l.indent, shift_by) as isize,
                };
                self.expand(
                    df,
                    start,
                    body_end,
                    target - base as isize,
                    inner,
                    depth + 1,
                    out,
                );
            }
        }
    }

    /// Document sections of expanded lines, split at `---`.
    fn sections(&self, lines: &[VLine]) -> Vec<(usize, usize)> {
        let mut out = Vec::new();
        let mut start = 0;
        for (i, v) in lines.iter().enumerate() {
            if self.line(v).kind == Kind::Separator {
                if i > start {
                    out.push((start, i));
                }
                start = i + 1;
            }
        }
        if lines.len() > start {
            out.push((start, lines.len()));
        }
        out.retain(|(s, e)| lines[*s..*e].iter().any(|v| self.line(v).col().is_some()));
        out
    }

    fn section_kind<'a>(&'a self, lines: &[VLine]) -> Option<&'a str> {
        lines.iter().find_map(|v| match &self.line(v).kind {
            Kind::Key {
                key, value, col: 0, ..
            } if key == "kind" && v.shift == 0 && is_literal(value) => Some(value.as_str()),
            _ => None,
        })
    }

    /// The lines of the block under line `i` (a key, or an item).
    fn block<'a>(&self, lines: &'a [VLine], i: usize) -> &'a [VLine] {
        let own = &lines[i];
        let own_dash = self.dash(own);
        let key_col = self.key_col(own).unwrap_or(0);
        let mut end = i + 1;
        while end < lines.len() {
            let v = &lines[end];
            if let Some(c) = self.col(v) {
                let ends = match own_dash {
                    Some(d) => c <= d,
                    // A sequence may sit at its key's own column.
                    None if self.dash(v).is_some() => c < key_col,
                    None => c <= key_col,
                };
                if ends {
                    break;
                }
            }
            end += 1;
        }
        &lines[i + 1..end]
    }

    /// Search `path[depth..]` among `lines`, the children of a node at column `parent`.
    fn search(
        &self,
        lines: &[VLine],
        parent: Option<usize>,
        rendered: &Node,
        path: &[Seg],
        depth: usize,
    ) -> Option<Located> {
        let seg = path.get(depth)?;
        let (node, _) = node_at(rendered, &path[..depth])?;
        let next = node_at(node, std::slice::from_ref(seg)).map(|(n, _)| n);
        let mut best: Option<Located> = None;
        let consider = |l: Located, best: &mut Option<Located>| {
            if best.as_ref().is_none_or(|b| l.depth > b.depth) {
                *best = Some(l);
            }
        };
        let child_col = lines
            .iter()
            .filter_map(|v| self.key_col(v))
            .filter(|c| parent.is_none_or(|p| *c > p))
            .min();
        let mut literal_items = 0;
        match seg {
            Seg::Key(k) => {
                // A key the template computes (`{{ $name }}: ...`) only stands in when no
                // key is written literally.
                let literal = lines.iter().any(|v| {
                    self.key_col(v) == child_col
                        && matches!(&self.line(v).kind, Kind::Key { key, .. } if key == k)
                });
                for (i, v) in lines.iter().enumerate() {
                    let Kind::Key { key, value, .. } = &self.line(v).kind else {
                        continue;
                    };
                    let matches = if literal {
                        key == k
                    } else {
                        key_pattern_matches(key, k)
                    };
                    if !matches || self.key_col(v) != child_col {
                        continue;
                    }
                    // A literal value must be the rendered one.
                    if let Some(n) = next.filter(|n| n.scalar().is_some())
                        && is_literal(value)
                        && !literal_matches(value, n)
                    {
                        continue;
                    }
                    let here = Located {
                        found: Found::Line {
                            file: v.file,
                            span: self.span_of(v),
                        },
                        depth: depth + 1,
                    };
                    let deeper = if depth + 1 < path.len() {
                        let block = self.block(lines, i);
                        self.search(block, self.key_col(v), rendered, path, depth + 1)
                            .or_else(|| self.injection(v, path, depth + 1, 0))
                    } else {
                        self.direct_values(v, value, path, next)
                    };
                    consider(deeper.unwrap_or(here), &mut best);
                }
            }
            Seg::Index(idx) => {
                let dashes: Vec<(usize, usize)> = lines
                    .iter()
                    .enumerate()
                    .filter_map(|(i, v)| Some((i, self.dash(v)?)))
                    .filter(|(_, d)| parent.is_none_or(|p| *d >= p))
                    .collect();
                let min = dashes.iter().map(|(_, d)| *d).min();
                let items: Vec<usize> = dashes
                    .into_iter()
                    .filter(|(_, d)| Some(*d) == min)
                    .map(|(i, _)| i)
                    .collect();
                literal_items = items.len();
                let name = next.and_then(|n| n.get("name")).and_then(Node::scalar_text);
                let mut order: Vec<usize> = Vec::new();
                if let Some(name) = name {
                    order.extend(items.iter().copied().filter(|&i| {
                        std::iter::once(&lines[i])
                            .chain(self.block(lines, i))
                            .any(|v| {
                                matches!(&self.line(v).kind, Kind::Key { key, value, .. }
                                if key == "name" && is_literal(value) && unquote(value) == name)
                            })
                    }));
                }
                if order.is_empty() {
                    order.extend(items.get(*idx).copied());
                    order.extend(
                        items
                            .iter()
                            .copied()
                            .filter(|&i| items.get(*idx) != Some(&i)),
                    );
                }
                for i in order {
                    let v = &lines[i];
                    // A literal scalar item must be the rendered one.
                    if let (Kind::Item { value, .. }, Some(n)) = (&self.line(v).kind, next)
                        && n.scalar().is_some()
                        && is_literal(value)
                        && !literal_matches(value, n)
                    {
                        continue;
                    }
                    let here = Located {
                        found: Found::Line {
                            file: v.file,
                            span: self.span_of(v),
                        },
                        depth: depth + 1,
                    };
                    let deeper = if depth + 1 < path.len() {
                        let mut own = vec![v.clone()];
                        own.extend_from_slice(self.block(lines, i));
                        self.search(&own, self.dash(v), rendered, path, depth + 1)
                    } else {
                        None
                    };
                    consider(deeper.unwrap_or(here), &mut best);
                }
            }
        }
        // Injected from values at this level (an action line at the children's column),
        // unless the template's own lines already explain more than this segment; list
        // items the template writes come before injected ones.
        let explained = best.as_ref().is_some_and(|b| b.depth > depth + 1);
        let past_literals = matches!(seg, Seg::Index(i) if *i >= literal_items);
        if explained && !past_literals {
            return best;
        }
        // Lines under a sibling key or item belong to it, not to this level.
        let mut covered = vec![false; lines.len()];
        for (i, v) in lines.iter().enumerate() {
            let sibling = match seg {
                Seg::Key(_) => self.key_col(v).is_some() && self.key_col(v) == child_col,
                Seg::Index(_) => self.dash(v).is_some_and(|d| parent.is_none_or(|p| d >= p)),
            };
            if sibling {
                let n = self.block(lines, i).len();
                covered[i + 1..i + 1 + n].iter_mut().for_each(|c| *c = true);
            }
        }
        let mut injections = Vec::new();
        for (i, v) in lines.iter().enumerate() {
            let l = self.line(v);
            if l.kind != Kind::Action || covered[i] {
                continue;
            }
            let at = l
                .actions
                .iter()
                .find_map(|a| INDENT.captures(a).and_then(|c| c[1].parse::<usize>().ok()))
                .map_or(shift(l.indent, v.shift), |n| shift(n, v.shift));
            // A sequence may sit at its key's own column.
            let outside = match seg {
                Seg::Key(_) => parent.is_some_and(|p| at <= p),
                Seg::Index(_) => parent.is_some_and(|p| at < p),
            };
            if outside || child_col.is_some_and(|c| at > c) {
                continue;
            }
            if let Some(found) = self.injection(v, path, depth, literal_items) {
                injections.push(found);
            }
        }
        // Several lists injected one after another (`rules | toYaml`, then `clusterRules |
        // toYaml`): the values decide which one holds the item.
        let mut injections = injections.into_iter();
        if let Some(mut first) = injections.next() {
            if let (Found::Values { more, .. }, Seg::Index(_)) = (&mut first.found, seg) {
                for next in injections {
                    if let Found::Values { path, injected, .. } = next.found {
                        more.push(
                            path[..injected]
                                .iter()
                                .filter_map(|s| match s {
                                    Seg::Key(k) => Some(k.clone()),
                                    Seg::Index(_) => None,
                                })
                                .collect(),
                        );
                    }
                }
            }
            consider(first, &mut best);
        }
        best
    }

    /// A `toYaml` injection on line `v` that renders `path[depth..]`; items the template
    /// writes itself come first in a list, so `skip` of them are not in values.
    fn injection(&self, v: &VLine, path: &[Seg], depth: usize, skip: usize) -> Option<Located> {
        let l = self.line(v);
        for a in &l.actions {
            let Some(c) = TO_YAML.captures(a) else {
                continue;
            };
            let expr = c
                .get(1)
                .or(c.get(2))
                .or(c.get(3))
                .map_or("", |m| m.as_str());
            let Some(vp) = values_path(expr, &v.dot) else {
                continue;
            };
            let injected = vp.len();
            let mut full: Vec<Seg> = vp.into_iter().map(Seg::Key).collect();
            for (i, s) in path[depth..].iter().enumerate() {
                full.push(match s {
                    Seg::Index(n) if i == 0 => Seg::Index(n.saturating_sub(skip)),
                    s => s.clone(),
                });
            }
            return Some(Located {
                found: Found::Values {
                    path: full,
                    injected,
                    more: Vec::new(),
                    file: v.file,
                    span: self.span_of(v),
                    chart: self.files[v.file].chart,
                },
                depth: path.len(),
            });
        }
        None
    }

    /// `key: {{ .Values.a.b }}` (possibly quoted or piped through `quote`, `default`...):
    /// the value comes straight from values.
    fn direct_values(
        &self,
        v: &VLine,
        value: &str,
        path: &[Seg],
        node: Option<&Node>,
    ) -> Option<Located> {
        node?.scalar()?;
        let actions = &self.line(v).actions;
        if actions.len() != 1 || value.replace(['"', '\''], "").trim() != "\u{1}" {
            return None;
        }
        let expr = actions[0].split('|').next().unwrap_or("").trim();
        let vp = values_path(expr, &v.dot)?;
        let injected = vp.len();
        Some(Located {
            found: Found::Values {
                path: vp.into_iter().map(Seg::Key).collect(),
                injected,
                more: Vec::new(),
                file: v.file,
                span: self.span_of(v),
                chart: self.files[v.file].chart,
            },
            depth: path.len(),
        })
    }
}

/// Whether a key written with template actions in it (each shown as U+0001) can render
/// as `key`.
fn key_pattern_matches(pattern: &str, key: &str) -> bool {
    if !pattern.contains('\u{1}') {
        return pattern == key;
    }
    let parts: Vec<&str> = pattern.split('\u{1}').collect();
    let (first, last) = (parts[0], parts[parts.len() - 1]);
    if !key.starts_with(first) || key.len() < first.len() + last.len() || !key.ends_with(last) {
        return false;
    }
    let mut rest = &key[first.len()..key.len() - last.len()];
    for p in &parts[1..parts.len() - 1] {
        match rest.find(p) {
            Some(i) => rest = &rest[i + p.len()..],
            None => return false,
        }
    }
    true
}

fn shift(col: usize, by: isize) -> usize {
    (col as isize + by).max(0) as usize
}

/// The values path an expression names: `.Values.a.b`, `$.Values.a`, or `.`/`.x` inside
/// `with .Values.a`.
fn values_path(expr: &str, dot: &Dot) -> Option<Vec<String>> {
    let expr = expr.trim();
    if let Some(c) = VALUES_REF.captures(expr) {
        return Some(
            c[1].split('.')
                .filter(|s| !s.is_empty())
                .map(str::to_string)
                .collect(),
        );
    }
    let Dot::Values(base) = dot else {
        return None;
    };
    if expr == "." {
        return Some(base.clone());
    }
    let rel = expr.strip_prefix('.')?;
    if rel.is_empty()
        || !rel
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '.' || c == '-')
    {
        return None;
    }
    let mut p = base.clone();
    p.extend(rel.split('.').filter(|s| !s.is_empty()).map(str::to_string));
    Some(p)
}

/// Whether a value holds no template action (what is written is what renders).
fn is_literal(value: &str) -> bool {
    !value.contains('\u{1}') && !value.is_empty() && !value.starts_with(['|', '>', '&', '*'])
}

fn unquote(v: &str) -> &str {
    let v = v.trim();
    let v = v.split(" #").next().unwrap_or(v).trim();
    v.strip_prefix('"')
        .and_then(|s| s.strip_suffix('"'))
        .or_else(|| v.strip_prefix('\'').and_then(|s| s.strip_suffix('\'')))
        .unwrap_or(v)
}

fn literal_matches(value: &str, node: &Node) -> bool {
    let text = node.scalar_text().unwrap_or("");
    let v = unquote(value);
    if v == text {
        return true;
    }
    // `True`/`true`, `0755`/`493`, flow collections: compare as YAML resolves them.
    let src = SourceFile::new("v", format!("x: {value}\n"));
    load_all(&src)
        .into_iter()
        .next()
        .and_then(Result::ok)
        .and_then(|d| d.root.get("x").cloned())
        .is_some_and(|n| same_scalar(&n, node))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rendered(text: &str) -> Node {
        let src = SourceFile::new("r", text.to_string());
        load_all(&src).remove(0).unwrap().root
    }

    fn templates(files: &[(&str, &str)]) -> Templates {
        Templates::new(
            files
                .iter()
                .map(|(p, t)| TemplateFile::new(SourceFile::new(*p, t.to_string()), 0))
                .collect(),
        )
    }

    fn line_of(t: &Templates, l: &Located) -> (String, usize) {
        match &l.found {
            Found::Line { file, span } | Found::Values { file, span, .. } => {
                let f = &t.files[*file];
                (f.source.path.clone(), f.source.position(span.start).line)
            }
        }
    }

    fn path(s: &str) -> Vec<Seg> {
        crate::render::parse_yaml_path(s).unwrap().0
    }

    #[test]
    fn keys_nest_by_indentation_through_actions() {
        let t = templates(&[(
            "c/templates/d.yaml",
            "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {{ .Release.Name }}\nspec:\n  {{- if .Values.x }}\n  replicas: 2\n  {{- end }}\n  template:\n    spec:\n      containers:\n        - name: app\n          image: nginx\n          securityContext:\n            privileged: true\n",
        )]);
        let r = rendered(
            "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: x\nspec:\n  replicas: 2\n  template:\n    spec:\n      containers:\n      - name: app\n        image: nginx\n        securityContext:\n          privileged: true\n",
        );
        let p = path("spec.template.spec.containers[0].securityContext.privileged");
        let l = t.locate(0, &r, &p, 0).unwrap();
        assert_eq!(l.depth, 7);
        assert_eq!(line_of(&t, &l).1, 15);
        let l = t.locate(0, &r, &path("spec.replicas"), 0).unwrap();
        assert_eq!(line_of(&t, &l).1, 7);
    }

    #[test]
    fn includes_expand_and_to_yaml_continues_in_values() {
        let t = templates(&[
            (
                "c/templates/d.yaml",
                "kind: Deployment\nspec:\n  template:\n    spec:\n      {{- include \"c.pod\" . | nindent 6 }}\n",
            ),
            (
                "c/templates/_pod.tpl",
                "{{- define \"c.pod\" -}}\ncontainers:\n  - name: app\n    securityContext:\n      {{- toYaml .Values.securityContext | nindent 6 }}\n{{- end }}\n",
            ),
        ]);
        let r = rendered(
            "kind: Deployment\nspec:\n  template:\n    spec:\n      containers:\n        - name: app\n          securityContext:\n            privileged: true\n",
        );
        let p = path("spec.template.spec.containers[0].securityContext.privileged");
        let l = t.locate(0, &r, &p, 0).unwrap();
        match &l.found {
            Found::Values { path, injected, .. } => {
                assert_eq!(
                    crate::yaml::YamlPath(path.clone()).to_string(),
                    "securityContext.privileged"
                );
                assert_eq!(*injected, 1);
            }
            other => panic!("{other:?}"),
        }
        let l = t
            .locate(0, &r, &path("spec.template.spec.containers[0].name"), 0)
            .unwrap();
        assert_eq!(line_of(&t, &l), ("c/templates/_pod.tpl".into(), 3));
    }

    #[test]
    fn a_literal_that_did_not_render_is_not_chosen() {
        let t = templates(&[(
            "c/templates/p.yaml",
            "kind: Pod\nspec:\n  {{- if .Values.a }}\n  hostNetwork: false\n  {{- else }}\n  hostNetwork: true\n  {{- end }}\n",
        )]);
        let r = rendered("kind: Pod\nspec:\n  hostNetwork: true\n");
        let l = t.locate(0, &r, &path("spec.hostNetwork"), 0).unwrap();
        assert_eq!(line_of(&t, &l).1, 6);
    }

    #[test]
    fn with_blocks_scope_the_dot() {
        let t = templates(&[(
            "c/templates/p.yaml",
            "kind: Pod\nspec:\n  {{- with .Values.pod }}\n  securityContext:\n    {{- toYaml .securityContext | nindent 4 }}\n  {{- end }}\n  containers: []\n",
        )]);
        let r =
            rendered("kind: Pod\nspec:\n  securityContext:\n    runAsUser: 0\n  containers: []\n");
        let l = t
            .locate(0, &r, &path("spec.securityContext.runAsUser"), 0)
            .unwrap();
        match l.found {
            Found::Values { path, .. } => assert_eq!(
                crate::yaml::YamlPath(path).to_string(),
                "pod.securityContext.runAsUser"
            ),
            other => panic!("{other:?}"),
        }
    }
}
