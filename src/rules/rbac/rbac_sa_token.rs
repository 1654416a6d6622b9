//! CIS 5.1.13: roles that can mint ServiceAccount tokens.

use crate::declare_rule;
use crate::k8s::{LintContext, resource_grants};
use crate::rule::{Rule, RuleContext, RuleMeta, Sink};

declare_rule! {
    /// ## What it does
    /// Reports each `resources` item of a Role or ClusterRole rule that grants `create` (or
    /// `*`) on `serviceaccounts/token` in the core API group: the subresource itself,
    /// `*/token`, or `*`. Every entry of `rules` is checked.
    ///
    /// Not reported: rules limited by `resourceNames` (minting tokens for one named
    /// ServiceAccount), aggregated ClusterRoles, roles labelled
    /// `kubernetes.io/bootstrapping: rbac-defaults`, and roles that the scanned bindings
    /// reference only from Kubernetes' own bindings.
    ///
    /// ## Why is this bad
    /// The TokenRequest API issues a token for any ServiceAccount in scope, with the
    /// audience and lifetime the caller asks for. The caller then acts as that account,
    /// with all of its permissions, without running a pod.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: rbac.authorization.k8s.io/v1
    /// kind: Role
    /// metadata:
    ///   name: token-broker
    ///   namespace: ci
    /// rules:
    ///   - apiGroups: [""]
    ///     resources: ["serviceaccounts/token"]   # reported
    ///     verbs: ["create"]
    /// ```
    /// Add `resourceNames` with the ServiceAccounts the subject may mint tokens for.
    ///
    /// ## References
    /// - CIS Kubernetes Benchmark v1.12, 5.1.13: https://www.cisecurity.org/benchmark/kubernetes
    /// - https://kubernetes.io/docs/reference/kubernetes-api/authentication-resources/token-request-v1/
    pub struct RbacSaToken {
        id: "rbac-sa-token",
        code: "KSPM511",
        title: "Can mint SA tokens",
        severity: Medium,
        target: Context,
        help: "Remove create on serviceaccounts/token, or limit it with resourceNames.",
        peers: {
            "kubescape": ["C-0282"],
        },
    }
}

impl Rule for RbacSaToken {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn context_kinds(&self) -> Option<&'static [&'static str]> {
        Some(crate::k8s::RBAC_KINDS)
    }

    fn check_context(&self, _cx: &RuleContext, ctx: &LintContext, out: &mut Sink) {
        for g in resource_grants(ctx, &["create"], &["serviceaccounts/token"]) {
            out.report_on(g.object, g.path.clone(), g.message());
        }
    }
}
