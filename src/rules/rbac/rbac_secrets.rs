//! CIS 5.1.2: roles that can read Secrets.

use crate::declare_rule;
use crate::k8s::{LintContext, resource_grants};
use crate::rule::{Rule, RuleContext, RuleMeta, Sink};

declare_rule! {
    /// ## What it does
    /// Reports each `resources` item of a Role or ClusterRole rule that grants `get`,
    /// `list` or `watch` (or `*`) on `secrets` in the core API group (`""` or `*` in
    /// `apiGroups`): `secrets` itself or the wildcard `*`. Every entry of `rules` is checked.
    ///
    /// Not reported: rules limited by `resourceNames` (reading named Secrets is the narrowing
    /// CIS recommends), aggregated ClusterRoles (their `rules` are generated), roles labelled
    /// `kubernetes.io/bootstrapping: rbac-defaults`, and roles that the scanned bindings
    /// reference only from Kubernetes' own bindings (named `system:…` or the built-in
    /// `cluster-admin` binding).
    ///
    /// ## Why is this bad
    /// Secrets hold credentials: database passwords, TLS keys, cloud keys and, on older
    /// clusters, ServiceAccount tokens that let the reader act as other workloads. `list`
    /// and `watch` return the values of every Secret in scope, not just their names.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: rbac.authorization.k8s.io/v1
    /// kind: Role
    /// metadata:
    ///   name: config-reader
    ///   namespace: shop
    /// rules:
    ///   - apiGroups: [""]
    ///     resources: ["configmaps", "secrets"]   # `secrets` reported
    ///     verbs: ["get", "list"]
    /// ```
    /// Mount the Secret the workload needs instead, or restrict the rule with
    /// `resourceNames`.
    ///
    /// ## Differences from peers
    /// kube-linter reports the binding that grants the access; kspm reports the role's
    /// `resources` item, which is what needs editing.
    ///
    /// ## References
    /// - CIS Kubernetes Benchmark v1.12, 5.1.2: https://www.cisecurity.org/benchmark/kubernetes
    /// - https://kubernetes.io/docs/concepts/security/rbac-good-practices/#listing-secrets
    pub struct RbacSecrets {
        id: "rbac-secrets",
        code: "KSPM502",
        title: "Read access to Secrets",
        severity: High,
        target: Context,
        help: "Remove get/list/watch on secrets, or limit the rule with resourceNames.",
        peers: {
            "kube-linter": ["access-to-secrets"],
            "checkov": ["CKV2_K8S_5"],
            "trivy": ["KSV041", "KSV113"],
            "kubescape": ["C-0186", "C-0015"],
        },
    }
}

impl Rule for RbacSecrets {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn context_kinds(&self) -> Option<&'static [&'static str]> {
        Some(crate::k8s::RBAC_KINDS)
    }

    fn check_context(&self, _cx: &RuleContext, ctx: &LintContext, out: &mut Sink) {
        for g in resource_grants(ctx, &["get", "list", "watch"], &["secrets"]) {
            out.report_on(g.object, g.path.clone(), g.message());
        }
    }
}
