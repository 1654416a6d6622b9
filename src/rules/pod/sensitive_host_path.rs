//! Sensitive host directory mounted.

use crate::declare_rule;
use crate::k8s::PodSpecView;
use crate::k8s::hostpath::{covers, host_path_volumes, normalize_host_path};
use crate::rule::{Rule, RuleContext, RuleMeta, Sink};

/// Host directories whose exposure gives away the node.
const SENSITIVE: &[&str] = &[
    "/",
    "/boot",
    "/dev",
    "/etc",
    "/lib",
    "/proc",
    "/sys",
    "/usr",
    "/var/lib/docker",
];

declare_rule! {
    /// ## What it does
    /// Reports every hostPath volume whose path is one of `/`, `/boot`, `/dev`, `/etc`,
    /// `/lib`, `/proc`, `/sys`, `/usr` and `/var/lib/docker`, or a parent of one (`/var`
    /// exposes `/var/lib/docker`). Subdirectories such as `/etc/ssl/certs` are not
    /// reported. Paths are normalised before comparing: trailing and repeated slashes,
    /// `.` and `..` are resolved, so `/etc/`, `//etc` and `/var/../etc` all count. The
    /// finding points at `hostPath.path`, read-only or not (`writable-host-path` reports
    /// the write access).
    ///
    /// ## Options
    /// `sensitive-host-path.extra`: more host paths to report, compared the same way;
    /// for example `--rule-option sensitive-host-path.extra=/var/lib/kubelet,/var/log,/root`.
    ///
    /// ## Why is this bad
    /// These directories hold the node's configuration and credentials (`/etc`), its
    /// devices (`/dev`), kernel interfaces (`/proc`, `/sys`), its binaries and libraries
    /// (`/usr`, `/lib`, `/boot`) and every container's file system (`/var/lib/docker`).
    /// Reading them leaks secrets; writing them is root on the node.
    ///
    /// ## Example
    /// ```yaml
    /// spec:
    ///   containers:
    ///     - name: app
    ///       image: registry.example/app:1.2
    ///   volumes:
    ///     - name: config
    ///       hostPath:
    ///         path: /etc/          # reported: normalised to /etc
    ///     - name: certs
    ///       hostPath:
    ///         path: /etc/ssl/certs # passes
    /// ```
    ///
    /// ## Differences from peers
    /// kube-linter's `sensitive-host-mounts` matches the exact strings only (so `/etc/` and
    /// `/var` pass there) and reports only volumes that a container mounts; kspm reports
    /// the volume, since an unused hostPath volume is one edit away from being used.
    ///
    /// ## References
    /// - NSA/CISA Kubernetes Hardening Guidance, "Pod security"
    /// - https://kubernetes.io/docs/concepts/storage/volumes/#hostpath
    pub struct SensitiveHostPath {
        id: "sensitive-host-path",
        code: "KSPM130",
        title: "Sensitive host directory mounted",
        severity: High,
        target: Pod,
        help: "Remove the hostPath volume, or mount only the narrow subdirectory the workload needs, read-only.",
        peers: {
            "kube-linter": ["sensitive-host-mounts"],
            "trivy": ["KSV121"],
        },
    }
}

impl Rule for SensitiveHostPath {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_pod(&self, cx: &RuleContext, pod: &PodSpecView<'_>, out: &mut Sink) {
        let extra: Vec<String> = cx
            .options
            .extra_sensitive_paths
            .iter()
            .map(|p| normalize_host_path(p))
            .collect();
        let targets = SENSITIVE
            .iter()
            .copied()
            .chain(extra.iter().map(String::as_str));
        let targets: Vec<&str> = targets.collect();
        for v in host_path_volumes(pod) {
            let (Some(raw), Some(path)) = (v.path, v.normalized()) else {
                continue;
            };
            let Some(target) = targets.iter().find(|t| covers(&path, t)) else {
                continue;
            };
            let message = if path == *target {
                format!(
                    "volume \"{}\" mounts the sensitive host directory \"{raw}\"",
                    v.name
                )
            } else {
                format!(
                    "volume \"{}\" mounts \"{raw}\", which contains the sensitive host directory \"{target}\"",
                    v.name
                )
            };
            out.report(v.path_field(), message);
        }
    }
}
