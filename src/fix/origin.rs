//! Fixes on rendered objects (Helm, Kustomize), made in the files the objects came from.
//!
//! A rule's fix is laid out on the rendered stream. Where kspm traced the changed bytes
//! exactly, the same change is made in the traced file instead:
//!
//! - a replaced scalar that is a template's own text, or a value a values file, a
//!   Kustomize resource or patch writes (the source must hold the same scalar);
//! - removed lines that are a template's own lines, or a values line `toYaml` printed
//!   whole (key and value), in the root chart's only values file;
//! - inserted lines next to template text that writes the line's indentation;
//! - a Kustomize object whose fixed fields all come from its resource file: the rule's
//!   own fix on that file, laid out as for any plain file.
//!
//! Everything else stays a change of the rendered output, with the reason. None of it is
//! applied: a template line or values entry may produce many objects.

use std::collections::{BTreeSet, HashMap};
use std::sync::Arc;

use super::{Edit, Val};
use crate::engine::Engine;
use crate::render::exact::ExactTrace;
use crate::render::{MapRequest, Mapping, OriginMapper, parse_yaml_path};
use crate::report::Finding;
use crate::source::SourceFile;
use crate::yaml::load::load_all;
use crate::yaml::{Node, Scalar, ScalarKind, ScalarStyle, Seg, Span, Value, YamlPath};

/// What a source edit's file is to the renderer.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum SourceKind {
    Template,
    Values,
    Resource,
    Patch,
}

impl SourceKind {
    pub fn as_str(self) -> &'static str {
        match self {
            SourceKind::Template => "template",
            SourceKind::Values => "values",
            SourceKind::Resource => "resource",
            SourceKind::Patch => "patch",
        }
    }
}

/// The edits of one fix in one source file.
#[derive(Clone, Debug)]
pub struct SourceEdits {
    pub source: Arc<SourceFile>,
    pub kind: SourceKind,
    /// Sorted, not overlapping.
    pub edits: Vec<Edit>,
    /// For a Kustomize resource fixed by the rule itself: the finding's document and
    /// `yaml_path` in that file, so that `--diff` can fix the file round by round.
    pub base: Option<(usize, String)>,
}

/// Where a fix on a rendered object can be made.
#[derive(Clone, Debug)]
pub enum OriginFix {
    /// In these source files, the whole fix.
    Source(Vec<SourceEdits>),
    /// Only on the rendered output, for this reason.
    Rendered(String),
}

/// Traces the fixes of one lint run's rendered findings; caches the parsed rendered
/// documents and the lint of Kustomize resource files.
pub struct Tracer<'a> {
    engine: Option<&'a Engine>,
    docs: HashMap<*const SourceFile, Vec<Node>>,
    bases: HashMap<String, Vec<Finding>>,
}

type Traced = Result<(Arc<SourceFile>, SourceKind, Vec<Edit>), String>;

const KUSTOMIZE_LINES: &str = "it adds or removes lines, which kspm makes only in a \
                               resource file whose fixed fields no patch or transformer \
                               wrote";

const NO_TRACE: &str = "the helm binary rendered it without a byte trace (kspm's own \
                        renderer, --renderer native, traces templates)";

impl<'a> Tracer<'a> {
    pub fn new(engine: Option<&'a Engine>) -> Self {
        Tracer {
            engine,
            docs: HashMap::new(),
            bases: HashMap::new(),
        }
    }

