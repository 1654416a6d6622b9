//! PSS restricted control `capabilities_restricted` (the add part).

use crate::declare_rule;
use crate::k8s::{ContainerView, PodSpecView, report_added_capabilities};
use crate::rule::{Rule, RuleContext, RuleMeta, Sink};

declare_rule! {
    /// ## What it does
    /// Reports each entry of `securityContext.capabilities.add`, on any container, init
    /// container or ephemeral container, other than `NET_BIND_SERVICE` (Pod Security
    /// Standards restricted control `capabilities_restricted`). The match is exact.
    ///
    /// Policy versions: the control exists from v1.22. From v1.25 a pod with
    /// `spec.os.name: windows` is exempt.
    ///
    /// ## Why is this bad
    /// The restricted profile drops every capability and allows adding back only the right
    /// to bind ports below 1024. Any other capability widens what a compromised process
    /// can do to the kernel and the node.
    ///
    /// ## Example
    /// ```yaml
    /// spec:
    ///   containers:
    ///     - name: app
    ///       image: registry.example/app:1.2
    ///       securityContext:
    ///         capabilities:
    ///           drop: [ALL]
    ///           add:
    ///             - NET_BIND_SERVICE   # passes
    ///             - CHOWN              # reported
    /// ```
    ///
    /// ## References
    /// - https://kubernetes.io/docs/concepts/security/pod-security-standards/#restricted
    /// - https://man7.org/linux/man-pages/man7/capabilities.7.html
    pub struct CapsAddRestricted {
        id: "caps-add-restricted",
        code: "KSPM112",
        title: "Adds a capability other than NET_BIND_SERVICE",
        severity: Medium,
        target: Container,
        fix: Unsafe,
        help: "Remove the capability from capabilities.add; only NET_BIND_SERVICE may be added.",
        peers: {
            "trivy": ["KSV106"],
        },
    }
}

impl Rule for CapsAddRestricted {
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
        if cx.kube_minor < 22 || (cx.kube_minor >= 25 && pod.is_windows()) {
            return;
        }
        report_added_capabilities(
            c,
            out,
            |name| name == "NET_BIND_SERVICE",
            "; the restricted policy allows only NET_BIND_SERVICE",
        );
    }
}
