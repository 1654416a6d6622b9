//! CIS 3.2.2: the audit Policy misses key security events.

use std::collections::BTreeMap;

use crate::declare_rule;
use crate::k8s::ObjectView;
use crate::rule::{Rule, RuleContext, RuleMeta, Sink};
use crate::yaml::Node;

declare_rule! {
    /// ## What it does
    /// Evaluates an audit Policy (audit.k8s.io) the way the API server does, first matching
    /// rule wins, for the requests CIS 3.2.2 names, and reports:
    /// - requests logged at level `None` (on the rule's `level`) or matched by no rule (on
    ///   `rules`): reads and writes of `secrets`, `configmaps` and `tokenreviews`; use of
    ///   `pods/exec`, `pods/attach`, `pods/portforward`, `pods/proxy` and `services/proxy`;
    ///   changes to `pods` and `deployments`;
    /// - `secrets`, `configmaps` and `tokenreviews` logged at `Request` or `RequestResponse`,
    ///   which copies secret values and tokens into the audit log (CIS: Metadata only).
    ///
    /// Rules limited to some users, groups, namespaces or resource names do not decide for
    /// every request, so they are skipped: exempting a noisy system user at level `None` is
    /// fine. One finding per rule names every request it mishandles. CIS marks this
    /// recommendation Manual.
    ///
    /// ## Why is this bad
    /// An audit log that omits Secret access, `exec` into pods or changes to workloads
    /// misses exactly the events an investigation needs; one that records Secret bodies
    /// turns the log into a second, less protected, copy of every credential.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: audit.k8s.io/v1
    /// kind: Policy
    /// rules:
    ///   - level: RequestResponse   # reported: secrets bodies land in the log
    ///     resources:
    ///       - group: ""
    ///         resources: ["secrets"]
    ///   - level: None              # reported: pods/exec and the rest are not logged
    /// ```
    ///
    /// ## References
    /// - CIS Kubernetes Benchmark v1.12, 3.2.2: https://www.cisecurity.org/benchmark/kubernetes
    /// - https://kubernetes.io/docs/tasks/debug/debug-cluster/audit/#audit-policy
    pub struct AuditPolicyCoverage {
        id: "audit-policy-coverage",
        code: "KSPM772",
        title: "Audit policy misses key security events",
        severity: Medium,
        target: Object,
        help: "Log secrets, configmaps and tokenreviews at Metadata, and exec/proxy/port-forward and pod changes at Metadata or above.",
        peers: {
            "kubescape": ["C-0161"],
        },
    }
}

/// A request CIS wants audited.
struct Concern {
    group: &'static str,
    resource: &'static str,
    verbs: &'static [&'static str],
    /// Request bodies may hold secret values: log metadata only.
    metadata_only: bool,
}

const READ_WRITE: &[&str] = &[
    "get", "list", "watch", "create", "update", "patch", "delete",
];
const CHANGE: &[&str] = &["create", "update", "patch", "delete"];
const CONNECT: &[&str] = &["create", "get"];

const fn concern(
    group: &'static str,
    resource: &'static str,
    verbs: &'static [&'static str],
    metadata_only: bool,
) -> Concern {
    Concern {
        group,
        resource,
        verbs,
        metadata_only,
    }
}

const CONCERNS: &[Concern] = &[
    concern("", "secrets", READ_WRITE, true),
    concern("", "configmaps", READ_WRITE, true),
    concern("authentication.k8s.io", "tokenreviews", &["create"], true),
    concern("", "pods/exec", CONNECT, false),
    concern("", "pods/attach", CONNECT, false),
    concern("", "pods/portforward", CONNECT, false),
    concern("", "pods/proxy", CONNECT, false),
    concern("", "services/proxy", CONNECT, false),
    concern("", "pods", CHANGE, false),
    concern("apps", "deployments", CHANGE, false),
];

fn strings(node: Option<&Node>) -> Vec<&str> {
    node.map(Node::items)
        .unwrap_or(&[])
        .iter()
        .filter_map(Node::scalar_text)
        .collect()
}

