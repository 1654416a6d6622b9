//! A workload whose pods no NetworkPolicy isolates in both directions.

use std::collections::HashMap;

use crate::declare_rule;
use crate::k8s::{LabelSelector, LintContext};
use crate::rule::{Rule, RuleContext, RuleMeta, Sink};

declare_rule! {
    /// ## What it does
    /// Reports a workload whose pod template labels are not selected by NetworkPolicies in
    /// its namespace that together isolate both directions: some selecting policy must
    /// have `Ingress` in its `policyTypes` and some must have `Egress`. When `policyTypes`
    /// is unset the API server's default applies: `Ingress`, plus `Egress` when the policy
    /// has `egress` rules. The finding is on the pod template labels.
    ///
    /// ## Why is this bad
    /// A pod that no policy selects accepts connections from anywhere in the cluster and
    /// may connect anywhere, including the cloud metadata endpoint and other tenants'
    /// services. A pod isolated for ingress only can still exfiltrate data or pivot
    /// outwards once compromised.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: apps/v1
    /// kind: Deployment
    /// metadata:
    ///   name: web
    /// spec:
    ///   selector:
    ///     matchLabels: {app: web}
    ///   template:
    ///     metadata:
    ///       labels: {app: web}    # reported: only ingress is restricted
    ///     spec:
    ///       containers:
    ///         - name: web
    ///           image: registry.example/web:1.4
    /// ---
    /// apiVersion: networking.k8s.io/v1
    /// kind: NetworkPolicy
    /// metadata:
    ///   name: web
    /// spec:
    ///   podSelector:
    ///     matchLabels: {app: web}
    ///   ingress:
    ///     - from:
    ///         - podSelector:
    ///             matchLabels: {app: gateway}
    /// ```
    /// Add `policyTypes: [Ingress, Egress]` with the egress the pods need, or a namespace
    /// default-deny policy (`podSelector: {}`) for both directions.
    ///
    /// ## References
    /// - https://kubernetes.io/docs/concepts/services-networking/network-policies/#isolated-and-non-isolated-pods
    /// - NSA/CISA Kubernetes Hardening Guidance, "Network policies"
    ///
    /// ## Differences from peers
    /// kube-linter's `non-isolated-pod` (and Checkov's CKV2_K8S_6) accept any policy that
    /// selects the pod, so a pod isolated for ingress only passes there; kspm, like
    /// kube-score's `pod-networkpolicy`, also wants egress isolated, as the NSA/CISA
    /// guidance asks.
    pub struct PodNoNetpol {
        id: "pod-no-netpol",
        code: "KSPM411",
        title: "Pod not isolated by a NetworkPolicy",
        severity: Medium,
        target: Context,
        help: "Select the pod template labels with NetworkPolicies whose policyTypes cover Ingress and Egress.",
        peers: {
            "kube-linter": ["non-isolated-pod"],
            "kube-score": ["pod-networkpolicy"],
            "checkov": ["CKV2_K8S_6"],
            "polaris": ["missingNetworkPolicy"],
            "kubescape": ["C-0260"],
        },
    }
}

const INGRESS: u8 = 1;
const EGRESS: u8 = 2;

impl Rule for PodNoNetpol {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_context(&self, _cx: &RuleContext, ctx: &LintContext, out: &mut Sink) {
        // Directions isolated per workload, and the first policy selecting it.
        let mut isolated = vec![0u8; ctx.len()];
        let mut first_policy: Vec<Option<usize>> = vec![None; ctx.len()];
        // Policies with the same namespace and selector share one lookup, so many policies
        // over one label set cost one pass over the matching templates.
        let mut groups: HashMap<(&str, String), (LabelSelector, u8, usize)> = HashMap::new();
        let mut order = Vec::new();
        for p in ctx
            .of_kind("NetworkPolicy")
            .filter(|&p| ctx.is_network_policy(p))
        {
            let view = ctx.view(p);
            let Some(ns) = view.effective_namespace() else {
                continue;
            };
            // A missing podSelector decodes as the empty selector: every pod.
            let sel = view
                .root
                .get_path(&["spec", "podSelector"])
                .map(LabelSelector::from_label_selector)
                .unwrap_or_default();
            let (ingress, egress) = ctx.network_policy_types(p);
            let bits = if ingress { INGRESS } else { 0 } | if egress { EGRESS } else { 0 };
            let key = (ns, format!("{sel:?}"));
            match groups.get_mut(&key) {
                Some(g) => g.1 |= bits,
                None => {
                    order.push(key.clone());
                    groups.insert(key, (sel, bits, p));
                }
            }
        }
        for key in &order {
            let (sel, bits, p) = &groups[key];
            for w in ctx.select_pods(key.0, sel) {
                isolated[w] |= bits;
                first_policy[w].get_or_insert(*p);
            }
        }
        for i in 0..ctx.len() {
            let Some(pod) = ctx.pod(i) else { continue };
            let missing = match isolated[i] {
                b if b == INGRESS | EGRESS => continue,
                0 => None,
                INGRESS => Some("egress"),
                _ => Some("ingress"),
            };
            let ns = ctx.view(i).effective_namespace().unwrap_or("default");
            let message = match (missing, first_policy[i]) {
                (Some(dir), Some(p)) => format!(
                    "NetworkPolicy `{}` selects these pods, but no policy in namespace `{ns}` restricts their {dir} traffic",
                    ctx.view(p).name().unwrap_or("?")
                ),
                _ => format!(
                    "no NetworkPolicy in namespace `{ns}` selects these pod labels; the pods accept and open connections to anything"
                ),
            };
            out.report_on(i, pod.metadata_path.key("labels"), message);
        }
    }
}