    /// Where the fix of `f` (still on the rendered stream) can be made; `None` when it has
    /// no fix. `mapping` is where the finding itself was mapped.
    pub fn trace(
        &mut self,
        f: &Finding,
        mapper: &dyn OriginMapper,
        mapping: &Mapping,
    ) -> Option<OriginFix> {
        let fix = f.fix.as_deref()?;
        let rendered = fix.source.as_ref()?;
        let first = fix.edits.first()?;
        let kustomize = mapping.origin["renderer"] == "kustomize";
        if kustomize && let Some(s) = self.kustomize_resource(f, mapper, mapping) {
            return Some(OriginFix::Source(vec![s]));
        }
        let docs = self.docs.entry(Arc::as_ptr(rendered)).or_insert_with(|| {
            load_all(rendered)
                .into_iter()
                .filter_map(Result::ok)
                .map(|d| d.root)
                .collect()
        });
        let Some(root) = docs
            .iter()
            .find(|r| r.span.start <= first.span.start && first.span.start <= r.span.end)
        else {
            return Some(OriginFix::Rendered(
                "its change is outside the rendered object".to_string(),
            ));
        };
        let cx = Cx {
            rendered,
            root,
            mapper,
            kustomize,
        };
        let mut out: Vec<SourceEdits> = Vec::new();
        for e in &fix.edits {
            let (source, kind, edits) = match cx.edit(e) {
                Ok(t) => t,
                Err(why) => return Some(OriginFix::Rendered(why)),
            };
            match out.iter_mut().find(|s| s.source.path == source.path) {
                Some(s) => s.edits.extend(edits),
                None => out.push(SourceEdits {
                    source,
                    kind,
                    edits,
                    base: None,
                }),
            }
        }
        for s in &mut out {
            s.edits.sort();
            s.edits.dedup();
            if s.edits.windows(2).any(|w| w[0].span.end > w[1].span.start) {
                return Some(OriginFix::Rendered(format!(
                    "its changes overlap in {}",
                    s.source.path
                )));
            }
        }
        Some(OriginFix::Source(out))
    }

    /// A Kustomize object whose fixed fields all come from its resource file (no patch or
    /// transformer wrote them, nor their nearest existing parent): the rule's fix for the
    /// same finding on that file.
    fn kustomize_resource(
        &mut self,
        f: &Finding,
        mapper: &dyn OriginMapper,
        mapping: &Mapping,
    ) -> Option<SourceEdits> {
        let fix = f.fix.as_deref()?;
        let rendered = fix.source.as_ref()?;
        let resource = mapping.origin["resource"].as_str()?;
        let loc = mapping.location.as_ref()?;
        if loc.source.path != resource {
            return None;
        }
        for p in &fix.paths {
            let m = mapper.map(&MapRequest {
                rendered,
                path: p,
                span: f.span,
            })?;
            let at = m.location.as_ref()?;
            if m.origin["via"] != "resource"
                || m.origin["exact"] != true
                || at.source.path != resource
                || at.document != loc.document
            {
                return None;
            }
        }
        let prefix = match mapping.origin.get("item").and_then(|v| v.as_str()) {
            Some(item) => parse_yaml_path(item)?,
            None => YamlPath::root(),
        };
        let joined = |p: &YamlPath| {
            let mut segs = prefix.segs().to_vec();
            segs.extend_from_slice(p.segs());
            YamlPath(segs)
        };
        let path = joined(&parse_yaml_path(&f.yaml_path)?).to_string();
        let engine = self.engine?;
        let found = self.bases.entry(resource.to_string()).or_insert_with(|| {
            let src = SourceFile::new(resource, loc.source.text.clone());
            engine.lint(&[src]).findings
        });
        // The same finding there: on the same field (its list indices may differ when a
        // patch added items before it), or at the same place.
        let shape = |p: &YamlPath| -> Vec<Option<String>> {
            p.segs()
                .iter()
                .map(|s| match s {
                    Seg::Key(k) => Some(k.clone()),
                    Seg::Index(_) => None,
                })
                .collect()
        };
        let same_shape = |a: &[YamlPath], b: &[YamlPath]| {
            a.len() == b.len() && a.iter().all(|p| b.iter().any(|q| shape(q) == shape(p)))
        };
        let joined_paths: Vec<YamlPath> = fix.paths.iter().map(joined).collect();
        let base = found.iter().find(|b| {
            b.rule.id == f.rule.id
                && b.document == loc.document
                && (b.yaml_path == path || b.span == loc.span)
                && b.fix.as_deref().is_some_and(|x| {
                    x.description == fix.description
                        && x.applicability == fix.applicability
                        && same_shape(&x.paths, &joined_paths)
                })
        })?;
        let bfix = base.fix.as_deref()?;
        Some(SourceEdits {
            source: bfix.source.clone()?,
            kind: SourceKind::Resource,
            edits: bfix.edits.clone(),
            base: Some((loc.document, base.yaml_path.clone())),
        })
    }
}

/// One fix's rendered document and how to trace it.
struct Cx<'a> {
    rendered: &'a Arc<SourceFile>,
    root: &'a Node,
    mapper: &'a dyn OriginMapper,
    kustomize: bool,
}

