//! CIS 1.3.6: Kubelet serving certificate rotation turned off.

use crate::declare_rule;
use crate::fix::Fix;
use crate::k8s::{Component, ContainerView, Flags, PodSpecView};
use crate::rule::{Rule, RuleContext, RuleMeta, Sink};

declare_rule! {
    /// ## What it does
    /// Reports the `--feature-gates` item of a kube-controller-manager container that sets
    /// `RotateKubeletServerCertificate=false`. The gate is on by default, so a missing flag
    /// passes.
    ///
    /// ## Why is this bad
    /// With the gate off, the controller manager does not approve kubelet serving certificate
    /// renewals: kubelets fall back to long-lived self-signed certificates that clients cannot
    /// verify.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: kube-controller-manager
    ///   namespace: kube-system
    /// spec:
    ///   containers:
    ///     - name: kube-controller-manager
    ///       image: registry.k8s.io/kube-controller-manager:v1.32.0
    ///       command:
    ///         - kube-controller-manager
    ///         - --feature-gates=RotateKubeletServerCertificate=false   # reported
    /// ```
    ///
    /// ## References
    /// - CIS Kubernetes Benchmark v1.12, 1.3.6: https://www.cisecurity.org/benchmark/kubernetes
    /// - https://kubernetes.io/docs/reference/command-line-tools-reference/kube-controller-manager/
    pub struct ControllerManagerRotateKubeletCert {
        id: "controller-manager-rotate-kubelet-cert",
        code: "KSPM746",
        title: "Kubelet serving certificate rotation turned off",
        severity: Medium,
        target: Container,
        fix: Unsafe,
        help: "Remove RotateKubeletServerCertificate=false from --feature-gates.",
        peers: {
            "checkov": ["CKV_K8S_112"],
            "trivy": ["KCV0038"],
            "kubescape": ["C-0149"],
        },
    }
}

impl Rule for ControllerManagerRotateKubeletCert {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_container(
        &self,
        _cx: &RuleContext,
        _pod: &PodSpecView<'_>,
        c: &ContainerView<'_>,
        out: &mut Sink,
    ) {
        let Some(f) = Flags::for_component(c, Component::ControllerManager) else {
            return;
        };
        if let Some((g, Some(false))) = f.feature_gate("RotateKubeletServerCertificate") {
            out.report(
                g.value_path.clone(),
                format!(
                    "{} turns the RotateKubeletServerCertificate feature gate off",
                    f.who
                ),
            );
            let fix = Fix::unsafe_("set RotateKubeletServerCertificate=true in --feature-gates");
            out.with_fix(f.set_gate(c, fix, g, "RotateKubeletServerCertificate", true));
        }
    }
}
