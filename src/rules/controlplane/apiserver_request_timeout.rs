//! CIS 1.2.20: API server request timeout invalid.

use crate::declare_rule;
use crate::fix::Fix;
use crate::k8s::{Component, ContainerView, Flag, Flags, PodSpecView, parse_go_duration};
use crate::rule::{Rule, RuleContext, RuleMeta, Sink};

declare_rule! {
    /// ## What it does
    /// Reports a kube-apiserver container whose `--request-timeout` is not a positive Go
    /// duration (`300s`, `5m`). A missing flag passes: the default is 60 seconds. CIS marks this
    /// recommendation Manual ("as appropriate"); which positive value is appropriate is a site
    /// decision, so kspm only rejects values the API server cannot use as a limit.
    ///
    /// The unsafe fix removes each `--request-timeout` that is not a positive duration, so
    /// the default (60 seconds) applies; requests that relied on a longer limit are cut off.
    ///
    /// ## Why is this bad
    /// The timeout bounds how long a request may hold API server resources. A zero, negative or
    /// malformed value leaves the setting broken, and the intent behind it unclear.
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
    ///         - --request-timeout=0   # reported
    /// ```
    ///
    /// ## References
    /// - CIS Kubernetes Benchmark v1.12, 1.2.20: https://www.cisecurity.org/benchmark/kubernetes
    /// - https://kubernetes.io/docs/reference/command-line-tools-reference/kube-apiserver/
    pub struct ApiserverRequestTimeout {
        id: "apiserver-request-timeout",
        code: "KSPM720",
        title: "API server request timeout invalid",
        severity: Low,
        target: Container,
        fix: Unsafe,
        help: "Remove --request-timeout (60s) or set a positive duration such as 300s.",
        peers: {
            "checkov": ["CKV_K8S_95"],
            "kubescape": ["C-0134"],
        },
    }
}

impl Rule for ApiserverRequestTimeout {
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
        let invalid = |t: &Flag| !parse_go_duration(t.text()).is_some_and(|s| s > 0.0);
        if let Some(t) = f.last("request-timeout")
            && invalid(t)
        {
            out.report(
                t.value_path.clone(),
                format!("{} sets {}, not a positive duration", f.who, t.display()),
            );
            let fix = Fix::unsafe_("remove --request-timeout (the default is 60s)");
            out.with_fix(f.remove_where(c, fix, "request-timeout", invalid));
        }
    }
}
