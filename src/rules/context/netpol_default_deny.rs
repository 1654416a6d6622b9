//! A namespace with NetworkPolicies but no default deny.

use std::collections::BTreeMap;

use crate::declare_rule;
use crate::k8s::{LabelSelector, LintContext};
use crate::rule::{Rule, RuleContext, RuleMeta, Sink};

declare_rule! {
    /// ## What it does
    /// Reports a namespace that has NetworkPolicies but no default deny: a policy with an
    /// empty `podSelector` (`{}`) that isolates a direction and allows nothing in it (no
    /// `ingress` rules for Ingress, no `egress` rules for Egress). Both directions must be
    /// denied by default; one policy may do both, or two may split them. The finding is on
    /// the `metadata.namespace` of the namespace's first NetworkPolicy.
    ///
    /// A namespace with no NetworkPolicy at all is `namespace-no-netpol`'s finding.
    ///
    /// ## Why is this bad
    /// Allow-list policies only isolate the pods they select. Every pod added later, and
    /// every pod whose labels drift from the selectors, is wide open again. A default deny
    /// makes "no policy" mean "no traffic", so the allow-list policies are the complete
    /// description of what may talk to what.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: networking.k8s.io/v1
    /// kind: NetworkPolicy
    /// metadata:
    ///   name: allow-gateway
    ///   namespace: shop     # reported: shop has no default deny
    /// spec:
    ///   podSelector:
    ///     matchLabels: {app: web}
    ///   ingress:
    ///     - from:
    ///         - podSelector:
    ///             matchLabels: {app: gateway}
    /// ---
    /// apiVersion: networking.k8s.io/v1
    /// kind: NetworkPolicy
    /// metadata:
    ///   name: default-deny
    ///   namespace: shop     # adding this policy fixes it
    /// spec:
    ///   podSelector: {}
    ///   policyTypes: [Ingress, Egress]
    /// ```
    /// Allow DNS and other needed egress with separate policies.
    ///
    /// ## References
    /// - https://kubernetes.io/docs/concepts/services-networking/network-policies/#default-policies
    /// - NSA/CISA Kubernetes Hardening Guidance, "Network policies"
    pub struct NetpolDefaultDeny {
        id: "netpol-default-deny",
        code: "KSPM412",
        title: "No default-deny NetworkPolicy",
        severity: Low,
        target: Context,
        help: "Add a NetworkPolicy with podSelector: {} and policyTypes [Ingress, Egress] and no rules.",
        peers: {
            "kubescape": ["C-0030"],
        },
    }
}

const INGRESS: u8 = 1;
const EGRESS: u8 = 2;

impl Rule for NetpolDefaultDeny {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    // NetworkPolicies are all it reads.
    fn context_kinds(&self) -> Option<&'static [&'static str]> {
        Some(&["NetworkPolicy"])
    }

    fn check_context(&self, _cx: &RuleContext, ctx: &LintContext, out: &mut Sink) {
        // namespace -> (first policy, directions denied by default)
        let mut by_ns: BTreeMap<&str, (usize, u8)> = BTreeMap::new();
        for p in ctx
            .of_kind("NetworkPolicy")
            .filter(|&p| ctx.is_network_policy(p))
        {
            let view = ctx.view(p);
            let Some(ns) = view.effective_namespace() else {
                continue;
            };
            let entry = by_ns.entry(ns).or_insert((p, 0));
            let spec = view.root.get("spec");
            let selects_all = spec
                .and_then(|s| s.get("podSelector"))
                .is_none_or(|s| LabelSelector::from_label_selector(s).is_empty());
            if !selects_all {
                continue;
            }
            let (ingress, egress) = ctx.network_policy_types(p);
            let no_rules = |key: &str| {
                spec.and_then(|s| s.get(key))
                    .is_none_or(|r| r.items().is_empty())
            };
            if ingress && no_rules("ingress") {
                entry.1 |= INGRESS;
            }
            if egress && no_rules("egress") {
                entry.1 |= EGRESS;
            }
        }
        for (ns, (p, denied)) in by_ns {
            let missing = match denied {
                d if d == INGRESS | EGRESS => continue,
                INGRESS => "egress",
                EGRESS => "ingress",
                _ => "ingress or egress",
            };
            out.report_on(
                p,
                ctx.view(p).path("metadata.namespace"),
                format!(
                    "namespace `{ns}` has NetworkPolicies but none denies all {missing} by default (podSelector: {{}} with that policy type and no rules)"
                ),
            );
        }
    }
}
