//! hostPath volume mounted read-write.

use crate::declare_rule;
use crate::fix::{Fix, Val};
use crate::k8s::PodSpecView;
use crate::k8s::hostpath::host_path_volumes;
use crate::rule::{Rule, RuleContext, RuleMeta, Sink};
use crate::yaml::Node;

declare_rule! {
    /// ## What it does
    /// Reports every `volumeMounts` entry, in containers, init containers and ephemeral
    /// containers, that mounts a hostPath volume without `readOnly: true`. The finding
    /// points at the mount's `readOnly` field, or at the mount's first line when the field
    /// is missing.
    ///
    /// ## Why is this bad
    /// A writable host directory lets the container change the node: plant binaries or
    /// cron jobs, edit kubelet or runtime configuration, or fill the node's disk. Even a
    /// directory that looks harmless is often shared with other pods or read by host
    /// daemons. Most hostPath uses (logs, certificates, device metadata) only need to read.
    ///
    /// The unsafe fix sets `readOnly: true` on the mount; a container that writes there (a
    /// log shipper keeping its position file, a CSI driver) then fails.
    ///
    /// ## Example
    /// ```yaml
    /// spec:
    ///   containers:
    ///     - name: shipper
    ///       image: registry.example/shipper:2
    ///       volumeMounts:
    ///         - name: varlog            # reported: no readOnly
    ///           mountPath: /var/log
    ///         - name: certs
    ///           mountPath: /etc/ssl/certs
    ///           readOnly: true          # passes
    ///   volumes:
    ///     - name: varlog
    ///       hostPath: {path: /var/log}
    ///     - name: certs
    ///       hostPath: {path: /etc/ssl/certs}
    /// ```
    ///
    /// ## References
    /// - NSA/CISA Kubernetes Hardening Guidance, "Pod security"
    /// - https://kubernetes.io/docs/concepts/storage/volumes/#hostpath
    pub struct WritableHostPath {
        id: "writable-host-path",
        code: "KSPM131",
        title: "hostPath mounted read-write",
        severity: Medium,
        target: Pod,
        fix: Unsafe,
        help: "Set readOnly: true on the volumeMount, or replace the hostPath volume.",
        peers: {
            "kube-linter": ["writable-host-mount"],
            "kubescape": ["C-0045"],
        },
    }
}

impl Rule for WritableHostPath {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_pod(&self, _cx: &RuleContext, pod: &PodSpecView<'_>, out: &mut Sink) {
        let volumes = host_path_volumes(pod);
        if volumes.is_empty() {
            return;
        }
        for c in pod.containers() {
            let Some(mounts) = c.get("volumeMounts") else {
                continue;
            };
            for (j, m) in mounts.items().iter().enumerate() {
                let name = m.get("name").and_then(Node::scalar_text).unwrap_or("");
                let Some(v) = volumes.iter().find(|v| v.name == name) else {
                    continue;
                };
                let read_only = m.get("readOnly").and_then(Node::as_bool);
                if read_only == Some(true) {
                    continue;
                }
                let how = if read_only == Some(false) {
                    "with readOnly: false"
                } else {
                    "without readOnly: true"
                };
                let mount_path = c.field_path("volumeMounts").index(j);
                out.report(
                    mount_path.key("readOnly"),
                    format!(
                        "{} mounts hostPath volume \"{name}\" ({}) {how}",
                        c.describe(),
                        v.path.unwrap_or("no path")
                    ),
                );
                let fix = Fix::unsafe_("set readOnly: true on the volumeMount");
                out.with_fix(fix.set(m, &mount_path, &["readOnly"], Val::bool(true)));
            }
        }
    }
}
