//! API versions the target Kubernetes release no longer serves.

use crate::declare_rule;
use crate::fix::{Fix, Val};
use crate::k8s::ObjectView;
use crate::rule::{Rule, RuleContext, RuleMeta, Sink};

/// One removed API: apiVersion, kinds (empty = every kind of that version), the minor
/// release that stopped serving it, and what to use instead.
struct Removed {
    api_version: &'static str,
    kinds: &'static [&'static str],
    removed_in: u32,
    replacement: &'static str,
}

const fn removed(
    api_version: &'static str,
    kinds: &'static [&'static str],
    removed_in: u32,
    replacement: &'static str,
) -> Removed {
    Removed {
        api_version,
        kinds,
        removed_in,
        replacement,
    }
}

const PSP_GONE: &str =
    "it has no successor: enforce the Pod Security Standards with Pod Security Admission";

/// From the Kubernetes deprecated API migration guide.
const REMOVED: &[Removed] = &[
    // 1.16
    removed(
        "extensions/v1beta1",
        &["Deployment", "DaemonSet", "ReplicaSet"],
        16,
        "use apps/v1",
    ),
    removed(
        "apps/v1beta1",
        &["Deployment", "StatefulSet", "ReplicaSet"],
        16,
        "use apps/v1",
    ),
    removed(
        "apps/v1beta2",
        &["Deployment", "DaemonSet", "ReplicaSet", "StatefulSet"],
        16,
        "use apps/v1",
    ),
    removed(
        "extensions/v1beta1",
        &["NetworkPolicy"],
        16,
        "use networking.k8s.io/v1",
    ),
    removed(
        "extensions/v1beta1",
        &["PodSecurityPolicy"],
        16,
        "use policy/v1beta1 (itself removed in 1.25)",
    ),
    // 1.22
    removed(
        "extensions/v1beta1",
        &["Ingress"],
        22,
        "use networking.k8s.io/v1",
    ),
    removed(
        "networking.k8s.io/v1beta1",
        &["Ingress", "IngressClass"],
        22,
        "use networking.k8s.io/v1",
    ),
    removed(
        "admissionregistration.k8s.io/v1beta1",
        &[],
        22,
        "use admissionregistration.k8s.io/v1",
    ),
    removed(
        "apiextensions.k8s.io/v1beta1",
        &[],
        22,
        "use apiextensions.k8s.io/v1",
    ),
    removed(
        "apiregistration.k8s.io/v1beta1",
        &[],
        22,
        "use apiregistration.k8s.io/v1",
    ),
    removed(
        "authentication.k8s.io/v1beta1",
        &[],
        22,
        "use authentication.k8s.io/v1",
    ),
    removed(
        "authorization.k8s.io/v1beta1",
        &[],
        22,
        "use authorization.k8s.io/v1",
    ),
    removed(
        "certificates.k8s.io/v1beta1",
        &[],
        22,
        "use certificates.k8s.io/v1",
    ),
    removed(
        "coordination.k8s.io/v1beta1",
        &[],
        22,
        "use coordination.k8s.io/v1",
    ),
    removed(
        "rbac.authorization.k8s.io/v1beta1",
        &[],
        22,
        "use rbac.authorization.k8s.io/v1",
    ),
    removed(
        "scheduling.k8s.io/v1beta1",
        &[],
        22,
        "use scheduling.k8s.io/v1",
    ),
    removed(
        "storage.k8s.io/v1beta1",
        &["CSIDriver", "CSINode", "StorageClass", "VolumeAttachment"],
        22,
        "use storage.k8s.io/v1",
    ),
    // 1.25
    removed("batch/v1beta1", &["CronJob"], 25, "use batch/v1"),
    removed(
        "discovery.k8s.io/v1beta1",
        &["EndpointSlice"],
        25,
        "use discovery.k8s.io/v1",
    ),
    removed(
        "events.k8s.io/v1beta1",
        &["Event"],
        25,
        "use events.k8s.io/v1",
    ),
    removed(
        "autoscaling/v2beta1",
        &["HorizontalPodAutoscaler"],
        25,
        "use autoscaling/v2",
    ),
    removed(
        "policy/v1beta1",
        &["PodDisruptionBudget"],
        25,
        "use policy/v1",
    ),
    removed("policy/v1beta1", &["PodSecurityPolicy"], 25, PSP_GONE),
    removed(
        "node.k8s.io/v1beta1",
        &["RuntimeClass"],
        25,
        "use node.k8s.io/v1",
    ),
    // 1.26
    removed(
        "autoscaling/v2beta2",
        &["HorizontalPodAutoscaler"],
        26,
        "use autoscaling/v2",
    ),
    removed(
        "flowcontrol.apiserver.k8s.io/v1beta1",
        &["FlowSchema", "PriorityLevelConfiguration"],
        26,
        "use flowcontrol.apiserver.k8s.io/v1 (v1beta3 before 1.29)",
    ),
    // 1.27
    removed(
        "storage.k8s.io/v1beta1",
        &["CSIStorageCapacity"],
        27,
        "use storage.k8s.io/v1",
    ),
    // 1.29
    removed(
        "flowcontrol.apiserver.k8s.io/v1beta2",
        &["FlowSchema", "PriorityLevelConfiguration"],
        29,
        "use flowcontrol.apiserver.k8s.io/v1",
    ),
    // 1.32
    removed(
        "flowcontrol.apiserver.k8s.io/v1beta3",
        &["FlowSchema", "PriorityLevelConfiguration"],
        32,
        "use flowcontrol.apiserver.k8s.io/v1",
    ),
];

