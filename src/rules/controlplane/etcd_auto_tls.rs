//! CIS 2.3: etcd uses self-signed client certificates.

use crate::declare_rule;
use crate::k8s::{Component, ContainerView, Flags, PodSpecView};
use crate::rule::{Rule, RuleContext, RuleMeta, Sink};

declare_rule! {
    /// ## What it does
    /// Reports an etcd container whose `--auto-tls` is not `false` (a bare `--auto-tls` means
    /// `true`). A missing flag passes (the default is `false`).
    /// etcd also reads `ETCD_<FLAG>` environment variables (the command line wins); an etcd
    /// started with `--config-file` ignores both and is not checked.
    ///
    /// ## Why is this bad
    /// With `--auto-tls` etcd generates a self-signed serving certificate that clients cannot
    /// verify, so a man in the middle goes unnoticed.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: etcd
    ///   namespace: kube-system
    /// spec:
    ///   containers:
    ///     - name: etcd
    ///       image: registry.k8s.io/etcd:3.5.16-0
    ///       command:
    ///         - etcd
    ///         - --auto-tls=true   # reported
    /// ```
    ///
    /// ## References
    /// - CIS Kubernetes Benchmark v1.12, 2.3: https://www.cisecurity.org/benchmark/kubernetes
    /// - https://etcd.io/docs/v3.5/op-guide/security/
    pub struct EtcdAutoTls {
        id: "etcd-auto-tls",
        code: "KSPM763",
        title: "etcd uses self-signed client certificates",
        severity: Medium,
        target: Container,
        fix: Unsafe,
        help: "Remove --auto-tls from etcd and configure real certificates.",
        peers: {
            "checkov": ["CKV_K8S_118"],
            "trivy": ["KCV0044"],
            "kubescape": ["C-0155"],
        },
    }
}

impl Rule for EtcdAutoTls {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_container(
        &self,
        _cx: &RuleContext,
        _pod: &PodSpecView<'_>,
        c: &ContainerView<'_>,
        out: &mut Sink,
    ) {
        let Some(f) = Flags::for_component(c, Component::Etcd) else {
            return;
        };
        f.require_bool_fix(out, c, "auto-tls", false, false);
    }
}
