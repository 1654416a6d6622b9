//! Services that open a port on every node.

use crate::declare_rule;
use crate::k8s::ObjectView;
use crate::rule::{Rule, RuleContext, RuleMeta, Sink};
use crate::yaml::Node;

declare_rule! {
    /// ## What it does
    /// Reports a Service with `spec.type: NodePort`.
    ///
    /// ## Why is this bad
    /// A NodePort Service listens on a port of every node's address, so the workload is
    /// reachable by anything that can reach any node, bypassing ingress controllers, load
    /// balancer source ranges and usually the network policies written for pod traffic.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: v1
    /// kind: Service
    /// metadata:
    ///   name: web
    /// spec:
    ///   type: NodePort   # reported
    ///   selector: {app: web}
    ///   ports:
    ///     - port: 80
    /// ```
    ///
    /// ## References
    /// - https://kubernetes.io/docs/concepts/services-networking/service/#type-nodeport
    pub struct SvcNodeport {
        id: "svc-nodeport",
        code: "KSPM420",
        title: "NodePort Service",
        severity: Low,
        target: Object,
        help: "Use a ClusterIP Service behind an Ingress or Gateway instead of a NodePort.",
        peers: {
            "kube-score": ["service-type"],
            "kube-linter": ["exposed-services"],
        },
    }
}

impl Rule for SvcNodeport {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_object(&self, _cx: &RuleContext, obj: &ObjectView<'_>, out: &mut Sink) {
        if obj.kind() != "Service" || !obj.group().is_empty() {
            return;
        }
        if obj.root.get_path(&["spec", "type"]).and_then(Node::as_str) == Some("NodePort") {
            out.report(
                obj.path("spec.type"),
                format!(
                    "Service \"{}\" is a NodePort Service, open on every node",
                    obj.name().unwrap_or("")
                ),
            );
        }
    }
}
