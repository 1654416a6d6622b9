//! PSS baseline control `sysctls`.

use crate::declare_rule;
use crate::fix::Fix;
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
    /// The unsafe fix removes the unsafe entries (and `sysctls` or `securityContext` when
    /// nothing else is left in them), so the node's value applies; a workload tuned for the
    /// removed value may misbehave, and the setting belongs on the node if it is needed.
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
        fix: Unsafe,
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
        let Some(sc) = pod.security_context() else {
            return;
        };
        let Some(sysctls) = sc.get("sysctls") else {
            return;
        };
        let mut bad = Vec::new();
        for (i, item) in sysctls.items().iter().enumerate() {
            let name = item.get("name").and_then(Node::scalar_text).unwrap_or("");
            if is_safe(name, cx.kube_minor) {
                continue;
            }
            bad.push(i);
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
        if bad.is_empty() {
            return;
        }
        // One fix for every finding (applied once): removing each entry on its own could
        // empty the list under another finding's fix.
        let sc_path = pod.spec_path("securityContext");
        let fix = Fix::unsafe_("remove the unsafe sysctls");
        let fix = if bad.len() == sysctls.items().len() {
            fix.remove_nested(pod.spec, &pod.path, &["securityContext"], &["sysctls"])
        } else {
            let key = sc.entry("sysctls").map(|e| &e.key);
            fix.remove_items(sysctls, key, &sc_path.key("sysctls"), &bad)
        };
        let at = out.findings.len() - bad.len();
        for finding in &mut out.findings[at..] {
            finding.fix = Some(Box::new(fix.clone()));
        }
    }
}
