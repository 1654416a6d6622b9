//! Namespaced objects that land in the `default` namespace.

use crate::declare_rule;
use crate::fix::{Fix, Val};
use crate::k8s::{ObjectView, is_cluster_scoped, is_component_config};
use crate::rule::{Rule, RuleContext, RuleMeta, Sink};

declare_rule! {
    /// ## What it does
    /// Reports a namespaced object whose `metadata.namespace` is missing, empty or
    /// `default`. Exempt are cluster-scoped kinds (built-in ones, and custom kinds named
    /// `Cluster<Something>` such as ClusterIssuer, which are cluster-scoped by
    /// convention), component configuration files (KubeletConfiguration, audit Policy,
    /// kubeconfig, ...), and the two objects the cluster itself keeps in `default`:
    /// Service `kubernetes` and ServiceAccount `default`.
    ///
    /// A missing namespace is reported on `metadata`, because the object will land in
    /// whatever namespace the person applying it has selected, usually `default`.
    ///
    /// ## Why is this bad
    /// Namespaces are the unit of RBAC, NetworkPolicy, ResourceQuota and Pod Security
    /// admission. Everything in `default` shares one set of those boundaries, which are
    /// rarely configured there, and a manifest without a namespace goes wherever the
    /// current kubectl context points.
    ///
    /// The fix is a suggestion (`display`): it writes `metadata.namespace` with a
    /// placeholder, since only the person knows which namespace the object belongs in.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: apps/v1
    /// kind: Deployment
    /// metadata:
    ///   name: web
    ///   namespace: default   # reported; so is a missing namespace
    /// ```
    ///
    /// ## References
    /// - https://kubernetes.io/docs/concepts/overview/working-with-objects/namespaces/
    /// - CIS Kubernetes Benchmark v1.12, 5.6.4: https://www.cisecurity.org/benchmark/kubernetes
    pub struct DefaultNamespace {
        id: "default-namespace",
        code: "KSPM401",
        title: "Default namespace used",
        severity: Low,
        target: Object,
        fix: Display,
        help: "Set metadata.namespace to a dedicated namespace.",
        peers: {
            "kube-linter": ["use-namespace"],
            "checkov": ["CKV_K8S_21"],
            "trivy": ["KSV110"],
            "kubescape": ["C-0061", "C-0212"],
        },
    }
}

/// Custom kinds named `ClusterX` (ClusterIssuer, ClusterPolicy, ClusterSecretStore) are
/// cluster-scoped by convention; without their CRD this is the best available guess.
fn conventionally_cluster_scoped(kind: &str) -> bool {
    kind.strip_prefix("Cluster")
        .and_then(|rest| rest.chars().next())
        .is_some_and(|c| c.is_ascii_uppercase())
}

impl Rule for DefaultNamespace {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_object(&self, _cx: &RuleContext, obj: &ObjectView<'_>, out: &mut Sink) {
        let kind = obj.kind();
        if is_cluster_scoped(kind)
            || conventionally_cluster_scoped(kind)
            || is_component_config(obj)
        {
            return;
        }
        let namespace = obj.namespace().unwrap_or("");
        if !namespace.is_empty() && namespace != "default" {
            return;
        }
        let name = obj.name().unwrap_or("");
        let builtin = obj.group().is_empty()
            && matches!(
                (kind, name),
                ("Service", "kubernetes") | ("ServiceAccount", "default")
            );
        if builtin {
            return;
        }
        let msg = if namespace.is_empty() {
            format!(
                "{kind} \"{name}\" sets no namespace, so it lands in the current namespace (usually default)"
            )
        } else {
            format!("{kind} \"{name}\" is in the default namespace")
        };
        out.report(obj.path("metadata.namespace"), msg);
        out.with_fix(Fix::display("set metadata.namespace").set(
            obj.root,
            obj.base,
            &["metadata", "namespace"],
            Val::str("<namespace>"),
        ));
    }
}
