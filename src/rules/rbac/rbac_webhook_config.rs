//! CIS 5.1.12: roles that can change admission webhook configurations.

use crate::declare_rule;
use crate::k8s::{LintContext, resource_grants};
use crate::rule::{Rule, RuleContext, RuleMeta, Sink};

declare_rule! {
    /// ## What it does
    /// Reports each `resources` item of a Role or ClusterRole rule that grants `create`,
    /// `update`, `patch`, `delete` or `deletecollection` (or `*`) on
    /// `validatingwebhookconfigurations` or `mutatingwebhookconfigurations` in
    /// `admissionregistration.k8s.io`: the resource itself or `*`. Every entry of `rules`
    /// is checked.
    ///
    /// Not reported: rules limited by `resourceNames` (a controller that patches the CA
    /// bundle of its own webhook names it), aggregated ClusterRoles, roles labelled
    /// `kubernetes.io/bootstrapping: rbac-defaults`, and roles that the scanned bindings
    /// reference only from Kubernetes' own bindings.
    ///
    /// ## Why is this bad
    /// Admission webhooks see and can rewrite every object they match, Secrets included. A
    /// subject that can edit their configurations can send objects to a server it controls,
    /// inject containers into new pods, or delete the webhooks that enforce policy.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: rbac.authorization.k8s.io/v1
    /// kind: ClusterRole
    /// metadata:
    ///   name: injector
    /// rules:
    ///   - apiGroups: ["admissionregistration.k8s.io"]
    ///     resources: ["mutatingwebhookconfigurations"]   # reported
    ///     verbs: ["get", "update"]
    /// ```
    /// Add `resourceNames` with the controller's own webhook configuration.
    ///
    /// ## References
    /// - CIS Kubernetes Benchmark v1.12, 5.1.12: https://www.cisecurity.org/benchmark/kubernetes
    /// - https://kubernetes.io/docs/concepts/security/rbac-good-practices/#control-admission-webhooks
    pub struct RbacWebhookConfig {
        id: "rbac-webhook-config",
        code: "KSPM510",
        title: "Can change admission webhooks",
        severity: High,
        target: Context,
        help: "Remove write access to webhook configurations, or limit it with resourceNames.",
        peers: {
            "checkov": ["CKV_K8S_155"],
            "trivy": ["KSV114"],
            "kubescape": ["C-0281"],
        },
    }
}

impl Rule for RbacWebhookConfig {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn context_kinds(&self) -> Option<&'static [&'static str]> {
        Some(crate::k8s::RBAC_KINDS)
    }

    fn check_context(&self, _cx: &RuleContext, ctx: &LintContext, out: &mut Sink) {
        for g in resource_grants(
            ctx,
            &["create", "update", "patch", "delete", "deletecollection"],
            &[
                "validatingwebhookconfigurations",
                "mutatingwebhookconfigurations",
            ],
        ) {
            out.report_on(g.object, g.path.clone(), g.message());
        }
    }
}
