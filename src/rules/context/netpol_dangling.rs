//! A NetworkPolicy whose podSelector matches no pod template.

use crate::declare_rule;
use crate::k8s::{LabelSelector, LintContext};
use crate::rule::{Rule, RuleContext, RuleMeta, Sink};

declare_rule! {
    /// ## What it does
    /// Reports a NetworkPolicy whose `spec.podSelector` is not empty and matches the pod
    /// template labels of no workload in the policy's namespace among the linted objects.
    /// An empty selector (`{}`) is meant for every pod, present and future, and is skipped.
    ///
    /// ## Why is this bad
    /// A policy that selects nothing protects nothing. It usually means a label was renamed
    /// on the workload but not in the policy (or the other way round), so the pods the
    /// policy was written for are running without the isolation everyone believes they have.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: networking.k8s.io/v1
    /// kind: NetworkPolicy
    /// metadata:
    ///   name: web
    /// spec:
    ///   podSelector:          # reported: no pod template has app=web
    ///     matchLabels: {app: web}
    ///   policyTypes: [Ingress]
    /// ---
    /// apiVersion: apps/v1
    /// kind: Deployment
    /// metadata:
    ///   name: web
    /// spec:
    ///   selector:
    ///     matchLabels: {app: website}
    ///   template:
    ///     metadata:
    ///       labels: {app: website}
    ///     spec:
    ///       containers:
    ///         - name: web
    ///           image: registry.example/web:1.4
    /// ```
    ///
    /// ## References
    /// - https://kubernetes.io/docs/concepts/services-networking/network-policies/
    ///
    /// ## Differences from peers
    /// The rule only sees the workloads of one lint context (one command-line argument);
    /// policies for pods that another repository or an operator creates need a
    /// suppression.
    pub struct NetpolDangling {
        id: "netpol-dangling",
        code: "KSPM413",
        title: "NetworkPolicy selects no pods",
        severity: Info,
        target: Context,
        help: "Fix the podSelector (or the workload's template labels) so the policy selects the pods it is for.",
        peers: {
            "kube-linter": ["dangling-networkpolicy"],
            "kube-score": ["networkpolicy-targets-pod"],
            "kubescape": ["C-0299"],
        },
    }
}

impl Rule for NetpolDangling {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_context(&self, _cx: &RuleContext, ctx: &LintContext, out: &mut Sink) {
        for p in ctx
            .of_kind("NetworkPolicy")
            .filter(|&p| ctx.is_network_policy(p))
        {
            let view = ctx.view(p);
            let (Some(ns), Some(node)) = (
                view.effective_namespace(),
                view.root.get_path(&["spec", "podSelector"]),
            ) else {
                continue;
            };
            let sel = LabelSelector::from_label_selector(node);
            if sel.is_empty() || ctx.selects_any(ns, &sel) {
                continue;
            }
            out.report_on(
                p,
                view.path("spec.podSelector"),
                format!(
                    "podSelector {} matches no pod template in namespace `{ns}`; the policy isolates nothing",
                    describe(&sel)
                ),
            );
        }
    }
}

/// `app=web, tier in (a, b)` for messages.
fn describe(sel: &LabelSelector) -> String {
    use crate::k8s::Requirement::*;
    let mut parts: Vec<String> = sel
        .match_labels
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect();
    parts.extend(sel.expressions.iter().map(|r| match r {
        In(k, vs) => format!("{k} in ({})", vs.join(", ")),
        NotIn(k, vs) => format!("{k} notin ({})", vs.join(", ")),
        Exists(k) => k.clone(),
        DoesNotExist(k) => format!("!{k}"),
    }));
    format!("`{}`", parts.join(", "))
}
