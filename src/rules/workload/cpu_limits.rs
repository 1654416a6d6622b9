//! Containers without a CPU limit.

use crate::declare_rule;
use crate::fix::suggest;
use crate::k8s::{ContainerView, PodSpecView, report_resource_gap};
use crate::rule::{Rule, RuleContext, RuleMeta, Sink};

declare_rule! {
    /// ## What it does
    /// Reports a container or init container without `resources.limits.cpu`, or with a zero
    /// limit (which the kubelet treats as no limit). Pod-level resources
    /// (`spec.resources.limits.cpu`) count as set.
    ///
    /// ## Why is this bad
    /// Without a limit a container may use every idle CPU on the node. A runaway or
    /// compromised container then starves its neighbours, which is a denial of service
    /// against every other workload on the node.
    ///
    /// ## Example
    /// ```yaml
    /// spec:
    ///   containers:
    ///     - name: app                 # reported: no limits.cpu
    ///       image: registry.example/app:1.4.2
    ///       resources:
    ///         requests:
    ///           cpu: 100m
    /// ```
    ///
    /// ## References
    /// - https://kubernetes.io/docs/concepts/configuration/manage-resources-containers/
    /// - https://kubernetes.io/docs/concepts/workloads/pods/pod-qos/
    pub struct CpuLimits {
        id: "cpu-limits",
        code: "KSPM311",
        title: "No CPU limit",
        severity: Low,
        target: Container,
        fix: Display,
        help: "Set resources.limits.cpu on every container and init container.",
        peers: {
            "kube-linter": ["unset-cpu-requirements"],
            "checkov": ["CKV_K8S_11"],
            "trivy": ["KSV011"],
            "kubescape": ["C-0270", "C-0050"],
            "polaris": ["cpuLimitsMissing"],
            "kube-score": ["container-resources"],
        },
    }
}

impl Rule for CpuLimits {
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
        report_resource_gap(pod, c, "limits", "cpu", out);
        if out.findings.len() > before {
            out.with_fix(suggest::resource(c, "limits", "cpu"));
        }
    }
}
