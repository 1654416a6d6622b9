//! PSS baseline control `seLinuxOptions`.

use crate::declare_rule;
use crate::fix::Fix;
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
    /// The unsafe fix removes the offending `type`, `user` and `role` (and `seLinuxOptions` or
    /// `securityContext` when nothing else is left in them), so the runtime's default label
    /// applies; a workload that needs its custom label (a privileged agent, a policy written
    /// for it) then fails.
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
        fix: Unsafe,
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

/// Check the securityContext of `owner` (a pod spec or a container, at `owner_path`).
fn check(owner: &Node, owner_path: &YamlPath, who: &str, kube_minor: u32, out: &mut Sink) {
    let Some(opts) = owner.get_path(&["securityContext", "seLinuxOptions"]) else {
        return;
    };
    let base = owner_path.join("securityContext.seLinuxOptions");
    let mut bad = Vec::new();
    let ty = text(opts, "type");
    if !allowed_type(ty, kube_minor) {
        out.report(
            base.key("type"),
            format!("{who} sets SELinux type \"{ty}\", outside the container_t family"),
        );
        bad.push("type");
    }
    for field in ["user", "role"] {
        let value = text(opts, field);
        if !value.is_empty() {
            out.report(
                base.key(field),
                format!("{who} sets SELinux {field} \"{value}\""),
            );
            bad.push(field);
        }
    }
    if bad.is_empty() {
        return;
    }
    // One fix for every finding of this seLinuxOptions (applied once), so that removing
    // its last entries removes the mapping rather than leaving it empty.
    let fix = Fix::unsafe_(format!("remove seLinuxOptions.{}", bad.join(", "))).remove_nested(
        owner,
        owner_path,
        &["securityContext", "seLinuxOptions"],
        &bad,
    );
    let n = bad.len();
    let at = out.findings.len() - n;
    for finding in &mut out.findings[at..] {
        finding.fix = Some(Box::new(fix.clone()));
    }
}

impl Rule for SelinuxOptions {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_pod(&self, cx: &RuleContext, pod: &PodSpecView<'_>, out: &mut Sink) {
        check(pod.spec, &pod.path, "pod", cx.kube_minor, out);
        for c in pod.containers() {
            check(c.node, &c.path, &c.describe(), cx.kube_minor, out);
        }
    }
}