declare_rule! {
    /// ## What it does
    /// Reports an object whose `apiVersion` and `kind` the target Kubernetes release
    /// (`--kube-version`, default the newest) no longer serves, with the release that
    /// removed it and the apiVersion to use instead. The table follows the Kubernetes
    /// deprecated API migration guide: removals in 1.16 (`extensions/v1beta1`,
    /// `apps/v1beta1`, `apps/v1beta2` workloads), 1.22 (`v1beta1` Ingress, RBAC, CRDs,
    /// webhooks, ...), 1.25 (`batch/v1beta1` CronJob, `policy/v1beta1`,
    /// `autoscaling/v2beta1`, ...), 1.26, 1.27, 1.29 and 1.32 (flow control,
    /// CSIStorageCapacity). APIs that are only deprecated, not yet removed, in the target
    /// release are not reported.
    ///
    /// ## Why is this bad
    /// The API server rejects an object in a removed version: `kubectl apply` fails, a
    /// Helm upgrade aborts half way, and a GitOps controller stops syncing. Migrating
    /// usually also needs field changes (a required `selector` in `apps/v1`, `pathType`
    /// and `service.name` in `networking.k8s.io/v1` Ingress).
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: extensions/v1beta1   # reported: removed in 1.16, use apps/v1
    /// kind: Deployment
    /// metadata:
    ///   name: web
    /// ```
    ///
    /// ## References
    /// - https://kubernetes.io/docs/reference/using-api/deprecation-guide/
    /// - https://kubernetes.io/docs/reference/using-api/deprecation-policy/
    pub struct DeprecatedApi {
        id: "deprecated-api",
        code: "KSPM601",
        title: "Removed API version",
        severity: High,
        target: Object,
        fix: Safe,
        help: "Move the object to the replacement apiVersion named in the message (fields may change too).",
        peers: {
            "kube-linter": ["no-extensions-v1beta"],
            "kube-score": ["stable-version"],
            "trivy": ["KSV107"],
        },
    }
}

impl Rule for DeprecatedApi {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_object(&self, cx: &RuleContext, obj: &ObjectView<'_>, out: &mut Sink) {
        let (api_version, kind) = (obj.api_version(), obj.kind());
        let Some(r) = REMOVED.iter().find(|r| {
            r.api_version == api_version && (r.kinds.is_empty() || r.kinds.contains(&kind))
        }) else {
            return;
        };
        if r.removed_in > cx.kube_minor {
            return;
        }
        // A PodSecurityPolicy has no replacement at all once the policy API is gone.
        let replacement = if kind == "PodSecurityPolicy" && cx.kube_minor >= 25 {
            PSP_GONE
        } else {
            r.replacement
        };
        out.report(
            obj.path("apiVersion"),
            format!(
                "{kind} {api_version} was removed in Kubernetes 1.{}; {replacement}",
                r.removed_in
            ),
        );
        if let Some(to) = same_schema(api_version, kind) {
            out.with_fix(Fix::safe(format!("set apiVersion: {to}")).set(
                obj.root,
                obj.base,
                &["apiVersion"],
                Val::str(to),
            ));
        }
    }
}

/// Upgrades the Kubernetes deprecated API migration guide lists with no notable changes:
/// only the apiVersion needs to change. (from, kinds (empty: every kind), to)
const SAME_SCHEMA: &[(&str, &[&str], &str)] = &[
    ("batch/v1beta1", &["CronJob"], "batch/v1"),
    (
        "autoscaling/v2beta2",
        &["HorizontalPodAutoscaler"],
        "autoscaling/v2",
    ),
    (
        "rbac.authorization.k8s.io/v1beta1",
        &[],
        "rbac.authorization.k8s.io/v1",
    ),
    (
        "scheduling.k8s.io/v1beta1",
        &["PriorityClass"],
        "scheduling.k8s.io/v1",
    ),
    (
        "coordination.k8s.io/v1beta1",
        &["Lease"],
        "coordination.k8s.io/v1",
    ),
    (
        "apiregistration.k8s.io/v1beta1",
        &["APIService"],
        "apiregistration.k8s.io/v1",
    ),
    (
        "storage.k8s.io/v1beta1",
        &[
            "CSIDriver",
            "CSINode",
            "StorageClass",
            "VolumeAttachment",
            "CSIStorageCapacity",
        ],
        "storage.k8s.io/v1",
    ),
    ("node.k8s.io/v1beta1", &["RuntimeClass"], "node.k8s.io/v1"),
];

fn same_schema(api_version: &str, kind: &str) -> Option<&'static str> {
    SAME_SCHEMA
        .iter()
        .find(|(from, kinds, _)| {
            *from == api_version && (kinds.is_empty() || kinds.contains(&kind))
        })
        .map(|(_, _, to)| *to)
}
