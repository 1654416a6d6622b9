//! PSS baseline control `capabilities_baseline`.

use crate::declare_rule;
use crate::k8s::{ContainerView, PodSpecView, report_added_capabilities};
use crate::rule::{Rule, RuleContext, RuleMeta, Sink};

/// The container runtime's default capability set, which baseline lets a pod add back.
const ALLOWED: &[&str] = &[
    "AUDIT_WRITE",
    "CHOWN",
    "DAC_OVERRIDE",
    "FOWNER",
    "FSETID",
    "KILL",
    "MKNOD",
    "NET_BIND_SERVICE",
    "SETFCAP",
    "SETGID",
    "SETPCAP",
    "SETUID",
    "SYS_CHROOT",
];

declare_rule! {
    /// ## What it does
    /// Reports each entry of `securityContext.capabilities.add`, on any container, init
    /// container or ephemeral container, that is not in the runtime's default set:
    /// `AUDIT_WRITE`, `CHOWN`, `DAC_OVERRIDE`, `FOWNER`, `FSETID`, `KILL`, `MKNOD`,
    /// `NET_BIND_SERVICE`, `SETFCAP`, `SETGID`, `SETPCAP`, `SETUID`, `SYS_CHROOT`
    /// (Pod Security Standards baseline control `capabilities_baseline`, all policy
    /// versions, Windows pods included).
    ///
    /// The comparison is an exact string match, as in the reference implementation:
    /// `CAP_CHOWN`, `chown` or `ALL` are not in the set and are reported.
    ///
    /// ## Why is this bad
    /// Capabilities outside the default set hand out pieces of root: `SYS_ADMIN` (mount,
    /// namespaces, BPF) is close to `privileged`, `NET_ADMIN` reconfigures the network,
    /// `SYS_PTRACE` reads other processes, `SYS_MODULE` loads kernel code.
    ///
    /// ## Example
    /// ```yaml
    /// spec:
    ///   containers:
    ///     - name: app
    ///       image: registry.example/app:1.2
    ///       securityContext:
    ///         capabilities:
    ///           add:
    ///             - NET_BIND_SERVICE   # passes
    ///             - SYS_ADMIN          # reported
    /// ```
    ///
    /// ## References
    /// - https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline
    /// - https://man7.org/linux/man-pages/man7/capabilities.7.html
    pub struct CapsBaseline {
        id: "caps-baseline",
        code: "KSPM109",
        title: "Capability outside the default set",
        severity: High,
        target: Container,
        fix: Unsafe,
        help: "Remove the capability from capabilities.add; keep to the runtime's default set.",
        peers: {
            "checkov": ["CKV_K8S_39"],
            "trivy": ["KSV022", "KSV005", "KSV120"],
            "kubescape": ["C-0046"],
            "polaris": ["dangerousCapabilities"],
            "kubesec": ["CapSysAdmin"],
        },
    }
}

impl Rule for CapsBaseline {
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
        report_added_capabilities(
            c,
            out,
            |name| ALLOWED.contains(&name),
            ", which is outside the baseline default set",
        );
    }
}
