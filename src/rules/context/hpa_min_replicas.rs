//! An HPA whose floor lets its workload shrink to a single pod.

use crate::declare_rule;
use crate::fix::{Fix, Val};
use crate::k8s::ObjectView;
use crate::rule::{Rule, RuleContext, RuleMeta, Sink};
use crate::yaml::Node;

declare_rule! {
    /// ## What it does
    /// Reports a HorizontalPodAutoscaler whose `spec.minReplicas` is below the minimum
    /// replica count (2 by default, the `replicas-min.min` option). An unset `minReplicas`
    /// counts as the API default of 1.
    ///
    /// ## Why is this bad
    /// At low load the autoscaler scales the workload down to `minReplicas`. With one pod
    /// left, any eviction, crash or node drain is an outage, exactly when traffic is quiet
    /// enough for maintenance to run. `replicas-min` skips autoscaled workloads, so this is
    /// where their floor is checked.
    ///
    /// The unsafe fix sets `spec.minReplicas` to the minimum (not offered when
    /// `maxReplicas` is lower): the workload then always runs that many pods, which costs
    /// capacity and may not fit the namespace's quota.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: autoscaling/v2
    /// kind: HorizontalPodAutoscaler
    /// metadata:
    ///   name: web
    /// spec:
    ///   scaleTargetRef:
    ///     apiVersion: apps/v1
    ///     kind: Deployment
    ///     name: web
    ///   minReplicas: 1     # reported
    ///   maxReplicas: 10
    /// ```
    /// Set `minReplicas: 2` or more.
    ///
    /// ## Options
    /// - `replicas-min.min` (int, default 2): the fewest replicas allowed; shared with
    ///   `replicas-min`.
    ///
    /// ## References
    /// - https://kubernetes.io/docs/tasks/run-application/horizontal-pod-autoscale/
    /// - https://kubernetes.io/docs/reference/kubernetes-api/workload-resources/horizontal-pod-autoscaler-v2/
    ///
    /// ## Differences from peers
    /// Polaris (`hpaMinAvailability`) passes an HPA that leaves `minReplicas` unset; the API
    /// server defaults it to 1, so kspm reports it like kube-linter's
    /// `hpa-minimum-three-replicas` does. kube-linter wants 3 by default; set
    /// `replicas-min.min=3` for the same floor. KEDA ScaledObjects are not checked: their
    /// default floor of 0 (scale to zero) is a deliberate choice.
    pub struct HpaMinReplicas {
        id: "hpa-min-replicas",
        code: "KSPM335",
        title: "HPA may scale down to one replica",
        severity: Low,
        target: Object,
        fix: Unsafe,
        help: "Set the HPA's spec.minReplicas to 2 or more.",
        peers: {
            "kube-linter": ["hpa-minimum-three-replicas"],
            "polaris": ["hpaMinAvailability"],
        },
    }
}

impl Rule for HpaMinReplicas {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_object(&self, cx: &RuleContext, obj: &ObjectView<'_>, out: &mut Sink) {
        if obj.kind() != "HorizontalPodAutoscaler" || obj.group() != "autoscaling" {
            return;
        }
        let min = cx.options.min_replicas;
        let node = obj.root.get_path(&["spec", "minReplicas"]);
        let value = match node {
            None => 1,
            Some(n) if n.is_null() => 1,
            // A value that is not an integer (an unrendered template) is not judged.
            Some(n) => match n.as_i64() {
                Some(v) => v,
                None => return,
            },
        };
        if value >= min {
            return;
        }
        let target = obj
            .root
            .get_path(&["spec", "scaleTargetRef"])
            .map(|t| {
                let part = |k| t.get(k).and_then(Node::as_str).unwrap_or("?");
                format!("{}/{}", part("kind"), part("name"))
            })
            .unwrap_or_else(|| "its target".to_string());
        let message = if node.is_some_and(|n| !n.is_null()) {
            format!("minReplicas {value} lets the autoscaler shrink {target} below {min} replicas")
        } else {
            format!(
                "minReplicas is unset, so the autoscaler may shrink {target} to 1 replica (below {min})"
            )
        };
        out.report(obj.path("spec.minReplicas"), message);
        let max = obj
            .root
            .get_path(&["spec", "maxReplicas"])
            .and_then(Node::as_i64);
        if let Some(spec) = obj.root.get("spec")
            && max.is_none_or(|m| m >= min)
        {
            let fix = Fix::unsafe_(format!("set spec.minReplicas: {min}"));
            let path = obj.path("spec");
            out.with_fix(fix.set(spec, &path, &["minReplicas"], Val::raw(&min.to_string())));
        }
    }
}
