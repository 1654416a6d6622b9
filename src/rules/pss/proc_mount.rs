//! PSS baseline control `procMount`.

use crate::declare_rule;
use crate::fix::{Fix, Val};
use crate::k8s::{ContainerView, PodSpecView};
use crate::rule::{Rule, RuleContext, RuleMeta, Sink};

declare_rule! {
    /// ## What it does
    /// Reports every container, init container and ephemeral container whose
    /// `securityContext.procMount` is set to anything but `Default` (for example
    /// `Unmasked`), with baseline semantics (Pod Security Standards baseline control
    /// `procMount`).
    ///
    /// Policy versions: all. From v1.35 baseline exempts pods with `hostUsers: false`, whose
    /// `/proc` belongs to a user namespace; the restricted policy does not, and
    /// `proc-mount-user-namespace` reports exactly those pods.
    ///
    /// ## Why is this bad
    /// The default proc mount masks and makes read-only paths such as `/proc/kcore`,
    /// `/proc/sys` and `/proc/sysrq-trigger`. An unmasked `/proc` exposes kernel memory and
    /// tunables that let a process crash or take over the node.
    ///
    /// ## Example
    /// ```yaml
    /// spec:
    ///   containers:
    ///     - name: app
    ///       image: registry.example/app:1.2
    ///       securityContext:
    ///         procMount: Unmasked   # reported
    /// ```
    ///
    /// ## References
    /// - https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline
    /// - https://kubernetes.io/docs/concepts/security/linux-kernel-security-constraints/
    pub struct ProcMount {
        id: "proc-mount",
        code: "KSPM119",
        title: "Unmasked /proc",
        severity: Medium,
        target: Container,
        fix: Unsafe,
        help: "Remove securityContext.procMount or set it to Default.",
        peers: {
            "kube-linter": ["unsafe-proc-mount"],
            "trivy": ["KSV027"],
            "polaris": ["procMount"],
        },
    }
}

impl Rule for ProcMount {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_container(
        &self,
        cx: &RuleContext,
        pod: &PodSpecView<'_>,
        c: &ContainerView<'_>,
        out: &mut Sink,
    ) {
        if cx.kube_minor >= 35 && pod.host_users_false() {
            return;
        }
        let Some(value) = c
            .sc("procMount")
            .filter(|n| !n.is_null())
            .map(|n| n.scalar_text().unwrap_or(""))
        else {
            return;
        };
        if value != "Default" {
            out.report(
                c.field_path("securityContext.procMount"),
                format!("{} sets procMount: {value}", c.describe()),
            );
            out.with_fix(Fix::unsafe_("set procMount: Default").set(
                c.node,
                &c.path,
                &["securityContext", "procMount"],
                Val::str("Default"),
            ));
        }
    }
}
