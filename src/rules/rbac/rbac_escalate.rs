//! CIS 5.1.8: escalate, bind and impersonate.

use std::collections::BTreeMap;

use crate::declare_rule;
use crate::k8s::{LintContext, describe_role, for_each_policy_rule, join};
use crate::rule::{Rule, RuleContext, RuleMeta, Sink};

/// Verbs that bypass RBAC's own escalation checks, with the resources they apply to.
const QUERIES: &[(&[&str], &[&str])] = &[
    (&["escalate", "bind"], &["roles", "clusterroles"]),
    (
        &["impersonate"],
        &["users", "groups", "serviceaccounts", "uids", "userextras/*"],
    ),
];

declare_rule! {
    /// ## What it does
    /// Reports each `verbs` item of a Role or ClusterRole rule that grants `escalate` or
    /// `bind` on `roles` or `clusterroles` (`rbac.authorization.k8s.io`), or `impersonate`
    /// on `users`, `groups` or `serviceaccounts` (core) or `uids` or `userextras/…`
    /// (`authentication.k8s.io`). `*` in `verbs`, `resources` or `apiGroups` counts. Every
    /// entry of `rules` is checked.
    ///
    /// Not reported: rules limited by `resourceNames` (binding only named roles, or
    /// impersonating only named users, is the documented way to delegate these safely),
    /// aggregated ClusterRoles, roles labelled `kubernetes.io/bootstrapping: rbac-defaults`,
    /// and roles that the scanned bindings reference only from Kubernetes' own bindings.
    ///
    /// ## Why is this bad
    /// RBAC stops a subject from granting permissions it does not hold, and these verbs are
    /// the exceptions. `escalate` lets it edit a role to add any permission; `bind` lets it
    /// bind any role, cluster-admin included; `impersonate` lets it act as another user,
    /// group or ServiceAccount, with all of their permissions. Each is a path to
    /// cluster-admin.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: rbac.authorization.k8s.io/v1
    /// kind: ClusterRole
    /// metadata:
    ///   name: team-lead
    /// rules:
    ///   - apiGroups: ["rbac.authorization.k8s.io"]
    ///     resources: ["rolebindings"]
    ///     verbs: ["create", "delete"]
    ///   - apiGroups: ["rbac.authorization.k8s.io"]
    ///     resources: ["clusterroles"]
    ///     verbs: ["bind"]   # reported
    /// ```
    /// Add `resourceNames` listing the roles that may be bound.
    ///
    /// ## Differences from peers
    /// Checkov CKV_K8S_157 reports the `bind` verb on `rolebindings` and
    /// `clusterrolebindings`, where the API server never checks it (binding is authorized
    /// against the role being bound); kspm reports `bind` on `roles` and `clusterroles`.
    /// kspm also reports `*` verbs on `serviceaccounts`, `users` or `groups`, which include
    /// `impersonate`; CKV_K8S_157 does not.
    ///
    /// ## References
    /// - CIS Kubernetes Benchmark v1.12, 5.1.8: https://www.cisecurity.org/benchmark/kubernetes
    /// - https://kubernetes.io/docs/reference/access-authn-authz/rbac/#privilege-escalation-prevention-and-bootstrapping
    /// - https://kubernetes.io/docs/reference/access-authn-authz/authentication/#user-impersonation
    pub struct RbacEscalate {
        id: "rbac-escalate",
        code: "KSPM506",
        title: "Escalate, bind or impersonate",
        severity: Critical,
        target: Context,
        help: "Remove escalate, bind and impersonate, or limit them with resourceNames.",
        peers: {
            "checkov": ["CKV_K8S_157", "CKV_K8S_158", "CKV2_K8S_3"],
            "trivy": ["KSV043", "KSV050"],
            "kubescape": ["C-0191", "C-0065"],
        },
    }
}

impl Rule for RbacEscalate {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn context_kinds(&self) -> Option<&'static [&'static str]> {
        Some(crate::k8s::RBAC_KINDS)
    }

    fn check_context(&self, _cx: &RuleContext, ctx: &LintContext, out: &mut Sink) {
        for_each_policy_rule(ctx, |object, role, rule| {
            if rule.is_named() {
                return;
            }
            // verbs item -> what it grants, in query order.
            let mut by_item: BTreeMap<usize, Vec<String>> = BTreeMap::new();
            for (verbs, resources) in QUERIES {
                for (j, v) in rule.verb_items(verbs) {
                    let covered: Vec<&str> = resources
                        .iter()
                        .copied()
                        // Item `j` already matches `verbs`, so this asks about `r` only.
                        .filter(|r| rule.grant(verbs, &[r]).is_some())
                        .map(|r| r.trim_end_matches("/*"))
                        .collect();
                    if covered.is_empty() {
                        continue;
                    }
                    let granted: &[&str] = if v == "*" { verbs } else { &[v] };
                    by_item.entry(j).or_default().push(format!(
                        "{} on {}",
                        join(granted.iter().copied()),
                        join(covered)
                    ));
                }
            }
            for (j, parts) in by_item {
                out.report_on(
                    object,
                    rule.item_path("verbs", j),
                    format!("{} grants {}", describe_role(role), parts.join("; ")),
                );
            }
        });
    }
}
