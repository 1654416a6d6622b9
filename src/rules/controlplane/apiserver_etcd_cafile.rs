//! CIS 1.2.26: API server does not verify etcd's certificate.

use crate::declare_rule;
use crate::k8s::{Component, ContainerView, Flags, PodSpecView};
use crate::rule::{Rule, RuleContext, RuleMeta, Sink};

declare_rule! {
    /// ## What it does
    /// Reports a kube-apiserver container that does not set `--etcd-cafile`: one finding on `command`
    /// for what is missing, or on the item of a flag given without a value.
    ///
    /// ## Why is this bad
    /// Without the etcd CA the API server cannot verify that it talks to the real etcd; an
    /// attacker on the path could serve it forged cluster state or read what it writes.
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
    ///         - --etcd-certfile=/etc/kubernetes/pki/apiserver-etcd-client.crt
    ///         - --etcd-keyfile=/etc/kubernetes/pki/apiserver-etcd-client.key
    ///         - # no --etcd-cafile: reported on command
    /// ```
    ///
    /// ## References
    /// - CIS Kubernetes Benchmark v1.12, 1.2.26: https://www.cisecurity.org/benchmark/kubernetes
    /// - https://kubernetes.io/docs/reference/command-line-tools-reference/kube-apiserver/
    pub struct ApiserverEtcdCafile {
        id: "apiserver-etcd-cafile",
        code: "KSPM726",
        title: "API server does not verify etcd's certificate",
        severity: High,
        target: Container,
        fix: Display,
        help: "Set --etcd-cafile on kube-apiserver.",
        peers: {
            "checkov": ["CKV_K8S_102"],
            "trivy": ["KCV0029"],
            "kubescape": ["C-0140"],
        },
    }
}

impl Rule for ApiserverEtcdCafile {
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
        f.require_paths_fix(out, c, &["etcd-cafile"]);
    }
}
