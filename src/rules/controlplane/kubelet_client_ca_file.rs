//! CIS 4.2.3: Kubelet does not verify client certificates.

use crate::declare_rule;
use crate::k8s::{ContainerView, KubeletFlags, ObjectView, PodSpecView, is_kubelet_config};
use crate::rule::{Rule, RuleContext, RuleMeta, Sink};

declare_rule! {
    /// ## What it does
    /// Reports a kubelet without a client CA: a KubeletConfiguration that does not set
    /// `authentication.x509.clientCAFile` (reported at the nearest existing parent), or a kubelet
    /// command line without `--client-ca-file`.
    ///
    /// Both places the kubelet reads settings from are checked: a KubeletConfiguration file
    /// (kubelet.config.k8s.io) in the repository, and the command line of a container that runs
    /// the kubelet. When that command line also passes `--config`, a missing flag is left to the
    /// configuration file.
    ///
    /// ## Why is this bad
    /// Without the CA the kubelet cannot authenticate the API server's client certificate, so
    /// it cannot tell the control plane from any other caller of its API.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: kubelet.config.k8s.io/v1beta1
    /// kind: KubeletConfiguration
    /// authentication:
    ///   webhook:
    ///     enabled: true
    /// # no x509.clientCAFile: reported on authentication
    /// ```
    ///
    /// ## References
    /// - CIS Kubernetes Benchmark v1.12, 4.2.3: https://www.cisecurity.org/benchmark/kubernetes
    /// - https://kubernetes.io/docs/reference/config-api/kubelet-config.v1beta1/
    /// - https://kubernetes.io/docs/reference/command-line-tools-reference/kubelet/
    pub struct KubeletClientCaFile {
        id: "kubelet-client-ca-file",
        code: "KSPM783",
        title: "Kubelet does not verify client certificates",
        severity: High,
        target: Object,
        fix: Display,
        help: "Set authentication.x509.clientCAFile (or --client-ca-file).",
        peers: {
            "checkov": ["CKV_K8S_140"],
            "trivy": ["KCV0081"],
            "kubescape": ["C-0174"],
        },
    }
}

impl Rule for KubeletClientCaFile {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_object(&self, _cx: &RuleContext, obj: &ObjectView<'_>, out: &mut Sink) {
        if !is_kubelet_config(obj) {
            return;
        }
        let ca = obj
            .root
            .get_path(&["authentication", "x509", "clientCAFile"])
            .and_then(|n| n.scalar_text())
            .unwrap_or("");
        if ca.trim().is_empty() {
            out.report(
                obj.path("authentication.x509.clientCAFile"),
                "KubeletConfiguration does not set authentication.x509.clientCAFile",
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
        if k.decides("client-ca-file") {
            k.flags.require_paths_fix(out, c, &["client-ca-file"]);
        }
    }
}
