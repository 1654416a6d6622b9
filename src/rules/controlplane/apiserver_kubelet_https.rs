//! CIS 1.2.4 (v1.6): API server talks to kubelets over HTTP.

use crate::declare_rule;
use crate::k8s::{Component, ContainerView, Flags, PodSpecView};
use crate::rule::{Rule, RuleContext, RuleMeta, Sink};

declare_rule! {
    /// ## What it does
    /// Reports a kube-apiserver container whose `--kubelet-https` is not `true`. The default is
    /// `true`, so a missing flag passes.
    ///
    /// ## Why is this bad
    /// Over plain HTTP, `exec`, `attach`, logs and port-forward traffic between the API server
    /// and kubelets can be read and altered on the network.
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
    ///         - --kubelet-https=false   # reported
    /// ```
    ///
    /// ## Options
    /// Reported only with `--legacy`, `--pack all` or `--rule-option control-plane.legacy=true`: the flag
    /// was removed upstream and current CIS versions no longer list it, but peers still check it.
    ///
    /// ## References
    /// - CIS Kubernetes Benchmark v1.6, 1.2.4: https://www.cisecurity.org/benchmark/kubernetes
    /// - https://kubernetes.io/docs/reference/command-line-tools-reference/kube-apiserver/
    pub struct ApiserverKubeletHttps {
        id: "apiserver-kubelet-https",
        code: "KSPM804",
        title: "API server talks to kubelets over HTTP",
        severity: High,
        target: Container,
        fix: Unsafe,
        help: "Remove --kubelet-https=false from kube-apiserver.",
        peers: {
            "checkov": ["CKV_K8S_71"],
            "trivy": ["KCV0004"],
        },
    }
}

impl Rule for ApiserverKubeletHttps {
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
        f.require_bool_fix(out, c, "kubelet-https", true, true);
    }
}
