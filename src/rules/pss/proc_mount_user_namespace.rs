//! PSS restricted control `procMount_restricted`: the part baseline no longer covers.

use crate::declare_rule;
use crate::fix::{Fix, Val};
use crate::k8s::{ContainerView, PodSpecView};
use crate::rule::{Rule, RuleContext, RuleMeta, Sink};

declare_rule! {
    /// ## What it does
    /// Reports a non-`Default` `securityContext.procMount` on a container, init container or
    /// ephemeral container of a pod with `hostUsers: false`, for policy v1.35 and later
    /// (Pod Security Standards restricted control `procMount_restricted`).
    ///
    /// From v1.35 the baseline policy allows any proc mount in a user-namespaced pod, while
    /// the restricted policy still requires `Default`. `proc-mount` carries the baseline
    /// semantics; this rule fires in exactly the case baseline skips, so the restricted
    /// pack reports each offending field once.
    ///
    /// ## Why is this bad
    /// A user namespace limits what an unmasked `/proc` can reach, but the restricted
    /// profile keeps defence in depth: an unmasked `/proc` still exposes kernel interfaces
    /// that the masked default hides, and a kernel bug in any of them is a node escape.
    ///
    /// The unsafe fix sets `procMount: Default`, as `proc-mount`'s does; a nested container
    /// runtime or build tool that needs the unmasked `/proc` then fails.
    ///
    /// ## Example
    /// ```yaml
    /// spec:
    ///   hostUsers: false
    ///   containers:
    ///     - name: builder
    ///       image: registry.example/builder:1.0
    ///       securityContext:
    ///         procMount: Unmasked   # reported (restricted only)
    /// ```
    ///
    /// ## References
    /// - https://kubernetes.io/docs/concepts/security/pod-security-standards/#restricted
    /// - https://kubernetes.io/docs/concepts/workloads/pods/user-namespaces/
    pub struct ProcMountUserNamespace {
        id: "proc-mount-user-namespace",
        code: "KSPM126",
        title: "Unmasked /proc in a user-namespaced pod",
        severity: Medium,
        target: Container,
        fix: Unsafe,
        help: "Remove securityContext.procMount or set it to Default.",
        peers: {},
    }
}

impl Rule for ProcMountUserNamespace {
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
        if cx.kube_minor < 35 || !pod.host_users_false() {
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
                format!(
                    "{} sets procMount: {value}; restricted requires Default even with hostUsers: false",
                    c.describe()
                ),
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
