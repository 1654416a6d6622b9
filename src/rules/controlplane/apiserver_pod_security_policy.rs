//! CIS 1.2.16 (v1.6): PodSecurityPolicy admission plugin not enabled.

use crate::declare_rule;
use crate::k8s::{Component, ContainerView, Flags, PodSpecView};
use crate::rule::{Rule, RuleContext, RuleMeta, Sink};

declare_rule! {
    /// ## What it does
    /// Reports a kube-apiserver container whose `--enable-admission-plugins` does not list
    /// `PodSecurityPolicy` (on the last such item, or on `command`). The plugin was removed in
    /// Kubernetes 1.25; Pod Security Admission replaces it, and the rule reports regardless of
    /// `--kube-version` because it mirrors the old benchmark.
    ///
    /// ## Why is this bad
    /// Before 1.25, without the plugin no PodSecurityPolicy was enforced, so any user who could
    /// create a pod could ask for privileged access to the node.
    ///
    /// kspm offers no fix: from 1.25 the plugin does not exist and an API server asked to
    /// enable it does not start, and before 1.25 enabling it without PodSecurityPolicy
    /// objects and RBAC to use them rejects every new pod. Pod Security Admission replaces it.
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
    /// ## Options
    /// Reported only with `--legacy`, `--pack all` or `--rule-option control-plane.legacy=true`: the flag
    /// was removed upstream and current CIS versions no longer list it, but peers still check it.
    ///
    /// ## References
    /// - CIS Kubernetes Benchmark v1.6, 1.2.16: https://www.cisecurity.org/benchmark/kubernetes
    /// - https://kubernetes.io/docs/reference/access-authn-authz/admission-controllers/
    pub struct ApiserverPodSecurityPolicy {
        id: "apiserver-pod-security-policy",
        code: "KSPM807",
        title: "PodSecurityPolicy admission plugin not enabled",
        severity: Medium,
        target: Container,
        help: "Enable PodSecurityPolicy (before 1.25) or use Pod Security Admission.",
        peers: {
            "checkov": ["CKV_K8S_84"],
        },
    }
}

impl Rule for ApiserverPodSecurityPolicy {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_container(
        &self,
        cx: &RuleContext,
        _pod: &PodSpecView<'_>,
        c: &ContainerView<'_>,
        out: &mut Sink,
    ) {
        if !cx.options.legacy {
            return;
        }
        let Some(f) = Flags::for_component(c, Component::ApiServer) else {
            return;
        };
        f.require_plugin(out, "PodSecurityPolicy");
    }
}
