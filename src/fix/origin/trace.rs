//! Tracing each edit of a fix on the rendered stream to the template, values file,
//! resource or patch that wrote the changed bytes.

use std::collections::BTreeSet;
use std::sync::Arc;

use super::text::{
    dedent, fits_before, indent, narrow, outdent, path_on_line, restyle, same_value, scalar_at,
    source_lines, val_of, whole_lines,
};
use super::{KUSTOMIZE_LINES, NO_TRACE, SourceKind, Traced};
use crate::fix::Edit;
use crate::render::exact::ExactTrace;
use crate::render::{MapRequest, Mapping, OriginMapper};
use crate::source::SourceFile;
use crate::yaml::load::load_all;
use crate::yaml::{Node, Seg, Span, YamlPath};

/// One fix's rendered document and how to trace it.
pub(super) struct Cx<'a> {
    pub(super) rendered: &'a Arc<SourceFile>,
    pub(super) root: &'a Node,
    pub(super) mapper: &'a dyn OriginMapper,
    pub(super) kustomize: bool,
}

impl Cx<'_> {
    pub(super) fn edit(&self, e: &Edit) -> Traced {
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
        let change =
            crate::fix::build::set(target, &[entry.key_str.as_str()], val_of(&entry.value)?)?;
        let edits = crate::fix::resolve::resolve(&change, &loc.source.text)?;
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
