//! CIS 4.2.2: Kubelet authorizes every request.

use crate::declare_rule;
use crate::fix::{Fix, Val};
use crate::k8s::{ContainerView, KubeletFlags, ObjectView, PodSpecView, is_kubelet_config};
use crate::rule::{Rule, RuleContext, RuleMeta, Sink};

declare_rule! {
    /// ## What it does
    /// Reports a kubelet whose authorization mode is `AlwaysAllow`: `authorization.mode` in a
    /// KubeletConfiguration (default `Webhook`), or `--authorization-mode` on a kubelet command
    /// line (default `AlwaysAllow`, so a missing flag is reported on `command`).
    ///
    /// Both places the kubelet reads settings from are checked: a KubeletConfiguration file
    /// (kubelet.config.k8s.io) in the repository, and the command line of a container that runs
    /// the kubelet. When that command line also passes `--config`, a missing flag is left to the
    /// configuration file.
    ///
    /// ## Why is this bad
    /// With `AlwaysAllow` every request that passes authentication (or every request, with
    /// anonymous authentication on) may exec into containers and read their secrets.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: kubelet.config.k8s.io/v1beta1
    /// kind: KubeletConfiguration
    /// authorization:
    ///   mode: AlwaysAllow   # reported
    /// ```
    ///
    /// ## References
    /// - CIS Kubernetes Benchmark v1.12, 4.2.2: https://www.cisecurity.org/benchmark/kubernetes
    /// - https://kubernetes.io/docs/reference/config-api/kubelet-config.v1beta1/
    /// - https://kubernetes.io/docs/reference/command-line-tools-reference/kubelet/
    pub struct KubeletAuthzAlwaysAllow {
        id: "kubelet-authz-always-allow",
        code: "KSPM782",
        title: "Kubelet authorizes every request",
        severity: High,
        target: Object,
        fix: Unsafe,
        help: "Set authorization.mode: Webhook (or --authorization-mode=Webhook).",
        peers: {
            "checkov": ["CKV_K8S_139"],
            "trivy": ["KCV0080"],
            "kubescape": ["C-0173"],
        },
    }
}

impl Rule for KubeletAuthzAlwaysAllow {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_object(&self, _cx: &RuleContext, obj: &ObjectView<'_>, out: &mut Sink) {
        if !is_kubelet_config(obj) {
            return;
        }
        if let Some(n) = obj.root.get_path(&["authorization", "mode"])
            && n.as_str() == Some("AlwaysAllow")
        {
            out.report(
                obj.path("authorization.mode"),
                "KubeletConfiguration authorizes every request (authorization.mode: AlwaysAllow)",
            );
            out.with_fix(Fix::unsafe_("set authorization.mode: Webhook").set(
                obj.root,
                obj.base,
                &["authorization", "mode"],
                Val::str("Webhook"),
            ));
        }
    }

    fn check_container(
        &self,
        _cx: &RuleContext,
        _pod: &PodSpecView<'_>,
        c: &ContainerView<'_>,
        out: &mut Sink,
    ) {
        let Some(k) = KubeletFlags::of(c) else {
            return;
        };
        match k.flags.last("authorization-mode") {
            Some(m) if m.items().any(|i| i == "AlwaysAllow") => {
                out.report(
                    m.value_path.clone(),
                    format!("{} authorizes every request: {}", k.flags.who, m.display()),
                );
                let fix = Fix::unsafe_("set --authorization-mode=Webhook");
                out.with_fix(k.flags.set_flag(c, fix, "authorization-mode", "Webhook"));
            }
            Some(_) => {}
            None if k.uses_config => {}
            None => out.report(
                k.flags.missing_path.clone(),
                format!(
                    "{} does not set --authorization-mode, which defaults to AlwaysAllow",
                    k.flags.who
                ),
            ),
        }
    }
}
