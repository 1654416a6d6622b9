//! The `fix` object of a JSON finding: what the fix does and its edits, each with byte
//! offsets and 1-based line/column positions in the text it applies to.

use serde::Serialize;

use crate::report::Finding;

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

impl JsonFix {
    pub fn of(f: &Finding) -> Option<JsonFix> {
        let fix = f.fix.as_deref()?;
        let src = fix.source.as_ref()?;
        Some(JsonFix {
            description: fix.description.clone(),
            applicability: fix.applicability.as_str(),
            path: src.path.clone(),
            applicable: f.origin.is_none() && fix.applicability != super::Applicability::Display,
            edits: fix
                .edits
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
                .collect(),
        })
    }
}
