//! No securityContext on the pod or a container (CIS 5.6.3).

use crate::declare_rule;
use crate::fix::{Fix, Val};
use crate::k8s::PodSpecView;
use crate::rule::{Rule, RuleContext, RuleMeta, Sink};
use crate::yaml::Node;

declare_rule! {
    /// ## What it does
    /// Reports a pod spec whose `securityContext` is missing, null or empty, and every
    /// container, init container and ephemeral container whose own `securityContext` is
    /// missing, null or empty. A missing field is reported where it should be: on the pod
    /// spec's key or on the container's first line.
    ///
    /// ## Why is this bad
    /// Without a securityContext every setting falls back to the runtime's defaults: the
    /// image's user (often root), a writable root file system, the default capability set
    /// and privilege escalation allowed. CIS asks that pods and containers state their
    /// security settings explicitly; the other rules then check what is stated.
    ///
    /// ## Example
    /// ```yaml
    /// spec:
    ///   securityContext: {}          # reported: empty
    ///   containers:
    ///     - name: app                # reported: no securityContext
    ///       image: registry.example/app:1.2
    ///     - name: sidecar
    ///       image: registry.example/proxy:2
    ///       securityContext:         # passes
    ///         runAsNonRoot: true
    /// ```
    ///
    /// ## References
    /// - CIS Kubernetes Benchmark v1.12, 5.6.3: https://www.cisecurity.org/benchmark/kubernetes
    /// - https://kubernetes.io/docs/tasks/configure-pod-container/security-context/
    pub struct SecurityContextMissing {
        id: "security-context-missing",
        code: "KSPM127",
        title: "No securityContext",
        severity: Low,
        target: Pod,
        fix: Unsafe,
        help: "Add a securityContext to the pod and to each container (runAsNonRoot, readOnlyRootFilesystem, capabilities, seccompProfile).",
        peers: {
            "checkov": ["CKV_K8S_29", "CKV_K8S_30"],
            "trivy": ["KSV118"],
            "kubescape": ["C-0211"],
        },
    }
}

/// `None` when the securityContext states something; else why it does not.
fn missing(sc: Option<&Node>) -> Option<&'static str> {
    match sc {
        None => Some("has no securityContext"),
        Some(n) if n.is_empty_value() => Some("has an empty securityContext"),
        // A scalar is invalid and sets nothing (the API server rejects it).
        Some(n) if n.as_map().is_none() => Some("has a securityContext that is not a mapping"),
        Some(_) => None,
    }
}

impl Rule for SecurityContextMissing {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_pod(&self, _cx: &RuleContext, pod: &PodSpecView<'_>, out: &mut Sink) {
        if let Some(why) = missing(pod.security_context()) {
            out.report(pod.spec_path("securityContext"), format!("pod {why}"));
            out.with_fix(Fix::unsafe_("add a restricted pod securityContext").set(
                pod.spec,
                &pod.path,
                &["securityContext"],
                Val::map(&[
                    ("runAsNonRoot", Val::bool(true)),
                    (
                        "seccompProfile",
                        Val::map(&[("type", Val::str("RuntimeDefault"))]),
                    ),
                ]),
            ));
        }
        for c in pod.containers() {
            if let Some(why) = missing(c.security_context()) {
                out.report(
                    c.field_path("securityContext"),
                    format!("{} {why}", c.describe()),
                );
                out.with_fix(Fix::unsafe_("add a restricted securityContext").set(
                    c.node,
                    &c.path,
                    &["securityContext"],
                    Val::map(&[
                        ("allowPrivilegeEscalation", Val::bool(false)),
                        ("capabilities", Val::map(&[("drop", Val::strs(&["ALL"]))])),
                        ("readOnlyRootFilesystem", Val::bool(true)),
                        ("runAsNonRoot", Val::bool(true)),
                    ]),
                ));
            }
        }
    }
}
