//! What a renderer can say about a rendered byte range beyond the finding's position: the
//! exact source bytes it came from. Fixes on rendered objects use it to make the change in
//! the file a person edits (`fix::origin`); a renderer without a byte trace (the `helm`
//! binary, Kustomize) answers nothing here and its mapper's `map` is used instead.

use std::sync::Arc;

use crate::source::SourceFile;
use crate::yaml::Span;

/// Byte-level answers about a rendered stream (kspm's own Helm renderer).
pub trait ExactTrace: Send + Sync {
    /// The source bytes the rendered bytes `span` were copied from, verbatim (a template's
    /// own text, not printed by an action): rendered `span` equals `source[result]`.
    fn verbatim(&self, span: Span) -> Option<(Arc<SourceFile>, Span)>;

    /// Whether every byte of `span` was printed by one action that reads `.Values` (`{{
    /// toYaml .Values.x | nindent 8 }}`), in the root chart, with no `-f` file layered over
    /// its values.yaml: a values line that wrote those bytes is then the only place
    /// that sets them.
    fn printed_from_values(&self, span: Span) -> bool;

    /// Where text inserted at rendered offset `at` (the end of a line, before its line
    /// break) is inserted in a template so that the template prints it at that place:
    /// the bytes next to `at` are the template's own text, and so is the line's
    /// indentation, or the template's own indentation plus what an include's
    /// `nindent`/`indent` added to every line (the third value: the inserted lines are
    /// written that much less indented). `ends_blank`: whether the inserted text ends
    /// with whitespace (which a following `{{-` would trim).
    fn insertion(
        &self,
        rendered: &str,
        at: usize,
        ends_blank: bool,
    ) -> Option<(Arc<SourceFile>, usize, usize)>;
}
