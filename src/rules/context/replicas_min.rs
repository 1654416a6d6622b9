//! A Deployment or StatefulSet that runs too few replicas to survive losing one pod.

use crate::declare_rule;
use crate::fix::{Fix, Val};
use crate::k8s::LintContext;
use crate::rule::{Rule, RuleContext, RuleMeta, Sink};

declare_rule! {
    /// ## What it does
    /// Reports a Deployment or StatefulSet whose `spec.replicas` is below the minimum (2 by
    /// default), counting an unset field as the API default of 1. A workload that a
    /// HorizontalPodAutoscaler or a KEDA ScaledObject in the same lint context targets is
    /// skipped: the autoscaler owns the replica count (`hpa-min-replicas` checks its floor).
    ///
    /// ## Why is this bad
    /// With a single replica every node drain, eviction, crash or rollout takes the service
    /// down until a new pod is scheduled and ready. Two replicas (with a PodDisruptionBudget
    /// and anti-affinity) let Kubernetes keep one serving while the other moves.
    ///
    /// The unsafe fix sets `spec.replicas` to the minimum. It doubles what the workload
    /// consumes, and a workload that must run alone (a pod holding a ReadWriteOnce volume,
    /// a singleton without leader election) breaks with a second replica.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: apps/v1
    /// kind: Deployment
    /// metadata:
    ///   name: web
    /// spec:
    ///   replicas: 1        # reported
    ///   selector:
    ///     matchLabels: {app: web}
    ///   template:
    ///     metadata:
    ///       labels: {app: web}
    ///     spec:
    ///       containers:
    ///         - name: web
    ///           image: registry.example/web:1.4
    /// ```
    /// Set `replicas: 2` or more, or scale the Deployment with an HPA.
    ///
    /// ## Options
    /// - `replicas-min.min` (int, default 2): the fewest replicas allowed. The same floor
    ///   applies to an HPA's `minReplicas` in `hpa-min-replicas`.
    ///
    /// ## References
    /// - https://kubernetes.io/docs/concepts/workloads/controllers/deployment/#replicas
    /// - https://kubernetes.io/docs/tasks/run-application/configure-pdb/
    ///
    /// ## Differences from peers
    /// kube-linter's `minimum-three-replicas` wants 3; set `replicas-min.min=3` for the
    /// same floor. kube-linter does not look for an autoscaler; kspm skips targeted
    /// workloads because their `replicas` field is only the starting point.
    pub struct ReplicasMin {
        id: "replicas-min",
        code: "KSPM330",
        title: "Too few replicas",
        severity: Low,
        target: Context,
        fix: Unsafe,
        help: "Run at least two replicas (spec.replicas), or scale the workload with an HPA.",
        peers: {
            "kube-linter": ["minimum-three-replicas"],
            "polaris": ["deploymentMissingReplicas"],
            "kube-score": ["deployment-replicas"],
        },
    }
}

impl Rule for ReplicasMin {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_context(&self, cx: &RuleContext, ctx: &LintContext, out: &mut Sink) {
        let min = cx.options.min_replicas;
        for kind in ["Deployment", "StatefulSet"] {
            // Only the built-in kinds (a CRD may reuse the name).
            for i in ctx.of_kind(kind).filter(|&i| ctx.pod(i).is_some()) {
                // A value that is not an integer (an unrendered template) is not judged.
                let Some(replicas) = ctx.replicas(i) else {
                    continue;
                };
                if replicas >= min || !ctx.scalers_of(i).is_empty() {
                    continue;
                }
                let view = ctx.view(i);
                let set = view
                    .root
                    .get_path(&["spec", "replicas"])
                    .is_some_and(|n| !n.is_null());
                let message = if set {
                    format!(
                        "{kind} runs {replicas} replica(s); at least {min} are needed to stay available while one pod is down"
                    )
                } else {
                    format!(
                        "{kind} does not set spec.replicas, so it runs 1 replica; at least {min} are needed to stay available while one pod is down"
                    )
                };
                out.report_on(i, view.path("spec.replicas"), message);
                if let Some(spec) = view.root.get("spec") {
                    let fix = Fix::unsafe_(format!("set spec.replicas: {min}"));
                    let path = view.path("spec");
                    out.with_fix(fix.set(spec, &path, &["replicas"], Val::raw(&min.to_string())));
                }
            }
        }
    }
}
