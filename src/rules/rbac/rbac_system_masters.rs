//! CIS 5.1.7: bindings to the system:masters group.

use crate::declare_rule;
use crate::k8s::{
    ObjectView, is_binding, is_bootstrap, is_builtin_cluster_admin_binding, role_ref, subjects,
};
use crate::rule::{Rule, RuleContext, RuleMeta, Sink};

declare_rule! {
    /// ## What it does
    /// Reports each `subjects` item of a RoleBinding or ClusterRoleBinding that is
    /// `kind: Group, name: system:masters`. The built-in `cluster-admin` ClusterRoleBinding
    /// and bindings labelled `kubernetes.io/bootstrapping: rbac-defaults` are Kubernetes'
    /// own and are skipped.
    ///
    /// Membership of `system:masters` itself comes from client certificates (the
    /// organization field) and cannot be seen in manifests.
    ///
    /// ## Why is this bad
    /// `system:masters` is not an ordinary group: the API server lets its members do
    /// anything before RBAC is even consulted, and no binding can take that away. Binding
    /// more roles to it adds nothing for its members, but marks a design that relies on the
    /// group, and client certificates that carry it cannot be revoked.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: rbac.authorization.k8s.io/v1
    /// kind: ClusterRoleBinding
    /// metadata:
    ///   name: ops
    /// roleRef:
    ///   apiGroup: rbac.authorization.k8s.io
    ///   kind: ClusterRole
    ///   name: ops
    /// subjects:
    ///   - kind: Group            # reported
    ///     name: system:masters
    ///     apiGroup: rbac.authorization.k8s.io
    /// ```
    /// Bind a dedicated group that RBAC governs, and issue no certificates for
    /// `system:masters` beyond break-glass use.
    ///
    /// ## References
    /// - CIS Kubernetes Benchmark v1.12, 5.1.7: https://www.cisecurity.org/benchmark/kubernetes
    /// - https://kubernetes.io/docs/concepts/security/rbac-good-practices/#least-privilege
    pub struct RbacSystemMasters {
        id: "rbac-system-masters",
        code: "KSPM512",
        title: "system:masters subject",
        severity: Critical,
        target: Object,
        help: "Bind a dedicated group governed by RBAC instead of system:masters.",
        peers: {
            "trivy": ["KSV123"],
            "kubescape": ["C-0246"],
        },
    }
}

impl Rule for RbacSystemMasters {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_object(&self, _cx: &RuleContext, obj: &ObjectView<'_>, out: &mut Sink) {
        if !is_binding(obj) || is_bootstrap(obj) || is_builtin_cluster_admin_binding(obj) {
            return;
        }
        let role = role_ref(obj).map_or("<unknown>", |r| r.name);
        for s in subjects(obj)
            .iter()
            .filter(|s| s.is("Group", "system:masters"))
        {
            out.report(
                obj.path("subjects").index(s.index),
                format!(
                    "{} {} binds {role} to Group system:masters, which bypasses RBAC",
                    obj.kind(),
                    obj.name().unwrap_or("<unnamed>")
                ),
            );
        }
    }
}
