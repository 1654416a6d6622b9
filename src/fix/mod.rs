//! Fixes: the text edits that resolve a finding, made on the original source so that
//! everything the person wrote (comments, order, quoting, style) stays as it was.

use crate::yaml::Span;

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
}

/// Replace the bytes of `span` in the finding's source with `text` (an empty span inserts).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Edit {
    pub span: Span,
    pub text: String,
}

/// The edits that resolve one finding, applied together or not at all.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fix {
    /// What the fix does, in the imperative ("set allowPrivilegeEscalation: false").
    pub description: String,
    pub applicability: Applicability,
    pub edits: Vec<Edit>,
}
