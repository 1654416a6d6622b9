//! CIS 4.2.11: Kubelet serving certificate rotation turned off.

use crate::declare_rule;
use crate::fix::{Fix, Val};
use crate::k8s::{ContainerView, KubeletFlags, ObjectView, PodSpecView, is_kubelet_config};
use crate::rule::{Rule, RuleContext, RuleMeta, Sink};

declare_rule! {
    /// ## What it does
    /// Reports a kubelet that turns the `RotateKubeletServerCertificate` feature gate off:
    /// `featureGates.RotateKubeletServerCertificate: false` in a KubeletConfiguration, or
    /// `RotateKubeletServerCertificate=false` in `--feature-gates` on a kubelet command line.
    /// The gate is on by default. CIS marks this recommendation Manual.
    ///
    /// Both places the kubelet reads settings from are checked: a KubeletConfiguration file
    /// (kubelet.config.k8s.io) in the repository, and the command line of a container that runs
    /// the kubelet. When that command line also passes `--config`, a missing flag is left to the
    /// configuration file.
    ///
    /// ## Why is this bad
    /// With the gate off the kubelet cannot renew its serving certificate through the API
    /// server and keeps a self-signed or long-lived one.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: kubelet.config.k8s.io/v1beta1
    /// kind: KubeletConfiguration
    /// featureGates:
    ///   RotateKubeletServerCertificate: false   # reported
    /// ```
    ///
    /// ## References
    /// - CIS Kubernetes Benchmark v1.12, 4.2.11: https://www.cisecurity.org/benchmark/kubernetes
    /// - https://kubernetes.io/docs/reference/config-api/kubelet-config.v1beta1/
    /// - https://kubernetes.io/docs/reference/command-line-tools-reference/kubelet/
    pub struct KubeletRotateServerCert {
        id: "kubelet-rotate-server-cert",
        code: "KSPM791",
        title: "Kubelet serving certificate rotation turned off",
        severity: Medium,
        target: Object,
        fix: Unsafe,
        help: "Remove RotateKubeletServerCertificate: false from the kubelet's feature gates.",
        peers: {
            "trivy": ["KCV0091"],
            "kubescape": ["C-0183"],
        },
    }
}

impl Rule for KubeletRotateServerCert {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_object(&self, _cx: &RuleContext, obj: &ObjectView<'_>, out: &mut Sink) {
        if !is_kubelet_config(obj) {
            return;
        }
        if let Some(n) = obj
            .root
            .get_path(&["featureGates", "RotateKubeletServerCertificate"])
            && n.as_bool() == Some(false)
        {
            out.report(
                obj.path("featureGates.RotateKubeletServerCertificate"),
                "KubeletConfiguration turns the RotateKubeletServerCertificate feature gate off",
            );
            out.with_fix(
                Fix::unsafe_("set featureGates.RotateKubeletServerCertificate: true").set(
                    obj.root,
                    obj.base,
                    &["featureGates", "RotateKubeletServerCertificate"],
                    Val::bool(true),
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
        if let Some((g, Some(false))) = k.flags.feature_gate("RotateKubeletServerCertificate") {
            out.report(
                g.value_path.clone(),
                format!(
                    "{} turns the RotateKubeletServerCertificate feature gate off",
                    k.flags.who
                ),
            );
            let fix = Fix::unsafe_("set RotateKubeletServerCertificate=true in --feature-gates");
            out.with_fix(
                k.flags
                    .set_gate(c, fix, g, "RotateKubeletServerCertificate", true),
            );
        }
    }
}
