//! CIS 2.5: etcd does not authenticate peers.

use crate::declare_rule;
use crate::k8s::{Component, ContainerView, Flags, PodSpecView};
use crate::rule::{Rule, RuleContext, RuleMeta, Sink};

declare_rule! {
    /// ## What it does
    /// Reports an etcd container whose `--peer-client-cert-auth` is not `true` (a bare `--peer-client-cert-auth` means
    /// `true`). It defaults to `false`, so a missing flag is reported on `command`.
    /// etcd also reads `ETCD_<FLAG>` environment variables (the command line wins); an etcd
    /// started with `--config-file` ignores both and is not checked.
    ///
    /// ## Why is this bad
    /// Without peer certificate authentication any host that reaches the peer port can join
    /// the cluster as a member and receive a full copy of the data.
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
    ///         - --peer-client-cert-auth=false   # reported
    /// ```
    ///
    /// ## References
    /// - CIS Kubernetes Benchmark v1.12, 2.5: https://www.cisecurity.org/benchmark/kubernetes
    /// - https://etcd.io/docs/v3.5/op-guide/security/
    pub struct EtcdPeerClientCertAuth {
        id: "etcd-peer-client-cert-auth",
        code: "KSPM765",
        title: "etcd does not authenticate peers",
        severity: High,
        target: Container,
        fix: Unsafe,
        help: "Set --peer-client-cert-auth=true on etcd.",
        peers: {
            "checkov": ["CKV_K8S_121"],
            "trivy": ["KCV0046"],
            "kubescape": ["C-0157"],
        },
    }
}

impl Rule for EtcdPeerClientCertAuth {
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
        f.require_bool_fix(out, c, "peer-client-cert-auth", true, false);
    }
}
