//! CIS 1.2.11: AlwaysPullImages admission plugin not enabled.

use crate::declare_rule;
use crate::k8s::{Component, ContainerView, Flags, PodSpecView};
use crate::rule::{Rule, RuleContext, RuleMeta, Sink};

declare_rule! {
    /// ## What it does
    /// Reports a kube-apiserver container whose `--enable-admission-plugins` does not list
    /// `AlwaysPullImages` (or whose `--disable-admission-plugins` does), on the last
    /// `--enable-admission-plugins` item, or on `command` when the flag is missing. CIS marks this recommendation Manual.
    ///
    /// ## Why is this bad
    /// Images pulled with credentials stay in the node's cache; without the plugin another
    /// tenant's pod on the same node can run a private image by name without credentials of its
    /// own.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: kube-apiserver
    ///   namespace: kube-system
    /// spec:
    ///   containers:
    ///     - name: kube-apiserver
    ///       image: registry.k8s.io/kube-apiserver:v1.32.0
    ///       command:
    ///         - kube-apiserver
    ///         - --enable-admission-plugins=NodeRestriction   # reported
    /// ```
    ///
    /// ## References
    /// - CIS Kubernetes Benchmark v1.12, 1.2.11: https://www.cisecurity.org/benchmark/kubernetes
    /// - https://kubernetes.io/docs/reference/command-line-tools-reference/kube-apiserver/
    /// - https://kubernetes.io/docs/reference/access-authn-authz/admission-controllers/#alwayspullimages
    pub struct ApiserverAlwaysPullImages {
        id: "apiserver-always-pull-images",
        code: "KSPM711",
        title: "AlwaysPullImages admission plugin not enabled",
        severity: Low,
        target: Container,
        fix: Unsafe,
        help: "Add AlwaysPullImages to --enable-admission-plugins.",
        peers: {
            "checkov": ["CKV_K8S_80"],
            "trivy": ["KCV0012"],
            "kubescape": ["C-0123"],
        },
    }
}

impl Rule for ApiserverAlwaysPullImages {
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
        let Some(f) = Flags::for_component(c, Component::ApiServer) else {
            return;
        };
        f.require_plugin_fix(out, c, "AlwaysPullImages");
    }
}
