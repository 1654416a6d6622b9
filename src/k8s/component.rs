//! Objects that are not ordinary user workloads: control-plane static pods and component
//! configuration files that share the manifest format but never reach the API server.

use super::object::ObjectView;
use crate::yaml::Node;

/// Components kubeadm and similar installers run as static pods on control-plane nodes.
const CONTROL_PLANE_COMPONENTS: &[&str] = &[
    "etcd",
    "kube-apiserver",
    "kube-controller-manager",
    "kube-scheduler",
];

/// A Pod that looks like a control-plane static pod manifest (or its mirror pod): it is
/// labelled `tier: control-plane` or `component: <control-plane component>`, or carries the
/// kubelet's `kubernetes.io/config.*` source annotations.
pub fn is_control_plane_static_pod(obj: &ObjectView<'_>) -> bool {
    if obj.kind() != "Pod" || !obj.group().is_empty() {
        return false;
    }
    let label = |k: &str| obj.labels().and_then(|l| l.get(k)).and_then(Node::as_str);
    if label("tier") == Some("control-plane")
        || label("component").is_some_and(|c| CONTROL_PLANE_COMPONENTS.contains(&c))
    {
        return true;
    }
    obj.annotations().is_some_and(|a| {
        a.entries().iter().any(|e| {
            e.key_str == "kubernetes.io/config.source" || e.key_str == "kubernetes.io/config.mirror"
        })
    })
}

/// Configuration files for Kubernetes components and clients (KubeletConfiguration,
/// EncryptionConfiguration, audit Policy, kubeadm, kubeconfig): they look like objects
/// but are read from disk, so namespaces and labels mean nothing for them.
pub fn is_component_config(obj: &ObjectView<'_>) -> bool {
    let group = obj.group();
    group.ends_with("config.k8s.io")
        || matches!(
            group,
            "audit.k8s.io" | "kubeadm.k8s.io" | "apiserver.k8s.io"
        )
        || (group.is_empty() && obj.kind() == "Config")
}
