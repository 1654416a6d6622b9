//! CIS 1.2.6: API server authorizes every request.

use crate::declare_rule;
use crate::fix::Fix;
use crate::k8s::{Component, ContainerView, Flags, PodSpecView};
use crate::rule::{Rule, RuleContext, RuleMeta, Sink};

declare_rule! {
    /// ## What it does
    /// Reports a kube-apiserver container whose `--authorization-mode` includes `AlwaysAllow`
    /// (on the item that lists it), or that does not set the flag at all: its default is
    /// `AlwaysAllow`. With structured authorization (`--authorization-config`) and no
    /// `--authorization-mode`, the configuration file decides and the rule stays silent.
    ///
    /// ## Why is this bad
    /// `AlwaysAllow` grants every authenticated request everything; with anonymous
    /// authentication on, it grants the network everything.
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
    ///         - --authorization-mode=RBAC,AlwaysAllow   # reported
    /// ```
    ///
    /// ## Differences from peers
    /// Checkov's CKV_K8S_74 passes a manifest without `--authorization-mode`. kspm reports it,
    /// as kube-bench does: the API server then runs with the default, `AlwaysAllow`.
    ///
    /// ## References
    /// - CIS Kubernetes Benchmark v1.12, 1.2.6: https://www.cisecurity.org/benchmark/kubernetes
    /// - https://kubernetes.io/docs/reference/command-line-tools-reference/kube-apiserver/
    /// - https://kubernetes.io/docs/reference/access-authn-authz/authorization/
    pub struct ApiserverAuthzAlwaysAllow {
        id: "apiserver-authz-always-allow",
        code: "KSPM706",
        title: "API server authorizes every request",
        severity: High,
        target: Container,
        fix: Unsafe,
        help: "Set --authorization-mode=Node,RBAC (without AlwaysAllow).",
        peers: {
            "checkov": ["CKV_K8S_74"],
            "trivy": ["KCV0007"],
            "kubescape": ["C-0118"],
        },
    }
}

impl Rule for ApiserverAuthzAlwaysAllow {
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
        let modes: Vec<_> = f.all("authorization-mode").collect();
        if modes.is_empty() {
            if !f.has("authorization-config") {
                out.report(
                    f.missing_path.clone(),
                    format!(
                        "{} does not set --authorization-mode, which defaults to AlwaysAllow",
                        f.who
                    ),
                );
                let fix = Fix::unsafe_("set --authorization-mode=Node,RBAC");
                out.with_fix(f.set_flag(c, fix, "authorization-mode", "Node,RBAC"));
            }
            return;
        }
        for m in modes {
            if m.items().any(|i| i == "AlwaysAllow") {
                out.report(
                    m.value_path.clone(),
                    format!("{} authorizes every request: {}", f.who, m.display()),
                );
                let fix = Fix::unsafe_("remove AlwaysAllow from --authorization-mode");
                out.with_fix(f.drop_list_item(c, fix, m, "AlwaysAllow", "Node,RBAC"));
            }
        }
    }
}
