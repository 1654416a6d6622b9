//! Fixes: the text edits that resolve a finding, made on the original source so that
//! everything the person wrote (comments, order, quoting, style) stays as it was.
//!
//! A rule describes a fix in terms of the tree it read (`Fix::set`, `Fix::remove_entry`,
//! ...): it has no source text. The engine resolves the fix against the text when it
//! positions the finding (`Fix::resolve`), which turns each change into byte edits laid out
//! in the file's own style (indentation, sequence style, line endings, flow or block).
//! `apply` merges the fixes of a file and applies them round by round; `verify` checks that
//! the result still parses and differs only at the fixed fields.

pub mod apply;
mod build;
pub mod diff;
mod layout;
pub mod origin;
mod resolve;
pub mod run;
pub mod serial;
pub mod suggest;
mod value;
pub mod verify;
pub mod write;

use std::sync::Arc;

pub use build::Change;
pub use value::Val;

use crate::source::SourceFile;
use crate::yaml::{Span, YamlPath};

/// How safe a fix is to apply without review.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Applicability {
    /// Cannot change behaviour beyond the rule's intent: applied by `--fix`.
    Safe,
    /// May break the workload (e.g. `readOnlyRootFilesystem`): applied by `--unsafe-fixes`.
    Unsafe,
    /// A suggestion only (placeholders to fill in): shown, never applied.
    Display,
}

impl Applicability {
    pub fn as_str(self) -> &'static str {
        match self {
            Applicability::Safe => "safe",
            Applicability::Unsafe => "unsafe",
            Applicability::Display => "display",
        }
    }

    /// Whether `--fix` applies it (with `unsafe_fixes` for `--unsafe-fixes`).
    pub fn applies(self, unsafe_fixes: bool) -> bool {
        match self {
            Applicability::Safe => true,
            Applicability::Unsafe => unsafe_fixes,
            Applicability::Display => false,
        }
    }
}

/// Replace the bytes of `span` in the finding's source with `text` (an empty span inserts).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Edit {
    pub span: Span,
    pub text: String,
}

/// The edits that resolve one finding, applied together or not at all.
#[derive(Clone, Debug)]
pub struct Fix {
    /// What the fix does, in the imperative ("set allowPrivilegeEscalation: false").
    pub description: String,
    pub applicability: Applicability,
    /// Byte edits on `source`, sorted, not overlapping; empty until resolved.
    pub edits: Vec<Edit>,
    /// The fields (from the document root) whose data the fix changes; everything else
    /// must read the same after it is applied.
    pub paths: Vec<YamlPath>,
    /// The text the edits apply to (for a rendered finding: the rendered stream, not the
    /// file the finding is reported in).
    pub source: Option<Arc<SourceFile>>,
    /// For a rendered object: the same change in the files it was traced to, or why it can
    /// only be shown on the rendered output (see `origin`).
    pub origin: Option<origin::OriginFix>,
    changes: Vec<Change>,
    /// Set when a change could not be described on this tree (an alias, a merge key, an
    /// unexpected type): the fix is dropped when resolved.
    broken: bool,
}

impl PartialEq for Fix {
    fn eq(&self, other: &Self) -> bool {
        self.description == other.description
            && self.applicability == other.applicability
            && self.edits == other.edits
            && self.paths == other.paths
    }
}

impl Fix {
    pub fn new(applicability: Applicability, description: impl Into<String>) -> Self {
        Fix {
            description: description.into(),
            applicability,
            edits: Vec::new(),
            paths: Vec::new(),
            source: None,
            origin: None,
            changes: Vec::new(),
            broken: false,
        }
    }

    pub fn safe(description: impl Into<String>) -> Self {
        Fix::new(Applicability::Safe, description)
    }

    pub fn unsafe_(description: impl Into<String>) -> Self {
        Fix::new(Applicability::Unsafe, description)
    }

    pub fn display(description: impl Into<String>) -> Self {
        Fix::new(Applicability::Display, description)
    }

    /// A fix made of ready byte edits (tests, library users).
    pub fn from_edits(
        applicability: Applicability,
        description: impl Into<String>,
        edits: Vec<Edit>,
    ) -> Self {
        Fix {
            edits,
            ..Fix::new(applicability, description)
        }
    }

    /// Add a change; `None` (the tree does not allow it) breaks the whole fix.
    pub fn change(mut self, path: YamlPath, change: Option<Change>) -> Self {
        match change {
            Some(c) => {
                self.changes.push(c);
                if !self.paths.contains(&path) {
                    self.paths.push(path);
                }
            }
            None => self.broken = true,
        }
        self
    }

    /// Whether the fix holds anything to resolve or apply.
    pub fn is_empty(&self) -> bool {
        self.changes.is_empty() && self.edits.is_empty()
    }

    /// Turn the changes into byte edits on `src` (the text the rule's tree was read from).
    /// `None` when a change cannot be laid out in this text; the finding then has no fix.
    pub fn resolve(mut self, src: &Arc<SourceFile>) -> Option<Box<Fix>> {
        if self.broken || self.is_empty() {
            return None;
        }
        let mut edits = std::mem::take(&mut self.edits);
        for c in std::mem::take(&mut self.changes) {
            edits.extend(resolve::resolve(&c, &src.text)?);
        }
        edits.sort();
        edits.dedup();
        if edits
            .windows(2)
            .any(|w| w[0].span.end > w[1].span.start || w[0].span == w[1].span)
        {
            return None;
        }
        if edits.iter().any(|e| {
            e.span.end > src.text.len()
                || !src.text.is_char_boundary(e.span.start)
                || !src.text.is_char_boundary(e.span.end)
        }) {
            return None;
        }
        self.edits = edits;
        self.source = Some(src.clone());
        Some(Box::new(self))
    }
}
