//! CIS 1.2.12: ServiceAccount admission plugin disabled.

use crate::declare_rule;
use crate::k8s::{Component, ContainerView, Flags, PodSpecView};
use crate::rule::{Rule, RuleContext, RuleMeta, Sink};

declare_rule! {
    /// ## What it does
    /// Reports each `--disable-admission-plugins` item of a kube-apiserver container that lists
    /// `ServiceAccount`. The plugin is on by default, so a missing flag passes.
    ///
    /// ## Why is this bad
    /// The ServiceAccount plugin assigns the namespace's service account to pods and checks that
    /// the account exists. Disabled, pods may name service accounts that do not exist and token
    /// mounting is no longer controlled.
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
    ///         - --disable-admission-plugins=ServiceAccount   # reported
    /// ```
    ///
    /// ## References
    /// - CIS Kubernetes Benchmark v1.12, 1.2.12: https://www.cisecurity.org/benchmark/kubernetes
    /// - https://kubernetes.io/docs/reference/command-line-tools-reference/kube-apiserver/
    /// - https://kubernetes.io/docs/reference/access-authn-authz/admission-controllers/#serviceaccount
    pub struct ApiserverServiceAccountPlugin {
        id: "apiserver-service-account-plugin",
        code: "KSPM712",
        title: "ServiceAccount admission plugin disabled",
        severity: Medium,
        target: Container,
        fix: Unsafe,
        help: "Remove ServiceAccount from --disable-admission-plugins.",
        peers: {
            "checkov": ["CKV_K8S_82"],
            "trivy": ["KCV0014"],
            "kubescape": ["C-0125"],
        },
    }
}

impl Rule for ApiserverServiceAccountPlugin {
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
        f.forbid_disabled_plugin_fix(out, c, "ServiceAccount");
    }
}
