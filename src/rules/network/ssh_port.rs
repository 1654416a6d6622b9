//! SSH exposed from a container or a Service.

use crate::declare_rule;
use crate::k8s::{ContainerView, ObjectView, PodSpecView};
use crate::rule::{Rule, RuleContext, RuleMeta, Sink};
use crate::yaml::Node;

const SSH: i64 = 22;

declare_rule! {
    /// ## What it does
    /// Reports a container port with `containerPort: 22`, and a Service port whose `port`
    /// or `targetPort` is 22 (one finding per port entry, on `port` when it is 22,
    /// otherwise on `targetPort`). UDP and SCTP ports are not reported.
    ///
    /// ## Why is this bad
    /// An SSH server in a container is a second way in that bypasses `kubectl exec`
    /// auditing and RBAC, usually with long-lived keys or passwords baked into the image,
    /// and it is a favourite target of credential-stuffing scans.
    ///
    /// ## Example
    /// ```yaml
    /// spec:
    ///   containers:
    ///     - name: app
    ///       image: registry.example/app:1.4.2
    ///       ports:
    ///         - containerPort: 22   # reported
    /// ```
    ///
    /// ## References
    /// - https://kubernetes.io/docs/tasks/debug/debug-application/get-shell-running-container/
    /// - https://kubernetes.io/docs/concepts/services-networking/service/#defining-a-service
    pub struct SshPort {
        id: "ssh-port",
        code: "KSPM440",
        title: "SSH port exposed",
        severity: Low,
        target: Container,
        help: "Remove the SSH server and port; use kubectl exec or debug containers for access.",
        peers: {
            "kube-linter": ["ssh-port"],
            "kubescape": ["C-0042"],
        },
    }
}

fn is_tcp(port: &Node) -> bool {
    port.get("protocol")
        .and_then(Node::scalar_text)
        .is_none_or(|p| p.is_empty() || p == "TCP")
}

impl Rule for SshPort {
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
            if p.get("containerPort").and_then(Node::as_i64) == Some(SSH) && is_tcp(p) {
                out.report(
                    c.field_path("ports").index(i).key("containerPort"),
                    format!("{} exposes the SSH port 22", c.describe()),
                );
            }
        }
    }

    fn check_object(&self, _cx: &RuleContext, obj: &ObjectView<'_>, out: &mut Sink) {
        if obj.kind() != "Service" || !obj.group().is_empty() {
            return;
        }
        let Some(ports) = obj.root.get_path(&["spec", "ports"]) else {
            return;
        };
        let name = obj.name().unwrap_or("");
        for (i, p) in ports.items().iter().enumerate() {
            if !is_tcp(p) {
                continue;
            }
            let field = if p.get("port").and_then(Node::as_i64) == Some(SSH) {
                "port"
            } else if p.get("targetPort").and_then(Node::as_i64) == Some(SSH) {
                "targetPort"
            } else {
                continue;
            };
            out.report(
                obj.path("spec.ports").index(i).key(field),
                format!("Service \"{name}\" exposes the SSH port 22 ({field})"),
            );
        }
    }
}
