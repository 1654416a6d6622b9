//! PSS baseline control `privileged`.

use crate::declare_rule;
use crate::fix::{Fix, Val};
use crate::k8s::{ContainerView, PodSpecView};
use crate::rule::{Rule, RuleContext, RuleMeta, Sink};
use crate::yaml::Node;

declare_rule! {
    /// ## What it does
    /// Reports every container, init container and ephemeral container whose
    /// `securityContext.privileged` is `true` (Pod Security Standards baseline control
    /// `privileged`, all policy versions).
    ///
    /// ## Why is this bad
    /// A privileged container runs with every capability, sees every host device and is not
    /// confined by seccomp, AppArmor or SELinux. Escaping to the node is trivial: mount the
    /// host disk, load a kernel module, or write to `/proc/sys`.
    ///
    /// ## Example
    /// ```yaml
    /// spec:
    ///   containers:
    ///     - name: app
    ///       image: registry.example/app:1.2
    ///       securityContext:
    ///         privileged: true   # reported
    /// ```
    /// Remove the field or set it to `false`; grant single capabilities instead.
    ///
    /// ## References
    /// - https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline
    /// - CIS Kubernetes Benchmark v1.12, 5.2.2: https://www.cisecurity.org/benchmark/kubernetes
    pub struct PrivilegedContainer {
        id: "privileged-container",
        code: "KSPM101",
        title: "Privileged container",
        severity: Critical,
        target: Container,
        fix: Unsafe,
        help: "Remove securityContext.privileged or set it to false.",
        peers: {
            "kube-linter": ["privileged-container"],
            "checkov": ["CKV_K8S_16"],
            "trivy": ["KSV017"],
            "kubescape": ["C-0057", "C-0193"],
            "polaris": ["runAsPrivileged"],
            "kube-score": ["container-security-context-privileged"],
            "kubesec": ["Privileged"],
        },
    }
}

impl Rule for PrivilegedContainer {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_container(
        &self,
        _cx: &RuleContext,
        _pod: &PodSpecView<'_>,
        c: &ContainerView<'_>,
        out: &mut Sink,
    ) {
        if c.sc("privileged").and_then(Node::as_bool) == Some(true) {
            out.report(
                c.field_path("securityContext.privileged"),
                format!("{} sets privileged: true", c.describe()),
            );
            out.with_fix(Fix::unsafe_("set privileged: false").set(
                c.node,
                &c.path,
                &["securityContext", "privileged"],
                Val::bool(false),
            ));
        }
    }
}
