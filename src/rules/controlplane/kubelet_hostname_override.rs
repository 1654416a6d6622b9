//! CIS 4.2.7: Kubelet hostname overridden.

use crate::declare_rule;
use crate::k8s::{Component, ContainerView, Flags, PodSpecView};
use crate::rule::{Rule, RuleContext, RuleMeta, Sink};

declare_rule! {
    /// ## What it does
    /// Reports each `--hostname-override` item of a container that runs the kubelet. The
    /// setting exists only as a flag. CIS marks this recommendation Manual.
    ///
    /// ## Why is this bad
    /// A node name that differs from the host's name breaks the match between the kubelet's
    /// serving certificate and the node, which pushes operators to disable TLS verification
    /// between the API server and kubelets.
    ///
    /// ## Example
    /// ```yaml
    /// containers:
    ///   - name: kubelet
    ///     image: registry.k8s.io/kubelet:v1.32.0
    ///     command:
    ///       - kubelet
    ///       - --hostname-override=node-a   # reported
    /// ```
    ///
    /// ## References
    /// - CIS Kubernetes Benchmark v1.12, 4.2.7: https://www.cisecurity.org/benchmark/kubernetes
    /// - https://kubernetes.io/docs/reference/config-api/kubelet-config.v1beta1/
    /// - https://kubernetes.io/docs/reference/command-line-tools-reference/kubelet/
    pub struct KubeletHostnameOverride {
        id: "kubelet-hostname-override",
        code: "KSPM787",
        title: "Kubelet hostname overridden",
        severity: Low,
        target: Container,
        fix: Unsafe,
        help: "Remove --hostname-override from the kubelet.",
        peers: {
            "checkov": ["CKV_K8S_146"],
            "trivy": ["KCV0086"],
            "kubescape": ["C-0179"],
        },
    }
}

impl Rule for KubeletHostnameOverride {
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
        let Some(f) = Flags::for_component(c, Component::Kubelet) else {
            return;
        };
        f.forbid_fix(out, c, "hostname-override");
    }
}