impl Cx<'_> {
    fn edit(&self, e: &Edit) -> Traced {
        let text = &self.rendered.text;
        if e.span.start < e.span.end && !e.text.is_empty() {
            return self.replace(e);
        }
        if e.text.is_empty() && whole_lines(text, e.span) {
            return self.remove(e);
        }
        if e.span.start == e.span.end {
            return self.insert(e);
        }
        Err("its change is not a whole value, whole lines or new lines".to_string())
    }

    /// A replaced scalar: the template text that is its copy, or the values, resource or
    /// patch scalar that set it.
    fn replace(&self, e: &Edit) -> Traced {
        let Some((path, node)) = scalar_at(self.root, e.span) else {
            return Err("it replaces more than one value".to_string());
        };
        let Some(old) = node.scalar() else {
            return Err("it replaces more than one value".to_string());
        };
        if let Some(x) = self.mapper.exact()
            && let Some((source, span)) = x.verbatim(e.span)
        {
            return Ok((
                source,
                SourceKind::Template,
                vec![Edit {
                    span,
                    text: e.text.clone(),
                }],
            ));
        }
        let m = self.map(&path, e.span)?;
        let kind = self.kind_of(&m)?;
        let Some(loc) = m.location else {
            return Err("kspm did not trace the value to a file".to_string());
        };
        let last = match path.segs().last() {
            Some(Seg::Key(k)) => Some(k.as_str()),
            _ => None,
        };
        let Some((span, written)) = narrow(&loc.source.text, loc.span, last) else {
            return Err(format!(
                "{}:{} does not write the value alone",
                loc.source.path,
                loc.source.position(loc.span.start).line
            ));
        };
        if !same_value(old, &written) {
            return Err(format!(
                "{}:{} writes another value than the rendered one",
                loc.source.path,
                loc.source.position(span.start).line
            ));
        }
        let Some(text) = restyle(&e.text, old, &written) else {
            return Err("the new value cannot be written in the source's quoting".to_string());
        };
        Ok((loc.source, kind, vec![Edit { span, text }]))
    }

    /// Removed whole lines: the template lines they are a copy of, or (one line) the
    /// values line an action printed whole.
    fn remove(&self, e: &Edit) -> Traced {
        if self.kustomize {
            return Err(KUSTOMIZE_LINES.to_string());
        }
        let Some(x) = self.mapper.exact() else {
            return Err(NO_TRACE.to_string());
        };
        let text = &self.rendered.text;
        let body_end = e.span.end
            - text[e.span.start..e.span.end]
                .bytes()
                .rev()
                .take_while(|b| *b == b'\n' || *b == b'\r')
                .count();
        let body = Span::new(e.span.start, body_end);
        if let Some((source, span)) = x.verbatim(body)
            && let Some(lines) = source_lines(&source.text, span)
        {
            return Ok((
                source,
                SourceKind::Template,
                vec![Edit {
                    span: lines,
                    text: String::new(),
                }],
            ));
        }
        // One line printed whole by `toYaml .Values...`: the values line that wrote it.
        let line = text[body.start..body.end].trim();
        let start = body.start
            + (text[body.start..body.end].len() - text[body.start..body.end].trim_start().len());
        let content = Span::new(start, start + line.len());
        if line.is_empty() || line.contains('\n') || !x.printed_from_values(content) {
            return Err(
                "its lines are not a template's own lines, nor one values line \
                        printed whole"
                    .to_string(),
            );
        }
        let Some(path) = path_on_line(self.root, start) else {
            return Err("its line holds no single entry".to_string());
        };
        let m = self.map(&path, content)?;
        if m.origin["via"] != "values" || m.origin["exact"] != true {
            return Err("kspm did not trace the line to a values line".to_string());
        }
        let Some(loc) = m.location else {
            return Err("kspm did not trace the line to a values line".to_string());
        };
        let last = match path.segs().last() {
            Some(Seg::Key(k)) => Some(k.as_str()),
            _ => None,
        };
        let same = match (
            narrow(text, content, last),
            narrow(&loc.source.text, loc.span, last),
        ) {
            (Some((_, a)), Some((_, b))) => same_value(&a, &b),
            _ => false,
        };
        let lines = source_lines(&loc.source.text, loc.span);
        match lines {
            Some(lines) if same => Ok((
                loc.source,
                SourceKind::Values,
                vec![Edit {
                    span: lines,
                    text: String::new(),
                }],
            )),
            _ => Err(format!(
                "{}:{} is not the same entry alone on its line",
                loc.source.path,
                loc.source.position(loc.span.start).line
            )),
        }
    }

    /// New lines: after (or before the line break of) a template line that writes the
    /// indentation and the bytes next to the insertion.
    fn insert(&self, e: &Edit) -> Traced {
        if self.kustomize {
            return Err(KUSTOMIZE_LINES.to_string());
        }
        let Some(x) = self.mapper.exact() else {
            return Err(NO_TRACE.to_string());
        };
        if e.text.contains("{{") {
            return Err("its new text holds template delimiters".to_string());
        }
        if let Some(t) = self.values_insert(x, e) {
            return Ok(t);
        }
        if !e.text.starts_with(['\n', '\r']) {
            return Err("its new text is not whole lines".to_string());
        }
        let ends_blank = e.text.ends_with(char::is_whitespace);
        let placed = x
            .insertion(&self.rendered.text, e.span.start, ends_blank)
            .and_then(|(source, at, shift)| Some((source, at, outdent(&e.text, shift)?)));
        if let Some((source, at, text)) = &placed
            && !fits_before(&source.text, *at, text)
        {
            return Err(format!(
                "{}:{}: the template goes on with more of that block or the same key after \
                 that place (under a condition or loop), so new lines there could land inside \
                 it",
                source.path,
                source.position(*at).line
            ));
        }
        match placed {
            Some((source, at, text)) => Ok((
                source,
                SourceKind::Template,
                vec![Edit {
                    span: Span::new(at, at),
                    text,
                }],
            )),
            None => Err(
                "the place of its new lines is printed by a template action, not \
                         written in the template"
                    .to_string(),
            ),
        }
    }

    /// New entries in a mapping an action printed whole from a values mapping (`{{ toYaml
    /// .Values.securityContext | nindent 12 }}`): the same entries in that values mapping,
    /// laid out in the values file's style.
    fn values_insert(
        &self,
        x: &dyn ExactTrace,
        e: &Edit,
    ) -> Option<(Arc<SourceFile>, SourceKind, Vec<Edit>)> {
        let text = &self.rendered.text;
        let at = e.span.start;
        let block = e.text.starts_with(['\n', '\r']);
        let (path, map) = map_holding(self.root, text, at, block.then(|| indent(&e.text)))?;
        if !x.printed_from_values(map.span) {
            return None;
        }
        let m = self.map(&path, map.span).ok()?;
        if m.origin["via"] != "values" || m.origin["exact"] != true {
            return None;
        }
        let loc = m.location?;
        let Some(Seg::Key(last)) = path.segs().last() else {
            return None;
        };
        let doc = load_all(&loc.source).into_iter().next()?.ok()?;
        let target = entry_at(&doc.root, loc.span.start, last)?;
        // The values mapping is the printed one (no key merged in or left out).
        let keys = |n: &Node| -> BTreeSet<String> {
            n.entries().iter().map(|e| e.key_str.clone()).collect()
        };
        if target.as_map().is_none() || keys(target) != keys(map) {
            return None;
        }
        let new = load_all(&SourceFile::new("", dedent(&e.text)))
            .into_iter()
            .next()?
            .ok()?;
        let [entry] = new.root.as_map()? else {
            return None;
        };
        let change = super::build::set(target, &[entry.key_str.as_str()], val_of(&entry.value)?)?;
        let edits = super::resolve::resolve(&change, &loc.source.text)?;
        Some((loc.source, SourceKind::Values, edits))
    }

    fn map(&self, path: &YamlPath, span: Span) -> Result<Mapping, String> {
        self.mapper
            .map(&MapRequest {
                rendered: self.rendered,
                path,
                span,
            })
            .ok_or_else(|| "kspm did not trace the value to a file".to_string())
    }

    /// The file kind of a traced value, when its trace is exact.
    fn kind_of(&self, m: &Mapping) -> Result<SourceKind, String> {
        let via = m.origin["via"].as_str().unwrap_or("");
        let exact = m.origin["exact"] == true;
        match via {
            "resource" if self.kustomize && exact => Ok(SourceKind::Resource),
            "patch" if self.kustomize && exact => Ok(SourceKind::Patch),
            "values" if !self.kustomize && exact && m.origin["traced"] == true => {
                Ok(SourceKind::Values)
            }
            "transformer" => Err("a kustomization transformer writes the value".to_string()),
            "generator" => Err("a kustomization generator writes the value".to_string()),
            "template" => Err("a template action computes the value".to_string()),
            _ if !self.kustomize && self.mapper.exact().is_none() => Err(NO_TRACE.to_string()),
            _ => Err("kspm did not trace the value to the line that writes it".to_string()),
        }
    }
}

