//! CIS 5.1.3: `*` in a role's apiGroups, resources or verbs.

use crate::declare_rule;
use crate::k8s::{LintContext, describe_role, for_each_policy_rule};
use crate::rule::{Rule, RuleContext, RuleMeta, Sink};

declare_rule! {
    /// ## What it does
    /// Reports each `*` item in the `apiGroups`, `resources` or `verbs` of every entry of a
    /// Role's or ClusterRole's `rules` (not just the first), one finding per item.
    ///
    /// Aggregated ClusterRoles (their `rules` are generated), roles labelled
    /// `kubernetes.io/bootstrapping: rbac-defaults`, and roles that the scanned bindings
    /// reference only from Kubernetes' own bindings are not checked.
    ///
    /// ## Why is this bad
    /// A wildcard grants more than anyone reviewed, and it grows by itself: `resources: ["*"]`
    /// covers Secrets, RBAC objects and every subresource (`pods/exec`, `nodes/proxy`), and
    /// every custom resource installed later; `verbs: ["*"]` includes `escalate`, `bind`,
    /// `impersonate` and `deletecollection`.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: rbac.authorization.k8s.io/v1
    /// kind: ClusterRole
    /// metadata:
    ///   name: operator
    /// rules:
    ///   - apiGroups: ["apps"]
    ///     resources: ["deployments"]
    ///     verbs: ["get", "list", "watch"]
    ///   - apiGroups: ["example.com"]
    ///     resources: ["*"]   # reported
    ///     verbs: ["*"]       # reported
    /// ```
    /// List the groups, resources and verbs explicitly.
    ///
    /// ## Differences from peers
    /// Checkov CKV_K8S_49 looks only at `rules[0]`; kspm checks every rule.
    ///
    /// ## References
    /// - CIS Kubernetes Benchmark v1.12, 5.1.3: https://www.cisecurity.org/benchmark/kubernetes
    /// - https://kubernetes.io/docs/concepts/security/rbac-good-practices/#least-privilege
    pub struct RbacWildcard {
        id: "rbac-wildcard",
        code: "KSPM503",
        title: "Wildcard in rules",
        severity: High,
        target: Context,
        help: "Replace `*` with the explicit API groups, resources and verbs needed.",
        peers: {
            "kube-linter": ["wildcard-in-rules"],
            "checkov": ["CKV_K8S_49"],
            "trivy": ["KSV044", "KSV045", "KSV046", "KSV112"],
            "kubescape": ["C-0187"],
        },
    }
}

impl Rule for RbacWildcard {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn context_kinds(&self) -> Option<&'static [&'static str]> {
        Some(crate::k8s::RBAC_KINDS)
    }

    fn check_context(&self, _cx: &RuleContext, ctx: &LintContext, out: &mut Sink) {
        for_each_policy_rule(ctx, |object, role, rule| {
            for (field, what) in [
                ("apiGroups", "every API group"),
                ("resources", "every resource and subresource"),
                ("verbs", "every verb"),
            ] {
                for (j, _) in rule.strings(field).filter(|(_, v)| *v == "*") {
                    out.report_on(
                        object,
                        rule.item_path(field, j),
                        format!(
                            "{} rules[{}].{field} has `*`, which grants {what}",
                            describe_role(role),
                            rule.index
                        ),
                    );
                }
            }
        });
    }
}
