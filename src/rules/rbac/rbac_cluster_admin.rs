//! CIS 5.1.1: bindings that hand out cluster-admin, by name or by an equivalent role.

use crate::declare_rule;
use crate::k8s::{
    LintContext, describe_role, describe_subjects, is_binding, is_bootstrap,
    is_builtin_cluster_admin_binding, policy_rules, resolve_role_ref, role_ref, subjects,
};
use crate::rule::{Rule, RuleContext, RuleMeta, Sink};

declare_rule! {
    /// ## What it does
    /// Reports a RoleBinding or ClusterRoleBinding whose `roleRef` names the `cluster-admin`
    /// ClusterRole, or a role in the scanned set that is equivalent to it: some entry of its
    /// `rules` has `*` in `apiGroups` and in `resources`, and `*` (or all of `get`, `list`,
    /// `watch`, `create`, `update`, `patch`, `delete`) in `verbs`. The finding sits on
    /// `roleRef.name`.
    ///
    /// Kubernetes' own bindings are left alone: those labelled
    /// `kubernetes.io/bootstrapping: rbac-defaults`, those named `system:…`, and the built-in
    /// `cluster-admin` ClusterRoleBinding. Subjects added to that built-in binding besides
    /// `Group system:masters` are reported on their `subjects[i]` item.
    ///
    /// ## Why is this bad
    /// cluster-admin is superuser access: every verb on every resource, Secrets and RBAC
    /// included. A ClusterRoleBinding grants it cluster-wide; a RoleBinding grants full
    /// control of the namespace, including every Secret and ServiceAccount token in it. A
    /// compromised subject, often a ServiceAccount whose token is mounted in a pod, owns
    /// everything the binding reaches.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: rbac.authorization.k8s.io/v1
    /// kind: ClusterRoleBinding
    /// metadata:
    ///   name: ci-admin
    /// roleRef:
    ///   apiGroup: rbac.authorization.k8s.io
    ///   kind: ClusterRole
    ///   name: cluster-admin   # reported
    /// subjects:
    ///   - kind: ServiceAccount
    ///     name: deployer
    ///     namespace: ci
    /// ```
    /// Bind a role that lists only the resources and verbs the subject needs.
    ///
    /// ## Differences from peers
    /// - Trivy KSV111 also reports bindings to the `admin` and `edit` ClusterRoles; kspm
    ///   does not, those are the intended user-facing roles (their own rules are checked by
    ///   the other `rbac-*` rules).
    /// - Polaris exempts a binding named `gce:podsecuritypolicy:calico-sa` by name; kspm
    ///   does not exempt vendor bindings by name.
    /// - Polaris treats every binding named `cluster-admin` as the built-in one; kspm
    ///   reports the subjects other than `system:masters` that such a binding adds.
    ///
    /// ## References
    /// - CIS Kubernetes Benchmark v1.12, 5.1.1: https://www.cisecurity.org/benchmark/kubernetes
    /// - https://kubernetes.io/docs/reference/access-authn-authz/rbac/#user-facing-roles
    /// - https://kubernetes.io/docs/concepts/security/rbac-good-practices/
    pub struct RbacClusterAdmin {
        id: "rbac-cluster-admin",
        code: "KSPM501",
        title: "Binding to cluster-admin",
        severity: High,
        target: Context,
        help: "Bind a role that grants only the resources and verbs the subjects need.",
        peers: {
            "kube-linter": ["cluster-admin-role-binding"],
            "trivy": ["KSV111"],
            "kubescape": ["C-0185", "C-0035"],
            "polaris": ["clusterrolebindingClusterAdmin", "rolebindingClusterAdminClusterRole", "rolebindingClusterAdminRole"],
        },
    }
}

impl Rule for RbacClusterAdmin {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn context_kinds(&self) -> Option<&'static [&'static str]> {
        Some(crate::k8s::RBAC_KINDS)
    }

    fn check_context(&self, _cx: &RuleContext, ctx: &LintContext, out: &mut Sink) {
        for i in ctx
            .of_kind("RoleBinding")
            .chain(ctx.of_kind("ClusterRoleBinding"))
        {
            let b = ctx.view(i);
            if !is_binding(&b) || is_bootstrap(&b) {
                continue;
            }
            let Some(r) = role_ref(&b) else { continue };
            let kind = b.kind();
            let name = b.name().unwrap_or("<unnamed>");
            let subs = subjects(&b);
            if is_builtin_cluster_admin_binding(&b) {
                for s in subs.iter().filter(|s| !s.is("Group", "system:masters")) {
                    out.report_on(
                        i,
                        b.path("subjects").index(s.index),
                        format!(
                            "the built-in cluster-admin binding also grants cluster-admin to {}",
                            s.describe()
                        ),
                    );
                }
                continue;
            }
            if name.starts_with("system:") {
                continue;
            }
            let scope = if kind == "RoleBinding" {
                format!(
                    " in namespace {}",
                    b.effective_namespace().unwrap_or("default")
                )
            } else {
                String::new()
            };
            if r.kind == "ClusterRole" && r.name == "cluster-admin" {
                out.report_on(
                    i,
                    b.path("roleRef.name"),
                    format!(
                        "{kind} {name} grants cluster-admin{scope} to {}",
                        describe_subjects(&subs)
                    ),
                );
                continue;
            }
            let Some(role) = resolve_role_ref(ctx, &b) else {
                continue;
            };
            let rv = ctx.view(role);
            if let Some(rule) = policy_rules(&rv)
                .into_iter()
                .find(|p| p.is_admin_equivalent())
            {
                out.report_on(
                    i,
                    b.path("roleRef.name"),
                    format!(
                        "{kind} {name} grants {}{scope} to {}; its rules[{}] allows every verb on every resource, as cluster-admin does",
                        describe_role(&rv),
                        describe_subjects(&subs),
                        rule.index
                    ),
                );
            }
        }
    }
}
