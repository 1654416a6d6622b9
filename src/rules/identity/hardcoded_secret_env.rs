//! Credential written as a literal environment variable value.

use crate::declare_rule;
use crate::k8s::secrets::classify;
use crate::k8s::{ContainerView, PodSpecView};
use crate::rule::{Rule, RuleContext, RuleMeta, Sink};
use crate::yaml::Node;

declare_rule! {
    /// ## What it does
    /// Reports every `env[*].value` of containers, init containers and ephemeral
    /// containers that holds a credential in clear text:
    ///
    /// - the value contains a PEM private key (`-----BEGIN ... PRIVATE KEY`) or an AWS
    ///   access key id (`AKIA` and 16 characters), whatever the variable's name; or
    /// - the name looks like a credential, case-insensitively: `password`, `passwd`,
    ///   `secret`, `token`, `bearer`, `credential`, `api_key`/`api-key`/`apikey`,
    ///   `private_key`, `AZURE_*KEY`, `OCI_CLI_KEY_CONTENT`; and the value is a literal.
    ///
    /// Not reported, because the manifest then holds no credential: names that end in a
    /// reference word (`_FILE`, `_PATH`, `_DIR`, `_NAME`, `_URL`, `_URI`, `_ENDPOINT`,
    /// `_REF`, `_LENGTH`, `_TTL`, `_TIMEOUT`), and values that are empty, a boolean word,
    /// an absolute file path, or contain a `$(VAR)` reference.
    ///
    /// The message never repeats the value (it shows `****`), and the finding underlines
    /// only the `value` key, so a multi-line key is not echoed either.
    ///
    /// ## Why is this bad
    /// A credential in a manifest is in the repository, its history and every fork and CI
    /// log; anyone with read access to the Deployment in the cluster can read it too, since
    /// pod specs are not protected like Secrets. It cannot be rotated without a commit.
    ///
    /// ## Example
    /// ```yaml
    /// spec:
    ///   containers:
    ///     - name: app
    ///       image: registry.example/app:1.2
    ///       env:
    ///         - name: DB_PASSWORD
    ///           value: hunter2                # reported
    ///         - name: DB_PASSWORD_FILE
    ///           value: /run/secrets/db        # passes
    /// ```
    ///
    /// ## Differences from peers
    /// kube-linter's `env-var-secret` only looks for `secret` in the name; Polaris'
    /// `sensitiveContainerEnvVar` flags a matching name even when it only points at a file.
    ///
    /// ## References
    /// - NSA/CISA Kubernetes Hardening Guidance, "Secrets"
    /// - https://kubernetes.io/docs/concepts/configuration/secret/
    pub struct HardcodedSecretEnv {
        id: "hardcoded-secret-env",
        code: "KSPM211",
        title: "Credential literal in an environment variable",
        severity: High,
        target: Container,
        help: "Move the value into a Secret and mount it as a file (or reference it with secretKeyRef); rotate the exposed credential.",
        peers: {
            "kube-linter": ["env-var-secret"],
            "polaris": ["sensitiveContainerEnvVar"],
            "kubescape": ["C-0012"],
        },
    }
}

impl Rule for HardcodedSecretEnv {
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
        let Some(env) = c.get("env") else {
            return;
        };
        for (i, e) in env.items().iter().enumerate() {
            let Some(entry) = e.entry("value") else {
                continue;
            };
            let Some(value) = Some(&entry.value)
                .filter(|n| !n.is_null())
                .and_then(Node::scalar_text)
            else {
                continue;
            };
            let name = e.get("name").and_then(Node::scalar_text).unwrap_or("");
            let Some(why) = classify(name, value) else {
                continue;
            };
            // Underline the key only: the default span would cover the secret itself.
            out.report_secret(
                c.field_path("env").index(i).key("value"),
                entry.key.span,
                entry.value.span,
                format!("{} environment variable {name} {why}", c.describe()),
            );
        }
    }
}
