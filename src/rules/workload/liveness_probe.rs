//! Long-running containers without a livenessProbe.

use crate::declare_rule;
use crate::fix::suggest;
use crate::k8s::{ContainerList, ContainerView, PodSpecView};
use crate::rule::{Rule, RuleContext, RuleMeta, Sink};

declare_rule! {
    /// ## What it does
    /// Reports a container in `containers` that has no `livenessProbe`. Init containers and
    /// ephemeral containers are not checked, nor are Jobs, CronJobs and pods with
    /// `restartPolicy: Never` or `OnFailure`, which run to completion.
    ///
    /// ## Why is this bad
    /// Without a liveness probe the kubelet restarts a container only when its process exits.
    /// A deadlocked or wedged process keeps its pod Running and receiving traffic until
    /// someone notices.
    ///
    /// ## Example
    /// ```yaml
    /// spec:
    ///   containers:
    ///     - name: app                 # reported
    ///       image: registry.example/app:1.4.2
    ///     - name: api
    ///       image: registry.example/api:2.0
    ///       livenessProbe:            # passes
    ///         httpGet:
    ///           path: /healthz
    ///           port: 8080
    /// ```
    ///
    /// ## References
    /// - https://kubernetes.io/docs/concepts/configuration/liveness-readiness-startup-probes/
    /// - https://kubernetes.io/docs/tasks/configure-pod-container/configure-liveness-readiness-startup-probes/
    pub struct LivenessProbe {
        id: "liveness-probe",
        code: "KSPM320",
        title: "No liveness probe",
        severity: Low,
        target: Container,
        fix: Display,
        help: "Add a livenessProbe (httpGet, tcpSocket, grpc or exec) that fails when the process is stuck.",
        peers: {
            "kube-linter": ["no-liveness-probe"],
            "checkov": ["CKV_K8S_8"],
            "kubescape": ["C-0056"],
            "polaris": ["livenessProbeMissing"],
            "kube-score": ["pod-probes"],
        },
    }
}

impl Rule for LivenessProbe {
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
        if let Some(msg) = c.lacks("livenessProbe") {
            out.report(c.field_path("livenessProbe"), msg);
            out.with_fix(suggest::probe(c, "livenessProbe"));
        }
    }
}
