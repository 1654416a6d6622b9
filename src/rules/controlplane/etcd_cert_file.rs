//! CIS 2.1: etcd client TLS not configured.

use crate::declare_rule;
use crate::k8s::{Component, ContainerView, Flags, PodSpecView};
use crate::rule::{Rule, RuleContext, RuleMeta, Sink};

declare_rule! {
    /// ## What it does
    /// Reports an etcd container that does not set `--cert-file` and `--key-file`: one
    /// finding on `command` for what is missing, or on the item of a flag without a value.
    /// etcd also reads `ETCD_<FLAG>` environment variables (the command line wins); an etcd
    /// started with `--config-file` ignores both and is not checked.
    ///
    /// ## Why is this bad
    /// Without a serving certificate etcd talks to its clients in plain text: everything the
    /// API server stores, Secrets included, crosses the network readable.
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
    ///         - --listen-client-urls=https://127.0.0.1:2379
    ///         - # no --cert-file or --key-file: reported on command
    /// ```
    ///
    /// ## References
    /// - CIS Kubernetes Benchmark v1.12, 2.1: https://www.cisecurity.org/benchmark/kubernetes
    /// - https://etcd.io/docs/v3.5/op-guide/security/
    pub struct EtcdCertFile {
        id: "etcd-cert-file",
        code: "KSPM761",
        title: "etcd client TLS not configured",
        severity: High,
        target: Container,
        fix: Display,
        help: "Set --cert-file and --key-file on etcd.",
        peers: {
            "checkov": ["CKV_K8S_116"],
            "trivy": ["KCV0042"],
            "kubescape": ["C-0153"],
        },
    }
}

impl Rule for EtcdCertFile {
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
        f.require_paths_fix(out, c, &["cert-file", "key-file"]);
    }
}
