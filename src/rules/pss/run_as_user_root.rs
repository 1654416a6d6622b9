//! PSS restricted control `runAsUser`.

use crate::declare_rule;
use crate::fix::{Fix, Val};
use crate::k8s::PodSpecView;
use crate::rule::{Rule, RuleContext, RuleMeta, Sink};
use crate::yaml::Node;

declare_rule! {
    /// ## What it does
    /// Reports `securityContext.runAsUser: 0` on the pod or on any container, init container
    /// or ephemeral container (Pod Security Standards restricted control `runAsUser`).
    /// Leaving the field unset is allowed; `run-as-non-root` covers that case.
    ///
    /// Policy versions: the control exists from v1.23. From v1.35 a pod with
    /// `hostUsers: false` is exempt, because UID 0 in a user namespace is unprivileged on
    /// the node.
    ///
    /// ## Why is this bad
    /// UID 0 is root. `runAsUser: 0` overrides the image's `USER` and even defeats
    /// `runAsNonRoot: true` (the kubelet then refuses to start the container, which turns a
    /// security setting into an outage).
    ///
    /// ## Example
    /// ```yaml
    /// spec:
    ///   securityContext:
    ///     runAsUser: 0        # reported
    ///   containers:
    ///     - name: app
    ///       image: registry.example/app:1.2
    ///       securityContext:
    ///         runAsUser: 10001   # passes
    /// ```
    ///
    /// ## References
    /// - https://kubernetes.io/docs/concepts/security/pod-security-standards/#restricted
    /// - CIS Kubernetes Benchmark v1.12, 5.2.7: https://www.cisecurity.org/benchmark/kubernetes
    pub struct RunAsUserRoot {
        id: "run-as-user-root",
        code: "KSPM107",
        title: "Runs as UID 0",
        severity: Medium,
        target: Pod,
        fix: Display,
        help: "Set runAsUser to a non-zero UID, or remove it and set runAsNonRoot: true.",
        peers: {
            "trivy": ["KSV105"],
        },
    }
}

fn is_root(n: Option<&Node>) -> bool {
    n.and_then(Node::as_i64) == Some(0)
}

impl Rule for RunAsUserRoot {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_pod(&self, cx: &RuleContext, pod: &PodSpecView<'_>, out: &mut Sink) {
        if cx.kube_minor < 23 || (cx.kube_minor >= 35 && pod.host_users_false()) {
            return;
        }
        if is_root(pod.security_context().and_then(|sc| sc.get("runAsUser"))) {
            out.report(
                pod.spec_path("securityContext.runAsUser"),
                "pod sets securityContext.runAsUser: 0 (root)",
            );
            out.with_fix(Fix::display(SUGGESTION).set(
                pod.spec,
                &pod.path,
                &["securityContext", "runAsUser"],
                Val::raw("10001"),
            ));
        }
        for c in pod.containers() {
            if is_root(c.sc("runAsUser")) {
                out.report(
                    c.field_path("securityContext.runAsUser"),
                    format!("{} sets runAsUser: 0 (root)", c.describe()),
                );
                out.with_fix(Fix::display(SUGGESTION).set(
                    c.node,
                    &c.path,
                    &["securityContext", "runAsUser"],
                    Val::raw("10001"),
                ));
            }
        }
    }
}

/// Which UID works depends on the image, so the fix is only a suggestion.
const SUGGESTION: &str = "set runAsUser to a non-root UID the image supports (e.g. 10001)";
