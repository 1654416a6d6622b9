//! CIS 5.1.4: roles that can create pods, directly or through a workload controller.

use crate::declare_rule;
use crate::k8s::{LintContext, resource_grants};
use crate::rule::{Rule, RuleContext, RuleMeta, Sink};

/// Pods and the controllers that create pods from a template.
const POD_CREATORS: &[&str] = &[
    "pods",
    "deployments",
    "replicasets",
    "statefulsets",
    "daemonsets",
    "jobs",
    "cronjobs",
    "replicationcontrollers",
];

declare_rule! {
    /// ## What it does
    /// Reports each `resources` item of a Role or ClusterRole rule that grants `create` (or
    /// `*`) on pods or on a workload controller, each in its own API group: `pods` and
    /// `replicationcontrollers` (core), `deployments`, `replicasets`, `daemonsets` (`apps`,
    /// or the old `extensions`), `statefulsets` (`apps`), `jobs` and `cronjobs` (`batch`).
    /// A `*` item is reported once, naming what it covers. Every entry of `rules` is
    /// checked.
    ///
    /// Aggregated ClusterRoles, roles labelled `kubernetes.io/bootstrapping: rbac-defaults`,
    /// and roles that the scanned bindings reference only from Kubernetes' own bindings are
    /// not checked.
    ///
    /// ## Why is this bad
    /// Whoever can create a pod can run it with any ServiceAccount of the namespace (and so
    /// act with that account's token), mount any Secret or ConfigMap of the namespace, and,
    /// unless admission control forbids it, run it privileged or with host mounts to take
    /// over the node. Creating a Deployment, Job or other controller does the same one step
    /// removed.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: rbac.authorization.k8s.io/v1
    /// kind: Role
    /// metadata:
    ///   name: runner
    ///   namespace: ci
    /// rules:
    ///   - apiGroups: ["batch"]
    ///     resources: ["jobs"]   # reported
    ///     verbs: ["create", "get"]
    /// ```
    /// Keep pod creation to the controllers and deployment tooling that need it, and
    /// enforce Pod Security admission in the namespaces they write to.
    ///
    /// ## Differences from peers
    /// kube-linter reports the binding that references such a role; kspm reports the role's
    /// `resources` item, and also covers workload controllers, which kube-linter does not.
    ///
    /// ## References
    /// - CIS Kubernetes Benchmark v1.12, 5.1.4: https://www.cisecurity.org/benchmark/kubernetes
    /// - https://kubernetes.io/docs/concepts/security/rbac-good-practices/#workload-creation
    pub struct RbacCreatePods {
        id: "rbac-create-pods",
        code: "KSPM504",
        title: "Can create pods",
        severity: Medium,
        target: Context,
        help: "Remove create on pods and workload controllers unless the subject deploys workloads.",
        peers: {
            "kube-linter": ["access-to-create-pods"],
            "trivy": ["KSV048"],
            "kubescape": ["C-0188"],
        },
    }
}

impl Rule for RbacCreatePods {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn context_kinds(&self) -> Option<&'static [&'static str]> {
        Some(crate::k8s::RBAC_KINDS)
    }

    fn check_context(&self, _cx: &RuleContext, ctx: &LintContext, out: &mut Sink) {
        for g in resource_grants(ctx, &["create"], POD_CREATORS) {
            out.report_on(g.object, g.path.clone(), g.message());
        }
    }
}