/// The mapping new entries at `at` go into: for block entries (`indent` given) the
/// deepest mapping that ends there with its keys at that column, else the flow mapping
/// around `at`.
fn map_holding<'a>(
    root: &'a Node,
    text: &str,
    at: usize,
    indent: Option<usize>,
) -> Option<(YamlPath, &'a Node)> {
    fn walk<'a>(
        n: &'a Node,
        text: &str,
        at: usize,
        indent: Option<usize>,
        path: &mut Vec<Seg>,
        best: &mut Option<(YamlPath, &'a Node)>,
    ) {
        if n.span.start > at || n.span.end < at {
            return;
        }
        if let Some(m) = n.as_map() {
            let fits = match indent {
                Some(col) => {
                    n.span.end == at
                        && m.first().is_some_and(|e| {
                            let s = e.key.span.start;
                            s - text[..s].rfind('\n').map_or(0, |i| i + 1) == col
                        })
                }
                None => text.as_bytes().get(n.span.start) == Some(&b'{') && n.span.end > at,
            };
            if fits {
                *best = Some((YamlPath(path.clone()), n));
            }
            for e in m {
                path.push(Seg::Key(e.key_str.clone()));
                walk(&e.value, text, at, indent, path, best);
                path.pop();
            }
        } else if let Some(items) = n.as_seq() {
            for (i, c) in items.iter().enumerate() {
                path.push(Seg::Index(i));
                walk(c, text, at, indent, path, best);
                path.pop();
            }
        }
    }
    let mut best = None;
    walk(root, text, at, indent, &mut Vec::new(), &mut best);
    best
}

