//! Which kinds are cluster-scoped (they have no namespace).

/// Built-in cluster-scoped kinds. Anything else is treated as namespaced.
const CLUSTER_SCOPED: &[&str] = &[
    "APIService",
    "CertificateSigningRequest",
    "ClusterRole",
    "ClusterRoleBinding",
    "ComponentStatus",
    "CSIDriver",
    "CSINode",
    "CustomResourceDefinition",
    "FlowSchema",
    "IngressClass",
    "MutatingWebhookConfiguration",
    "MutatingAdmissionPolicy",
    "MutatingAdmissionPolicyBinding",
    "Namespace",
    "Node",
    "PersistentVolume",
    "PodSecurityPolicy",
    "PriorityClass",
    "PriorityLevelConfiguration",
    "RuntimeClass",
    "StorageClass",
    "ValidatingAdmissionPolicy",
    "ValidatingAdmissionPolicyBinding",
    "ValidatingWebhookConfiguration",
    "VolumeAttachment",
    "VolumeAttributesClass",
];

pub fn is_cluster_scoped(kind: &str) -> bool {
    CLUSTER_SCOPED.contains(&kind)
}

/// The namespace an object lands in when applied without `-n`: its own, or `default`.
pub fn effective_namespace<'a>(kind: &str, namespace: Option<&'a str>) -> Option<&'a str> {
    if is_cluster_scoped(kind) {
        None
    } else {
        Some(namespace.filter(|n| !n.is_empty()).unwrap_or("default"))
    }
}
