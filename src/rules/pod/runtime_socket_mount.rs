//! Container runtime socket mounted from the host.

use crate::declare_rule;
use crate::k8s::PodSpecView;
use crate::k8s::hostpath::host_path_volumes;
use crate::rule::{Rule, RuleContext, RuleMeta, Sink};

/// API sockets of the container runtimes a node may run.
const SOCKETS: &[&str] = &[
    "docker.sock",
    "containerd.sock",
    "crio.sock",
    "cri-dockerd.sock",
    "dockershim.sock",
    "podman.sock",
];

/// Directories that hold a runtime socket directly (`/var/run` is `/run` on current
/// distributions; both spellings appear in manifests).
const SOCKET_DIRS: &[&str] = &[
    "/run",
    "/var/run",
    "/run/containerd",
    "/var/run/containerd",
    "/run/crio",
    "/var/run/crio",
    "/run/podman",
    "/var/run/podman",
];

declare_rule! {
    /// ## What it does
    /// Reports every hostPath volume that exposes a container runtime's API socket: a path
    /// whose last component is `docker.sock`, `containerd.sock`, `crio.sock`,
    /// `cri-dockerd.sock`, `dockershim.sock` or `podman.sock` (wherever it lives, so
    /// `/run/k3s/containerd/containerd.sock` counts), or a directory that holds such a
    /// socket: `/run`, `/var/run`, and their `containerd`, `crio` and `podman`
    /// subdirectories. Paths are normalised first (`/var/run//docker.sock/` counts). The
    /// finding points at `hostPath.path`.
    ///
    /// ## Why is this bad
    /// Whoever can talk to the runtime socket can start a privileged container with the
    /// node's root file system mounted: it is root on the node, outside every admission
    /// control. A read-only mount does not help, since a socket is used by connecting to it.
    ///
    /// ## Example
    /// ```yaml
    /// spec:
    ///   containers:
    ///     - name: agent
    ///       image: registry.example/agent:1
    ///   volumes:
    ///     - name: docker
    ///       hostPath:
    ///         path: /var/run/docker.sock   # reported
    /// ```
    ///
    /// ## References
    /// - NSA/CISA Kubernetes Hardening Guidance, "Pod security"
    /// - https://kubernetes.io/docs/concepts/storage/volumes/#hostpath
    pub struct RuntimeSocketMount {
        id: "runtime-socket-mount",
        code: "KSPM129",
        title: "Container runtime socket mounted",
        severity: Critical,
        target: Pod,
        help: "Remove the hostPath volume; talk to the Kubernetes API or a dedicated, narrowly-scoped agent instead.",
        peers: {
            "kube-linter": ["docker-sock"],
            "checkov": ["CKV_K8S_27"],
            "trivy": ["KSV006"],
            "kubescape": ["C-0074"],
            "kubesec": ["DockerSock"],
        },
    }
}

impl Rule for RuntimeSocketMount {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_pod(&self, _cx: &RuleContext, pod: &PodSpecView<'_>, out: &mut Sink) {
        for v in host_path_volumes(pod) {
            let (Some(raw), Some(path)) = (v.path, v.normalized()) else {
                continue;
            };
            let file = path.rsplit('/').next().unwrap_or("");
            let message = if SOCKETS.contains(&file) {
                format!(
                    "volume \"{}\" mounts the container runtime socket \"{raw}\"",
                    v.name
                )
            } else if SOCKET_DIRS.contains(&path.as_str()) {
                format!(
                    "volume \"{}\" mounts \"{raw}\", which holds the container runtime socket",
                    v.name
                )
            } else {
                continue;
            };
            out.report(v.path_field(), message);
        }
    }
}
