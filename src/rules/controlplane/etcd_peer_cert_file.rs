//! CIS 2.4: etcd peer TLS not configured.

use crate::declare_rule;
use crate::k8s::{Component, ContainerView, Flags, PodSpecView};
use crate::rule::{Rule, RuleContext, RuleMeta, Sink};

declare_rule! {
    /// ## What it does
    /// Reports an etcd container that does not set `--peer-cert-file` and `--peer-key-file`: one
    /// finding on `command` for what is missing, or on the item of a flag without a value.
    /// etcd also reads `ETCD_<FLAG>` environment variables (the command line wins); an etcd
    /// started with `--config-file` ignores both and is not checked.
    ///
    /// ## Why is this bad
    /// Without peer certificates etcd members replicate the whole database to each other in
    /// plain text.
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
    ///         - --initial-cluster=master-1=https://10.0.0.11:2380
    ///         - # no --peer-cert-file or --peer-key-file: reported on command
    /// ```
    ///
    /// ## References
    /// - CIS Kubernetes Benchmark v1.12, 2.4: https://www.cisecurity.org/benchmark/kubernetes
    /// - https://etcd.io/docs/v3.5/op-guide/security/
    pub struct EtcdPeerCertFile {
        id: "etcd-peer-cert-file",
        code: "KSPM764",
        title: "etcd peer TLS not configured",
        severity: High,
        target: Container,
        fix: Display,
        help: "Set --peer-cert-file and --peer-key-file on etcd.",
        peers: {
            "checkov": ["CKV_K8S_119"],
            "trivy": ["KCV0045"],
            "kubescape": ["C-0156"],
        },
    }
}

impl Rule for EtcdPeerCertFile {
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
        f.require_paths_fix(out, c, &["peer-cert-file", "peer-key-file"]);
    }
}
