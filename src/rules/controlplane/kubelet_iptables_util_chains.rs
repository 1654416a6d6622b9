//! CIS 4.2.6: Kubelet does not manage iptables chains.

use crate::declare_rule;
use crate::k8s::{
    ContainerView, KubeletFlags, ObjectView, PodSpecView, forbid_kubelet_config_false,
};
use crate::rule::{Rule, RuleContext, RuleMeta, Sink};

declare_rule! {
    /// ## What it does
    /// Reports a kubelet that does not manage its iptables utility chains:
    /// `makeIPTablesUtilChains: false` in a KubeletConfiguration, or
    /// `--make-iptables-util-chains` set to anything but `true` on a kubelet command line. The
    /// default is `true`, so a missing setting passes.
    ///
    /// Both places the kubelet reads settings from are checked: a KubeletConfiguration file
    /// (kubelet.config.k8s.io) in the repository, and the command line of a container that runs
    /// the kubelet. When that command line also passes `--config`, a missing flag is left to the
    /// configuration file.
    ///
    /// ## Why is this bad
    /// The kubelet keeps the chains that drop martian and marked packets in step with pod
    /// networking; without them, hand-made rules drift and traffic the cluster expects to be
    /// dropped may pass.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: kubelet.config.k8s.io/v1beta1
    /// kind: KubeletConfiguration
    /// makeIPTablesUtilChains: false   # reported
    /// ```
    ///
    /// ## References
    /// - CIS Kubernetes Benchmark v1.12, 4.2.6: https://www.cisecurity.org/benchmark/kubernetes
    /// - https://kubernetes.io/docs/reference/config-api/kubelet-config.v1beta1/
    /// - https://kubernetes.io/docs/reference/command-line-tools-reference/kubelet/
    pub struct KubeletIptablesUtilChains {
        id: "kubelet-iptables-util-chains",
        code: "KSPM786",
        title: "Kubelet does not manage iptables chains",
        severity: Low,
        target: Object,
        fix: Unsafe,
        help: "Remove makeIPTablesUtilChains: false (or --make-iptables-util-chains=false).",
        peers: {
            "checkov": ["CKV_K8S_145"],
            "trivy": ["KCV0084"],
            "kubescape": ["C-0178"],
        },
    }
}

impl Rule for KubeletIptablesUtilChains {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_object(&self, _cx: &RuleContext, obj: &ObjectView<'_>, out: &mut Sink) {
        forbid_kubelet_config_false(obj, "makeIPTablesUtilChains", out);
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
        k.flags
            .require_bool_fix(out, c, "make-iptables-util-chains", true, true);
    }
}
