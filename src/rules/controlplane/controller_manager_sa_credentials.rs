//! CIS 1.3.3: Controllers share the controller manager's credentials.

use crate::declare_rule;
use crate::k8s::{Component, ContainerView, Flags, PodSpecView};
use crate::rule::{Rule, RuleContext, RuleMeta, Sink};

declare_rule! {
    /// ## What it does
    /// Reports a kube-controller-manager container whose `--use-service-account-credentials`
    /// is not `true`. The default is `false`, so a missing flag is reported on `command`.
    ///
    /// ## Why is this bad
    /// Without the flag every controller acts with the controller manager's own, very broad,
    /// identity. With it each controller uses its own service account and the RBAC roles
    /// Kubernetes ships for it, so a flaw in one controller is confined to that role.
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
    ///         - --use-service-account-credentials=false   # reported
    /// ```
    ///
    /// ## References
    /// - CIS Kubernetes Benchmark v1.12, 1.3.3: https://www.cisecurity.org/benchmark/kubernetes
    /// - https://kubernetes.io/docs/reference/command-line-tools-reference/kube-controller-manager/
    pub struct ControllerManagerSaCredentials {
        id: "controller-manager-sa-credentials",
        code: "KSPM743",
        title: "Controllers share the controller manager's credentials",
        severity: Medium,
        target: Container,
        fix: Unsafe,
        help: "Set --use-service-account-credentials=true on kube-controller-manager.",
        peers: {
            "checkov": ["CKV_K8S_108"],
            "trivy": ["KCV0035"],
            "kubescape": ["C-0146"],
        },
    }
}

impl Rule for ControllerManagerSaCredentials {
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
        f.require_bool_fix(out, c, "use-service-account-credentials", true, false);
    }
}