fn non_empty(rule: &Node, key: &str) -> bool {
    rule.get(key).is_some_and(|n| !n.is_empty_value())
}

/// Whether an audit rule's resource pattern matches `resource` (`pods`, `pods/exec`):
/// `*` matches everything, `pods/*` every subresource of pods, `*/exec` every `exec`
/// subresource.
fn resource_matches(pattern: &str, resource: &str) -> bool {
    if pattern == "*" || pattern == resource {
        return true;
    }
    let (res, sub) = resource.split_once('/').unwrap_or((resource, ""));
    match pattern.split_once('/') {
        Some((p, "*")) => p == res && !sub.is_empty(),
        Some(("*", s)) => s == sub,
        _ => false,
    }
}

/// Whether audit rule `rule` applies to every request of `verb` on `c`, whoever makes it.
fn decides(rule: &Node, c: &Concern, verb: &str) -> bool {
    // Rules scoped to some callers or objects, or to non-resource URLs, do not decide.
    if ["users", "userGroups", "namespaces", "nonResourceURLs"]
        .iter()
        .any(|k| non_empty(rule, k))
    {
        return false;
    }
    let verbs = strings(rule.get("verbs"));
    if !verbs.is_empty() && !verbs.iter().any(|v| *v == verb || *v == "*") {
        return false;
    }
    let groups = rule.get("resources").map(Node::items).unwrap_or(&[]);
    if groups.is_empty() {
        return true;
    }
    groups.iter().any(|gr| {
        let group = gr.get("group").and_then(Node::scalar_text).unwrap_or("");
        if (group != c.group && group != "*") || non_empty(gr, "resourceNames") {
            return false;
        }
        let resources = strings(gr.get("resources"));
        resources.is_empty() || resources.iter().any(|p| resource_matches(p, c.resource))
    })
}

/// What one audit rule (or the absence of any) gets wrong: requests it does not log, and
/// requests whose bodies it logs.
type Found = (Vec<String>, Vec<String>);

impl Rule for AuditPolicyCoverage {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_object(&self, _cx: &RuleContext, obj: &ObjectView<'_>, out: &mut Sink) {
        if obj.group() != "audit.k8s.io" || obj.kind() != "Policy" {
            return;
        }
        let rules = obj.root.get("rules").map(Node::items).unwrap_or(&[]);
        // Keyed by the deciding rule (`None`: no rule matches): one finding per rule.
        let mut found: BTreeMap<Option<usize>, Found> = BTreeMap::new();
        for c in CONCERNS {
            for verb in c.verbs {
                let what = format!("{verb} {}", c.resource);
                let Some((i, r)) = rules.iter().enumerate().find(|(_, r)| decides(r, c, verb))
                else {
                    found.entry(None).or_default().0.push(what);
                    break;
                };
                let level = r.get("level").and_then(Node::scalar_text).unwrap_or("");
                if level == "None" {
                    found.entry(Some(i)).or_default().0.push(what);
                    break;
                }
                if c.metadata_only && matches!(level, "Request" | "RequestResponse") {
                    found
                        .entry(Some(i))
                        .or_default()
                        .1
                        .push(format!("{what} at {level}"));
                    break;
                }
            }
        }
        for (rule, (unlogged, bodies)) in found {
            let mut parts = Vec::new();
            if !unlogged.is_empty() {
                parts.push(format!("does not log {}", unlogged.join(", ")));
            }
            if !bodies.is_empty() {
                parts.push(format!(
                    "logs request bodies for {} (use Metadata)",
                    bodies.join(", ")
                ));
            }
            let (path, whence) = match rule {
                Some(i) => (
                    obj.path("rules").index(i).key("level"),
                    format!("audit rule {}", i + 1),
                ),
                None => (obj.path("rules"), "the audit Policy".to_string()),
            };
            out.report(path, format!("{whence} {}", parts.join("; ")));
        }
    }
}
