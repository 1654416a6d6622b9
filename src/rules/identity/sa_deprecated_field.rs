//! Deprecated `serviceAccount` field.

use crate::declare_rule;
use crate::fix::Fix;
use crate::k8s::PodSpecView;
use crate::rule::{Rule, RuleContext, RuleMeta, Sink};
use crate::yaml::Node;

declare_rule! {
    /// ## What it does
    /// Reports a pod spec that sets the deprecated `serviceAccount` field to a non-empty
    /// value, and says so when it disagrees with `serviceAccountName`.
    ///
    /// ## Why is this bad
    /// `serviceAccount` is a deprecated alias of `serviceAccountName`. The API server copies
    /// it into `serviceAccountName` only when that is empty, so a manifest with both can
    /// show a reviewer one account while the pod runs as the other, and tools that read
    /// only one of the fields see a different identity.
    ///
    /// ## Example
    /// ```yaml
    /// spec:
    ///   serviceAccount: builder        # reported
    ///   serviceAccountName: builder
    ///   containers:
    ///     - name: app
    ///       image: registry.example/app:1.2
    /// ```
    ///
    /// ## References
    /// - https://kubernetes.io/docs/reference/kubernetes-api/workload-resources/pod-v1/#security
    pub struct SaDeprecatedField {
        id: "sa-deprecated-field",
        code: "KSPM206",
        title: "Deprecated serviceAccount field",
        severity: Info,
        target: Pod,
        fix: Safe,
        help: "Replace serviceAccount with serviceAccountName.",
        peers: {
            "kube-linter": ["deprecated-service-account-field"],
            "kubescape": ["C-0294"],
        },
    }
}

impl Rule for SaDeprecatedField {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_pod(&self, _cx: &RuleContext, pod: &PodSpecView<'_>, out: &mut Sink) {
        let Some(legacy) = pod
            .get("serviceAccount")
            .filter(|n| !n.is_null())
            .and_then(Node::scalar_text)
            .filter(|s| !s.is_empty())
        else {
            return;
        };
        let name = pod
            .get("serviceAccountName")
            .filter(|n| !n.is_null())
            .and_then(Node::scalar_text)
            .filter(|s| !s.is_empty());
        let message = match name {
            Some(n) if n != legacy => format!(
                "pod sets the deprecated serviceAccount \"{legacy}\", which differs from serviceAccountName \"{n}\" (the pod runs as \"{n}\")"
            ),
            _ => format!("pod sets the deprecated serviceAccount field (\"{legacy}\")"),
        };
        out.report(pod.spec_path("serviceAccount"), message);
        let fix = match (name, pod.spec.entry("serviceAccount")) {
            // Same account: the deprecated alias goes.
            (Some(n), _) if n == legacy => {
                Some(Fix::safe("remove the deprecated serviceAccount").remove(
                    pod.spec,
                    &pod.path,
                    &["serviceAccount"],
                    None,
                ))
            }
            // Alone: rename it.
            (None, Some(e)) if pod.get("serviceAccountName").is_none() => Some(
                Fix::safe("rename serviceAccount to serviceAccountName")
                    .replace(
                        &e.key,
                        pod.spec_path("serviceAccount"),
                        "serviceAccountName",
                    )
                    .also(pod.spec_path("serviceAccountName")),
            ),
            _ => None,
        };
        if let Some(fix) = fix {
            out.with_fix(fix);
        }
    }
}
