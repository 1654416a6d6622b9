//! Secret exposed through environment variables (CIS 5.4.1).

use crate::declare_rule;
use crate::k8s::{ContainerView, PodSpecView};
use crate::rule::{Rule, RuleContext, RuleMeta, Sink};
use crate::yaml::Node;

declare_rule! {
    /// ## What it does
    /// Reports every `env[*].valueFrom.secretKeyRef` and every `envFrom[*].secretRef` of
    /// containers, init containers and ephemeral containers. The finding points at the
    /// reference.
    ///
    /// ## Why is this bad
    /// Environment variables leak: they are inherited by every child process, printed by
    /// crash handlers and debug endpoints, written to logs, and readable from
    /// `/proc/<pid>/environ` by anything sharing the PID namespace. They also never change
    /// until the pod restarts. A Secret mounted as a file can be given tight permissions
    /// and is refreshed in place when the Secret changes.
    ///
    /// ## Example
    /// ```yaml
    /// spec:
    ///   containers:
    ///     - name: app
    ///       image: registry.example/app:1.2
    ///       env:
    ///         - name: DB_PASSWORD
    ///           valueFrom:
    ///             secretKeyRef:        # reported
    ///               name: db
    ///               key: password
    ///       envFrom:
    ///         - secretRef:             # reported
    ///             name: api-keys
    /// ```
    ///
    /// ## References
    /// - CIS Kubernetes Benchmark v1.12, 5.4.1: https://www.cisecurity.org/benchmark/kubernetes
    /// - https://kubernetes.io/docs/concepts/configuration/secret/#using-secrets-as-files-from-a-pod
    pub struct SecretEnvRef {
        id: "secret-env-ref",
        code: "KSPM210",
        title: "Secret exposed as an environment variable",
        severity: Low,
        target: Container,
        help: "Mount the Secret as a volume and read it from the file instead.",
        peers: {
            "checkov": ["CKV_K8S_35"],
            "kube-linter": ["read-secret-from-env-var"],
            "kubescape": ["C-0207"],
        },
    }
}

fn text<'a>(n: &'a Node, key: &str) -> &'a str {
    n.get(key).and_then(Node::scalar_text).unwrap_or("")
}

impl Rule for SecretEnvRef {
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
        if let Some(env) = c.get("env") {
            for (i, e) in env.items().iter().enumerate() {
                let Some(r) = e
                    .get_path(&["valueFrom", "secretKeyRef"])
                    .filter(|n| !n.is_null())
                else {
                    continue;
                };
                out.report(
                    c.field_path("env").index(i).join("valueFrom.secretKeyRef"),
                    format!(
                        "{} reads key \"{}\" of Secret \"{}\" into environment variable {}",
                        c.describe(),
                        text(r, "key"),
                        text(r, "name"),
                        text(e, "name")
                    ),
                );
            }
        }
        if let Some(env_from) = c.get("envFrom") {
            for (i, e) in env_from.items().iter().enumerate() {
                let Some(r) = e.get("secretRef").filter(|n| !n.is_null()) else {
                    continue;
                };
                out.report(
                    c.field_path("envFrom").index(i).key("secretRef"),
                    format!(
                        "{} loads every key of Secret \"{}\" into environment variables",
                        c.describe(),
                        text(r, "name")
                    ),
                );
            }
        }
    }
}
