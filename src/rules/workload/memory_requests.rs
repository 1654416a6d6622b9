//! Containers without a memory request.

use crate::declare_rule;
use crate::fix::suggest;
use crate::k8s::{ContainerView, PodSpecView, report_resource_gap};
use crate::rule::{Rule, RuleContext, RuleMeta, Sink};

declare_rule! {
    /// ## What it does
    /// Reports a container or init container without `resources.requests.memory`, or with a
    /// zero request. A request the API server fills in from `resources.limits.memory` counts
    /// as set, and so do pod-level resources (`spec.resources.requests.memory`).
    ///
    /// ## Why is this bad
    /// The scheduler places pods by their requests. A container without a memory request
    /// counts as needing none, so nodes are overcommitted and run out of memory; the kubelet
    /// then evicts pods that use more than they requested first.
    ///
    /// ## Example
    /// ```yaml
    /// spec:
    ///   containers:
    ///     - name: app                 # reported: no requests.memory
    ///       image: registry.example/app:1.4.2
    ///       resources:
    ///         requests:
    ///           cpu: 100m
    /// ```
    ///
    /// ## Differences from peers
    /// kube-linter, Polaris and Checkov report a missing request even when a limit is set;
    /// the API server copies the limit into the request, so kspm does not.
    ///
    /// ## References
    /// - https://kubernetes.io/docs/concepts/configuration/manage-resources-containers/
    /// - https://kubernetes.io/docs/concepts/workloads/pods/pod-qos/
    pub struct MemoryRequests {
        id: "memory-requests",
        code: "KSPM312",
        title: "No memory request",
        severity: Low,
        target: Container,
        fix: Display,
        help: "Set resources.requests.memory on every container and init container.",
        peers: {
            "kube-linter": ["unset-memory-requirements"],
            "checkov": ["CKV_K8S_12"],
            "trivy": ["KSV016"],
            "kubescape": ["C-0269"],
            "polaris": ["memoryRequestsMissing"],
            "kube-score": ["container-resources"],
        },
    }
}

impl Rule for MemoryRequests {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_container(
        &self,
        _cx: &RuleContext,
        pod: &PodSpecView<'_>,
        c: &ContainerView<'_>,
        out: &mut Sink,
    ) {
        let before = out.findings.len();
        report_resource_gap(pod, c, "requests", "memory", out);
        if out.findings.len() > before {
            out.with_fix(suggest::resource(c, "requests", "memory"));
        }
    }
}
