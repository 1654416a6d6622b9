//! Long-running containers without a readinessProbe.

use crate::declare_rule;
use crate::fix::suggest;
use crate::k8s::{ContainerList, ContainerView, PodSpecView};
use crate::rule::{Rule, RuleContext, RuleMeta, Sink};

declare_rule! {
    /// ## What it does
    /// Reports a container in `containers` that has no `readinessProbe`. Init containers and
    /// ephemeral containers are not checked, nor are Jobs, CronJobs and pods with
    /// `restartPolicy: Never` or `OnFailure`, which run to completion.
    ///
    /// ## Why is this bad
    /// Without a readiness probe a pod is added to its Services' endpoints as soon as its
    /// containers start, before the application can serve, and stays there while it is
    /// overloaded or shutting down; clients see errors during every rollout.
    ///
    /// ## Example
    /// ```yaml
    /// spec:
    ///   containers:
    ///     - name: app                 # reported
    ///       image: registry.example/app:1.4.2
    ///     - name: api
    ///       image: registry.example/api:2.0
    ///       readinessProbe:            # passes
    ///         httpGet:
    ///           path: /healthz
    ///           port: 8080
    /// ```
    ///
    /// ## References
    /// - https://kubernetes.io/docs/concepts/configuration/liveness-readiness-startup-probes/
    /// - https://kubernetes.io/docs/tasks/configure-pod-container/configure-liveness-readiness-startup-probes/
    pub struct ReadinessProbe {
        id: "readiness-probe",
        code: "KSPM321",
        title: "No readiness probe",
        severity: Low,
        target: Container,
        fix: Display,
        help: "Add a readinessProbe that succeeds only when the container can serve requests.",
        peers: {
            "kube-linter": ["no-readiness-probe"],
            "checkov": ["CKV_K8S_9"],
            "kubescape": ["C-0018"],
            "polaris": ["readinessProbeMissing"],
            "kube-score": ["pod-probes"],
        },
    }
}

impl Rule for ReadinessProbe {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_container(
        &self,
        _cx: &RuleContext,
        pod: &PodSpecView<'_>,
        c: &ContainerView<'_>,
        out: &mut Sink,
    ) {
        if c.list != ContainerList::Containers || pod.runs_to_completion() {
            return;
        }
        if let Some(msg) = c.lacks("readinessProbe") {
            out.report(c.field_path("readinessProbe"), msg);
            out.with_fix(suggest::probe(c, "readinessProbe"));
        }
    }
}
