//! Services that claim external IPs (CVE-2020-8554).

use crate::declare_rule;
use crate::fix::Fix;
use crate::k8s::ObjectView;
use crate::rule::{Rule, RuleContext, RuleMeta, Sink};

declare_rule! {
    /// ## What it does
    /// Reports every entry of a Service's `spec.externalIPs`.
    ///
    /// ## Why is this bad
    /// kube-proxy routes traffic for an external IP to the Service on every node, and
    /// nothing checks who owns the address. Whoever can create a Service can therefore
    /// intercept traffic meant for any IP, inside or outside the cluster
    /// (CVE-2020-8554); the fix upstream is to deny the field with the
    /// DenyServiceExternalIPs admission plugin.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: v1
    /// kind: Service
    /// metadata:
    ///   name: web
    /// spec:
    ///   selector: {app: web}
    ///   ports:
    ///     - port: 80
    ///   externalIPs:
    ///     - 203.0.113.10   # reported
    /// ```
    ///
    /// The unsafe fix removes `spec.externalIPs`: clients that reach the Service on those
    /// addresses lose it until it is exposed through a LoadBalancer or an Ingress.
    ///
    /// ## References
    /// - https://kubernetes.io/docs/concepts/services-networking/service/#external-ips
    /// - https://github.com/kubernetes/kubernetes/issues/97076 (CVE-2020-8554)
    pub struct SvcExternalIps {
        id: "svc-external-ips",
        code: "KSPM422",
        title: "Service externalIPs",
        severity: High,
        target: Object,
        fix: Unsafe,
        help: "Remove spec.externalIPs; use a LoadBalancer or an Ingress to expose the Service.",
        peers: {
            "trivy": ["KSV108"],
        },
    }
}

impl Rule for SvcExternalIps {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_object(&self, _cx: &RuleContext, obj: &ObjectView<'_>, out: &mut Sink) {
        if obj.kind() != "Service" || !obj.group().is_empty() {
            return;
        }
        let Some(spec) = obj.root.get("spec") else {
            return;
        };
        let Some(ips) = spec.get("externalIPs") else {
            return;
        };
        // Every finding gets the same fix (applied once): remove the whole list.
        let fix = Fix::unsafe_("remove spec.externalIPs").remove(
            spec,
            &obj.path("spec"),
            &["externalIPs"],
            None,
        );
        for (i, ip) in ips.items().iter().enumerate() {
            let text = ip.scalar_text().unwrap_or("");
            out.report(
                obj.path("spec.externalIPs").index(i),
                format!(
                    "Service \"{}\" claims external IP {text}",
                    obj.name().unwrap_or("")
                ),
            );
            out.with_fix(fix.clone());
        }
    }
}
