//! Bindings that grant permissions to unauthenticated requests.

use crate::declare_rule;
use crate::k8s::{ObjectView, is_binding, role_ref, subjects};
use crate::rule::{Rule, RuleContext, RuleMeta, Sink};

/// The default ClusterRole anonymous requests get: version and health endpoints only.
const PUBLIC_INFO_VIEWER: &str = "system:public-info-viewer";

declare_rule! {
    /// ## What it does
    /// Reports each `subjects` item of a RoleBinding or ClusterRoleBinding that is
    /// `kind: User, name: system:anonymous` or `kind: Group, name: system:unauthenticated`.
    /// A binding of the `system:public-info-viewer` ClusterRole (what Kubernetes itself
    /// grants anonymous requests: `/version`, `/healthz`, `/livez`, `/readyz`) is skipped.
    ///
    /// ## Why is this bad
    /// With anonymous authentication on (the API server's default), any request without
    /// credentials is `system:anonymous` in `system:unauthenticated`. A binding to either
    /// gives its permissions to anyone who can reach the API server, and such bindings are
    /// a known way clusters have been taken over from the internet.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: rbac.authorization.k8s.io/v1
    /// kind: ClusterRoleBinding
    /// metadata:
    ///   name: public-read
    /// roleRef:
    ///   apiGroup: rbac.authorization.k8s.io
    ///   kind: ClusterRole
    ///   name: view
    /// subjects:
    ///   - kind: Group                  # reported
    ///     name: system:unauthenticated
    ///     apiGroup: rbac.authorization.k8s.io
    /// ```
    /// Bind authenticated identities instead, and consider `--anonymous-auth=false`.
    ///
    /// ## References
    /// - https://kubernetes.io/docs/reference/access-authn-authz/authentication/#anonymous-requests
    /// - https://kubernetes.io/docs/reference/access-authn-authz/rbac/#discovery-roles
    pub struct RbacAnonymous {
        id: "rbac-anonymous",
        code: "KSPM513",
        title: "Anonymous subject",
        severity: Critical,
        target: Object,
        help: "Remove system:anonymous and system:unauthenticated from the binding's subjects.",
        peers: {
            "trivy": ["KSV122"],
            "kubescape": ["C-0262"],
        },
    }
}

impl Rule for RbacAnonymous {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_object(&self, _cx: &RuleContext, obj: &ObjectView<'_>, out: &mut Sink) {
        if !is_binding(obj) {
            return;
        }
        let Some(role) = role_ref(obj) else { return };
        if role.kind == "ClusterRole" && role.name == PUBLIC_INFO_VIEWER {
            return;
        }
        for s in subjects(obj)
            .iter()
            .filter(|s| s.is("User", "system:anonymous") || s.is("Group", "system:unauthenticated"))
        {
            out.report(
                obj.path("subjects").index(s.index),
                format!(
                    "{} {} grants {} {} to unauthenticated requests ({})",
                    obj.kind(),
                    obj.name().unwrap_or("<unnamed>"),
                    role.kind,
                    role.name,
                    s.describe()
                ),
            );
        }
    }
}
