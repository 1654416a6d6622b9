//! A PodDisruptionBudget that allows no voluntary disruption at all.

use crate::declare_rule;
use crate::fix::{Fix, Val};
use crate::k8s::LintContext;
use crate::rule::{Rule, RuleContext, RuleMeta, Sink};
use crate::yaml::{Node, ScalarStyle};

declare_rule! {
    /// ## What it does
    /// Reports a PodDisruptionBudget that can never allow an eviction:
    /// - `maxUnavailable` is `0` or `0%`;
    /// - `minAvailable` is `100%`;
    /// - `minAvailable` is a number (or a percentage, which the disruption controller rounds
    ///   up) that reaches the most pods the selected workloads can run: the sum of their
    ///   `spec.replicas` (default 1; a Pod counts 1; an autoscaled workload counts its
    ///   autoscaler's maximum). This part is only judged when every selected pod template
    ///   in the lint context belongs to a kind with a known replica count.
    ///
    /// ## Why is this bad
    /// `kubectl drain`, cluster upgrades and the cluster autoscaler evict pods through the
    /// eviction API, which refuses while the budget would be violated. A budget that allows
    /// zero disruptions makes every drain hang until someone deletes the budget or the pods
    /// by hand, which defeats its purpose and blocks node maintenance and security patching.
    ///
    /// The unsafe fix allows one disruption: `maxUnavailable: 1`, in place of the blocking
    /// `maxUnavailable` or `minAvailable` (a fixed `minAvailable` below the replica count would
    /// block again when an autoscaler runs fewer pods). Drains then evict one pod at a time,
    /// which a workload that truly cannot lose a pod (a quorum at its minimum) may not survive.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: policy/v1
    /// kind: PodDisruptionBudget
    /// metadata:
    ///   name: web
    /// spec:
    ///   minAvailable: 3       # reported: web runs 3 replicas
    ///   selector:
    ///     matchLabels: {app: web}
    /// ---
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
    ///       labels: {app: web}
    ///     spec:
    ///       containers:
    ///         - name: web
    ///           image: registry.example/web:1.4
    /// ```
    /// Use `maxUnavailable: 1`, or a `minAvailable` below the replica count.
    ///
    /// ## References
    /// - https://kubernetes.io/docs/tasks/run-application/configure-pdb/#think-about-how-your-application-reacts-to-disruptions
    /// - https://kubernetes.io/docs/concepts/workloads/pods/disruptions/
    pub struct PdbBlocksDrain {
        id: "pdb-blocks-drain",
        code: "KSPM332",
        title: "PodDisruptionBudget allows no disruption",
        severity: Low,
        target: Context,
        fix: Unsafe,
        help: "Allow at least one disruption: maxUnavailable: 1, or minAvailable below the replica count.",
        peers: {
            "kube-linter": ["pdb-min-available", "pdb-max-unavailable"],
            "polaris": ["pdbDisruptionsIsZero"],
        },
    }
}

/// An IntOrString budget value.
enum Amount {
    Count(i64),
    Percent(i64),
}

fn amount(node: &Node) -> Option<Amount> {
    if let Some(n) = node.as_i64() {
        return Some(Amount::Count(n));
    }
    let text = node.as_str()?.trim();
    match text.strip_suffix('%') {
        Some(p) => p.trim().parse().ok().map(Amount::Percent),
        // The API accepts a quoted number as a count.
        None => text.parse().ok().map(Amount::Count),
    }
}

impl Rule for PdbBlocksDrain {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_context(&self, _cx: &RuleContext, ctx: &LintContext, out: &mut Sink) {
        for b in ctx.of_kind("PodDisruptionBudget") {
            let view = ctx.view(b);
            let Some(spec) = view.root.get("spec") else {
                continue;
            };
            if let Some(v) = spec.get("maxUnavailable")
                && matches!(amount(v), Some(Amount::Count(0) | Amount::Percent(0)))
            {
                out.report_on(
                    b,
                    view.path("spec.maxUnavailable"),
                    format!(
                        "maxUnavailable {} lets no pod be evicted; node drains hang",
                        v.scalar_text().unwrap_or("0")
                    ),
                );
                let fix = Fix::unsafe_("set maxUnavailable: 1");
                let path = view.path("spec");
                out.with_fix(fix.set(spec, &path, &["maxUnavailable"], Val::raw("1")));
            }
            let Some(v) = spec.get("minAvailable") else {
                continue;
            };
            let shown = v.scalar_text().unwrap_or("");
            let blocked = match amount(v) {
                Some(Amount::Percent(p)) if p >= 100 => {
                    Some(format!("minAvailable {shown} keeps every selected pod"))
                }
                Some(a) => max_pods(ctx, b).and_then(|(pods, what)| {
                    // The controller rounds a percentage up.
                    let needed = match a {
                        Amount::Count(n) => n,
                        Amount::Percent(p) => (p * pods + 99) / 100,
                    };
                    (pods > 0 && needed >= pods)
                        .then(|| format!("minAvailable {shown} needs all {pods} pod(s) of {what}"))
                }),
                None => None,
            };
            if let Some(why) = blocked {
                out.report_on(
                    b,
                    view.path("spec.minAvailable"),
                    format!("{why}: no pod may be evicted, so node drains hang"),
                );
                let path = view.path("spec");
                let fix = Fix::unsafe_("replace minAvailable with maxUnavailable: 1");
                let fix = match spec.entry("minAvailable") {
                    // Rewritten in place (key and value), so the entry keeps its position
                    // and comment wherever it sits in the mapping.
                    Some(e) if spec.get("maxUnavailable").is_none() => {
                        let quoted = e
                            .key
                            .scalar()
                            .is_some_and(|s| s.style != ScalarStyle::Plain);
                        let key = if quoted {
                            "\"maxUnavailable\""
                        } else {
                            "maxUnavailable"
                        };
                        fix.replace(&e.key, path.key("maxUnavailable"), key)
                            .replace(&e.value, path.key("minAvailable"), "1")
                    }
                    _ => fix.remove(spec, &path, &["minAvailable"], None),
                };
                out.with_fix(fix);
            }
        }
    }
}

/// The most pods budget `b` can see: the summed replica ceilings of the workloads its
/// selector matches, with a description; `None` when it matches nothing in the context or
/// a workload whose pod count is unknown (DaemonSet, Job, ...).
fn max_pods(ctx: &LintContext, b: usize) -> Option<(i64, String)> {
    let sel = ctx.pdb_selector(b)?;
    let ns = ctx.view(b).effective_namespace()?;
    let workloads = ctx.select_pods(ns, &sel);
    let mut total = 0i64;
    let mut names = Vec::new();
    for &w in &workloads {
        let scaled = ctx
            .scalers_of(w)
            .iter()
            .map(|&s| ctx.scaler_bounds(s).1)
            .collect::<Option<Vec<i64>>>()?;
        let count = match scaled.iter().max() {
            Some(&max) => max,
            None => ctx.replicas(w)?,
        };
        total = total.saturating_add(count);
        let v = ctx.view(w);
        names.push(format!("{}/{}", v.kind(), v.name().unwrap_or("?")));
    }
    if names.is_empty() {
        return None;
    }
    let what = if names.len() > 3 {
        format!("{} and {} more", names[..3].join(", "), names.len() - 3)
    } else {
        names.join(", ")
    };
    Some((total, what))
}
