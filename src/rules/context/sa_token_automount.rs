//! CIS 5.1.6: service account tokens mounted only where needed, resolved across the pod
//! spec and its ServiceAccount.

use crate::declare_rule;
use crate::fix::{Fix, Val};
use crate::k8s::LintContext;
use crate::rule::{Rule, RuleContext, RuleMeta, Sink};
use crate::yaml::Node;

declare_rule! {
    /// ## What it does
    /// Reports a workload whose pods get a service account token mounted. The effective
    /// setting is the pod spec's `automountServiceAccountToken` when set; otherwise the
    /// field of the ServiceAccount the pod runs as (`serviceAccountName`, or `default`), when
    /// that ServiceAccount is among the linted objects; otherwise `true`, the API default.
    ///
    /// ## Why is this bad
    /// A mounted token lets anyone who gets code execution in the container call the API
    /// server as the pod's service account. Most applications never talk to the API server,
    /// so the token is pure attack surface: it turns a compromised web app into a foothold
    /// in the cluster, and whatever RBAC grants the account (now or later) comes with it.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: apps/v1
    /// kind: Deployment
    /// metadata:
    ///   name: web
    /// spec:
    ///   selector:
    ///     matchLabels: {app: web}
    ///   template:
    ///     metadata:
    ///       labels: {app: web}
    ///     spec:                       # reported: nothing disables the token
    ///       serviceAccountName: web
    ///       containers:
    ///         - name: web
    ///           image: registry.example/web:1.4
    /// ```
    /// Set `automountServiceAccountToken: false` in the pod spec, or on the ServiceAccount
    /// `web` (and lint it together with the Deployment). A pod that needs the API can keep
    /// the token by setting the field to `true` on purpose and suppressing this finding.
    ///
    /// ## References
    /// - https://kubernetes.io/docs/tasks/configure-pod-container/configure-service-account/#opt-out-of-api-credential-automounting
    /// - CIS Kubernetes Benchmark v1.12, 5.1.6: https://www.cisecurity.org/benchmark/kubernetes
    /// - NSA/CISA Kubernetes Hardening Guidance, "Service account tokens"
    ///
    /// ## Differences from peers
    /// Checkov (CKV_K8S_38) and Trivy (KSV036) read only the pod spec, so they report a pod
    /// whose ServiceAccount already disables automounting; kspm resolves the setting the way
    /// the kubelet does, like Polaris. The finding is on the pod spec's
    /// `automountServiceAccountToken` (or the pod spec itself when the field is missing),
    /// because that is the one place that decides for this workload alone. kubesec's
    /// `AutomountServiceAccountToken` is a hardening credit for the pod spec setting `false`;
    /// it too ignores the ServiceAccount.
    pub struct SaTokenAutomount {
        id: "sa-token-automount",
        code: "KSPM201",
        title: "Service account token auto-mounted",
        severity: Medium,
        target: Context,
        fix: Unsafe,
        help: "Set automountServiceAccountToken: false in the pod spec (or on its ServiceAccount) unless the pod calls the API.",
        peers: {
            "checkov": ["CKV_K8S_38"],
            "trivy": ["KSV036"],
            "kubescape": ["C-0034", "C-0190"],
            "polaris": ["automountServiceAccountToken"],
            "kubesec": ["AutomountServiceAccountToken"],
        },
    }
}

impl Rule for SaTokenAutomount {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_context(&self, _cx: &RuleContext, ctx: &LintContext, out: &mut Sink) {
        for i in 0..ctx.len() {
            let Some(pod) = ctx.pod(i) else { continue };
            let path = pod.spec_path("automountServiceAccountToken");
            match pod
                .get("automountServiceAccountToken")
                .and_then(Node::as_bool)
            {
                Some(false) => continue,
                Some(true) => {
                    out.report_on(
                        i,
                        path,
                        "pod spec sets automountServiceAccountToken: true; the service account token is mounted into every container",
                    );
                    out.with_fix(token_fix(&pod));
                    continue;
                }
                None => {}
            }
            let name = service_account_name(pod.spec);
            let ns = ctx.view(i).effective_namespace().unwrap_or("default");
            let sa_value = ctx.find("ServiceAccount", Some(ns), name).map(|s| {
                ctx.view(s)
                    .root
                    .get("automountServiceAccountToken")
                    .and_then(Node::as_bool)
            });
            let message = match sa_value {
                Some(Some(false)) => continue,
                Some(Some(true)) => format!(
                    "ServiceAccount `{name}` sets automountServiceAccountToken: true and the pod spec does not override it; the token is mounted"
                ),
                Some(None) => format!(
                    "neither the pod spec nor ServiceAccount `{name}` sets automountServiceAccountToken; the token is mounted by default"
                ),
                None => format!(
                    "the pod spec does not set automountServiceAccountToken and ServiceAccount `{name}` is not among the linted objects; the token is mounted by default"
                ),
            };
            out.report_on(i, path, message);
            out.with_fix(token_fix(&pod));
        }
    }
}

/// The ServiceAccount a pod runs as: `serviceAccountName`, else the deprecated
/// `serviceAccount` alias, else `default`.
fn service_account_name(spec: &Node) -> &str {
    ["serviceAccountName", "serviceAccount"]
        .iter()
        .filter_map(|k| spec.get(k).and_then(Node::as_str))
        .find(|n| !n.is_empty())
        .unwrap_or("default")
}

/// Set the pod spec's `automountServiceAccountToken: false`. The context keeps a pod spec
/// without its containers and volumes, so a missing field lands after the fields kept
/// (beside `serviceAccountName`, where people write it); a pod spec with nothing else
/// kept gets no fix.
fn token_fix(pod: &crate::k8s::PodSpecView<'_>) -> Fix {
    Fix::unsafe_("set automountServiceAccountToken: false").set(
        pod.spec,
        &pod.path,
        &["automountServiceAccountToken"],
        Val::bool(false),
    )
}
