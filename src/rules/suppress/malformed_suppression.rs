//! A suppression that cannot be read (reported by `suppress`, not by the engine).

use crate::declare_rule;
use crate::rule::{Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    /// Reports a suppression kspm cannot read, where it is written: an unknown rule, a
    /// missing or empty reason, an `until` that is not a real `YYYY-MM-DD` day, a comment
    /// that starts with `kspm-ignore` but is none of `kspm-ignore:`,
    /// `kspm-ignore-document:` and `kspm-ignore-file:`, an annotation value that is not a
    /// string, or a bad glob in a `.kspm.yaml` `ignore:` entry. A malformed suppression
    /// suppresses nothing.
    ///
    /// The forms are:
    /// - annotation `ignore.kspm.dev/<rule-id-or-code>: "[until=YYYY-MM-DD ]<reason>"`;
    /// - comment `# kspm-ignore: <rule>[,<rule>] [until=YYYY-MM-DD] -- <reason>` at the end
    ///   of the offending line or on its own line above it; `# kspm-ignore-document:` and
    ///   `# kspm-ignore-file:` with the same body; `all` names every rule.
    ///
    /// It is on whatever packs are selected (kspm reports it after linting); turn it off
    /// with `--exclude-rule` or `rules: {<id>: off}` in `.kspm.yaml`.
    ///
    /// ## Why is this bad
    /// A typo in a rule id or a date would otherwise hide nothing without a word, or, worse,
    /// look like an accepted risk in review while the finding keeps failing the build for
    /// reasons nobody sees.
    ///
    /// ## Example
    /// ```yaml
    /// spec:
    ///   hostNetwork: true  # kspm-ignore: host-network until=2025-02-30 -- node agent
    /// ```
    /// February has no 30th: the comment is reported and the finding stays.
    ///
    /// ## References
    /// - README.md, "Configuration and suppressions"
    pub struct MalformedSuppression {
        id: "malformed-suppression",
        code: "KSPM903",
        title: "Malformed suppression",
        severity: Medium,
        target: Document,
        help: "Write `# kspm-ignore: RULE[,RULE] [until=YYYY-MM-DD] -- REASON` or `ignore.kspm.dev/RULE: \"[until=YYYY-MM-DD ]REASON\"`.",
        peers: {},
    }
}

impl Rule for MalformedSuppression {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }
}
