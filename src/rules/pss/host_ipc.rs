//! PSS baseline control `hostNamespaces` (the `hostIPC` part).

use crate::declare_rule;
use crate::fix::Fix;
use crate::k8s::PodSpecView;
use crate::rule::{Rule, RuleContext, RuleMeta, Sink};
use crate::yaml::Node;

declare_rule! {
    /// ## What it does
    /// Reports a pod spec with `hostIPC: true` (Pod Security Standards baseline control
    /// `hostNamespaces`, all policy versions).
    ///
    /// ## Why is this bad
    /// Sharing the node's IPC namespace lets the pod read and write the shared memory
    /// segments, semaphores and message queues of every process on the node, including other
    /// pods that run with `hostIPC` and node daemons.
    ///
    /// ## Example
    /// ```yaml
    /// spec:
    ///   hostIPC: true   # reported
    ///   containers:
    ///     - name: app
    ///       image: registry.example/app:1.2
    /// ```
    /// Remove the field or set it to `false`.
    ///
    /// ## References
    /// - https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline
    /// - CIS Kubernetes Benchmark v1.12, 5.2.4: https://www.cisecurity.org/benchmark/kubernetes
    pub struct HostIpc {
        id: "host-ipc",
        code: "KSPM103",
        title: "Host IPC namespace",
        severity: High,
        target: Pod,
        fix: Unsafe,
        help: "Remove spec.hostIPC or set it to false.",
        peers: {
            "kube-linter": ["host-ipc"],
            "checkov": ["CKV_K8S_18"],
            "trivy": ["KSV008"],
            "kubescape": ["C-0276", "C-0038"],
            "polaris": ["hostIPCSet"],
            "kubesec": ["HostIPC"],
        },
    }
}

impl Rule for HostIpc {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_pod(&self, _cx: &RuleContext, pod: &PodSpecView<'_>, out: &mut Sink) {
        if pod.get("hostIPC").and_then(Node::as_bool) == Some(true) {
            out.report(
                pod.spec_path("hostIPC"),
                "pod shares the host's IPC namespace (hostIPC: true)",
            );
            out.with_fix(Fix::unsafe_("remove hostIPC: true").remove(
                pod.spec,
                &pod.path,
                &["hostIPC"],
                Some("false"),
            ));
        }
    }
}
