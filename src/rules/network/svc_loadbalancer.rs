//! LoadBalancer Services open to any source address.

use crate::declare_rule;
use crate::fix::{Fix, Val};
use crate::k8s::ObjectView;
use crate::rule::{Rule, RuleContext, RuleMeta, Sink};
use crate::yaml::Node;

/// Annotations that make a cloud provider create an internal load balancer.
const INTERNAL: &[(&str, &[&str])] = &[
    (
        "service.beta.kubernetes.io/aws-load-balancer-internal",
        &["true"],
    ),
    (
        "service.beta.kubernetes.io/aws-load-balancer-scheme",
        &["internal"],
    ),
    ("networking.gke.io/load-balancer-type", &["Internal"]),
    ("cloud.google.com/load-balancer-type", &["Internal"]),
    (
        "service.beta.kubernetes.io/azure-load-balancer-internal",
        &["true"],
    ),
    (
        "service.beta.kubernetes.io/openstack-internal-load-balancer",
        &["true"],
    ),
    (
        "service.beta.kubernetes.io/oci-load-balancer-internal",
        &["true"],
    ),
    (
        "service.beta.kubernetes.io/alibaba-cloud-loadbalancer-address-type",
        &["intranet"],
    ),
];

/// The annotation form of `loadBalancerSourceRanges` cloud providers also honour.
const SOURCE_RANGES_ANNOTATION: &str = "service.beta.kubernetes.io/load-balancer-source-ranges";

const OPEN: &[&str] = &["0.0.0.0/0", "::/0"];

declare_rule! {
    /// ## What it does
    /// Reports a Service with `spec.type: LoadBalancer` that does not restrict its
    /// clients: `spec.loadBalancerSourceRanges` is missing or empty (and the
    /// `service.beta.kubernetes.io/load-balancer-source-ranges` annotation is not set
    /// either), or one of its entries is `0.0.0.0/0` or `::/0`. Load balancers that the
    /// well-known cloud annotations make internal (AWS, GKE, Azure, OpenStack, OCI,
    /// Alibaba Cloud) are not reported.
    ///
    /// ## Why is this bad
    /// A cloud load balancer without source ranges accepts connections from the whole
    /// internet, usually without any of the authentication or rate limiting an ingress
    /// layer would add.
    ///
    /// The fix is a suggestion (`display`): it writes a placeholder for the client networks
    /// into `loadBalancerSourceRanges` (in place of an open range).
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: v1
    /// kind: Service
    /// metadata:
    ///   name: web
    /// spec:                  # reported: no loadBalancerSourceRanges
    ///   type: LoadBalancer
    ///   selector: {app: web}
    ///   ports:
    ///     - port: 443
    /// ```
    ///
    /// ## References
    /// - https://kubernetes.io/docs/concepts/services-networking/service/#loadbalancer
    /// - https://kubernetes.io/docs/tasks/access-application-cluster/configure-cloud-provider-firewall/
    pub struct SvcLoadbalancer {
        id: "svc-loadbalancer",
        code: "KSPM421",
        title: "LoadBalancer open to any source",
        severity: Medium,
        target: Object,
        fix: Display,
        help: "Set spec.loadBalancerSourceRanges to the client networks, or make the load balancer internal.",
        peers: {
            "kube-linter": ["exposed-services"],
            "kubescape": ["C-0256"],
        },
    }
}

/// What the suggestions write: only the person knows the client networks.
const RANGE_PLACEHOLDER: &str = "<client CIDR, e.g. 203.0.113.0/24>";

impl Rule for SvcLoadbalancer {
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
        if spec.get("type").and_then(Node::as_str) != Some("LoadBalancer") {
            return;
        }
        let annotation = |key: &str| {
            obj.annotations()
                .and_then(|a| a.get(key))
                .and_then(Node::scalar_text)
        };
        let internal = INTERNAL
            .iter()
            .any(|(key, values)| annotation(key).is_some_and(|v| values.contains(&v)));
        if internal {
            return;
        }
        let name = obj.name().unwrap_or("");
        let ranges = spec
            .get("loadBalancerSourceRanges")
            .map(Node::items)
            .unwrap_or_default();
        if ranges.is_empty() {
            if annotation(SOURCE_RANGES_ANNOTATION).is_some_and(|v| !v.trim().is_empty()) {
                return;
            }
            out.report(
                obj.path("spec.loadBalancerSourceRanges"),
                format!("LoadBalancer Service \"{name}\" accepts clients from any address (no loadBalancerSourceRanges)"),
            );
            let fix = Fix::display("restrict loadBalancerSourceRanges to the client networks");
            let path = obj.path("spec");
            let range = vec![Val::str(RANGE_PLACEHOLDER)];
            out.with_fix(fix.append(spec, &path, &["loadBalancerSourceRanges"], range));
            return;
        }
        for (i, r) in ranges.iter().enumerate() {
            let Some(range) = r.scalar_text().map(str::trim) else {
                continue;
            };
            if OPEN.contains(&range) {
                out.report(
                    obj.path("spec.loadBalancerSourceRanges").index(i),
                    format!("LoadBalancer Service \"{name}\" allows clients from {range}"),
                );
                let path = obj.path("spec.loadBalancerSourceRanges").index(i);
                let fix = Fix::display(format!("replace {range} with the client networks"));
                out.with_fix(fix.replace(r, path, &format!("\"{RANGE_PLACEHOLDER}\"")));
            }
        }
    }
}
