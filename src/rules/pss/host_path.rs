//! PSS baseline control `hostPathVolumes`.

use crate::declare_rule;
use crate::k8s::PodSpecView;
use crate::rule::{Rule, RuleContext, RuleMeta, Sink};
use crate::yaml::Node;

declare_rule! {
    /// ## What it does
    /// Reports every entry of `spec.volumes` that has a `hostPath` source (Pod Security
    /// Standards baseline control `hostPathVolumes`, all policy versions). The finding
    /// points at the volume's `hostPath:` key.
    ///
    /// ## Why is this bad
    /// A hostPath volume exposes the node's file system to the pod. Read-write mounts of
    /// `/`, `/etc`, `/var/lib/kubelet` or a container runtime socket are a direct path to
    /// root on the node; even read-only mounts leak credentials and other pods' data.
    ///
    /// ## Example
    /// ```yaml
    /// spec:
    ///   containers:
    ///     - name: app
    ///       image: registry.example/app:1.2
    ///   volumes:
    ///     - name: logs
    ///       hostPath:            # reported
    ///         path: /var/log
    ///     - name: cache
    ///       emptyDir: {}         # passes
    /// ```
    ///
    /// ## References
    /// - https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline
    /// - https://kubernetes.io/docs/concepts/storage/volumes/#hostpath
    /// - CIS Kubernetes Benchmark v1.12, 5.2.11: https://www.cisecurity.org/benchmark/kubernetes
    pub struct HostPath {
        id: "host-path",
        code: "KSPM115",
        title: "hostPath volume",
        severity: Medium,
        target: Pod,
        help: "Replace the hostPath volume with a PersistentVolumeClaim, emptyDir, configMap or secret.",
        peers: {
            "trivy": ["KSV023"],
            "kubescape": ["C-0048", "C-0203"],
            "polaris": ["hostPathSet"],
        },
    }
}

impl Rule for HostPath {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_pod(&self, _cx: &RuleContext, pod: &PodSpecView<'_>, out: &mut Sink) {
        let Some(volumes) = pod.get("volumes") else {
            return;
        };
        for (i, v) in volumes.items().iter().enumerate() {
            // `hostPath: null` decodes to no source at all, so only a present value counts.
            let Some(hp) = v.get("hostPath").filter(|n| !n.is_null()) else {
                continue;
            };
            let name = v.get("name").and_then(Node::scalar_text).unwrap_or("");
            let path = hp.get("path").and_then(Node::scalar_text).unwrap_or("");
            out.report(
                pod.spec_path("volumes").index(i).key("hostPath"),
                format!("volume \"{name}\" mounts the host path \"{path}\""),
            );
        }
    }
}
