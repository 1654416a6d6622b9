//! CIS 1.3.4: Controller manager has no service account signing key.

use crate::declare_rule;
use crate::k8s::{Component, ContainerView, Flags, PodSpecView};
use crate::rule::{Rule, RuleContext, RuleMeta, Sink};

declare_rule! {
    /// ## What it does
    /// Reports a kube-controller-manager container without `--service-account-private-key-file`
    /// (on `command`, or on the item when the value is empty). Any file name is accepted.
    ///
    /// ## Why is this bad
    /// The key signs legacy service account tokens. Without a dedicated key, token signing is
    /// tied to other key material and cannot be rotated independently.
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
    ///         - --root-ca-file=/etc/kubernetes/pki/ca.crt
    ///         - # no --service-account-private-key-file: reported on command
    /// ```
    ///
    /// ## Differences from peers
    /// Checkov's CKV_K8S_110 passes a manifest without the flag and fails one whose file name
    /// does not end in `.pem`. kspm follows CIS: the flag must be set, to any path (kubeadm uses
    /// `/etc/kubernetes/pki/sa.key`).
    ///
    /// ## References
    /// - CIS Kubernetes Benchmark v1.12, 1.3.4: https://www.cisecurity.org/benchmark/kubernetes
    /// - https://kubernetes.io/docs/reference/command-line-tools-reference/kube-controller-manager/
    pub struct ControllerManagerSaPrivateKey {
        id: "controller-manager-sa-private-key",
        code: "KSPM744",
        title: "Controller manager has no service account signing key",
        severity: High,
        target: Container,
        fix: Display,
        help: "Set --service-account-private-key-file on kube-controller-manager.",
        peers: {
            "checkov": ["CKV_K8S_110"],
            "trivy": ["KCV0036"],
            "kubescape": ["C-0147"],
        },
    }
}

impl Rule for ControllerManagerSaPrivateKey {
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
        f.require_paths_fix(out, c, &["service-account-private-key-file"]);
    }
}
