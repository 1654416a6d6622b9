//! Workload runs as the namespace's default ServiceAccount (CIS 5.1.5).

use crate::declare_rule;
use crate::fix::{Fix, Val};
use crate::k8s::PodSpecView;
use crate::rule::{Rule, RuleContext, RuleMeta, Sink};
use crate::yaml::Node;

declare_rule! {
    /// ## What it does
    /// Reports a pod spec that runs as the `default` ServiceAccount: `serviceAccountName`
    /// is unset, empty or `default`. The deprecated `serviceAccount` field counts when
    /// `serviceAccountName` is empty, because the API server copies it over. The finding
    /// points at the field that names the account, or where `serviceAccountName` should be.
    ///
    /// ## Why is this bad
    /// Every namespace has a `default` ServiceAccount that every pod without its own
    /// account shares. Any permission granted to it reaches all of those pods, and a pod
    /// compromise yields a token that other workloads use too. A dedicated ServiceAccount
    /// per workload keeps permissions and audit trails apart.
    ///
    /// The fix is a suggestion (`display`): it writes the field with a placeholder for the
    /// workload's own ServiceAccount, which has to be created with the permissions it needs.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: apps/v1
    /// kind: Deployment
    /// spec:
    ///   template:
    ///     spec:                      # reported: no serviceAccountName
    ///       containers:
    ///         - name: app
    ///           image: registry.example/app:1.2
    /// ```
    ///
    /// ## References
    /// - CIS Kubernetes Benchmark v1.12, 5.1.5: https://www.cisecurity.org/benchmark/kubernetes
    /// - https://kubernetes.io/docs/tasks/configure-pod-container/configure-service-account/
    pub struct DefaultSaUsed {
        id: "default-sa-used",
        code: "KSPM202",
        title: "Workload uses the default ServiceAccount",
        severity: Low,
        target: Pod,
        fix: Display,
        help: "Create a ServiceAccount for the workload and set serviceAccountName to it.",
        peers: {
            "kube-linter": ["default-service-account"],
            "kubescape": ["C-0189"],
            "kubesec": ["ServiceAccountName"],
        },
    }
}

fn non_empty(n: Option<&Node>) -> Option<&str> {
    n.filter(|n| !n.is_null())
        .and_then(Node::scalar_text)
        .filter(|s| !s.is_empty())
}

impl Rule for DefaultSaUsed {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_pod(&self, _cx: &RuleContext, pod: &PodSpecView<'_>, out: &mut Sink) {
        let name = non_empty(pod.get("serviceAccountName"));
        let legacy = non_empty(pod.get("serviceAccount"));
        let (path, message) = match (name, legacy) {
            (Some("default"), _) => (
                "serviceAccountName",
                "pod sets serviceAccountName: default".to_string(),
            ),
            (Some(_), _) => return,
            (None, Some("default")) => (
                "serviceAccount",
                "pod sets the deprecated serviceAccount: default".to_string(),
            ),
            (None, Some(_)) => return,
            (None, None) => (
                "serviceAccountName",
                "pod does not set serviceAccountName, so it runs as the default ServiceAccount"
                    .to_string(),
            ),
        };
        out.report(pod.spec_path(path), message);
        out.with_fix(
            Fix::display(format!("set {path} to the workload's own ServiceAccount")).set(
                pod.spec,
                &pod.path,
                &[path],
                Val::str("<service account of the workload>"),
            ),
        );
    }
}
