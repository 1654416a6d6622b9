//! CIS 5.1.11: roles that can approve certificate signing requests.

use crate::declare_rule;
use crate::k8s::{LintContext, resource_grants};
use crate::rule::{Rule, RuleContext, RuleMeta, Sink};

declare_rule! {
    /// ## What it does
    /// Reports each `resources` item of a Role or ClusterRole rule that grants `update` or
    /// `patch` (or `*`) on `certificatesigningrequests/approval` in `certificates.k8s.io`:
    /// the subresource itself, `*/approval`, or `*`. Every entry of `rules` is checked.
    ///
    /// Not reported: rules limited by `resourceNames`, aggregated ClusterRoles, roles
    /// labelled `kubernetes.io/bootstrapping: rbac-defaults`, and roles that the scanned
    /// bindings reference only from Kubernetes' own bindings.
    ///
    /// ## Why is this bad
    /// Approving a CSR makes the cluster's CA sign it. A subject that can create and approve
    /// requests can mint a client certificate for any user or group its signer allows, for
    /// example `system:masters` through the `kubernetes.io/kube-apiserver-client` signer,
    /// and certificates cannot be revoked before they expire.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: rbac.authorization.k8s.io/v1
    /// kind: ClusterRole
    /// metadata:
    ///   name: csr-approver
    /// rules:
    ///   - apiGroups: ["certificates.k8s.io"]
    ///     resources: ["certificatesigningrequests/approval"]   # reported
    ///     verbs: ["update"]
    /// ```
    /// Leave approval to the controller manager's approvers, or to a dedicated approver
    /// limited to one signer with the `approve` verb on `signers` and `resourceNames`.
    ///
    /// ## References
    /// - CIS Kubernetes Benchmark v1.12, 5.1.11: https://www.cisecurity.org/benchmark/kubernetes
    /// - https://kubernetes.io/docs/reference/access-authn-authz/certificate-signing-requests/#authorization
    pub struct RbacCsrApprove {
        id: "rbac-csr-approve",
        code: "KSPM509",
        title: "Can approve CSRs",
        severity: High,
        target: Context,
        help: "Remove update/patch on certificatesigningrequests/approval.",
        peers: {
            "checkov": ["CKV_K8S_156"],
            "kubescape": ["C-0280"],
        },
    }
}

impl Rule for RbacCsrApprove {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn context_kinds(&self) -> Option<&'static [&'static str]> {
        Some(crate::k8s::RBAC_KINDS)
    }

    fn check_context(&self, _cx: &RuleContext, ctx: &LintContext, out: &mut Sink) {
        for g in resource_grants(
            ctx,
            &["update", "patch"],
            &["certificatesigningrequests/approval"],
        ) {
            out.report_on(g.object, g.path.clone(), g.message());
        }
    }
}
