//! UID or GID below 10000 (best practice, opt-in).

use crate::declare_rule;
use crate::fix::{Fix, Val};
use crate::k8s::PodSpecView;
use crate::rule::{Rule, RuleContext, RuleMeta, Sink};
use crate::yaml::Node;

/// IDs below this may collide with users and groups of the node.
const MIN_ID: i64 = 10000;

declare_rule! {
    /// ## What it does
    /// Reports each container, init container and ephemeral container whose effective
    /// `runAsUser` or `runAsGroup` (the container's securityContext overrides the pod's) is
    /// unset, not an integer, or below 10000. A low pod-level value is reported once, on the
    /// pod's field, when at least one container inherits it; a container that overrides it
    /// with a high ID passes.
    ///
    /// Skipped: pods with `spec.os.name: windows` (they use `windowsOptions.runAsUserName`),
    /// and from Kubernetes 1.33, when user namespaces are on by default, pods with
    /// `hostUsers: false` (their IDs are remapped to a private range on the node).
    ///
    /// This rule is opt-in: it is only in the best-practice pack.
    ///
    /// ## Why is this bad
    /// UIDs and GIDs below 10000 are where the node's own system and login accounts live.
    /// A process that escapes its container with such an ID acts as that account on the
    /// node and can reach its files. An unset ID falls back to the image's `USER` (often
    /// root) and, for the group, to the user's primary group in the image, or 0 when the
    /// image does not list the user.
    ///
    /// ## Example
    /// ```yaml
    /// spec:
    ///   securityContext:
    ///     runAsUser: 1000      # reported: below 10000, inherited by app
    ///     runAsGroup: 10001    # passes
    ///   containers:
    ///     - name: app
    ///       image: registry.example/app:1.2
    /// ```
    ///
    /// ## Differences from peers
    /// Checkov's `CKV_K8S_40` and kubesec's `RunAsUser` check only the user ID; kspm, like
    /// kube-score and Trivy (`KSV020`, `KSV021`), checks the group ID too, so a pod with a
    /// high `runAsUser` but no `runAsGroup` is reported.
    ///
    /// ## References
    /// - https://kubernetes.io/docs/tasks/configure-pod-container/security-context/
    /// - https://kubernetes.io/docs/concepts/workloads/pods/user-namespaces/
    pub struct HighUidGid {
        id: "high-uid-gid",
        code: "KSPM128",
        title: "UID or GID below 10000",
        severity: Low,
        target: Pod,
        fix: Display,
        help: "Set runAsUser and runAsGroup to IDs of 10000 or more (or use hostUsers: false).",
        peers: {
            "checkov": ["CKV_K8S_40"],
            "trivy": ["KSV020", "KSV021"],
            "kube-score": ["container-security-context-user-group-id"],
            "kubesec": ["RunAsUser"],
        },
    }
}

/// Why an ID value is too low, or `None` when it is fine.
fn low(n: &Node) -> Option<String> {
    match n.as_i64() {
        Some(id) if id >= MIN_ID => None,
        Some(id) => Some(format!("{id}, below {MIN_ID}")),
        None => Some(format!(
            "\"{}\", not an integer",
            n.scalar_text().unwrap_or("...")
        )),
    }
}

impl Rule for HighUidGid {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_pod(&self, cx: &RuleContext, pod: &PodSpecView<'_>, out: &mut Sink) {
        if pod.is_windows() || (cx.kube_minor >= 33 && pod.host_users_false()) {
            return;
        }
        let containers = pod.containers();
        for (field, what) in [("runAsUser", "UID"), ("runAsGroup", "GID")] {
            let pod_value = pod
                .security_context()
                .and_then(|sc| sc.get(field))
                .filter(|n| !n.is_null());
            let mut inheritors = Vec::new();
            for c in &containers {
                match (c.sc(field).filter(|n| !n.is_null()), pod_value) {
                    (Some(n), _) => {
                        if let Some(why) = low(n) {
                            out.report(
                                c.field_path("securityContext").key(field),
                                format!("{} sets {field} (the {what}) to {why}", c.describe()),
                            );
                            out.with_fix(suggest_high(c.node, &c.path, field, what));
                        }
                    }
                    (None, Some(_)) => inheritors.push(c.describe()),
                    (None, None) => {
                        out.report(
                            c.field_path("securityContext").key(field),
                            format!(
                                "{} does not set {field}, and neither does the pod; the image decides the {what}",
                                c.describe()
                            ),
                        );
                        out.with_fix(suggest_high(c.node, &c.path, field, what));
                    }
                }
            }
            if let Some(why) = pod_value.and_then(low).filter(|_| !inheritors.is_empty()) {
                out.report(
                    pod.spec_path("securityContext").key(field),
                    format!(
                        "pod sets {field} (the {what}) to {why}; inherited by {}",
                        inheritors.join(", ")
                    ),
                );
                out.with_fix(suggest_high(pod.spec, &pod.path, field, what));
            }
        }
    }
}

/// `securityContext.<field>` set to a high ID; a suggestion, since the image's files must
/// be usable by that user or group.
fn suggest_high(
    base: &crate::yaml::Node,
    path: &crate::yaml::YamlPath,
    field: &str,
    what: &str,
) -> Fix {
    Fix::display(format!(
        "set {field} to a {what} above 10000 the image supports (e.g. 10001)"
    ))
    .set(base, path, &["securityContext", field], Val::raw("10001"))
}
