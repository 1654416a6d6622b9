//! PSS baseline control `hostPorts`.

use crate::declare_rule;
use crate::fix::Fix;
use crate::k8s::{ContainerView, PodSpecView};
use crate::rule::{Rule, RuleContext, RuleMeta, Sink};
use crate::yaml::Node;

declare_rule! {
    /// ## What it does
    /// Reports every `ports[*].hostPort` that is set and not `0`, on any container, init
    /// container or ephemeral container (Pod Security Standards baseline control
    /// `hostPorts`, all policy versions). The standard has no allow-list, so any host port
    /// is reported.
    ///
    /// ## Why is this bad
    /// A host port binds the container to a port on the node's own address: it bypasses
    /// Services and NetworkPolicies that select pod IPs, limits scheduling (one pod per
    /// port per node) and exposes the workload on every address of the node.
    ///
    /// ## Example
    /// ```yaml
    /// spec:
    ///   containers:
    ///     - name: app
    ///       image: registry.example/app:1.2
    ///       ports:
    ///         - containerPort: 8080
    ///           hostPort: 80        # reported
    /// ```
    /// Expose the port through a Service instead.
    ///
    /// ## References
    /// - https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline
    /// - CIS Kubernetes Benchmark v1.12, 5.2.12: https://www.cisecurity.org/benchmark/kubernetes
    pub struct HostPort {
        id: "host-port",
        code: "KSPM116",
        title: "hostPort used",
        severity: Medium,
        target: Container,
        fix: Unsafe,
        help: "Remove hostPort and expose the container through a Service.",
        peers: {
            "checkov": ["CKV_K8S_26"],
            "trivy": ["KSV024"],
            "kubescape": ["C-0044", "C-0204"],
            "polaris": ["hostPortSet"],
        },
    }
}

impl Rule for HostPort {
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
        let Some(ports) = c.get("ports") else {
            return;
        };
        for (i, p) in ports.items().iter().enumerate() {
            let Some(host_port) = p.get("hostPort").and_then(Node::as_i64) else {
                continue;
            };
            if host_port == 0 {
                continue;
            }
            out.report(
                c.field_path("ports").index(i).key("hostPort"),
                format!("{} binds host port {host_port}", c.describe()),
            );
            let port_path = c.field_path("ports").index(i);
            out.with_fix(Fix::unsafe_("remove hostPort").remove(
                p,
                &port_path,
                &["hostPort"],
                None,
            ));
        }
    }
}