/// The value of the entry `key` whose key starts at byte `at`.
fn entry_at<'a>(n: &'a Node, at: usize, key: &str) -> Option<&'a Node> {
    if let Some(m) = n.as_map() {
        for e in m {
            if e.key.span.start == at && e.key_str == key {
                return Some(&e.value);
            }
            if let Some(v) = entry_at(&e.value, at, key) {
                return Some(v);
            }
        }
    }
    n.as_seq()?.iter().find_map(|c| entry_at(c, at, key))
}

/// The first line's indentation of inserted text (after its line break).
pub(crate) fn indent(text: &str) -> usize {
    let body = text.trim_start_matches(['\r', '\n']);
    body.len() - body.trim_start_matches(' ').len()
}

/// Whether new lines inserted at `at` in a template stay where they belong however its
/// actions render: the next line the template writes itself (past its actions and
/// comments) is less indented (the new lines end their block), or a sibling at the same
/// column that is not one of the new keys (a conditional `seccompProfile:` after a new
/// `seccompProfile:` would write it twice; a list continuing after would take them in).
pub(crate) fn fits_before(template: &str, at: usize, text: &str) -> bool {
    let first = text.trim_start_matches(['\r', '\n']);
    let col = first.len() - first.trim_start_matches(' ').len();
    let item = |l: &str| l.trim_start().starts_with("- ");
    let key = |l: &str| l.trim().split(':').next().unwrap_or("").trim().to_string();
    let new_keys: BTreeSet<String> = first
        .lines()
        .filter(|l| l.len() - l.trim_start().len() == col && !item(l))
        .map(key)
        .collect();
    let bytes = template.as_bytes();
    let mut i = at;
    while i < bytes.len() {
        let rest = &template[i..];
        if rest.starts_with("{{") {
            match rest.find("}}") {
                Some(n) => i += n + 2,
                None => return false,
            }
            continue;
        }
        if bytes[i].is_ascii_whitespace() {
            i += 1;
            continue;
        }
        let start = template[..i].rfind('\n').map_or(0, |n| n + 1);
        let end = template[i..].find('\n').map_or(template.len(), |n| i + n);
        let line = &template[start..end];
        if line.trim_start().starts_with('#') {
            i = end;
            continue;
        }
        let next_col = i - start;
        return next_col < col
            || (next_col == col
                && item(line) == item(first)
                && (item(line) || !new_keys.contains(&key(line))));
    }
    true
}

