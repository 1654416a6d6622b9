//! CIS 4.2.6 (v1.6): Kubelet may change kernel settings.

use crate::declare_rule;
use crate::k8s::{ContainerView, KubeletFlags, ObjectView, PodSpecView, is_kubelet_config};
use crate::rule::{Rule, RuleContext, RuleMeta, Sink};

declare_rule! {
    /// ## What it does
    /// Reports a kubelet that does not protect the kernel's tunables: `protectKernelDefaults`
    /// not `true` in a KubeletConfiguration, or `--protect-kernel-defaults` not `true` on a
    /// kubelet command line (both default to `false`).
    ///
    /// Both places the kubelet reads settings from are checked: a KubeletConfiguration file
    /// (kubelet.config.k8s.io) in the repository, and the command line of a container that runs
    /// the kubelet. When that command line also passes `--config`, a missing flag is left to the
    /// configuration file.
    ///
    /// ## Why is this bad
    /// Without protection the kubelet silently changes kernel parameters that differ from what
    /// it expects, instead of failing so that the node's hardening is reviewed.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: kubelet.config.k8s.io/v1beta1
    /// kind: KubeletConfiguration
    /// protectKernelDefaults: false   # reported
    /// ```
    ///
    /// ## Options
    /// Reported only with `--legacy`, `--pack all` or `--rule-option control-plane.legacy=true`: current CIS
    /// versions no longer list it, but peers still check it.
    ///
    /// ## References
    /// - CIS Kubernetes Benchmark v1.6, 4.2.6: https://www.cisecurity.org/benchmark/kubernetes
    /// - https://kubernetes.io/docs/reference/config-api/kubelet-config.v1beta1/
    pub struct KubeletProtectKernelDefaults {
        id: "kubelet-protect-kernel-defaults",
        code: "KSPM808",
        title: "Kubelet may change kernel settings",
        severity: Low,
        target: Object,
        fix: Unsafe,
        help: "Set protectKernelDefaults: true (or --protect-kernel-defaults).",
        peers: {
            "checkov": ["CKV_K8S_144"],
            "trivy": ["KCV0083"],
            "kubescape": ["C-0177"],
        },
    }
}

impl Rule for KubeletProtectKernelDefaults {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_object(&self, cx: &RuleContext, obj: &ObjectView<'_>, out: &mut Sink) {
        if !cx.options.legacy {
            return;
        }
        if !is_kubelet_config(obj) {
            return;
        }
        match obj.root.get("protectKernelDefaults") {
            Some(n) if n.as_bool() == Some(true) => {}
            Some(n) => out.report(
                obj.path("protectKernelDefaults"),
                format!(
                    "KubeletConfiguration sets protectKernelDefaults: {}",
                    n.scalar_text().unwrap_or("")
                ),
            ),
            None => out.report(
                obj.path("protectKernelDefaults"),
                "KubeletConfiguration does not set protectKernelDefaults, which defaults to false",
            ),
        }
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
        let Some(k) = KubeletFlags::of(c) else {
            return;
        };
        if k.decides("protect-kernel-defaults") {
            k.flags
                .require_bool_fix(out, c, "protect-kernel-defaults", true, false);
        }
    }
}
