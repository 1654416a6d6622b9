//! A role is bound to a default ServiceAccount (CIS 5.1.5).

use crate::declare_rule;
use crate::k8s::ObjectView;
use crate::rule::{Rule, RuleContext, RuleMeta, Sink};
use crate::yaml::Node;

declare_rule! {
    /// ## What it does
    /// Reports each subject of a RoleBinding or ClusterRoleBinding that is a namespace's
    /// `default` ServiceAccount: `kind: ServiceAccount` with `name: default`, or the same
    /// account spelled as a user, `kind: User` with
    /// `name: system:serviceaccount:<namespace>:default`. The finding points at the
    /// subject.
    ///
    /// ## Why is this bad
    /// Every pod in the namespace that does not name its own ServiceAccount runs as
    /// `default`, so a role bound to it is granted to all of them, including pods added
    /// later by someone who never asked for that access. Bind roles to dedicated
    /// ServiceAccounts instead.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: rbac.authorization.k8s.io/v1
    /// kind: RoleBinding
    /// metadata:
    ///   name: read-config
    ///   namespace: shop
    /// roleRef:
    ///   apiGroup: rbac.authorization.k8s.io
    ///   kind: Role
    ///   name: config-reader
    /// subjects:
    ///   - kind: ServiceAccount   # reported
    ///     name: default
    ///     namespace: shop
    /// ```
    ///
    /// ## References
    /// - CIS Kubernetes Benchmark v1.12, 5.1.5: https://www.cisecurity.org/benchmark/kubernetes
    /// - https://kubernetes.io/docs/reference/access-authn-authz/rbac/#referring-to-subjects
    pub struct DefaultSaBound {
        id: "default-sa-bound",
        code: "KSPM204",
        title: "Role bound to a default ServiceAccount",
        severity: Medium,
        target: Object,
        help: "Create a dedicated ServiceAccount, bind the role to it and set serviceAccountName in the workloads that need it.",
        peers: {
            "checkov": ["CKV_K8S_42"],
        },
    }
}

fn text<'a>(n: &'a Node, key: &str) -> Option<&'a str> {
    n.get(key).and_then(Node::scalar_text)
}

impl Rule for DefaultSaBound {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_object(&self, _cx: &RuleContext, obj: &ObjectView<'_>, out: &mut Sink) {
        if !matches!(obj.kind(), "RoleBinding" | "ClusterRoleBinding")
            || obj.group() != "rbac.authorization.k8s.io"
        {
            return;
        }
        let role = obj
            .root
            .get("roleRef")
            .and_then(|r| text(r, "name"))
            .unwrap_or("");
        let Some(subjects) = obj.root.get("subjects") else {
            return;
        };
        for (i, s) in subjects.items().iter().enumerate() {
            let namespace = match (text(s, "kind"), text(s, "name")) {
                (Some("ServiceAccount"), Some("default")) => text(s, "namespace")
                    .or(obj.namespace())
                    .unwrap_or("default")
                    .to_string(),
                (Some("User"), Some(user)) => {
                    match user
                        .strip_prefix("system:serviceaccount:")
                        .and_then(|rest| rest.strip_suffix(":default"))
                    {
                        Some(ns) if !ns.is_empty() && !ns.contains(':') => ns.to_string(),
                        _ => continue,
                    }
                }
                _ => continue,
            };
            out.report(
                obj.path("subjects").index(i),
                format!(
                    "{} \"{}\" binds role \"{role}\" to the default ServiceAccount of namespace \"{namespace}\"",
                    obj.kind(),
                    obj.name().unwrap_or("")
                ),
            );
        }
    }
}
