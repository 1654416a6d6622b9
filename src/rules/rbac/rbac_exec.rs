//! Roles that can exec into, attach to or port-forward to pods.

use crate::declare_rule;
use crate::k8s::{LintContext, resource_grants};
use crate::rule::{Rule, RuleContext, RuleMeta, Sink};

declare_rule! {
    /// ## What it does
    /// Reports each `resources` item of a Role or ClusterRole rule that grants `create` or
    /// `get` (or `*`) on `pods/exec`, `pods/attach` or `pods/portforward` in the core API
    /// group: the subresource itself, `*/exec`-style items, or `*`. `get` counts because
    /// the streaming endpoints have long been reachable with a WebSocket `GET`. Every entry
    /// of `rules` is checked.
    ///
    /// Not reported: rules limited by `resourceNames`, aggregated ClusterRoles, roles
    /// labelled `kubernetes.io/bootstrapping: rbac-defaults`, and roles that the scanned
    /// bindings reference only from Kubernetes' own bindings (named `system:…` or the
    /// built-in `cluster-admin` binding).
    ///
    /// ## Why is this bad
    /// `exec` and `attach` run commands inside a container with its identity: its
    /// ServiceAccount token, its mounted Secrets, and in a privileged pod the node itself.
    /// `portforward` reaches ports the pod never exposed through a Service or
    /// NetworkPolicy. None of this shows in the workload's own manifests.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: rbac.authorization.k8s.io/v1
    /// kind: ClusterRole
    /// metadata:
    ///   name: support
    /// rules:
    ///   - apiGroups: [""]
    ///     resources: ["pods", "pods/log"]
    ///     verbs: ["get", "list"]
    ///   - apiGroups: [""]
    ///     resources: ["pods/exec"]   # reported
    ///     verbs: ["create"]
    /// ```
    /// Grant exec only for break-glass access, in a role bound for the time it is needed.
    ///
    /// ## Differences from peers
    /// - Polaris' binding checks report the binding, and report a binding whose role is
    ///   missing from the scanned files; kspm reports the role's `resources` item, and says
    ///   nothing about a role it cannot see.
    /// - Polaris splits the check by binding and role kind (a RoleBinding to a ClusterRole is
    ///   a separate check); kspm reports the role once, whatever binds it.
    /// - Polaris exempts bindings named `gce:podsecuritypolicy:calico-sa`; kspm does not
    ///   exempt vendor bindings by name.
    /// - kspm also covers `pods/portforward`, which Polaris does not.
    ///
    /// ## References
    /// - https://kubernetes.io/docs/concepts/security/rbac-good-practices/#escalation-paths
    /// - https://kubernetes.io/docs/reference/access-authn-authz/rbac/#referring-to-resources
    pub struct RbacExec {
        id: "rbac-exec",
        code: "KSPM505",
        title: "Exec, attach or port-forward",
        severity: High,
        target: Context,
        help: "Remove create/get on pods/exec, pods/attach and pods/portforward.",
        peers: {
            "checkov": ["CKV2_K8S_2"],
            "trivy": ["KSV053", "KSV054"],
            "kubescape": ["C-0002", "C-0063"],
            "polaris": [
                "clusterrolePodExecAttach",
                "rolePodExecAttach",
                "clusterrolebindingPodExecAttach",
                "rolebindingClusterRolePodExecAttach",
                "rolebindingRolePodExecAttach",
            ],
        },
    }
}

impl Rule for RbacExec {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn context_kinds(&self) -> Option<&'static [&'static str]> {
        Some(crate::k8s::RBAC_KINDS)
    }

    fn check_context(&self, _cx: &RuleContext, ctx: &LintContext, out: &mut Sink) {
        let subresources = ["pods/exec", "pods/attach", "pods/portforward"];
        for g in resource_grants(ctx, &["create", "get"], &subresources) {
            out.report_on(g.object, g.path.clone(), g.message());
        }
    }
}
