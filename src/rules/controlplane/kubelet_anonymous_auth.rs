//! CIS 4.2.1: Kubelet allows anonymous requests.

use crate::declare_rule;
use crate::fix::{Fix, Val};
use crate::k8s::{ContainerView, KubeletFlags, ObjectView, PodSpecView, is_kubelet_config};
use crate::rule::{Rule, RuleContext, RuleMeta, Sink};

declare_rule! {
    /// ## What it does
    /// Reports a kubelet that accepts anonymous requests: `authentication.anonymous.enabled:
    /// true` in a KubeletConfiguration, or `--anonymous-auth` not `false` on a kubelet command
    /// line (the flag defaults to `true`; the configuration file's field defaults to `false`).
    ///
    /// Both places the kubelet reads settings from are checked: a KubeletConfiguration file
    /// (kubelet.config.k8s.io) in the repository, and the command line of a container that runs
    /// the kubelet. When that command line also passes `--config`, a missing flag is left to the
    /// configuration file.
    ///
    /// ## Why is this bad
    /// The kubelet API runs commands in containers, reads logs and lists pods. Anonymous
    /// requests that reach it are limited only by the kubelet's authorizer; with `AlwaysAllow`
    /// they own the node.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: kubelet.config.k8s.io/v1beta1
    /// kind: KubeletConfiguration
    /// authentication:
    ///   anonymous:
    ///     enabled: true   # reported
    /// ```
    ///
    /// ## Differences from peers
    /// kube-bench also fails a configuration file that leaves the field out; kspm reads the
    /// file's default (`false` in kubelet.config.k8s.io/v1beta1), which is what the kubelet does.
    ///
    /// ## References
    /// - CIS Kubernetes Benchmark v1.12, 4.2.1: https://www.cisecurity.org/benchmark/kubernetes
    /// - https://kubernetes.io/docs/reference/config-api/kubelet-config.v1beta1/
    /// - https://kubernetes.io/docs/reference/command-line-tools-reference/kubelet/
    pub struct KubeletAnonymousAuth {
        id: "kubelet-anonymous-auth",
        code: "KSPM781",
        title: "Kubelet allows anonymous requests",
        severity: High,
        target: Object,
        fix: Unsafe,
        help: "Set authentication.anonymous.enabled: false (or --anonymous-auth=false).",
        peers: {
            "checkov": ["CKV_K8S_138"],
            "trivy": ["KCV0079"],
            "kubescape": ["C-0172"],
        },
    }
}

impl Rule for KubeletAnonymousAuth {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_object(&self, _cx: &RuleContext, obj: &ObjectView<'_>, out: &mut Sink) {
        if !is_kubelet_config(obj) {
            return;
        }
        if let Some(n) = obj
            .root
            .get_path(&["authentication", "anonymous", "enabled"])
            && n.as_bool() == Some(true)
        {
            out.report(
                obj.path("authentication.anonymous.enabled"),
                "KubeletConfiguration allows anonymous requests (authentication.anonymous.enabled: true)",
            );
            out.with_fix(
                Fix::unsafe_("set authentication.anonymous.enabled: false").set(
                    obj.root,
                    obj.base,
                    &["authentication", "anonymous", "enabled"],
                    Val::bool(false),
                ),
            );
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
        if k.decides("anonymous-auth") {
            k.flags
                .require_bool_fix(out, c, "anonymous-auth", false, true);
        }
    }
}
