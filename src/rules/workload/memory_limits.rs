//! Containers without a memory limit.

use crate::declare_rule;
use crate::fix::suggest;
use crate::k8s::{ContainerView, PodSpecView, report_resource_gap};
use crate::rule::{Rule, RuleContext, RuleMeta, Sink};

declare_rule! {
    /// ## What it does
    /// Reports a container or init container without `resources.limits.memory`, or with a
    /// zero limit (which the kubelet treats as no limit). Pod-level resources
    /// (`spec.resources.limits.memory`) count as set.
    ///
    /// ## Why is this bad
    /// Memory cannot be throttled: a container without a limit grows until the node runs out,
    /// and the kernel's OOM killer then picks processes across the whole node, including
    /// other tenants' pods and node daemons.
    ///
    /// ## Example
    /// ```yaml
    /// spec:
    ///   containers:
    ///     - name: app                 # reported: no limits.memory
    ///       image: registry.example/app:1.4.2
    ///       resources:
    ///         requests:
    ///           memory: 128Mi
    /// ```
    ///
    /// ## References
    /// - https://kubernetes.io/docs/concepts/configuration/manage-resources-containers/
    /// - https://kubernetes.io/docs/concepts/workloads/pods/pod-qos/
    pub struct MemoryLimits {
        id: "memory-limits",
        code: "KSPM313",
        title: "No memory limit",
        severity: Medium,
        target: Container,
        fix: Display,
        help: "Set resources.limits.memory on every container and init container.",
        peers: {
            "kube-linter": ["unset-memory-requirements"],
            "checkov": ["CKV_K8S_13"],
            "trivy": ["KSV018"],
            "kubescape": ["C-0271", "C-0004"],
            "polaris": ["memoryLimitsMissing"],
            "kube-score": ["container-resources"],
        },
    }
}

impl Rule for MemoryLimits {
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
        report_resource_gap(pod, c, "limits", "memory", out);
        if out.findings.len() > before {
            out.with_fix(suggest::resource(c, "limits", "memory"));
        }
    }
}
