//! Bindings that grant a custom role to every authenticated identity.

use crate::declare_rule;
use crate::k8s::{ObjectView, is_binding, role_ref, subjects};
use crate::rule::{Rule, RuleContext, RuleMeta, Sink};

declare_rule! {
    /// ## What it does
    /// Reports each `subjects` item of a RoleBinding or ClusterRoleBinding that is
    /// `kind: Group, name: system:authenticated`, unless the role it binds is one of
    /// Kubernetes' `system:` defaults (such as `system:basic-user` or `system:discovery`,
    /// which the cluster itself binds to that group).
    ///
    /// ## Why is this bad
    /// `system:authenticated` is everyone with any valid credential: every ServiceAccount
    /// token of every pod in every namespace, every node, and on managed clusters often any
    /// account of the cloud provider (GKE's `system:authenticated` once included any Google
    /// account). A role bound to it is effectively public.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: rbac.authorization.k8s.io/v1
    /// kind: ClusterRoleBinding
    /// metadata:
    ///   name: everyone-reads
    /// roleRef:
    ///   apiGroup: rbac.authorization.k8s.io
    ///   kind: ClusterRole
    ///   name: view
    /// subjects:
    ///   - kind: Group                # reported
    ///     name: system:authenticated
    ///     apiGroup: rbac.authorization.k8s.io
    /// ```
    /// Bind the groups or ServiceAccounts that need the role.
    ///
    /// ## References
    /// - https://kubernetes.io/docs/reference/access-authn-authz/rbac/#default-roles-and-role-bindings
    /// - https://kubernetes.io/docs/concepts/security/rbac-good-practices/#least-privilege
    pub struct RbacAuthenticated {
        id: "rbac-authenticated",
        code: "KSPM514",
        title: "Broad authenticated binding",
        severity: High,
        target: Object,
        help: "Bind specific groups or ServiceAccounts instead of system:authenticated.",
        peers: {
            "trivy": ["KSV01011"],
            "kubescape": ["C-0265"],
        },
    }
}

impl Rule for RbacAuthenticated {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_object(&self, _cx: &RuleContext, obj: &ObjectView<'_>, out: &mut Sink) {
        if !is_binding(obj) {
            return;
        }
        let Some(role) = role_ref(obj) else { return };
        if role.name.starts_with("system:") {
            return;
        }
        for s in subjects(obj)
            .iter()
            .filter(|s| s.is("Group", "system:authenticated"))
        {
            out.report(
                obj.path("subjects").index(s.index),
                format!(
                    "{} {} grants {} {} to every authenticated identity",
                    obj.kind(),
                    obj.name().unwrap_or("<unnamed>"),
                    role.kind,
                    role.name
                ),
            );
        }
    }
}
