//! CIS 2.2: etcd does not authenticate clients.

use crate::declare_rule;
use crate::k8s::{Component, ContainerView, Flags, PodSpecView};
use crate::rule::{Rule, RuleContext, RuleMeta, Sink};

declare_rule! {
    /// ## What it does
    /// Reports an etcd container whose `--client-cert-auth` is not `true` (a bare `--client-cert-auth` means
    /// `true`). It defaults to `false`, so a missing flag is reported on `command`.
    /// etcd also reads `ETCD_<FLAG>` environment variables (the command line wins); an etcd
    /// started with `--config-file` ignores both and is not checked.
    ///
    /// ## Why is this bad
    /// Without client certificate authentication anyone who can reach etcd's client port reads
    /// and writes the whole cluster state, bypassing the API server's authentication,
    /// authorization and admission.
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
    ///         - --client-cert-auth=false   # reported
    /// ```
    ///
    /// ## References
    /// - CIS Kubernetes Benchmark v1.12, 2.2: https://www.cisecurity.org/benchmark/kubernetes
    /// - https://etcd.io/docs/v3.5/op-guide/security/
    pub struct EtcdClientCertAuth {
        id: "etcd-client-cert-auth",
        code: "KSPM762",
        title: "etcd does not authenticate clients",
        severity: High,
        target: Container,
        fix: Unsafe,
        help: "Set --client-cert-auth=true on etcd.",
        peers: {
            "checkov": ["CKV_K8S_117"],
            "trivy": ["KCV0043"],
            "kubescape": ["C-0154"],
        },
    }
}

impl Rule for EtcdClientCertAuth {
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
        f.require_bool_fix(out, c, "client-cert-auth", true, false);
    }
}
