//! CIS 2.6: etcd uses self-signed peer certificates.

use crate::declare_rule;
use crate::k8s::{Component, ContainerView, Flags, PodSpecView};
use crate::rule::{Rule, RuleContext, RuleMeta, Sink};

declare_rule! {
    /// ## What it does
    /// Reports an etcd container whose `--peer-auto-tls` is not `false` (a bare `--peer-auto-tls` means
    /// `true`). A missing flag passes (the default is `false`).
    /// etcd also reads `ETCD_<FLAG>` environment variables (the command line wins); an etcd
    /// started with `--config-file` ignores both and is not checked.
    ///
    /// ## Why is this bad
    /// With `--peer-auto-tls` members use self-signed certificates that cannot be verified, so
    /// peer traffic can be intercepted.
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
    ///         - --peer-auto-tls=true   # reported
    /// ```
    ///
    /// ## References
    /// - CIS Kubernetes Benchmark v1.12, 2.6: https://www.cisecurity.org/benchmark/kubernetes
    /// - https://etcd.io/docs/v3.5/op-guide/security/
    pub struct EtcdPeerAutoTls {
        id: "etcd-peer-auto-tls",
        code: "KSPM766",
        title: "etcd uses self-signed peer certificates",
        severity: Medium,
        target: Container,
        fix: Unsafe,
        help: "Remove --peer-auto-tls from etcd and configure real certificates.",
        peers: {
            "trivy": ["KCV0047"],
            "kubescape": ["C-0158"],
        },
    }
}

impl Rule for EtcdPeerAutoTls {
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
        f.require_bool_fix(out, c, "peer-auto-tls", false, false);
    }
}
