//! CIS 1.2.28: Secrets written unencrypted by the EncryptionConfiguration.

use crate::declare_rule;
use crate::k8s::ObjectView;
use crate::rule::{Rule, RuleContext, RuleMeta, Sink};
use crate::yaml::Node;

declare_rule! {
    /// ## What it does
    /// Reads an EncryptionConfiguration (apiserver.config.k8s.io, or the older
    /// apiserver.k8s.io and core `EncryptionConfig` forms) and reports:
    /// - each `resources[]` entry whose first provider is `identity`, on that provider: the
    ///   first provider is the one new writes use, and `identity` writes plain text;
    /// - an entry with no providers;
    /// - a configuration in which no entry covers `secrets` (by name, `*.` or `*.*`), on
    ///   `resources`.
    ///
    /// CIS marks this recommendation Manual. The flag that points the API server at the
    /// file is checked by `apiserver-encryption-provider-config`.
    ///
    /// ## Why is this bad
    /// With `identity` first, Secrets are stored in etcd in plain text even though an
    /// encryption configuration exists: anyone with an etcd backup reads every credential.
    /// A later `aescbc`, `secretbox` or `kms` provider only decrypts old data.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: apiserver.config.k8s.io/v1
    /// kind: EncryptionConfiguration
    /// resources:
    ///   - resources: [secrets]
    ///     providers:
    ///       - identity: {}   # reported
    ///       - aescbc:
    ///           keys:
    ///             - name: key1
    ///               secret: <base64 key>
    /// ```
    ///
    /// ## Differences from peers
    /// Checkov's CKV_K8S_104 carries this CIS item's title but only checks that the API
    /// server has `--encryption-provider-config`; it is listed as a peer of
    /// `apiserver-encryption-provider-config`. kube-bench accepts only `aescbc`, `kms` and
    /// `secretbox` as the first provider; kspm reports `identity`, the provider that does not
    /// encrypt, and leaves the choice among real ciphers (such as `aesgcm` with rotated
    /// keys) to the operator.
    ///
    /// ## References
    /// - CIS Kubernetes Benchmark v1.12, 1.2.28: https://www.cisecurity.org/benchmark/kubernetes
    /// - https://kubernetes.io/docs/tasks/administer-cluster/encrypt-data/
    pub struct EncryptionProviderIdentity {
        id: "encryption-provider-identity",
        code: "KSPM728",
        title: "Secrets written unencrypted",
        severity: High,
        target: Object,
        help: "Put aescbc, secretbox or kms before identity in the providers list for secrets.",
        peers: {
            "kubescape": ["C-0142"],
        },
    }
}

/// Whether `obj` is an encryption configuration in any of its historical forms.
fn is_encryption_config(obj: &ObjectView<'_>) -> bool {
    matches!(
        (obj.group(), obj.kind()),
        (
            "apiserver.config.k8s.io" | "apiserver.k8s.io",
            "EncryptionConfiguration" | "EncryptionConfig"
        ) | ("", "EncryptionConfig")
    )
}

/// The resource names an entry lists.
fn resource_names(entry: &Node) -> Vec<&str> {
    entry
        .get("resources")
        .map(Node::items)
        .unwrap_or(&[])
        .iter()
        .filter_map(Node::as_str)
        .collect()
}

impl Rule for EncryptionProviderIdentity {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_object(&self, _cx: &RuleContext, obj: &ObjectView<'_>, out: &mut Sink) {
        if !is_encryption_config(obj) {
            return;
        }
        let base = obj.path("resources");
        let entries = obj.root.get("resources").map(Node::items).unwrap_or(&[]);
        let mut covers_secrets = false;
        for (i, entry) in entries.iter().enumerate() {
            let names = resource_names(entry);
            covers_secrets |= names.iter().any(|n| matches!(*n, "secrets" | "*." | "*.*"));
            let what = if names.is_empty() {
                "(no resources)".to_string()
            } else {
                names.join(", ")
            };
            let providers = entry.get("providers").map(Node::items).unwrap_or(&[]);
            let Some(first) = providers.first() else {
                out.report(
                    base.index(i).key("providers"),
                    format!("the encryption entry for {what} lists no providers"),
                );
                continue;
            };
            let name = first.entries().first().map_or("", |e| e.key_str.as_str());
            if name == "identity" {
                out.report(
                    base.index(i).key("providers").index(0),
                    format!("{what} are written unencrypted: the first provider is identity"),
                );
            }
        }
        if !covers_secrets {
            out.report(
                base,
                "the EncryptionConfiguration has no entry for secrets, so they are stored unencrypted",
            );
        }
    }
}
