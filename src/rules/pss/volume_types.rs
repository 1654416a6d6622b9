//! PSS restricted control `restrictedVolumes`.

use crate::declare_rule;
use crate::k8s::PodSpecView;
use crate::rule::{Rule, RuleContext, RuleMeta, Sink};
use crate::yaml::Node;

/// Volume sources the restricted policy allows.
const ALLOWED: &[&str] = &[
    "configMap",
    "csi",
    "downwardAPI",
    "emptyDir",
    "ephemeral",
    "image",
    "persistentVolumeClaim",
    "projected",
    "secret",
];

/// Every other in-tree volume source of the Pod API. Unknown keys are not listed: the API
/// server drops them, and a volume left without a source defaults to emptyDir.
const RESTRICTED: &[&str] = &[
    "hostPath",
    "gcePersistentDisk",
    "awsElasticBlockStore",
    "gitRepo",
    "nfs",
    "iscsi",
    "glusterfs",
    "rbd",
    "flexVolume",
    "cinder",
    "cephfs",
    "flocker",
    "fc",
    "azureFile",
    "vsphereVolume",
    "quobyte",
    "azureDisk",
    "photonPersistentDisk",
    "portworxVolume",
    "scaleIO",
    "storageos",
];

declare_rule! {
    /// ## What it does
    /// Reports each entry of `spec.volumes` whose source is not one of `configMap`, `csi`,
    /// `downwardAPI`, `emptyDir`, `ephemeral`, `image`, `persistentVolumeClaim`,
    /// `projected` or `secret` (Pod Security Standards restricted control
    /// `restrictedVolumes`, all policy versions). The finding points at the offending
    /// source key, for example `hostPath:`, `nfs:` or `gitRepo:`.
    ///
    /// ## Why is this bad
    /// Inline volume sources other than the core set reach outside the pod's own storage:
    /// `hostPath` reads the node, `gitRepo` runs git on the node, `nfs`, `iscsi`, `rbd` and
    /// the cloud disks attach storage by address with no claim or StorageClass policy in
    /// between. Restricted pods get storage through PersistentVolumeClaims instead.
    ///
    /// ## Example
    /// ```yaml
    /// spec:
    ///   containers:
    ///     - name: app
    ///       image: registry.example/app:1.2
    ///   volumes:
    ///     - name: shared
    ///       nfs:                  # reported
    ///         server: nfs.example
    ///         path: /exports
    ///     - name: data
    ///       persistentVolumeClaim:   # passes
    ///         claimName: data
    /// ```
    ///
    /// ## References
    /// - https://kubernetes.io/docs/concepts/security/pod-security-standards/#restricted
    /// - https://kubernetes.io/docs/concepts/storage/volumes/
    pub struct VolumeTypes {
        id: "volume-types",
        code: "KSPM124",
        title: "Volume type outside the restricted set",
        severity: Low,
        target: Pod,
        help: "Use a PersistentVolumeClaim, ephemeral, csi, configMap, secret, projected, downwardAPI or emptyDir volume.",
        peers: {
            "trivy": ["KSV028"],
        },
    }
}

impl Rule for VolumeTypes {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_pod(&self, _cx: &RuleContext, pod: &PodSpecView<'_>, out: &mut Sink) {
        let Some(volumes) = pod.get("volumes") else {
            return;
        };
        for (i, v) in volumes.items().iter().enumerate() {
            let present = |key: &str| v.get(key).is_some_and(|n| !n.is_null());
            // The reference implementation accepts a volume as soon as one allowed source is
            // set (a volume with two sources is rejected by validation anyway).
            if ALLOWED.iter().any(|k| present(k)) {
                continue;
            }
            let Some(source) = RESTRICTED.iter().find(|k| present(k)) else {
                continue;
            };
            let name = v.get("name").and_then(Node::scalar_text).unwrap_or("");
            out.report(
                pod.spec_path("volumes").index(i).key(source),
                format!(
                    "volume \"{name}\" uses the {source} volume type, which the restricted policy does not allow"
                ),
            );
        }
    }
}
