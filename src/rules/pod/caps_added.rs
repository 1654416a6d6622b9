//! Any Linux capability added (CIS 5.2.9 in benchmark v1.9 to v1.11).

use crate::declare_rule;
use crate::k8s::{ContainerView, PodSpecView, report_added_capabilities};
use crate::rule::{Rule, RuleContext, RuleMeta, Sink};

declare_rule! {
    /// ## What it does
    /// Reports each entry of `securityContext.capabilities.add` on every container, init
    /// container and ephemeral container, whatever the capability. Pods with
    /// `spec.os.name: windows` are skipped: Linux capabilities do not apply to them.
    ///
    /// ## Why is this bad
    /// Every added capability widens what the container may ask of the kernel, and most
    /// workloads need none beyond the runtime's defaults. CIS Kubernetes Benchmark v1.9 to
    /// v1.11 (5.2.9) asks to minimise containers with added capabilities; `caps-baseline`
    /// and `caps-add-restricted` report only the capabilities the Pod Security Standards
    /// forbid.
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
    ///             - NET_BIND_SERVICE   # reported
    /// ```
    ///
    /// ## References
    /// - CIS Kubernetes Benchmark v1.10, 5.2.9: https://www.cisecurity.org/benchmark/kubernetes
    /// - https://man7.org/linux/man-pages/man7/capabilities.7.html
    pub struct CapsAdded {
        id: "caps-added",
        code: "KSPM110",
        title: "Capability added",
        severity: Medium,
        target: Container,
        fix: Unsafe,
        help: "Remove securityContext.capabilities.add, or document why each capability is required.",
        peers: {
            "checkov": ["CKV_K8S_25"],
            "kubescape": ["C-0200"],
            "trivy": ["KSV022"],
        },
    }
}

impl Rule for CapsAdded {
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
        // CIS asks for no added capability at all.
        report_added_capabilities(c, out, |_| false, "");
    }
}
