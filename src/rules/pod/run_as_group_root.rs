//! Root group: runAsGroup, fsGroup or supplementalGroups set to GID 0.

use crate::declare_rule;
use crate::fix::{Fix, Val};
use crate::k8s::PodSpecView;
use crate::rule::{Rule, RuleContext, RuleMeta, Sink};
use crate::yaml::Node;

declare_rule! {
    /// ## What it does
    /// Reports every place a pod puts its processes or files in the root group (GID 0):
    /// `securityContext.runAsGroup: 0` on the pod or on any container, init container or
    /// ephemeral container, the pod's `securityContext.fsGroup: 0`, and each `0` in the
    /// pod's `securityContext.supplementalGroups`. Leaving the fields unset is not reported
    /// (`high-uid-gid` covers that).
    ///
    /// From Kubernetes 1.35 a pod with `hostUsers: false` is exempt, as it is from the Pod
    /// Security Standards `runAsUser` control: in a user namespace GID 0 maps to an
    /// unprivileged group on the node.
    ///
    /// ## Why is this bad
    /// Many host and image files are group-owned by root and group-writable. A process in
    /// group 0 can read or change them, and on escape it keeps that group on the node.
    /// `fsGroup: 0` also makes every mounted volume root-group owned. The NSA/CISA
    /// hardening guide asks for non-root groups as well as non-root users.
    ///
    /// ## Example
    /// ```yaml
    /// spec:
    ///   securityContext:
    ///     runAsGroup: 0              # reported
    ///     fsGroup: 10001             # passes
    ///     supplementalGroups: [0]    # reported: the item
    ///   containers:
    ///     - name: app
    ///       image: registry.example/app:1.2
    /// ```
    ///
    /// ## Differences from peers
    /// kube-linter's `run-as-non-root` and kube-score's user/group check look at related
    /// fields but fail on different conditions (non-root user; any ID below 10000).
    ///
    /// ## References
    /// - NSA/CISA Kubernetes Hardening Guidance, "Use containers built to run applications as non-root users"
    /// - https://kubernetes.io/docs/tasks/configure-pod-container/security-context/
    pub struct RunAsGroupRoot {
        id: "run-as-group-root",
        code: "KSPM108",
        title: "Runs with the root group",
        severity: Low,
        target: Pod,
        fix: Display,
        help: "Set runAsGroup and fsGroup to a non-zero GID and remove 0 from supplementalGroups.",
        peers: {
            "trivy": ["KSV116", "KSV021"],
            "kube-linter": ["run-as-non-root"],
            "kube-score": ["container-security-context-user-group-id"],
        },
    }
}

fn is_zero(n: Option<&Node>) -> bool {
    n.and_then(Node::as_i64) == Some(0)
}

impl Rule for RunAsGroupRoot {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_pod(&self, cx: &RuleContext, pod: &PodSpecView<'_>, out: &mut Sink) {
        if cx.kube_minor >= 35 && pod.host_users_false() {
            return;
        }
        let psc = pod.security_context();
        for field in ["runAsGroup", "fsGroup"] {
            if is_zero(psc.and_then(|sc| sc.get(field))) {
                out.report(
                    pod.spec_path("securityContext").key(field),
                    format!("pod sets securityContext.{field}: 0 (the root group)"),
                );
                out.with_fix(suggest_gid(pod.spec, &pod.path, field));
            }
        }
        if let Some(groups) = psc.and_then(|sc| sc.get("supplementalGroups")) {
            for (i, g) in groups.items().iter().enumerate() {
                if is_zero(Some(g)) {
                    out.report(
                        pod.spec_path("securityContext.supplementalGroups").index(i),
                        "pod adds the root group (GID 0) to supplementalGroups",
                    );
                    let at = pod.spec_path("securityContext.supplementalGroups");
                    let key = psc
                        .and_then(|sc| sc.entry("supplementalGroups"))
                        .map(|e| &e.key);
                    out.with_fix(
                        Fix::display("remove GID 0 from supplementalGroups").remove_items(
                            groups,
                            key,
                            &at,
                            &[i],
                        ),
                    );
                }
            }
        }
        for c in pod.containers() {
            if is_zero(c.sc("runAsGroup")) {
                out.report(
                    c.field_path("securityContext.runAsGroup"),
                    format!("{} sets runAsGroup: 0 (the root group)", c.describe()),
                );
                out.with_fix(suggest_gid(c.node, &c.path, "runAsGroup"));
            }
        }
    }
}

/// `securityContext.<field>` set to a non-root GID; a suggestion, since the image's files
/// must be readable by that group.
fn suggest_gid(base: &crate::yaml::Node, path: &crate::yaml::YamlPath, field: &str) -> Fix {
    Fix::display(format!(
        "set {field} to a non-root GID the image supports (e.g. 10001)"
    ))
    .set(base, path, &["securityContext", field], Val::raw("10001"))
}
