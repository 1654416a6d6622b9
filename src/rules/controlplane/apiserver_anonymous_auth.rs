//! CIS 1.2.1: API server allows anonymous requests.

use crate::declare_rule;
use crate::k8s::{Component, ContainerView, Flags, PodSpecView};
use crate::rule::{Rule, RuleContext, RuleMeta, Sink};

declare_rule! {
    /// ## What it does
    /// Reports a kube-apiserver container whose `--anonymous-auth` is not `false`. The flag
    /// defaults to `true`, so a missing flag is reported at the container's `command`. When the
    /// API server reads structured authentication (`--authentication-config`) and does not set
    /// the flag, anonymous access is configured in that file and the rule stays silent.
    ///
    /// ## Why is this bad
    /// With anonymous authentication on, every request that no authenticator claims runs as
    /// `system:anonymous` in the group `system:unauthenticated`. Any RBAC binding to those
    /// subjects, by mistake or by a default, is then open to the whole network.
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
    ///         - --anonymous-auth=true   # reported
    /// ```
    ///
    /// ## References
    /// - CIS Kubernetes Benchmark v1.12, 1.2.1: https://www.cisecurity.org/benchmark/kubernetes
    /// - https://kubernetes.io/docs/reference/command-line-tools-reference/kube-apiserver/
    pub struct ApiserverAnonymousAuth {
        id: "apiserver-anonymous-auth",
        code: "KSPM701",
        title: "API server allows anonymous requests",
        severity: High,
        target: Container,
        fix: Unsafe,
        help: "Set --anonymous-auth=false on kube-apiserver.",
        peers: {
            "checkov": ["CKV_K8S_68"],
            "trivy": ["KCV0001"],
            "kubescape": ["C-0113"],
        },
    }
}

impl Rule for ApiserverAnonymousAuth {
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
        // Structured authentication configures anonymous access in its own file.
        if f.has("authentication-config") && !f.has("anonymous-auth") {
            return;
        }
        f.require_bool_fix(out, c, "anonymous-auth", false, true);
    }
}
