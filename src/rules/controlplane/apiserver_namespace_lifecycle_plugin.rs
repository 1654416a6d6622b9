//! CIS 1.2.13: NamespaceLifecycle admission plugin disabled.

use crate::declare_rule;
use crate::k8s::{Component, ContainerView, Flags, PodSpecView};
use crate::rule::{Rule, RuleContext, RuleMeta, Sink};

declare_rule! {
    /// ## What it does
    /// Reports each `--disable-admission-plugins` item of a kube-apiserver container that lists
    /// `NamespaceLifecycle`. The plugin is on by default, so a missing flag passes.
    ///
    /// ## Why is this bad
    /// NamespaceLifecycle refuses new objects in namespaces that are being deleted or do not
    /// exist and protects the system namespaces from deletion. Disabled, objects can be created
    /// in terminating namespaces and escape their cleanup.
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
    ///         - --disable-admission-plugins=NamespaceLifecycle   # reported
    /// ```
    ///
    /// ## References
    /// - CIS Kubernetes Benchmark v1.12, 1.2.13: https://www.cisecurity.org/benchmark/kubernetes
    /// - https://kubernetes.io/docs/reference/command-line-tools-reference/kube-apiserver/
    /// - https://kubernetes.io/docs/reference/access-authn-authz/admission-controllers/#namespacelifecycle
    pub struct ApiserverNamespaceLifecyclePlugin {
        id: "apiserver-namespace-lifecycle-plugin",
        code: "KSPM713",
        title: "NamespaceLifecycle admission plugin disabled",
        severity: Medium,
        target: Container,
        fix: Unsafe,
        help: "Remove NamespaceLifecycle from --disable-admission-plugins.",
        peers: {
            "checkov": ["CKV_K8S_83"],
            "trivy": ["KCV0015"],
            "kubescape": ["C-0126"],
        },
    }
}

impl Rule for ApiserverNamespaceLifecyclePlugin {
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
        f.forbid_disabled_plugin_fix(out, c, "NamespaceLifecycle");
    }
}
