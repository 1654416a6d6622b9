//! PSS baseline control `seLinuxOptions`.

use crate::declare_rule;
use crate::k8s::PodSpecView;
use crate::rule::{Rule, RuleContext, RuleMeta, Sink};
use crate::yaml::{Node, YamlPath};

declare_rule! {
    /// ## What it does
    /// Reports custom SELinux options on the pod or on any container, init container or
    /// ephemeral container (Pod Security Standards baseline control `seLinuxOptions`):
    ///
    /// - `seLinuxOptions.type` other than empty, `container_t`, `container_init_t` or
    ///   `container_kvm_t`; from policy v1.31 `container_engine_t` is allowed too;
    /// - any non-empty `seLinuxOptions.user` or `seLinuxOptions.role`.
    ///
    /// `level` (the MCS categories) may be set freely.
    ///
    /// ## Why is this bad
    /// SELinux confines containers to the `container_t` domain. Choosing another type
    /// (`spc_t`, `unconfined_t`), user or role can lift that confinement entirely and give
    /// the process access to host files labelled for other domains.
    ///
    /// ## Example
    /// ```yaml
    /// spec:
    ///   securityContext:
    ///     seLinuxOptions:
    ///       level: "s0:c123,c456"   # passes
    ///   containers:
    ///     - name: app
    ///       image: registry.example/app:1.2
    ///       securityContext:
    ///         seLinuxOptions:
    ///           type: spc_t         # reported
    /// ```
    ///
    /// ## References
    /// - https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline
    /// - https://kubernetes.io/docs/tasks/configure-pod-container/security-context/#assign-selinux-labels-to-a-container
    pub struct SelinuxOptions {
        id: "selinux-options",
        code: "KSPM118",
        title: "Custom SELinux options",
        severity: Medium,
        target: Pod,
        help: "Remove seLinuxOptions.type/user/role, or use a container_t-family type.",
        peers: {
            "trivy": ["KSV025"],
            "kubescape": ["C-0055"],
        },
    }
}

fn allowed_type(ty: &str, kube_minor: u32) -> bool {
    matches!(
        ty,
        "" | "container_t" | "container_init_t" | "container_kvm_t"
    ) || (kube_minor >= 31 && ty == "container_engine_t")
}

/// A string field of seLinuxOptions; null reads as empty, as in the API.
fn text<'a>(opts: &'a Node, key: &str) -> &'a str {
    opts.get(key)
        .filter(|n| !n.is_null())
        .and_then(Node::scalar_text)
        .unwrap_or("")
}

fn check(sc: Option<&Node>, base: YamlPath, who: &str, kube_minor: u32, out: &mut Sink) {
    let Some(opts) = sc.and_then(|sc| sc.get("seLinuxOptions")) else {
        return;
    };
    let base = base.key("seLinuxOptions");
    let ty = text(opts, "type");
    if !allowed_type(ty, kube_minor) {
        out.report(
            base.key("type"),
            format!("{who} sets SELinux type \"{ty}\", outside the container_t family"),
        );
    }
    for field in ["user", "role"] {
        let value = text(opts, field);
        if !value.is_empty() {
            out.report(
                base.key(field),
                format!("{who} sets SELinux {field} \"{value}\""),
            );
        }
    }
}

impl Rule for SelinuxOptions {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_pod(&self, cx: &RuleContext, pod: &PodSpecView<'_>, out: &mut Sink) {
        check(
            pod.security_context(),
            pod.spec_path("securityContext"),
            "pod",
            cx.kube_minor,
            out,
        );
        for c in pod.containers() {
            check(
                c.security_context(),
                c.field_path("securityContext"),
                &c.describe(),
                cx.kube_minor,
                out,
            );
        }
    }
}
