//! The default ServiceAccount automounts its token (CIS 5.1.5).

use crate::declare_rule;
use crate::fix::{Fix, Val};
use crate::k8s::ObjectView;
use crate::rule::{Rule, RuleContext, RuleMeta, Sink};
use crate::yaml::Node;

declare_rule! {
    /// ## What it does
    /// Reports a ServiceAccount named `default` whose top-level
    /// `automountServiceAccountToken` is not `false` (unset or `true`). The finding points
    /// at the field, or at the object when it is missing.
    ///
    /// ## Why is this bad
    /// Pods that do not name a ServiceAccount run as `default`, and unless it opts out,
    /// each gets an API token mounted at `/var/run/secrets/kubernetes.io/serviceaccount`.
    /// Most of those pods never call the API; the token is only useful to an attacker who
    /// gets into the pod. CIS asks that the default account not mount its token, so pods
    /// that need the API must use an account of their own.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: v1
    /// kind: ServiceAccount
    /// metadata:
    ///   name: default
    ///   namespace: shop
    /// automountServiceAccountToken: false   # passes; unset or true is reported
    /// ```
    ///
    /// ## References
    /// - CIS Kubernetes Benchmark v1.12, 5.1.5: https://www.cisecurity.org/benchmark/kubernetes
    /// - https://kubernetes.io/docs/tasks/configure-pod-container/configure-service-account/#opt-out-of-api-credential-automounting
    pub struct DefaultSaAutomount {
        id: "default-sa-automount",
        code: "KSPM203",
        title: "Default ServiceAccount automounts its token",
        severity: Low,
        target: Object,
        fix: Unsafe,
        help: "Set automountServiceAccountToken: false on the default ServiceAccount.",
        peers: {
            "checkov": ["CKV_K8S_41"],
            "kubescape": ["C-0189"],
        },
    }
}

impl Rule for DefaultSaAutomount {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_object(&self, _cx: &RuleContext, obj: &ObjectView<'_>, out: &mut Sink) {
        if obj.kind() != "ServiceAccount" || obj.group() != "" || obj.name() != Some("default") {
            return;
        }
        let ns = obj.effective_namespace().unwrap_or("default");
        let message = match obj
            .root
            .get("automountServiceAccountToken")
            .and_then(Node::as_bool)
        {
            Some(false) => return,
            Some(true) => format!(
                "the default ServiceAccount of namespace \"{ns}\" sets automountServiceAccountToken: true"
            ),
            None => format!(
                "the default ServiceAccount of namespace \"{ns}\" does not set automountServiceAccountToken: false"
            ),
        };
        out.report(obj.path("automountServiceAccountToken"), message);
        out.with_fix(Fix::unsafe_("set automountServiceAccountToken: false").set(
            obj.root,
            obj.base,
            &["automountServiceAccountToken"],
            Val::bool(false),
        ));
    }
}
