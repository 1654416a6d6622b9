//! PSS baseline control `hostNamespaces` (the `hostNetwork` part).

use crate::declare_rule;
use crate::fix::Fix;
use crate::k8s::PodSpecView;
use crate::rule::{Rule, RuleContext, RuleMeta, Sink};
use crate::yaml::Node;

declare_rule! {
    /// ## What it does
    /// Reports a pod spec with `hostNetwork: true` (Pod Security Standards baseline control
    /// `hostNamespaces`, all policy versions).
    ///
    /// ## Why is this bad
    /// A pod in the node's network namespace can bind to any node port, reach services
    /// that listen only on the node's loopback interface (the kubelet's read-only port,
    /// local agents), sniff node traffic and bypass NetworkPolicies.
    ///
    /// ## Example
    /// ```yaml
    /// spec:
    ///   hostNetwork: true   # reported
    ///   containers:
    ///     - name: app
    ///       image: registry.example/app:1.2
    /// ```
    /// Remove the field or set it to `false`; expose the pod through a Service.
    ///
    /// ## References
    /// - https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline
    /// - CIS Kubernetes Benchmark v1.12, 5.2.5: https://www.cisecurity.org/benchmark/kubernetes
    pub struct HostNetwork {
        id: "host-network",
        code: "KSPM104",
        title: "Host network namespace",
        severity: High,
        target: Pod,
        fix: Unsafe,
        help: "Remove spec.hostNetwork or set it to false, and expose the pod through a Service.",
        peers: {
            "kube-linter": ["host-network"],
            "checkov": ["CKV_K8S_19"],
            "trivy": ["KSV009"],
            "kubescape": ["C-0041"],
            "polaris": ["hostNetworkSet"],
            "kubesec": ["HostNetwork"],
        },
    }
}

impl Rule for HostNetwork {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_pod(&self, _cx: &RuleContext, pod: &PodSpecView<'_>, out: &mut Sink) {
        if pod.get("hostNetwork").and_then(Node::as_bool) == Some(true) {
            out.report(
                pod.spec_path("hostNetwork"),
                "pod shares the host's network namespace (hostNetwork: true)",
            );
            out.with_fix(Fix::unsafe_("remove hostNetwork: true").remove(
                pod.spec,
                &pod.path,
                &["hostNetwork"],
                Some("false"),
            ));
        }
    }
}
