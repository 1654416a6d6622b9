//! PSS restricted control `runAsNonRoot`.

use crate::declare_rule;
use crate::fix::{Fix, Val};
use crate::k8s::PodSpecView;
use crate::rule::{Rule, RuleContext, RuleMeta, Sink};
use crate::yaml::Node;

declare_rule! {
    /// ## What it does
    /// Reports pods that are not forced to run as a non-root user (Pod Security Standards
    /// restricted control `runAsNonRoot`), with the reference implementation's exact rules:
    ///
    /// - a pod-level `securityContext.runAsNonRoot: false` fails, even when every container
    ///   sets `true`;
    /// - a container-level `runAsNonRoot: false` fails, even under a pod-level `true`;
    /// - a container (including init and ephemeral containers) that leaves the field unset
    ///   fails unless the pod-level value is `true`.
    ///
    /// Policy versions: all. From v1.35 a pod with `hostUsers: false` is exempt: in a user
    /// namespace, UID 0 in the container is an unprivileged UID on the node. Windows pods
    /// are not exempt.
    ///
    /// ## Why is this bad
    /// Without `runAsNonRoot: true` the kubelet starts the container as whatever user the
    /// image names, which is root for most images. Root in the container is root on the node
    /// as far as the kernel is concerned, so every container escape becomes a root escape.
    ///
    /// ## Example
    /// ```yaml
    /// spec:
    ///   securityContext:
    ///     runAsNonRoot: true
    ///   containers:
    ///     - name: app
    ///       image: registry.example/app:1.2       # passes: inherits the pod's true
    ///     - name: debug
    ///       image: registry.example/debug:1
    ///       securityContext:
    ///         runAsNonRoot: false                 # reported
    /// ```
    ///
    /// ## References
    /// - https://kubernetes.io/docs/concepts/security/pod-security-standards/#restricted
    /// - CIS Kubernetes Benchmark v1.12, 5.2.7: https://www.cisecurity.org/benchmark/kubernetes
    pub struct RunAsNonRoot {
        id: "run-as-non-root",
        code: "KSPM106",
        title: "Not forced to run as non-root",
        severity: Medium,
        target: Pod,
        fix: Unsafe,
        help: "Set securityContext.runAsNonRoot: true on the pod and remove every runAsNonRoot: false.",
        peers: {
            "kube-linter": ["run-as-non-root"],
            "checkov": ["CKV_K8S_23"],
            "trivy": ["KSV012"],
            "kubescape": ["C-0013", "C-0198"],
            "polaris": ["runAsRootAllowed"],
            "kubesec": ["RunAsNonRoot"],
        },
    }
}

impl Rule for RunAsNonRoot {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_pod(&self, cx: &RuleContext, pod: &PodSpecView<'_>, out: &mut Sink) {
        if cx.kube_minor >= 35 && pod.host_users_false() {
            return;
        }
        let pod_value = pod
            .security_context()
            .and_then(|sc| sc.get("runAsNonRoot"))
            .and_then(Node::as_bool);
        if pod_value == Some(false) {
            out.report(
                pod.spec_path("securityContext.runAsNonRoot"),
                "pod sets securityContext.runAsNonRoot: false",
            );
            out.with_fix(Fix::unsafe_("set runAsNonRoot: true").set(
                pod.spec,
                &pod.path,
                &["securityContext", "runAsNonRoot"],
                Val::bool(true),
            ));
        }
        for c in pod.containers() {
            let message = match c.sc("runAsNonRoot").and_then(Node::as_bool) {
                Some(true) => continue,
                Some(false) => format!("{} sets runAsNonRoot: false", c.describe()),
                None if pod_value == Some(true) => continue,
                None if pod_value == Some(false) => {
                    format!("{} inherits runAsNonRoot: false from the pod", c.describe())
                }
                None => format!(
                    "{} does not set runAsNonRoot: true, and neither does the pod",
                    c.describe()
                ),
            };
            out.report(c.field_path("securityContext.runAsNonRoot"), message);
            out.with_fix(Fix::unsafe_("set runAsNonRoot: true").set(
                c.node,
                &c.path,
                &["securityContext", "runAsNonRoot"],
                Val::bool(true),
            ));
        }
    }
}
