//! CIS 4.2.4: Kubelet read-only port open.

use crate::declare_rule;
use crate::fix::{Fix, Val};
use crate::k8s::{ContainerView, KubeletFlags, ObjectView, PodSpecView, is_kubelet_config};
use crate::rule::{Rule, RuleContext, RuleMeta, Sink};

declare_rule! {
    /// ## What it does
    /// Reports a kubelet serving its read-only port: `readOnlyPort` other than 0 in a
    /// KubeletConfiguration (the field defaults to 0), or `--read-only-port` other than 0 on a
    /// kubelet command line (the flag defaults to 10255, so a missing flag is reported).
    ///
    /// Both places the kubelet reads settings from are checked: a KubeletConfiguration file
    /// (kubelet.config.k8s.io) in the repository, and the command line of a container that runs
    /// the kubelet. When that command line also passes `--config`, a missing flag is left to the
    /// configuration file.
    ///
    /// ## Why is this bad
    /// The read-only port serves pod specs, node details and metrics with no authentication and
    /// no authorization to anyone who can reach the node.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: kubelet.config.k8s.io/v1beta1
    /// kind: KubeletConfiguration
    /// readOnlyPort: 10255   # reported
    /// ```
    ///
    /// ## References
    /// - CIS Kubernetes Benchmark v1.12, 4.2.4: https://www.cisecurity.org/benchmark/kubernetes
    /// - https://kubernetes.io/docs/reference/config-api/kubelet-config.v1beta1/
    /// - https://kubernetes.io/docs/reference/command-line-tools-reference/kubelet/
    pub struct KubeletReadOnlyPort {
        id: "kubelet-read-only-port",
        code: "KSPM784",
        title: "Kubelet read-only port open",
        severity: Medium,
        target: Object,
        fix: Unsafe,
        help: "Set readOnlyPort: 0 (or --read-only-port=0).",
        peers: {
            "checkov": ["CKV_K8S_141"],
            "trivy": ["KCV0082"],
            "kubescape": ["C-0175"],
        },
    }
}

impl Rule for KubeletReadOnlyPort {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_object(&self, _cx: &RuleContext, obj: &ObjectView<'_>, out: &mut Sink) {
        if !is_kubelet_config(obj) {
            return;
        }
        if let Some(n) = obj.root.get("readOnlyPort")
            && n.as_i64().is_some_and(|p| p != 0)
        {
            out.report(
                obj.path("readOnlyPort"),
                format!(
                    "KubeletConfiguration serves the unauthenticated read-only port {}",
                    n.scalar_text().unwrap_or("")
                ),
            );
            out.with_fix(Fix::unsafe_("set readOnlyPort: 0").set(
                obj.root,
                obj.base,
                &["readOnlyPort"],
                Val::raw("0"),
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
        match k.flags.last("read-only-port") {
            Some(p) if p.text() == "0" => return,
            Some(p) => out.report(
                p.value_path.clone(),
                format!(
                    "{} serves the unauthenticated read-only port: {}",
                    k.flags.who,
                    p.display()
                ),
            ),
            None if k.uses_config => return,
            None => out.report(
                k.flags.missing_path.clone(),
                format!(
                    "{} does not set --read-only-port=0, so it serves port 10255",
                    k.flags.who
                ),
            ),
        }
        let fix = Fix::unsafe_("set --read-only-port=0");
        out.with_fix(k.flags.set_flag(c, fix, "read-only-port", "0"));
    }
}
