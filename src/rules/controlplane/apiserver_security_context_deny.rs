//! CIS 1.2.11 (v1.6): Neither SecurityContextDeny nor PodSecurityPolicy enabled.

use crate::declare_rule;
use crate::fix::Fix;
use crate::k8s::{Component, ContainerView, Flags, PodSpecView};
use crate::rule::{Rule, RuleContext, RuleMeta, Sink};

declare_rule! {
    /// ## What it does
    /// Reports a kube-apiserver container whose `--enable-admission-plugins` lists neither
    /// `SecurityContextDeny` nor `PodSecurityPolicy` (on the last such item, or on `command`).
    /// Both plugins have been removed (PodSecurityPolicy in 1.25, SecurityContextDeny in 1.30);
    /// Pod Security Admission replaces them.
    ///
    /// ## Why is this bad
    /// The old benchmark wanted some control on pod security contexts at admission; without one
    /// any user who can create a pod can ask for privileges.
    ///
    /// The unsafe fix adds `SecurityContextDeny` to `--enable-admission-plugins`, and only when
    /// `--kube-version` is below 1.30: from 1.30 the plugin no longer exists and an API server
    /// asked to enable it does not start, so no fix is offered there (configure Pod Security
    /// Admission instead). The plugin rejects pods that set some security context fields.
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
    /// - CIS Kubernetes Benchmark v1.6, 1.2.11: https://www.cisecurity.org/benchmark/kubernetes
    /// - https://kubernetes.io/docs/reference/access-authn-authz/admission-controllers/
    pub struct ApiserverSecurityContextDeny {
        id: "apiserver-security-context-deny",
        code: "KSPM806",
        title: "Neither SecurityContextDeny nor PodSecurityPolicy enabled",
        severity: Low,
        target: Container,
        fix: Unsafe,
        help: "Enable SecurityContextDeny or PodSecurityPolicy (both were removed; use Pod Security Admission).",
        peers: {
            "checkov": ["CKV_K8S_81"],
            "trivy": ["KCV0013"],
            "kubescape": ["C-0124"],
        },
    }
}

/// The first minor release without SecurityContextDeny: enabling it there stops the API
/// server from starting.
const PLUGIN_REMOVED_MINOR: u32 = 30;

impl Rule for ApiserverSecurityContextDeny {
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
        let enables = |p: &str| {
            f.list_contains("enable-admission-plugins", p).is_some()
                || f.list_contains("admission-control", p).is_some()
        };
        if enables("SecurityContextDeny") || enables("PodSecurityPolicy") {
            return;
        }
        let before = out.findings.len();
        match f.last("enable-admission-plugins") {
            Some(e) => out.report(
                e.value_path.clone(),
                format!(
                    "{} enables neither SecurityContextDeny nor PodSecurityPolicy ({})",
                    f.who,
                    e.display()
                ),
            ),
            None => out.report(
                f.missing_path.clone(),
                format!(
                    "{} does not set --enable-admission-plugins, so neither SecurityContextDeny nor PodSecurityPolicy is enabled",
                    f.who
                ),
            ),
        }
        if out.findings.len() > before && cx.kube_minor < PLUGIN_REMOVED_MINOR {
            let fix = Fix::unsafe_("enable the SecurityContextDeny admission plugin");
            out.with_fix(f.add_plugin(c, fix, "SecurityContextDeny"));
        }
    }
}
