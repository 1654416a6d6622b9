use crate::declare_rule;
use crate::fix::Fix;
use crate::rule::{Rule, RuleContext, RuleMeta, Sink};
use crate::yaml::load::Document;
use crate::yaml::{Node, Seg, YamlPath};

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
        fix: Safe,
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
            if let Some(fix) = remove_first(doc, dup) {
                out.with_fix(fix);
            }
        }
    }
}

/// Remove the earlier entry of a duplicated key: the later one is what the API server
/// keeps, so the data does not change.
fn remove_first(doc: &Document, dup: &crate::yaml::load::DuplicateKey) -> Option<Fix> {
    let (_, parents) = dup.path.segs().split_last()?;
    let map = parents
        .iter()
        .try_fold(&doc.root, |n: &Node, seg| match seg {
            Seg::Key(k) => n.get(k),
            Seg::Index(i) => n.items().get(*i),
        })?;
    let index = map.entries().iter().position(|e| e.key.span == dup.first)?;
    Some(
        Fix::safe(format!("remove the first `{}`", dup.key)).remove_at(
            map,
            YamlPath(dup.path.segs().to_vec()),
            index,
        ),
    )
}
