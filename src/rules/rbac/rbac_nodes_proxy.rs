//! CIS 5.1.10: access to the kubelet API through nodes/proxy.

use crate::declare_rule;
use crate::k8s::{LintContext, any_verb_resource_grants};
use crate::rule::{Rule, RuleContext, RuleMeta, Sink};

declare_rule! {
    /// ## What it does
    /// Reports each `resources` item of a Role or ClusterRole rule that grants any verb on
    /// `nodes/proxy` in the core API group: `nodes/proxy` itself, `*/proxy`, or `*`. Every
    /// entry of `rules` is checked.
    ///
    /// Not reported: rules limited by `resourceNames`, aggregated ClusterRoles, roles
    /// labelled `kubernetes.io/bootstrapping: rbac-defaults`, and roles that the scanned
    /// bindings reference only from Kubernetes' own bindings.
    ///
    /// ## Why is this bad
    /// `nodes/proxy` forwards requests to the kubelet's API on every node. The kubelet
    /// checks only that the caller may use the proxy, so its `/exec`, `/run` and `/attach`
    /// endpoints run commands in any pod on the node, without the API server's audit trail
    /// or admission control for pod exec. Even `get` is enough to reach them over a
    /// WebSocket.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: rbac.authorization.k8s.io/v1
    /// kind: ClusterRole
    /// metadata:
    ///   name: metrics-scraper
    /// rules:
    ///   - apiGroups: [""]
    ///     resources: ["nodes/proxy"]   # reported
    ///     verbs: ["get"]
    /// ```
    /// Scrape `nodes/metrics` and `nodes/stats` instead, which expose only those endpoints.
    ///
    /// ## References
    /// - CIS Kubernetes Benchmark v1.12, 5.1.10: https://www.cisecurity.org/benchmark/kubernetes
    /// - https://kubernetes.io/docs/concepts/security/rbac-good-practices/#nodes-proxy
    /// - https://kubernetes.io/docs/reference/access-authn-authz/kubelet-authn-authz/
    pub struct RbacNodesProxy {
        id: "rbac-nodes-proxy",
        code: "KSPM507",
        title: "nodes/proxy access",
        severity: High,
        target: Context,
        help: "Remove nodes/proxy; grant nodes/metrics or nodes/stats for monitoring.",
        peers: {
            "checkov": ["CKV2_K8S_2"],
            "trivy": ["KSV047"],
            "kubescape": ["C-0279"],
        },
    }
}

impl Rule for RbacNodesProxy {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn context_kinds(&self) -> Option<&'static [&'static str]> {
        Some(crate::k8s::RBAC_KINDS)
    }

    fn check_context(&self, _cx: &RuleContext, ctx: &LintContext, out: &mut Sink) {
        for g in any_verb_resource_grants(ctx, &["nodes/proxy"]) {
            out.report_on(g.object, g.path.clone(), g.message());
        }
    }
}
