//! CIS 4.2.9: Kubelet serving certificate not set.

use crate::declare_rule;
use crate::k8s::{ContainerView, KubeletFlags, ObjectView, PodSpecView, is_kubelet_config};
use crate::rule::{Rule, RuleContext, RuleMeta, Sink};

declare_rule! {
    /// ## What it does
    /// Reports a kubelet without a serving certificate and key: a KubeletConfiguration that
    /// does not set both `tlsCertFile` and `tlsPrivateKeyFile`, or a kubelet command line without
    /// `--tls-cert-file` and `--tls-private-key-file`. A kubelet that bootstraps its serving
    /// certificate from the API server (`serverTLSBootstrap: true`, or
    /// `--rotate-server-certificates`) is exempt. CIS marks this recommendation Manual.
    ///
    /// Both places the kubelet reads settings from are checked: a KubeletConfiguration file
    /// (kubelet.config.k8s.io) in the repository, and the command line of a container that runs
    /// the kubelet. When that command line also passes `--config`, a missing flag is left to the
    /// configuration file.
    ///
    /// ## Why is this bad
    /// Without a certificate the kubelet generates a self-signed one that the API server and
    /// other clients cannot verify, so connections to it can be intercepted.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: kubelet.config.k8s.io/v1beta1
    /// kind: KubeletConfiguration
    /// tlsCertFile: /var/lib/kubelet/pki/kubelet.crt
    /// # no tlsPrivateKeyFile: reported on the object
    /// ```
    ///
    /// ## References
    /// - CIS Kubernetes Benchmark v1.12, 4.2.9: https://www.cisecurity.org/benchmark/kubernetes
    /// - https://kubernetes.io/docs/reference/config-api/kubelet-config.v1beta1/
    /// - https://kubernetes.io/docs/reference/command-line-tools-reference/kubelet/
    pub struct KubeletTlsCerts {
        id: "kubelet-tls-certs",
        code: "KSPM789",
        title: "Kubelet serving certificate not set",
        severity: Medium,
        target: Object,
        fix: Display,
        help: "Set tlsCertFile and tlsPrivateKeyFile, or serverTLSBootstrap: true.",
        peers: {
            "checkov": ["CKV_K8S_148"],
            "trivy": ["KCV0088", "KCV0089"],
            "kubescape": ["C-0181"],
        },
    }
}

impl Rule for KubeletTlsCerts {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_object(&self, _cx: &RuleContext, obj: &ObjectView<'_>, out: &mut Sink) {
        if !is_kubelet_config(obj) {
            return;
        }
        if obj.root.get("serverTLSBootstrap").and_then(|n| n.as_bool()) == Some(true) {
            return;
        }
        let unset = |k: &str| {
            obj.root
                .get(k)
                .and_then(|n| n.scalar_text())
                .is_none_or(|v| v.trim().is_empty())
        };
        let missing: Vec<&str> = ["tlsCertFile", "tlsPrivateKeyFile"]
            .into_iter()
            .filter(|k| unset(k))
            .collect();
        if let Some(first) = missing.first() {
            out.report(
                obj.path(first),
                format!("KubeletConfiguration does not set {}", missing.join(" or ")),
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
        if k.flags
            .last("rotate-server-certificates")
            .and_then(|f| f.as_bool())
            == Some(true)
        {
            return;
        }
        if k.uses_config {
            // The configuration file may supply what the command line leaves out.
            for name in ["tls-cert-file", "tls-private-key-file"] {
                if k.flags.has(name) {
                    k.flags.require_paths_fix(out, c, &[name]);
                }
            }
        } else {
            k.flags
                .require_paths_fix(out, c, &["tls-cert-file", "tls-private-key-file"]);
        }
    }
}
