//! CIS 1.2.27: Secrets not encrypted at rest.

use crate::declare_rule;
use crate::k8s::{Component, ContainerView, Flags, PodSpecView};
use crate::rule::{Rule, RuleContext, RuleMeta, Sink};

declare_rule! {
    /// ## What it does
    /// Reports a kube-apiserver container without `--encryption-provider-config`. CIS marks
    /// this recommendation Manual. The rule `encryption-provider-identity` checks the
    /// EncryptionConfiguration file itself when it is in the repository.
    ///
    /// ## Why is this bad
    /// Without an encryption configuration, Secrets are stored in etcd in plain text: anyone
    /// who reads an etcd backup or the etcd data directory reads every credential in the cluster.
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
    ///         - # no --encryption-provider-config: reported on command
    /// ```
    ///
    /// ## Differences from peers
    /// Checkov's CKV_K8S_104 ("encryption providers are appropriately configured", CIS 1.2.28)
    /// only checks that this flag is present, so it is listed as a peer of this rule.
    ///
    /// ## References
    /// - CIS Kubernetes Benchmark v1.12, 1.2.27: https://www.cisecurity.org/benchmark/kubernetes
    /// - https://kubernetes.io/docs/reference/command-line-tools-reference/kube-apiserver/
    /// - https://kubernetes.io/docs/tasks/administer-cluster/encrypt-data/
    pub struct ApiserverEncryptionProviderConfig {
        id: "apiserver-encryption-provider-config",
        code: "KSPM727",
        title: "Secrets not encrypted at rest",
        severity: Medium,
        target: Container,
        fix: Display,
        help: "Set --encryption-provider-config to an EncryptionConfiguration that encrypts secrets.",
        peers: {
            "checkov": ["CKV_K8S_104"],
            "trivy": ["KCV0030"],
            "kubescape": ["C-0141"],
        },
    }
}

impl Rule for ApiserverEncryptionProviderConfig {
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
        f.require_paths_fix(out, c, &["encryption-provider-config"]);
    }
}
