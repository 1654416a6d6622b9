//! CIS 1.2.30: API server extends service account token lifetimes.

use crate::declare_rule;
use crate::k8s::{Component, ContainerView, Flags, PodSpecView};
use crate::rule::{Rule, RuleContext, RuleMeta, Sink};

declare_rule! {
    /// ## What it does
    /// Reports a kube-apiserver container whose `--service-account-extend-token-expiration` is
    /// not `false`. It defaults to `true`, so a missing flag is reported on `command`.
    ///
    /// ## Why is this bad
    /// With the extension on, projected service account tokens the kubelet requests for one
    /// hour are issued valid for a year (to ease migration from legacy tokens). A token stolen
    /// from a pod then stays usable long after the pod is gone.
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
    ///         - --service-account-extend-token-expiration=true   # reported
    /// ```
    ///
    /// ## References
    /// - CIS Kubernetes Benchmark v1.12, 1.2.30: https://www.cisecurity.org/benchmark/kubernetes
    /// - https://kubernetes.io/docs/reference/command-line-tools-reference/kube-apiserver/
    pub struct ApiserverExtendTokenExpiration {
        id: "apiserver-extend-token-expiration",
        code: "KSPM730",
        title: "API server extends service account token lifetimes",
        severity: Medium,
        target: Container,
        fix: Unsafe,
        help: "Set --service-account-extend-token-expiration=false on kube-apiserver.",
        peers: {
            "kubescape": ["C-0290"],
        },
    }
}

impl Rule for ApiserverExtendTokenExpiration {
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
        f.require_bool_fix(
            out,
            c,
            "service-account-extend-token-expiration",
            false,
            true,
        );
    }
}
