//! CIS 1.2.20 (v1.6): API server secure port disabled.

use crate::declare_rule;
use crate::fix::Fix;
use crate::k8s::{Component, ContainerView, Flags, PodSpecView};
use crate::rule::{Rule, RuleContext, RuleMeta, Sink};

declare_rule! {
    /// ## What it does
    /// Reports a kube-apiserver container that sets `--secure-port=0`. A missing flag passes
    /// (the default is 6443).
    ///
    /// ## Why is this bad
    /// Port 0 turns HTTPS serving off, leaving only insecure transport for the API.
    ///
    /// The unsafe fix removes each `--secure-port=0`, so the API server serves HTTPS on 6443
    /// (or on an earlier `--secure-port`); clients of the insecure port must move to it.
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
    ///         - --secure-port=0   # reported
    /// ```
    ///
    /// ## Options
    /// Reported only with `--legacy`, `--pack all` or `--rule-option control-plane.legacy=true`: the flag
    /// was removed upstream and current CIS versions no longer list it, but peers still check it.
    ///
    /// ## References
    /// - CIS Kubernetes Benchmark v1.6, 1.2.20: https://www.cisecurity.org/benchmark/kubernetes
    /// - https://kubernetes.io/docs/reference/command-line-tools-reference/kube-apiserver/
    pub struct ApiserverSecurePort {
        id: "apiserver-secure-port",
        code: "KSPM803",
        title: "API server secure port disabled",
        severity: High,
        target: Container,
        fix: Unsafe,
        help: "Remove --secure-port=0 from kube-apiserver.",
        peers: {
            "checkov": ["CKV_K8S_89"],
            "trivy": ["KCV0017"],
            "kubescape": ["C-0128"],
        },
    }
}

impl Rule for ApiserverSecurePort {
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
        if let Some(p) = f.last("secure-port")
            && p.text() == "0"
        {
            out.report(
                p.value_path.clone(),
                format!("{} turns HTTPS serving off: {}", f.who, p.display()),
            );
            let fix = Fix::unsafe_("remove --secure-port=0 (the default is 6443)");
            out.with_fix(f.remove_where(c, fix, "secure-port", |p| p.text() == "0"));
        }
    }
}
