//! CIS 4.2.10: Kubelet client certificate rotation turned off.

use crate::declare_rule;
use crate::k8s::{
    ContainerView, KubeletFlags, ObjectView, PodSpecView, forbid_kubelet_config_false,
};
use crate::rule::{Rule, RuleContext, RuleMeta, Sink};

declare_rule! {
    /// ## What it does
    /// Reports a kubelet that turns client certificate rotation off: `rotateCertificates:
    /// false` in a KubeletConfiguration, or `--rotate-certificates` set to anything but `true` on
    /// a kubelet command line. CIS asks only that it is not set to false, so a missing setting
    /// passes.
    ///
    /// Both places the kubelet reads settings from are checked: a KubeletConfiguration file
    /// (kubelet.config.k8s.io) in the repository, and the command line of a container that runs
    /// the kubelet. When that command line also passes `--config`, a missing flag is left to the
    /// configuration file.
    ///
    /// ## Why is this bad
    /// Without rotation the kubelet's client certificate expires and the node drops out of the
    /// cluster, or operators issue long-lived certificates that stay valid after a compromise.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: kubelet.config.k8s.io/v1beta1
    /// kind: KubeletConfiguration
    /// rotateCertificates: false   # reported
    /// ```
    ///
    /// ## References
    /// - CIS Kubernetes Benchmark v1.12, 4.2.10: https://www.cisecurity.org/benchmark/kubernetes
    /// - https://kubernetes.io/docs/reference/config-api/kubelet-config.v1beta1/
    /// - https://kubernetes.io/docs/reference/command-line-tools-reference/kubelet/
    pub struct KubeletRotateCertificates {
        id: "kubelet-rotate-certificates",
        code: "KSPM790",
        title: "Kubelet client certificate rotation turned off",
        severity: Medium,
        target: Object,
        fix: Unsafe,
        help: "Remove rotateCertificates: false (or --rotate-certificates=false).",
        peers: {
            "checkov": ["CKV_K8S_149"],
            "trivy": ["KCV0090"],
            "kubescape": ["C-0182"],
        },
    }
}

impl Rule for KubeletRotateCertificates {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_object(&self, _cx: &RuleContext, obj: &ObjectView<'_>, out: &mut Sink) {
        forbid_kubelet_config_false(obj, "rotateCertificates", out);
    }

    fn check_container(
        &self,
        _cx: &RuleContext,
        _pod: &PodSpecView<'_>,
        c: &ContainerView<'_>,
        out: &mut Sink,
    ) {
        let Some(k) = KubeletFlags::of(c) else {
            return;
        };
        // Only an explicit false fails (CIS: "not set to false").
        k.flags
            .require_bool_fix(out, c, "rotate-certificates", true, true);
    }
}
