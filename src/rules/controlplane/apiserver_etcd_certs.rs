//! CIS 1.2.23: API server has no etcd client certificate.

use crate::declare_rule;
use crate::k8s::{Component, ContainerView, Flags, PodSpecView};
use crate::rule::{Rule, RuleContext, RuleMeta, Sink};

declare_rule! {
    /// ## What it does
    /// Reports a kube-apiserver container that does not set `--etcd-certfile` and `--etcd-keyfile`: one finding on `command`
    /// for what is missing, or on the item of a flag given without a value.
    ///
    /// ## Why is this bad
    /// etcd holds every object of the cluster, Secrets included. Without a client certificate
    /// the API server cannot authenticate to etcd, which must then accept unauthenticated
    /// clients.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: kube-apiserver
    ///   namespace: kube-system
    /// spec:
    ///   containers:
    ///     - name: kube-apiserver
    ///       image: registry.k8s.io/kube-apiserver:v1.32.0
    ///       command:
    ///         - kube-apiserver
    ///         - --etcd-servers=https://127.0.0.1:2379
    ///         - # no --etcd-certfile or --etcd-keyfile: reported on command
    /// ```
    ///
    /// ## References
    /// - CIS Kubernetes Benchmark v1.12, 1.2.23: https://www.cisecurity.org/benchmark/kubernetes
    /// - https://kubernetes.io/docs/reference/command-line-tools-reference/kube-apiserver/
    pub struct ApiserverEtcdCerts {
        id: "apiserver-etcd-certs",
        code: "KSPM723",
        title: "API server has no etcd client certificate",
        severity: High,
        target: Container,
        fix: Display,
        help: "Set --etcd-certfile and --etcd-keyfile on kube-apiserver.",
        peers: {
            "checkov": ["CKV_K8S_99"],
            "trivy": ["KCV0026"],
            "kubescape": ["C-0137"],
        },
    }
}

impl Rule for ApiserverEtcdCerts {
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
        let Some(f) = Flags::for_component(c, Component::ApiServer) else {
            return;
        };
        f.require_paths_fix(out, c, &["etcd-certfile", "etcd-keyfile"]);
    }
}
