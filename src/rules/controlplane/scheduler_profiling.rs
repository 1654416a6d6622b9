//! CIS 1.4.1: Scheduler profiling enabled.

use crate::declare_rule;
use crate::k8s::{Component, ContainerView, Flags, ObjectView, PodSpecView, is_config_kind};
use crate::rule::{Rule, RuleContext, RuleMeta, Sink};

declare_rule! {
    /// ## What it does
    /// Reports a kube-scheduler container whose `--profiling` is not `false` (it defaults to
    /// `true`, so a missing flag is reported on `command`), and a KubeSchedulerConfiguration
    /// (kubescheduler.config.k8s.io) whose `enableProfiling` is not `false` (also `true` by
    /// default). A scheduler started with `--config` ignores `--profiling`; its configuration
    /// file decides, so the container is not checked.
    ///
    /// ## Why is this bad
    /// The `/debug/pprof` endpoints expose runtime details of the process and let callers
    /// trigger expensive profiles; they are not needed in production.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: kube-scheduler
    ///   namespace: kube-system
    /// spec:
    ///   containers:
    ///     - name: kube-scheduler
    ///       image: registry.k8s.io/kube-scheduler:v1.32.0
    ///       command:
    ///         - kube-scheduler
    ///         - --profiling=true   # reported
    /// ```
    ///
    /// ## References
    /// - CIS Kubernetes Benchmark v1.12, 1.4.1: https://www.cisecurity.org/benchmark/kubernetes
    /// - https://kubernetes.io/docs/reference/command-line-tools-reference/kube-scheduler/
    /// - https://kubernetes.io/docs/reference/config-api/kube-scheduler-config.v1/
    pub struct SchedulerProfiling {
        id: "scheduler-profiling",
        code: "KSPM751",
        title: "Scheduler profiling enabled",
        severity: Low,
        target: Container,
        fix: Unsafe,
        help: "Set --profiling=false on kube-scheduler, or enableProfiling: false in its configuration.",
        peers: {
            "checkov": ["CKV_K8S_114"],
            "trivy": ["KCV0040"],
            "kubescape": ["C-0151"],
        },
    }
}

impl Rule for SchedulerProfiling {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_container(
        &self,
        _cx: &RuleContext,
        _pod: &PodSpecView<'_>,
        c: &ContainerView<'_>,
        out: &mut Sink,
    ) {
        let Some(f) = Flags::for_component(c, Component::Scheduler) else {
            return;
        };
        // With --config the flag is ignored; the configuration file's enableProfiling decides.
        if !f.has("config") {
            f.require_bool_fix(out, c, "profiling", false, true);
        }
    }

    fn check_object(&self, _cx: &RuleContext, obj: &ObjectView<'_>, out: &mut Sink) {
        if !is_config_kind(
            obj,
            "kubescheduler.config.k8s.io",
            "KubeSchedulerConfiguration",
        ) {
            return;
        }
        let path = obj.path("enableProfiling");
        match obj.root.get("enableProfiling") {
            None => out.report(
                path,
                "KubeSchedulerConfiguration does not set enableProfiling, which defaults to true",
            ),
            Some(n) if n.as_bool() == Some(false) => {}
            Some(n) => out.report(
                path,
                format!(
                    "KubeSchedulerConfiguration sets enableProfiling: {}",
                    n.scalar_text().unwrap_or("(not a boolean)")
                ),
            ),
        }
    }
}
