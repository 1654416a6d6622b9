//! The `fix` object of a JSON finding: what the fix does and its edits, each with byte
//! offsets and 1-based line/column positions in the text it applies to.

use serde::Serialize;

use super::Edit;
use super::origin::OriginFix;
use crate::report::Finding;
use crate::source::SourceFile;

#[derive(Clone, Debug, Serialize)]
pub struct JsonFix {
    pub description: String,
    /// `safe`, `unsafe` or `display`.
    pub applicability: &'static str,
    /// The file the edits apply to: the finding's own path, or for a rendered object the
    /// rendered stream (Helm chart, Kustomize build), whose edits are never applied.
    pub path: String,
    /// Whether `kspm lint --fix` writes it (with `--unsafe-fixes` for unsafe ones): false
    /// for suggestions and rendered objects.
    pub applicable: bool,
    pub edits: Vec<JsonEdit>,
    /// For a rendered object: the same change in the files kspm traced it to (a template,
    /// values file, Kustomize resource or patch), never applied by `--fix`.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub source_edits: Vec<JsonSourceEdits>,
    /// For a rendered object whose change cannot be made exactly in a source file: why.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source_note: Option<String>,
}

/// A fix's edits in one source file of a rendered object.
#[derive(Clone, Debug, Serialize)]
pub struct JsonSourceEdits {
    pub path: String,
    /// `template`, `values`, `resource` or `patch`.
    pub kind: &'static str,
    pub edits: Vec<JsonEdit>,
}

#[derive(Clone, Debug, Serialize)]
pub struct JsonEdit {
    /// Byte offsets of the replaced range (equal for an insertion).
    pub start: usize,
    pub end: usize,
    pub line: usize,
    pub column: usize,
    pub end_line: usize,
    pub end_column: usize,
    pub replacement: String,
}

fn json_edits(src: &SourceFile, edits: &[Edit]) -> Vec<JsonEdit> {
    edits
        .iter()
        .map(|e| {
            let (s, t) = (src.position(e.span.start), src.position(e.span.end));
            JsonEdit {
                start: e.span.start,
                end: e.span.end,
                line: s.line,
                column: s.column,
                end_line: t.line,
                end_column: t.column,
                replacement: e.text.clone(),
            }
        })
        .collect()
}

impl JsonFix {
    pub fn of(f: &Finding) -> Option<JsonFix> {
        let fix = f.fix.as_deref()?;
        let src = fix.source.as_ref()?;
        let (source_edits, source_note) = match &fix.origin {
            Some(OriginFix::Source(s)) => (
                s.iter()
                    .map(|s| JsonSourceEdits {
                        path: s.source.path.clone(),
                        kind: s.kind.as_str(),
                        edits: json_edits(&s.source, &s.edits),
                    })
                    .collect(),
                None,
            ),
            Some(OriginFix::Rendered(why)) => (Vec::new(), Some(why.clone())),
            None => (Vec::new(), None),
        };
        Some(JsonFix {
            description: fix.description.clone(),
            applicability: fix.applicability.as_str(),
            path: src.path.clone(),
            applicable: f.origin.is_none() && fix.applicability != super::Applicability::Display,
            edits: json_edits(src, &fix.edits),
            source_edits,
            source_note,
        })
    }
}
