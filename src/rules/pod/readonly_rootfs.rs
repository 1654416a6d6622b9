//! Writable root file system.

use crate::declare_rule;
use crate::fix::{Fix, Val};
use crate::k8s::{ContainerView, PodSpecView};
use crate::rule::{Rule, RuleContext, RuleMeta, Sink};
use crate::yaml::Node;

declare_rule! {
    /// ## What it does
    /// Reports every container, init container and ephemeral container whose
    /// `securityContext.readOnlyRootFilesystem` is not `true` (unset or `false`). Pods with
    /// `spec.os.name: windows` are skipped: the field is Linux-only and validation rejects
    /// it there.
    ///
    /// ## Why is this bad
    /// A writable root file system lets an intruder drop tools and binaries into the
    /// container, change its configuration, or persist until the pod is replaced. With a
    /// read-only root the image stays immutable; scratch space comes from `emptyDir`
    /// volumes mounted where the application writes.
    ///
    /// ## Example
    /// ```yaml
    /// spec:
    ///   containers:
    ///     - name: app
    ///       image: registry.example/app:1.2
    ///       securityContext:
    ///         readOnlyRootFilesystem: false   # reported
    ///       volumeMounts:
    ///         - name: tmp
    ///           mountPath: /tmp
    ///   volumes:
    ///     - name: tmp
    ///       emptyDir: {}
    /// ```
    ///
    /// ## Differences from peers
    /// Polaris' `notReadOnlyRootFilesystem` also accepts `readOnlyRootFilesystem: true` in
    /// the pod-level securityContext. PodSecurityContext has no such field (the API server
    /// drops or rejects it), so kspm only counts the container's own setting.
    ///
    /// ## References
    /// - NSA/CISA Kubernetes Hardening Guidance, "Immutable container file systems"
    /// - https://kubernetes.io/docs/tasks/configure-pod-container/security-context/
    pub struct ReadonlyRootfs {
        id: "readonly-rootfs",
        code: "KSPM125",
        title: "Writable root file system",
        severity: Medium,
        target: Container,
        fix: Unsafe,
        help: "Set securityContext.readOnlyRootFilesystem: true and mount an emptyDir where the app writes.",
        peers: {
            "kube-linter": ["no-read-only-root-fs"],
            "checkov": ["CKV_K8S_22"],
            "trivy": ["KSV014"],
            "kubescape": ["C-0017"],
            "polaris": ["notReadOnlyRootFilesystem"],
            "kube-score": ["container-security-context-readonlyrootfilesystem"],
            "kubesec": ["ReadOnlyRootFilesystem"],
        },
    }
}

impl Rule for ReadonlyRootfs {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_container(
        &self,
        _cx: &RuleContext,
        pod: &PodSpecView<'_>,
        c: &ContainerView<'_>,
        out: &mut Sink,
    ) {
        if pod.is_windows() {
            return;
        }
        let message = match c.sc("readOnlyRootFilesystem").and_then(Node::as_bool) {
            Some(true) => return,
            Some(false) => format!("{} sets readOnlyRootFilesystem: false", c.describe()),
            None => format!("{} does not set readOnlyRootFilesystem: true", c.describe()),
        };
        out.report(
            c.field_path("securityContext.readOnlyRootFilesystem"),
            message,
        );
        out.with_fix(Fix::unsafe_("set readOnlyRootFilesystem: true").set(
            c.node,
            &c.path,
            &["securityContext", "readOnlyRootFilesystem"],
            Val::bool(true),
        ));
    }
}
