//! A suppression that matched no finding (reported by `suppress`, not by the engine).

use crate::declare_rule;
use crate::rule::{Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    /// Reports a suppression that hid no finding: an `ignore.kspm.dev/<rule>` annotation, a
    /// `# kspm-ignore` comment or a `.kspm.yaml` `ignore:` entry naming a rule that ran and
    /// found nothing there. A suppression for a rule that did not run (not in the selected
    /// packs) is not reported. Baseline entries that match no finding are reported once per
    /// baseline file, at severity info, so that fixing a finding never fails a build.
    ///
    /// It is on whatever packs are selected (kspm reports it after linting); turn it off
    /// with `--exclude-rule` or `rules: {<id>: off}` in `.kspm.yaml`.
    ///
    /// ## Why is this bad
    /// A suppression outlives its reason: the container stopped running privileged, the
    /// object was renamed, the comment sits above the wrong line. Left in place it silently
    /// hides the next finding of that rule on that object, which nobody reviewed.
    ///
    /// ## Example
    /// ```yaml
    /// metadata:
    ///   annotations:
    ///     ignore.kspm.dev/privileged-container: "the CNI agent needs it"   # reported
    /// spec:
    ///   containers:
    ///     - name: app
    ///       image: registry.example/app:1.2   # not privileged any more
    /// ```
    ///
    /// ## References
    /// - README.md, "Configuration and suppressions"
    pub struct UnusedSuppression {
        id: "unused-suppression",
        code: "KSPM902",
        title: "Unused suppression",
        severity: Low,
        target: Document,
        help: "Remove the suppression (or the rule from it); regenerate a stale baseline with `kspm baseline`.",
        peers: {},
    }
}

impl Rule for UnusedSuppression {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }
}
