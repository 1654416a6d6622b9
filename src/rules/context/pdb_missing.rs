//! A replicated Deployment or StatefulSet that no PodDisruptionBudget covers.

use crate::declare_rule;
use crate::k8s::LintContext;
use crate::rule::{Rule, RuleContext, RuleMeta, Sink};

declare_rule! {
    /// ## What it does
    /// Reports a Deployment or StatefulSet that may run more than one replica
    /// (`spec.replicas` above 1, or an HPA or KEDA ScaledObject targeting it that allows more
    /// than one) when no PodDisruptionBudget in its namespace selects its pod template
    /// labels. The finding is on the template's labels, which a PDB's selector must match.
    ///
    /// ## Why is this bad
    /// Node drains (upgrades, autoscaler scale-downs, maintenance) evict pods through the
    /// eviction API, which only holds back when a PodDisruptionBudget says so. Without one,
    /// a drain may evict every replica at once and the service goes down even though it runs
    /// several copies.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: apps/v1
    /// kind: Deployment
    /// metadata:
    ///   name: web
    /// spec:
    ///   replicas: 3
    ///   selector:
    ///     matchLabels: {app: web}
    ///   template:
    ///     metadata:
    ///       labels: {app: web}     # reported: no PodDisruptionBudget selects app=web
    ///     spec:
    ///       containers:
    ///         - name: web
    ///           image: registry.example/web:1.4
    /// ---
    /// apiVersion: policy/v1
    /// kind: PodDisruptionBudget
    /// metadata:
    ///   name: web
    /// spec:
    ///   maxUnavailable: 1
    ///   selector:
    ///     matchLabels: {app: web}   # adding this budget fixes it
    /// ```
    ///
    /// ## References
    /// - https://kubernetes.io/docs/concepts/workloads/pods/disruptions/
    /// - https://kubernetes.io/docs/tasks/run-application/configure-pdb/
    ///
    /// ## Differences from peers
    /// kube-score also reports a workload that leaves `spec.replicas` unset; kspm counts an
    /// unset field as the API default of 1, for which a budget protects nothing, unless an
    /// autoscaler targets the workload.
    pub struct PdbMissing {
        id: "pdb-missing",
        code: "KSPM331",
        title: "No PodDisruptionBudget",
        severity: Low,
        target: Context,
        help: "Add a PodDisruptionBudget (e.g. maxUnavailable: 1) whose selector matches the pod template labels.",
        peers: {
            "kube-score": ["deployment-has-poddisruptionbudget", "statefulset-has-poddisruptionbudget"],
            "polaris": ["missingPodDisruptionBudget"],
        },
    }
}

impl Rule for PdbMissing {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_context(&self, _cx: &RuleContext, ctx: &LintContext, out: &mut Sink) {
        // Every workload some budget selects; each budget is resolved once.
        let mut covered = vec![false; ctx.len()];
        for b in ctx.of_kind("PodDisruptionBudget") {
            let (Some(ns), Some(sel)) = (ctx.view(b).effective_namespace(), ctx.pdb_selector(b))
            else {
                continue;
            };
            for w in ctx.select_pods(ns, &sel) {
                covered[w] = true;
            }
        }
        for kind in ["Deployment", "StatefulSet"] {
            for i in ctx.of_kind(kind) {
                let Some(pod) = ctx.pod(i) else { continue };
                if covered[i] {
                    continue;
                }
                let Some(replicas) = ctx.replicas(i) else {
                    continue;
                };
                let scaled_max = ctx
                    .scalers_of(i)
                    .iter()
                    .filter_map(|&s| ctx.scaler_bounds(s).1)
                    .max();
                let why = match scaled_max {
                    Some(max) if max > 1 => format!("an autoscaler may run up to {max} replicas"),
                    Some(_) => continue,
                    None if replicas > 1 => format!("it runs {replicas} replicas"),
                    None => continue,
                };
                let ns = ctx.view(i).effective_namespace().unwrap_or("default");
                out.report_on(
                    i,
                    pod.metadata_path.key("labels"),
                    format!(
                        "{kind}: {why} but no PodDisruptionBudget in namespace `{ns}` selects its pod template labels; a node drain may evict them all at once"
                    ),
                );
            }
        }
    }
}
