//! CIS 4.2.14: Kubelet does not default to RuntimeDefault seccomp.

use crate::declare_rule;
use crate::k8s::{ContainerView, KubeletFlags, ObjectView, PodSpecView, is_kubelet_config};
use crate::rule::{Rule, RuleContext, RuleMeta, Sink};

declare_rule! {
    /// ## What it does
    /// Reports a kubelet that does not apply the runtime's default seccomp profile to pods that
    /// ask for none: `seccompDefault` not `true` in a KubeletConfiguration (the default is
    /// `false`, reported at the nearest existing parent), or `--seccomp-default` not `true` on a
    /// kubelet command line. CIS marks this recommendation Manual.
    ///
    /// Both places the kubelet reads settings from are checked: a KubeletConfiguration file
    /// (kubelet.config.k8s.io) in the repository, and the command line of a container that runs
    /// the kubelet. When that command line also passes `--config`, a missing flag is left to the
    /// configuration file.
    ///
    /// ## Why is this bad
    /// Without the default, every pod that does not set a seccomp profile runs `Unconfined`,
    /// with the whole system call surface of the kernel open to it.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: kubelet.config.k8s.io/v1beta1
    /// kind: KubeletConfiguration
    /// seccompDefault: false   # reported
    /// ```
    ///
    /// ## References
    /// - CIS Kubernetes Benchmark v1.12, 4.2.14: https://www.cisecurity.org/benchmark/kubernetes
    /// - https://kubernetes.io/docs/reference/config-api/kubelet-config.v1beta1/
    /// - https://kubernetes.io/docs/reference/command-line-tools-reference/kubelet/
    pub struct KubeletSeccompDefault {
        id: "kubelet-seccomp-default",
        code: "KSPM794",
        title: "Kubelet does not default to RuntimeDefault seccomp",
        severity: Low,
        target: Object,
        fix: Unsafe,
        help: "Set seccompDefault: true (or --seccomp-default).",
        peers: {},
    }
}

impl Rule for KubeletSeccompDefault {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_object(&self, _cx: &RuleContext, obj: &ObjectView<'_>, out: &mut Sink) {
        if !is_kubelet_config(obj) {
            return;
        }
        match obj.root.get("seccompDefault") {
            Some(n) if n.as_bool() == Some(true) => {}
            Some(n) => out.report(
                obj.path("seccompDefault"),
                format!(
                    "KubeletConfiguration sets seccompDefault: {}",
                    n.scalar_text().unwrap_or("")
                ),
            ),
            None => out.report(
                obj.path("seccompDefault"),
                "KubeletConfiguration does not set seccompDefault, which defaults to false",
            ),
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
        if k.decides("seccomp-default") {
            k.flags
                .require_bool_fix(out, c, "seccomp-default", true, false);
        }
    }
}