/// Inserted lines (each after a line break) `shift` columns less indented; `None` when
/// a line is not indented that much.
pub(crate) fn outdent(text: &str, shift: usize) -> Option<String> {
    if shift == 0 {
        return Some(text.to_string());
    }
    let mut out = String::with_capacity(text.len());
    for (i, part) in text.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
            let cut = part.get(..shift)?;
            if !cut.bytes().all(|b| b == b' ') {
                return None;
            }
            out.push_str(&part[shift..]);
        } else {
            out.push_str(part);
        }
    }
    Some(out)
}

/// Inserted lines without their common indentation.
fn dedent(text: &str) -> String {
    let body = text.trim_start_matches(['\r', '\n']);
    let cut = indent(text);
    body.lines()
        .map(|l| {
            l.get(cut.min(l.len() - l.trim_start().len())..)
                .unwrap_or(l)
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// A parsed value as a fix writes it.
fn val_of(n: &Node) -> Option<Val> {
    Some(match &n.value {
        Value::Scalar(s) if is_str(&s.kind) => Val::Str(s.text.clone()),
        Value::Scalar(s) => Val::Raw(s.text.clone()),
        Value::Map(m) => Val::Map(
            m.iter()
                .map(|e| Some((e.key_str.clone(), val_of(&e.value)?)))
                .collect::<Option<_>>()?,
        ),
        Value::Seq(items) => Val::Seq(items.iter().map(val_of).collect::<Option<_>>()?),
    })
}

/// Whether `span` of `text` is whole lines (from a line start to the start of a line or
/// the end).
fn whole_lines(text: &str, span: Span) -> bool {
    span.start < span.end
        && (span.start == 0 || text.as_bytes().get(span.start - 1) == Some(&b'\n'))
        && (span.end == text.len() || text.as_bytes().get(span.end - 1) == Some(&b'\n'))
}

/// The whole lines of `text` that hold `span` and nothing else but indentation, with
/// their line break.
fn source_lines(text: &str, span: Span) -> Option<Span> {
    let start = text[..span.start].rfind('\n').map_or(0, |n| n + 1);
    if !text[start..span.start].bytes().all(|b| b == b' ') {
        return None;
    }
    let rest = &text[span.end..];
    let end = match rest.find('\n') {
        Some(n) if rest[..n].trim().is_empty() => span.end + n + 1,
        None if rest.trim().is_empty() => text.len(),
        _ => return None,
    };
    Some(Span::new(start, end))
}

/// The scalar node whose span is `span`, and its path.
fn scalar_at(root: &Node, span: Span) -> Option<(YamlPath, &Node)> {
    fn walk<'a>(n: &'a Node, span: Span, path: &mut Vec<Seg>) -> Option<&'a Node> {
        if n.span.end < span.start || n.span.start > span.end {
            return None;
        }
        match &n.value {
            Value::Scalar(_) => (n.span == span).then_some(n),
            Value::Map(m) => m.iter().find_map(|e| {
                path.push(Seg::Key(e.key_str.clone()));
                let r = walk(&e.value, span, path);
                if r.is_none() {
                    path.pop();
                }
                r
            }),
            Value::Seq(s) => s.iter().enumerate().find_map(|(i, c)| {
                path.push(Seg::Index(i));
                let r = walk(c, span, path);
                if r.is_none() {
                    path.pop();
                }
                r
            }),
        }
    }
    let mut path = Vec::new();
    let n = walk(root, span, &mut path)?;
    Some((YamlPath(path), n))
}

/// The path of the entry whose key starts at `at`, or of the sequence item whose dash is
/// there.
fn path_on_line(root: &Node, at: usize) -> Option<YamlPath> {
    fn walk(n: &Node, at: usize, path: &mut Vec<Seg>) -> bool {
        if n.span.end < at {
            return false;
        }
        match &n.value {
            Value::Scalar(_) => false,
            Value::Map(m) => m.iter().any(|e| {
                path.push(Seg::Key(e.key_str.clone()));
                let hit = (e.key.span.start == at && e.value.scalar().is_some())
                    || walk(&e.value, at, path);
                if !hit {
                    path.pop();
                }
                hit
            }),
            Value::Seq(s) => s.iter().enumerate().any(|(i, c)| {
                path.push(Seg::Index(i));
                // `- value`: the item starts after the dash.
                let hit = (c.scalar().is_some() && c.span.start > at && c.span.start <= at + 4)
                    || walk(c, at, path);
                if !hit {
                    path.pop();
                }
                hit
            }),
        }
    }
    let mut path = Vec::new();
    walk(root, at, &mut path).then_some(YamlPath(path))
}

/// The one scalar written in `text[span]` as `value`, `key: value` or `- value` (a line
/// of a values file, a resource or patch field): its span in `text` and what it reads as.
fn narrow(text: &str, span: Span, key: Option<&str>) -> Option<(Span, Scalar)> {
    let slice = text.get(span.start..span.end)?;
    let doc = load_all(&SourceFile::new("", slice))
        .into_iter()
        .next()?
        .ok()?;
    let mut node = &doc.root;
    let mut first = true;
    loop {
        match &node.value {
            Value::Scalar(s) => {
                let at = Span::new(span.start + node.span.start, span.start + node.span.end);
                return Some((at, s.clone()));
            }
            Value::Map(m) if m.len() == 1 => {
                if first && key.is_some_and(|k| k != m[0].key_str) {
                    return None;
                }
                node = &m[0].value;
            }
            Value::Seq(s) if s.len() == 1 => node = &s[0],
            _ => return None,
        }
        first = false;
    }
}

fn is_str(k: &ScalarKind) -> bool {
    matches!(k, ScalarKind::Str | ScalarKind::Timestamp)
}

/// Whether two scalars read as the same value (same type; same text for strings).
fn same_value(a: &Scalar, b: &Scalar) -> bool {
    a.kind == b.kind && (a.text == b.text || !is_str(&a.kind))
}

/// The rendered replacement `new`, written in the quoting of the source scalar (the
/// rendered one may be quoted differently: `toYaml` rewrites values).
fn restyle(new: &str, rendered: &Scalar, source: &Scalar) -> Option<String> {
    if rendered.style == source.style {
        return Some(new.to_string());
    }
    let doc = load_all(&SourceFile::new("", new))
        .into_iter()
        .next()?
        .ok()?;
    let s = doc.root.scalar()?;
    if !is_str(&s.kind) {
        return (source.style == ScalarStyle::Plain).then(|| new.to_string());
    }
    match source.style {
        ScalarStyle::SingleQuoted if !s.text.contains('\'') => Some(format!("'{}'", s.text)),
        ScalarStyle::DoubleQuoted => Some(super::value::scalar_text(&s.text, true)),
        ScalarStyle::Plain => Some(super::value::scalar_text(&s.text, false)),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_line_narrows_to_its_scalar() {
        let text = "a:\n  privileged: true # x\n  - NET_RAW\n";
        let (span, s) = narrow(text, Span::new(5, 25), Some("privileged")).unwrap();
        assert_eq!(&text[span.start..span.end], "true");
        assert_eq!(s.kind, ScalarKind::Bool(true));
        assert!(narrow(text, Span::new(5, 25), Some("other")).is_none());
        let (span, _) = narrow(text, Span::new(28, 37), None).unwrap();
        assert_eq!(&text[span.start..span.end], "NET_RAW");
    }

    #[test]
    fn replacements_take_the_source_quoting() {
        let s = |t: &str| {
            load_all(&SourceFile::new("", t))
                .remove(0)
                .unwrap()
                .root
                .scalar()
                .unwrap()
                .clone()
        };
        assert_eq!(
            restyle("Always", &s("IfNotPresent"), &s("\"IfNotPresent\"")).as_deref(),
            Some("\"Always\"")
        );
        assert_eq!(
            restyle("Always", &s("IfNotPresent"), &s("'IfNotPresent'")).as_deref(),
            Some("'Always'")
        );
        assert_eq!(
            restyle("false", &s("true"), &s("true")).as_deref(),
            Some("false")
        );
        assert!(!same_value(&s("\"true\""), &s("true")));
    }

    #[test]
    fn lines_are_whole_or_refused() {
        let t = "a: 1\n  b: 2\nc: 3";
        assert_eq!(source_lines(t, Span::new(7, 11)), Some(Span::new(5, 12)));
        assert_eq!(source_lines(t, Span::new(12, 16)), Some(Span::new(12, 16)));
        assert_eq!(source_lines(t, Span::new(7, 9)), None);
        assert!(whole_lines(t, Span::new(5, 12)));
        assert!(!whole_lines(t, Span::new(5, 11)));
    }
}
