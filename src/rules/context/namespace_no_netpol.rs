//! CIS 5.3.2: every namespace has a NetworkPolicy.

use std::collections::HashSet;

use crate::declare_rule;
use crate::k8s::LintContext;
use crate::rule::{Rule, RuleContext, RuleMeta, Sink};

/// Namespaced policy kinds that count as "a network policy in the namespace": the
/// Kubernetes one (and CNI look-alikes of the same name, such as Calico's) and Cilium's.
const POLICY_KINDS: &[&str] = &["NetworkPolicy", "CiliumNetworkPolicy"];

declare_rule! {
    /// ## What it does
    /// Reports a namespace that is declared (a Namespace object) or that workloads run in,
    /// when no NetworkPolicy (or CiliumNetworkPolicy) among the linted objects lives in it.
    /// The finding is on the Namespace's `metadata.name`; for a namespace that is only used,
    /// on the `metadata.namespace` of its first workload, preferring one that sets the field
    /// (objects without a namespace land in `default`).
    ///
    /// ## Why is this bad
    /// Without a NetworkPolicy every pod in the namespace accepts connections from every pod
    /// in the cluster and may connect anywhere. One compromised workload can then reach
    /// databases, internal admin endpoints and cloud metadata services in other namespaces.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: v1
    /// kind: Namespace
    /// metadata:
    ///   name: shop        # reported: no NetworkPolicy in namespace shop
    /// ---
    /// apiVersion: networking.k8s.io/v1
    /// kind: NetworkPolicy
    /// metadata:
    ///   name: default-deny
    ///   namespace: shop   # adding this policy fixes it
    /// spec:
    ///   podSelector: {}
    ///   policyTypes: [Ingress, Egress]
    /// ```
    ///
    /// ## References
    /// - CIS Kubernetes Benchmark v1.12, 5.3.2: https://www.cisecurity.org/benchmark/kubernetes
    /// - https://kubernetes.io/docs/concepts/services-networking/network-policies/
    /// - NSA/CISA Kubernetes Hardening Guidance, "Network separation and hardening"
    ///
    /// ## Differences from peers
    /// Trivy's KSV038 checks the shape of each NetworkPolicy's selector rather than whether
    /// every namespace has one, although Trivy maps it to the same CIS item.
    pub struct NamespaceNoNetpol {
        id: "namespace-no-netpol",
        code: "KSPM410",
        title: "Namespace without a NetworkPolicy",
        severity: Medium,
        target: Context,
        help: "Add a NetworkPolicy to the namespace, starting with a default deny for ingress and egress.",
        peers: {
            "kubescape": ["C-0206"],
            "trivy": ["KSV038"],
        },
    }
}

impl Rule for NamespaceNoNetpol {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_context(&self, _cx: &RuleContext, ctx: &LintContext, out: &mut Sink) {
        let covered: HashSet<&str> = POLICY_KINDS
            .iter()
            .flat_map(|k| ctx.of_kind(k))
            .filter_map(|p| ctx.view(p).effective_namespace())
            .collect();
        for ns in ctx.namespaces() {
            if covered.contains(ns.as_str()) {
                continue;
            }
            let message = format!(
                "namespace `{ns}` has no NetworkPolicy; its pods accept traffic from any pod in the cluster"
            );
            if let Some(n) = ctx.find("Namespace", None, ns) {
                out.report_on(n, ctx.view(n).path("metadata.name"), message);
            } else if let Some(w) = first_workload(ctx, ns) {
                out.report_on(w, ctx.view(w).path("metadata.namespace"), message);
            }
        }
    }
}

/// The workload that carries a used namespace's finding: the first one that names the
/// namespace itself (so the finding sits on that field), else the first with `metadata`
/// (the finding sits there), else the first.
fn first_workload(ctx: &LintContext, ns: &str) -> Option<usize> {
    let mut with_metadata = None;
    let mut first = None;
    for w in ctx.workloads_in(ns) {
        let view = ctx.view(w);
        if view.namespace().is_some() {
            return Some(w);
        }
        if with_metadata.is_none() && view.metadata().is_some() {
            with_metadata = Some(w);
        }
        first.get_or_insert(w);
    }
    with_metadata.or(first)
}
