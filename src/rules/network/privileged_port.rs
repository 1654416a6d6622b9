//! Containers listening on ports below 1024.

use crate::declare_rule;
use crate::k8s::{ContainerView, PodSpecView};
use crate::rule::{Rule, RuleContext, RuleMeta, Sink};
use crate::yaml::Node;

declare_rule! {
    /// ## What it does
    /// Reports every `ports[*].containerPort` between 1 and 1023 on a container, init
    /// container or ephemeral container.
    ///
    /// ## Why is this bad
    /// Binding a port below 1024 needs root or the `NET_BIND_SERVICE` capability
    /// (unless the node lowers `net.ipv4.ip_unprivileged_port_start`), so the port choice
    /// forces the container to keep privileges it otherwise would not need. Listen on a
    /// high port and let the Service map 80 or 443 to it.
    ///
    /// ## Example
    /// ```yaml
    /// spec:
    ///   containers:
    ///     - name: web
    ///       image: registry.example/web:1.4.2
    ///       ports:
    ///         - containerPort: 80     # reported
    ///         - containerPort: 8080   # passes
    /// ```
    ///
    /// ## References
    /// - https://kubernetes.io/docs/concepts/services-networking/service/#defining-a-service
    /// - https://kubernetes.io/docs/tasks/configure-pod-container/security-context/#set-capabilities-for-a-container
    pub struct PrivilegedPort {
        id: "privileged-port",
        code: "KSPM441",
        title: "Port below 1024",
        severity: Low,
        target: Container,
        help: "Listen on a port of 1024 or above and map it in the Service (port: 80, targetPort: 8080).",
        peers: {
            "kube-linter": ["privileged-ports"],
            "trivy": ["KSV117"],
        },
    }
}

impl Rule for PrivilegedPort {
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
            let Some(port) = p.get("containerPort").and_then(Node::as_i64) else {
                continue;
            };
            if (1..1024).contains(&port) {
                out.report(
                    c.field_path("ports").index(i).key("containerPort"),
                    format!("{} listens on privileged port {port}", c.describe()),
                );
            }
        }
    }
}
