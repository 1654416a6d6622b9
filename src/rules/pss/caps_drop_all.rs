//! PSS restricted control `capabilities_restricted` (the drop part).

use crate::declare_rule;
use crate::fix::{Fix, Val};
use crate::k8s::{ContainerView, PodSpecView};
use crate::rule::{Rule, RuleContext, RuleMeta, Sink};

declare_rule! {
    /// ## What it does
    /// Reports every container, init container and ephemeral container whose
    /// `securityContext.capabilities.drop` does not contain `ALL` (Pod Security Standards
    /// restricted control `capabilities_restricted`). The match is exact: `all` or
    /// `CAP_ALL` do not count, as in the reference implementation.
    ///
    /// Policy versions: the control exists from v1.22. From v1.25 a pod with
    /// `spec.os.name: windows` is exempt (Linux capabilities do not apply).
    ///
    /// ## Why is this bad
    /// A container keeps the runtime's default capabilities unless it drops them: among them
    /// `NET_RAW` (spoofed packets, ARP poisoning), `MKNOD`, `SETUID`/`SETGID` and
    /// `DAC_OVERRIDE`. Dropping `ALL` and adding back only what is needed removes that
    /// attack surface.
    ///
    /// ## Example
    /// ```yaml
    /// spec:
    ///   containers:
    ///     - name: app
    ///       image: registry.example/app:1.2
    ///       securityContext:
    ///         capabilities:
    ///           drop: [NET_RAW]   # reported: ALL is not dropped
    /// ```
    ///
    /// ## References
    /// - https://kubernetes.io/docs/concepts/security/pod-security-standards/#restricted
    /// - CIS Kubernetes Benchmark v1.12, 5.2.9: https://www.cisecurity.org/benchmark/kubernetes
    pub struct CapsDropAll {
        id: "caps-drop-all",
        code: "KSPM111",
        title: "Capabilities not dropped",
        severity: Medium,
        target: Container,
        fix: Unsafe,
        help: "Add `drop: [\"ALL\"]` to securityContext.capabilities and add back only what is needed.",
        peers: {
            "checkov": ["CKV_K8S_37"],
            "trivy": ["KSV003"],
            "kubescape": ["C-0201"],
            "polaris": ["insecureCapabilities"],
            "kubesec": ["CapDropAll"],
        },
    }
}

impl Rule for CapsDropAll {
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
        let drop = c.sc("capabilities").and_then(|caps| caps.get("drop"));
        let drops_all = drop.is_some_and(|d| d.items().iter().any(|i| i.as_str() == Some("ALL")));
        if !drops_all {
            out.report(
                c.field_path("securityContext.capabilities.drop"),
                format!("{} does not drop ALL capabilities", c.describe()),
            );
            out.with_fix(Fix::unsafe_("drop ALL capabilities").append(
                c.node,
                &c.path,
                &["securityContext", "capabilities", "drop"],
                vec![Val::str("ALL")],
            ));
        }
    }
}
