//! A workload names a ServiceAccount that the linted objects do not define.

use crate::declare_rule;
use crate::k8s::LintContext;
use crate::rule::{Rule, RuleContext, RuleMeta, Sink};

declare_rule! {
    /// ## What it does
    /// Reports a pod spec whose `serviceAccountName` (or the deprecated `serviceAccount`
    /// alias, when `serviceAccountName` is unset) names a ServiceAccount other than
    /// `default` that no object in the same lint context defines in the pod's namespace.
    ///
    /// ## Why is this bad
    /// The API server rejects pods whose ServiceAccount does not exist, so a controller keeps
    /// failing to create them and the rollout stalls with only an event to show for it. A
    /// misspelt or renamed account is also how a workload silently loses (or, after someone
    /// creates the missing account by hand with broad rights, gains) permissions.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: apps/v1
    /// kind: Deployment
    /// metadata:
    ///   name: web
    ///   namespace: shop
    /// spec:
    ///   selector:
    ///     matchLabels: {app: web}
    ///   template:
    ///     metadata:
    ///       labels: {app: web}
    ///     spec:
    ///       serviceAccountName: web-sa   # reported: no ServiceAccount web-sa in shop
    ///       containers:
    ///         - name: web
    ///           image: registry.example/web:1.4
    /// ```
    /// Add the ServiceAccount to the manifests, or fix the name.
    ///
    /// ## References
    /// - https://kubernetes.io/docs/concepts/security/service-accounts/
    /// - https://kubernetes.io/docs/tasks/configure-pod-container/configure-service-account/
    ///
    /// ## Differences from peers
    /// Like kube-linter's `non-existent-service-account`, the rule only sees the objects of
    /// one lint context (one command-line argument): lint a ServiceAccount kept in another
    /// folder together with its workloads, or suppress the finding.
    pub struct SaMissing {
        id: "sa-missing",
        code: "KSPM205",
        title: "Referenced ServiceAccount not defined",
        severity: Low,
        target: Context,
        help: "Define the ServiceAccount in the pod's namespace, or fix serviceAccountName.",
        peers: {
            "kube-linter": ["non-existent-service-account"],
            "kubescape": ["C-0307"],
        },
    }
}

impl Rule for SaMissing {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_context(&self, _cx: &RuleContext, ctx: &LintContext, out: &mut Sink) {
        for i in 0..ctx.len() {
            let Some(pod) = ctx.pod(i) else { continue };
            // serviceAccountName wins; the alias only counts when it is unset or empty.
            let Some((key, name)) = ["serviceAccountName", "serviceAccount"]
                .into_iter()
                .find_map(|k| {
                    let name = pod.get(k)?.as_str()?;
                    (!name.is_empty()).then_some((k, name))
                })
            else {
                continue;
            };
            if name == "default" {
                continue;
            }
            let ns = ctx.view(i).effective_namespace().unwrap_or("default");
            if ctx.find("ServiceAccount", Some(ns), name).is_none() {
                out.report_on(
                    i,
                    pod.spec_path(key),
                    format!("{key} `{name}` names no ServiceAccount defined in namespace `{ns}`"),
                );
            }
        }
    }
}
