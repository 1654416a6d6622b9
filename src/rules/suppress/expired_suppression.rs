//! A suppression past its `until` day (reported by `suppress`, not by the engine).

use crate::declare_rule;
use crate::rule::{Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    /// Reports a suppression whose `until=YYYY-MM-DD` day has passed: an
    /// `ignore.kspm.dev/<rule>` annotation, a `# kspm-ignore` comment or a `.kspm.yaml`
    /// `ignore:` entry. From the day after `until`, the suppression no longer hides anything:
    /// the findings it covered are reported again, and so is the suppression itself.
    ///
    /// Set the day with `KSPM_TODAY=YYYY-MM-DD` for reproducible runs; otherwise it is the
    /// UTC date of the system clock.
    ///
    /// It is on whatever packs are selected (kspm reports it after linting); turn it off
    /// with `--exclude-rule` or `rules: {<id>: off}` in `.kspm.yaml`.
    ///
    /// ## Why is this bad
    /// An accepted risk is accepted for a while: a migration, a vendor fix, an exception
    /// approved until a review. When that time is up the exception must be fixed or approved
    /// again, and a date nobody looks at protects nobody.
    ///
    /// ## Example
    /// ```yaml
    /// metadata:
    ///   annotations:
    ///     ignore.kspm.dev/host-network: "until=2025-01-31 migrating to a CNI plugin"
    /// ```
    /// Fix the findings and remove the annotation, or set a new `until` with a new reason.
    ///
    /// ## References
    /// - README.md, "Configuration and suppressions"
    pub struct ExpiredSuppression {
        id: "expired-suppression",
        code: "KSPM901",
        title: "Expired suppression",
        severity: Low,
        target: Document,
        help: "Fix the findings and remove the suppression, or renew its `until` with a reason.",
        peers: {},
    }
}

impl Rule for ExpiredSuppression {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }
}
