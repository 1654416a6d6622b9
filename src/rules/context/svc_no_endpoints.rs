//! A Service whose selector matches no pod template.

use crate::declare_rule;
use crate::k8s::{LabelSelector, LintContext};
use crate::rule::{Rule, RuleContext, RuleMeta, Sink};
use crate::yaml::Node;

declare_rule! {
    /// ## What it does
    /// Reports a Service whose `spec.selector` is set and not empty but matches the pod
    /// template labels of no workload in the Service's namespace among the linted objects.
    /// Services without a selector (endpoints managed by hand or by a controller) and
    /// `ExternalName` Services are skipped.
    ///
    /// ## Why is this bad
    /// A Service that selects no pods has no endpoints: clients get connection refused or
    /// time out, and an Ingress or another service pointing at it fails the same way. The
    /// usual cause is a label typo or a rename on one side only, which is easy to miss in a
    /// review and only shows up at runtime.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: v1
    /// kind: Service
    /// metadata:
    ///   name: web
    /// spec:
    ///   selector:           # reported: no pod template has app=web
    ///     app: web
    ///   ports:
    ///     - port: 80
    ///       targetPort: 8080
    /// ---
    /// apiVersion: apps/v1
    /// kind: Deployment
    /// metadata:
    ///   name: web
    /// spec:
    ///   selector:
    ///     matchLabels: {app: website}
    ///   template:
    ///     metadata:
    ///       labels: {app: website}
    ///     spec:
    ///       containers:
    ///         - name: web
    ///           image: registry.example/web:1.4
    /// ```
    ///
    /// ## References
    /// - https://kubernetes.io/docs/concepts/services-networking/service/#defining-a-service
    ///
    /// ## Differences from peers
    /// The rule only sees the workloads of one lint context (one command-line argument);
    /// Services for pods that an operator creates need a suppression.
    pub struct SvcNoEndpoints {
        id: "svc-no-endpoints",
        code: "KSPM423",
        title: "Service selects no pods",
        severity: Low,
        target: Context,
        help: "Make spec.selector match the pod template labels of the workload behind the Service.",
        peers: {
            "kube-linter": ["dangling-service"],
            "kube-score": ["service-targets-pod"],
            "kubescape": ["C-0293"],
        },
    }
}

impl Rule for SvcNoEndpoints {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_context(&self, _cx: &RuleContext, ctx: &LintContext, out: &mut Sink) {
        for s in ctx.of_kind("Service") {
            let view = ctx.view(s);
            // Only the core Service (Knative and others reuse the kind name).
            if view.group() != "" {
                continue;
            }
            let Some(spec) = view.root.get("spec") else {
                continue;
            };
            if spec.get("type").and_then(Node::as_str) == Some("ExternalName") {
                continue;
            }
            let (Some(ns), Some(node)) = (view.effective_namespace(), spec.get("selector")) else {
                continue;
            };
            let sel = LabelSelector::from_map(node);
            if sel.is_empty() || ctx.selects_any(ns, &sel) {
                continue;
            }
            let shown: Vec<String> = sel
                .match_labels
                .iter()
                .map(|(k, v)| format!("{k}={v}"))
                .collect();
            out.report_on(
                s,
                view.path("spec.selector"),
                format!(
                    "selector `{}` matches no pod template in namespace `{ns}`; the Service has no endpoints",
                    shown.join(", ")
                ),
            );
        }
    }
}
