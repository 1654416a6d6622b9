use crate::declare_rule;
use crate::rule::{Rule, RuleContext, RuleMeta, Sink};
use crate::yaml::load::Document;

declare_rule! {
    /// ## What it does
    /// Reports a key that appears twice in the same YAML mapping.
    ///
    /// ## Why is this bad
    /// The API server's strict decoding rejects duplicate keys, and lenient tools disagree
    /// about which value wins: `kubectl apply` may keep one value while a linter, a GitOps
    /// controller or a reviewer reads the other. A second `securityContext:` or `image:`
    /// silently replaces the first, so the setting that was reviewed is not the one that runs.
    ///
    /// ## Example
    /// ```yaml
    /// containers:
    ///   - name: app
    ///     image: registry.example/app:1.2
    ///     image: registry.example/app:latest   # duplicate: this one wins
    /// ```
    ///
    /// ## References
    /// - https://yaml.org/spec/1.2.2/#mapping (keys must be unique)
    /// - https://kubernetes.io/docs/reference/using-api/api-concepts/#field-validation
    pub struct DuplicateKey {
        id: "duplicate-key",
        code: "KSPM001",
        title: "Duplicate key",
        severity: Medium,
        target: Document,
        help: "Remove one of the two entries; the API server keeps the last one.",
        peers: {},
    }
}

impl Rule for DuplicateKey {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_document(&self, _cx: &RuleContext, doc: &Document, out: &mut Sink) {
        for dup in &doc.duplicate_keys {
            out.report_at(
                dup.path.clone(),
                dup.duplicate,
                format!(
                    "key `{}` appears twice in the same mapping; the later value wins",
                    dup.key
                ),
            );
        }
    }
}
