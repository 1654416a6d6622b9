//! CIS 1.3.5: Controller manager has no root CA file.

use crate::declare_rule;
use crate::k8s::{Component, ContainerView, Flags, PodSpecView};
use crate::rule::{Rule, RuleContext, RuleMeta, Sink};

declare_rule! {
    /// ## What it does
    /// Reports a kube-controller-manager container without `--root-ca-file`.
    ///
    /// ## Why is this bad
    /// The root CA is published to pods (in `kube-root-ca.crt` and service account token
    /// volumes) so they can verify the API server's certificate. Without it pods cannot verify
    /// the API server and are exposed to interception.
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
    ///         - --service-account-private-key-file=/etc/kubernetes/pki/sa.key
    ///         - # no --root-ca-file: reported on command
    /// ```
    ///
    /// ## References
    /// - CIS Kubernetes Benchmark v1.12, 1.3.5: https://www.cisecurity.org/benchmark/kubernetes
    /// - https://kubernetes.io/docs/reference/command-line-tools-reference/kube-controller-manager/
    pub struct ControllerManagerRootCa {
        id: "controller-manager-root-ca",
        code: "KSPM745",
        title: "Controller manager has no root CA file",
        severity: Medium,
        target: Container,
        fix: Display,
        help: "Set --root-ca-file to the cluster CA bundle on kube-controller-manager.",
        peers: {
            "checkov": ["CKV_K8S_111"],
            "trivy": ["KCV0037"],
            "kubescape": ["C-0148"],
        },
    }
}

impl Rule for ControllerManagerRootCa {
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
        f.require_paths_fix(out, c, &["root-ca-file"]);
    }
}
