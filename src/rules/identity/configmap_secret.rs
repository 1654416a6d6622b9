//! Secret material stored in a ConfigMap.

use crate::declare_rule;
use crate::k8s::ObjectView;
use crate::k8s::secrets::{classify, decode_base64, secret_material, sensitive_name};
use crate::rule::{Rule, RuleContext, RuleMeta, Sink};
use crate::yaml::Node;

declare_rule! {
    /// ## What it does
    /// Reports each entry of a ConfigMap's `data` or `binaryData` that holds a credential,
    /// with the same tests as `hardcoded-secret-env`: the value contains a PEM private key
    /// or an AWS access key id, or the key looks like a credential name (`password`,
    /// `secret`, `token`, `api_key`, `credential`, `AWS_SECRET_ACCESS_KEY`,
    /// `AZURE_*KEY`, `OCI_CLI_KEY_CONTENT`, ...) and the value is a literal. `binaryData`
    /// values are base64-decoded before they are searched. The finding points at the key;
    /// the message never repeats the value.
    ///
    /// ## Why is this bad
    /// ConfigMaps are meant for non-confidential configuration: they are readable by
    /// anyone with `get` on ConfigMaps in the namespace (a permission handed out freely),
    /// are not encrypted at rest by a typical encryption configuration, and are printed
    /// by `kubectl describe`. A credential stored there is also committed to the
    /// repository with the manifest.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: v1
    /// kind: ConfigMap
    /// metadata:
    ///   name: app
    /// data:
    ///   db_user: app                # passes
    ///   db_password: hunter2        # reported
    ///   tls.key: |                  # reported: a private key
    ///     -----BEGIN PRIVATE KEY-----
    ///     ...
    /// ```
    ///
    /// ## References
    /// - NSA/CISA Kubernetes Hardening Guidance, "Secrets"
    /// - https://kubernetes.io/docs/concepts/configuration/configmap/
    pub struct ConfigmapSecret {
        id: "configmap-secret",
        code: "KSPM212",
        title: "Secret material in a ConfigMap",
        severity: High,
        target: Object,
        help: "Move the entry into a Secret (or an external secret store) and rotate the exposed credential.",
        peers: {
            "trivy": ["KSV01010", "KSV109"],
            "polaris": ["sensitiveConfigmapContent"],
            "kubescape": ["C-0012"],
        },
    }
}

impl Rule for ConfigmapSecret {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_object(&self, _cx: &RuleContext, obj: &ObjectView<'_>, out: &mut Sink) {
        if obj.kind() != "ConfigMap" || obj.group() != "" {
            return;
        }
        let cm = obj.name().unwrap_or("");
        for field in ["data", "binaryData"] {
            let Some(data) = obj.root.get(field) else {
                continue;
            };
            for e in data.entries() {
                let key = e.key_str.as_str();
                let Some(raw) = Some(&e.value)
                    .filter(|n| !n.is_null())
                    .and_then(Node::scalar_text)
                else {
                    continue;
                };
                let why = if field == "binaryData" {
                    let decoded = decode_base64(raw)
                        .map(|b| String::from_utf8_lossy(&b).into_owned())
                        .unwrap_or_default();
                    match secret_material(&decoded) {
                        Some(what) => Some(format!("holds {what} (****)")),
                        None => (sensitive_name(key) && !decoded.trim().is_empty())
                            .then(|| "has a credential-like key and a value (****)".to_string()),
                    }
                } else {
                    classify(key, raw)
                };
                let Some(why) = why else {
                    continue;
                };
                // Underline the key only: the default span would cover the secret itself.
                out.report_secret(
                    obj.path(field).key(key),
                    e.key.span,
                    e.value.span,
                    format!("ConfigMap \"{cm}\" {field} entry \"{key}\" {why}"),
                );
            }
        }
    }
}
