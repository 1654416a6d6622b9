//! PSS baseline control `sysctls`.

use crate::declare_rule;
use crate::k8s::PodSpecView;
use crate::rule::{Rule, RuleContext, RuleMeta, Sink};
use crate::yaml::Node;

/// Safe sysctls by the policy version that first allows them.
const SAFE: &[(u32, &str)] = &[
    (0, "kernel.shm_rmid_forced"),
    (0, "net.ipv4.ip_local_port_range"),
    (0, "net.ipv4.tcp_syncookies"),
    (0, "net.ipv4.ping_group_range"),
    (0, "net.ipv4.ip_unprivileged_port_start"),
    (27, "net.ipv4.ip_local_reserved_ports"),
    (29, "net.ipv4.tcp_keepalive_time"),
    (29, "net.ipv4.tcp_fin_timeout"),
    (29, "net.ipv4.tcp_keepalive_intvl"),
    (29, "net.ipv4.tcp_keepalive_probes"),
    (32, "net.ipv4.tcp_rmem"),
    (32, "net.ipv4.tcp_wmem"),
    (37, "net.ipv4.tcp_slow_start_after_idle"),
    (37, "net.ipv4.tcp_notsent_lowat"),
];

declare_rule! {
    /// ## What it does
    /// Reports each `spec.securityContext.sysctls[*].name` outside the safe set of the
    /// chosen policy version (Pod Security Standards baseline control `sysctls`). Names are
    /// compared exactly.
    ///
    /// Safe set by policy version:
    /// - v1.0: `kernel.shm_rmid_forced`, `net.ipv4.ip_local_port_range`,
    ///   `net.ipv4.tcp_syncookies`, `net.ipv4.ping_group_range`,
    ///   `net.ipv4.ip_unprivileged_port_start`;
    /// - v1.27 adds `net.ipv4.ip_local_reserved_ports`;
    /// - v1.29 adds `net.ipv4.tcp_keepalive_time`, `net.ipv4.tcp_fin_timeout`,
    ///   `net.ipv4.tcp_keepalive_intvl`, `net.ipv4.tcp_keepalive_probes`;
    /// - v1.32 adds `net.ipv4.tcp_rmem`, `net.ipv4.tcp_wmem`;
    /// - v1.37 adds `net.ipv4.tcp_slow_start_after_idle`, `net.ipv4.tcp_notsent_lowat`.
    ///
    /// ## Why is this bad
    /// Only the safe sysctls are namespaced and isolated per pod. Others either change the
    /// whole node (`kernel.*`, `vm.*`) or weaken protections the node relies on, so one pod
    /// can affect every other pod on it.
    ///
    /// ## Example
    /// ```yaml
    /// spec:
    ///   securityContext:
    ///     sysctls:
    ///       - name: net.ipv4.tcp_syncookies   # passes
    ///         value: "1"
    ///       - name: kernel.msgmax             # reported
    ///         value: "65536"
    ///   containers:
    ///     - name: app
    ///       image: registry.example/app:1.2
    /// ```
    ///
    /// ## References
    /// - https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline
    /// - https://kubernetes.io/docs/tasks/administer-cluster/sysctl-cluster/
    pub struct UnsafeSysctls {
        id: "unsafe-sysctls",
        code: "KSPM122",
        title: "Unsafe sysctl",
        severity: Medium,
        target: Pod,
        help: "Remove the sysctl or set it on the node; pods may set only the safe sysctls.",
        peers: {
            "kube-linter": ["unsafe-sysctls"],
            "trivy": ["KSV026"],
        },
    }
}

fn is_safe(name: &str, kube_minor: u32) -> bool {
    SAFE.iter()
        .any(|(since, safe)| *safe == name && kube_minor >= *since)
}

impl Rule for UnsafeSysctls {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_pod(&self, cx: &RuleContext, pod: &PodSpecView<'_>, out: &mut Sink) {
        let Some(sysctls) = pod.security_context().and_then(|sc| sc.get("sysctls")) else {
            return;
        };
        for (i, item) in sysctls.items().iter().enumerate() {
            let name = item.get("name").and_then(Node::scalar_text).unwrap_or("");
            if is_safe(name, cx.kube_minor) {
                continue;
            }
            out.report(
                pod.spec_path("securityContext.sysctls")
                    .index(i)
                    .key("name"),
                format!(
                    "pod sets sysctl \"{name}\", which is not in the safe set for policy v1.{}",
                    cx.kube_minor
                ),
            );
        }
    }
}
