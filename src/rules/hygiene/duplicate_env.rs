//! Environment variables defined twice in one container.

use crate::declare_rule;
use crate::fix::Fix;
use crate::k8s::{ContainerView, PodSpecView};
use crate::rule::{Rule, RuleContext, RuleMeta, Sink};
use crate::yaml::Node;

declare_rule! {
    /// ## What it does
    /// Reports an entry of a container's `env` whose `name` an earlier entry of the same
    /// list already uses, on the later entry's `name` (containers, init containers and
    /// ephemeral containers). Values are never shown.
    ///
    /// ## Why is this bad
    /// Both entries reach the container runtime and the later one wins, so the value a
    /// reviewer reads first is not the one the process sees. Kustomize patches and Helm
    /// templates that merge env lists produce such duplicates silently, and server-side
    /// apply, which uses `name` as the list's key, can refuse the object with a
    /// duplicate-entries error.
    ///
    /// ## Example
    /// ```yaml
    /// spec:
    ///   containers:
    ///     - name: app
    ///       image: registry.example/app:1.4.2
    ///       env:
    ///         - name: PORT
    ///           value: "8080"
    ///         - name: PORT     # reported
    ///           value: "9090"
    /// ```
    ///
    /// ## References
    /// - https://kubernetes.io/docs/tasks/inject-data-application/define-environment-variable-container/
    /// - https://kubernetes.io/docs/reference/using-api/server-side-apply/#merge-strategy
    pub struct DuplicateEnv {
        id: "duplicate-env",
        code: "KSPM602",
        title: "Duplicate environment variable",
        severity: Low,
        target: Container,
        fix: Safe,
        help: "Keep one entry per variable name.",
        peers: {
            "kube-linter": ["duplicate-env-var"],
            "kube-score": ["environment-variable-key-duplication"],
            "kubescape": ["C-0295"],
        },
    }
}

impl Rule for DuplicateEnv {
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
        let names: Vec<Option<&str>> = env
            .items()
            .iter()
            .map(|e| e.get("name").and_then(Node::scalar_text))
            .collect();
        for (j, name) in names.iter().enumerate() {
            let Some(name) = name else {
                continue;
            };
            let Some(first) = names[..j].iter().position(|n| n == &Some(*name)) else {
                continue;
            };
            out.report(
                c.field_path("env").index(j).key("name"),
                format!(
                    "{} sets env {name} again (first at env[{first}]); the later value wins",
                    c.describe()
                ),
            );
            // Every finding for this name removes all but the last entry: the same edits,
            // applied once.
            let last = names.iter().rposition(|n| n == &Some(*name)).unwrap_or(j);
            let earlier: Vec<usize> = (0..last).filter(|&k| names[k] == Some(*name)).collect();
            let key = c.node.entry("env").map(|e| &e.key);
            out.with_fix(
                Fix::safe(format!("remove the earlier {name} entries")).remove_items(
                    env,
                    key,
                    &c.field_path("env"),
                    &earlier,
                ),
            );
        }
    }
}
