//! CIS 5.1.9: roles that can create PersistentVolumes.

use crate::declare_rule;
use crate::k8s::{LintContext, resource_grants};
use crate::rule::{Rule, RuleContext, RuleMeta, Sink};

declare_rule! {
    /// ## What it does
    /// Reports each `resources` item of a Role or ClusterRole rule that grants `create` (or
    /// `*`) on `persistentvolumes` in the core API group: `persistentvolumes` itself or
    /// `*`. Every entry of `rules` is checked. PersistentVolumes are cluster-scoped, so the
    /// grant takes effect through a ClusterRoleBinding.
    ///
    /// Aggregated ClusterRoles, roles labelled `kubernetes.io/bootstrapping: rbac-defaults`,
    /// and roles that the scanned bindings reference only from Kubernetes' own bindings are
    /// not checked.
    ///
    /// ## Why is this bad
    /// A PersistentVolume can be a `hostPath` volume. Whoever creates one and a claim bound
    /// to it mounts any directory of the node into a pod, which bypasses Pod Security
    /// admission's `hostPath` ban, since the pod itself only names a claim.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: rbac.authorization.k8s.io/v1
    /// kind: ClusterRole
    /// metadata:
    ///   name: storage-admin
    /// rules:
    ///   - apiGroups: [""]
    ///     resources: ["persistentvolumes"]   # reported
    ///     verbs: ["create", "delete"]
    /// ```
    /// Let workloads request storage through PersistentVolumeClaims and a StorageClass;
    /// keep PV creation to the provisioners.
    ///
    /// ## References
    /// - CIS Kubernetes Benchmark v1.12, 5.1.9: https://www.cisecurity.org/benchmark/kubernetes
    /// - https://kubernetes.io/docs/concepts/security/rbac-good-practices/#persistent-volume-creation
    pub struct RbacCreatePv {
        id: "rbac-create-pv",
        code: "KSPM508",
        title: "Can create PVs",
        severity: Medium,
        target: Context,
        help: "Remove create on persistentvolumes; provision storage through PVCs and a StorageClass.",
        peers: {
            "kubescape": ["C-0278"],
        },
    }
}

impl Rule for RbacCreatePv {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn context_kinds(&self) -> Option<&'static [&'static str]> {
        Some(crate::k8s::RBAC_KINDS)
    }

    fn check_context(&self, _cx: &RuleContext, ctx: &LintContext, out: &mut Sink) {
        for g in resource_grants(ctx, &["create"], &["persistentvolumes"]) {
            out.report_on(g.object, g.path.clone(), g.message());
        }
    }
}
