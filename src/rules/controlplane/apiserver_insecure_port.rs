//! CIS 1.2.19 (v1.6): API server insecure port open.

use crate::declare_rule;
use crate::fix::Fix;
use crate::k8s::{Component, ContainerView, Flags, PodSpecView};
use crate::rule::{Rule, RuleContext, RuleMeta, Sink};

declare_rule! {
    /// ## What it does
    /// Reports a kube-apiserver container whose `--insecure-port` is not `0`. Before
    /// Kubernetes 1.20 the port defaulted to 8080, so a missing flag is reported on `command`.
    ///
    /// ## Why is this bad
    /// The insecure port serves the whole API over plain HTTP with no authentication and no
    /// authorization: anyone who reaches it is cluster administrator.
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
    ///         - --insecure-port=8080   # reported
    /// ```
    ///
    /// ## Options
    /// Reported only with `--legacy`, `--pack all` or `--rule-option control-plane.legacy=true`: the flag
    /// was removed upstream and current CIS versions no longer list it, but peers still check it.
    ///
    /// ## References
    /// - CIS Kubernetes Benchmark v1.6, 1.2.19: https://www.cisecurity.org/benchmark/kubernetes
    /// - https://kubernetes.io/docs/reference/command-line-tools-reference/kube-apiserver/
    pub struct ApiserverInsecurePort {
        id: "apiserver-insecure-port",
        code: "KSPM801",
        title: "API server insecure port open",
        severity: High,
        target: Container,
        fix: Unsafe,
        help: "Set --insecure-port=0 (the insecure port was removed in Kubernetes 1.24).",
        peers: {
            "checkov": ["CKV_K8S_88"],
        },
    }
}

impl Rule for ApiserverInsecurePort {
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
        match f.last("insecure-port") {
            Some(p) if p.text() == "0" => return,
            Some(p) => out.report(
                p.value_path.clone(),
                format!(
                    "{} serves the API without authentication: {}",
                    f.who,
                    p.display()
                ),
            ),
            None => out.report(
                f.missing_path.clone(),
                format!(
                    "{} does not set --insecure-port=0 (before 1.20 it defaults to 8080)",
                    f.who
                ),
            ),
        }
        let fix = Fix::unsafe_("set --insecure-port=0");
        out.with_fix(f.set_flag(c, fix, "insecure-port", "0"));
    }
}
