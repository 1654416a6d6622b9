//! PSS baseline control `hostNamespaces` (the `hostPID` part).

use crate::declare_rule;
use crate::fix::Fix;
use crate::k8s::PodSpecView;
use crate::rule::{Rule, RuleContext, RuleMeta, Sink};
use crate::yaml::Node;

declare_rule! {
    /// ## What it does
    /// Reports a pod spec with `hostPID: true` (Pod Security Standards baseline control
    /// `hostNamespaces`, all policy versions).
    ///
    /// ## Why is this bad
    /// Sharing the node's PID namespace lets the pod see every process on the node, read
    /// their environment and command lines (often holding credentials), signal them, and
    /// with `ptrace` rights enter them through `/proc/<pid>/root`.
    ///
    /// ## Example
    /// ```yaml
    /// spec:
    ///   hostPID: true   # reported
    ///   containers:
    ///     - name: app
    ///       image: registry.example/app:1.2
    /// ```
    /// Remove the field or set it to `false`.
    ///
    /// ## References
    /// - https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline
    /// - CIS Kubernetes Benchmark v1.12, 5.2.3: https://www.cisecurity.org/benchmark/kubernetes
    pub struct HostPid {
        id: "host-pid",
        code: "KSPM102",
        title: "Host PID namespace",
        severity: High,
        target: Pod,
        fix: Unsafe,
        help: "Remove spec.hostPID or set it to false.",
        peers: {
            "kube-linter": ["host-pid"],
            "checkov": ["CKV_K8S_17"],
            "trivy": ["KSV010"],
            "kubescape": ["C-0275", "C-0038"],
            "polaris": ["hostPIDSet"],
            "kubesec": ["HostPID"],
        },
    }
}

impl Rule for HostPid {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_pod(&self, _cx: &RuleContext, pod: &PodSpecView<'_>, out: &mut Sink) {
        if pod.get("hostPID").and_then(Node::as_bool) == Some(true) {
            out.report(
                pod.spec_path("hostPID"),
                "pod shares the host's PID namespace (hostPID: true)",
            );
            out.with_fix(Fix::unsafe_("remove hostPID: true").remove(
                pod.spec,
                &pod.path,
                &["hostPID"],
                Some("false"),
            ));
        }
    }
}
