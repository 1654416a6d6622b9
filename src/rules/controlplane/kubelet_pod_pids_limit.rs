//! CIS 4.2.13: Kubelet sets no pod PID limit.

use crate::declare_rule;
use crate::fix::{Fix, Val};
use crate::k8s::{ContainerView, KubeletFlags, ObjectView, PodSpecView, is_kubelet_config};
use crate::rule::{Rule, RuleContext, RuleMeta, Sink};

declare_rule! {
    /// ## What it does
    /// Reports a kubelet without a positive per-pod PID limit: `podPidsLimit` missing or 0 or
    /// less in a KubeletConfiguration, or `--pod-max-pids` likewise on a kubelet command line.
    /// The default, -1, is unlimited. CIS marks this recommendation Manual.
    ///
    /// Both places the kubelet reads settings from are checked: a KubeletConfiguration file
    /// (kubelet.config.k8s.io) in the repository, and the command line of a container that runs
    /// the kubelet. When that command line also passes `--config`, a missing flag is left to the
    /// configuration file.
    ///
    /// ## Why is this bad
    /// Without a limit one pod can fork until the node runs out of process IDs, starving the
    /// kubelet, the container runtime and every other pod (a fork bomb takes the node down).
    ///
    /// The fix is a suggestion (`display`): it writes the setting with a placeholder, because
    /// the right limit depends on what the node's pods run.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: kubelet.config.k8s.io/v1beta1
    /// kind: KubeletConfiguration
    /// podPidsLimit: -1   # reported
    /// ```
    ///
    /// ## References
    /// - CIS Kubernetes Benchmark v1.12, 4.2.13: https://www.cisecurity.org/benchmark/kubernetes
    /// - https://kubernetes.io/docs/reference/config-api/kubelet-config.v1beta1/
    /// - https://kubernetes.io/docs/reference/command-line-tools-reference/kubelet/
    pub struct KubeletPodPidsLimit {
        id: "kubelet-pod-pids-limit",
        code: "KSPM793",
        title: "Kubelet sets no pod PID limit",
        severity: Low,
        target: Object,
        fix: Display,
        help: "Set podPidsLimit (or --pod-max-pids) to a positive number, such as 4096.",
        peers: {
            "kubescape": ["C-0284"],
        },
    }
}

/// What the suggestion writes: the limit depends on the node's pods.
const PLACEHOLDER: &str = "<max PIDs per pod, e.g. 4096>";
const SUGGESTION: &str = "set a per-pod PID limit (e.g. 4096)";

impl Rule for KubeletPodPidsLimit {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_object(&self, _cx: &RuleContext, obj: &ObjectView<'_>, out: &mut Sink) {
        if !is_kubelet_config(obj) {
            return;
        }
        match obj.root.get("podPidsLimit") {
            None => out.report(
                obj.path("podPidsLimit"),
                "KubeletConfiguration does not set podPidsLimit, so pods may use unlimited PIDs",
            ),
            Some(n) if n.as_i64().is_some_and(|v| v > 0) => return,
            Some(n) => out.report(
                obj.path("podPidsLimit"),
                format!(
                    "KubeletConfiguration sets podPidsLimit: {}, which does not limit PIDs",
                    n.scalar_text().unwrap_or("")
                ),
            ),
        }
        let fix = Fix::display(SUGGESTION).set(
            obj.root,
            obj.base,
            &["podPidsLimit"],
            Val::str(PLACEHOLDER),
        );
        out.with_fix(fix);
    }

    fn check_container(
        &self,
        _cx: &RuleContext,
        _pod: &PodSpecView<'_>,
        c: &ContainerView<'_>,
        out: &mut Sink,
    ) {
        let Some(k) = KubeletFlags::of(c) else {
            return;
        };
        match k.flags.last("pod-max-pids") {
            Some(p) if p.text().parse::<i64>().is_ok_and(|v| v > 0) => return,
            Some(p) => out.report(
                p.value_path.clone(),
                format!(
                    "{} sets {}, which does not limit PIDs",
                    k.flags.who,
                    p.display()
                ),
            ),
            None if k.uses_config => return,
            None => out.report(
                k.flags.missing_path.clone(),
                format!(
                    "{} does not set --pod-max-pids, so pods may use unlimited PIDs",
                    k.flags.who
                ),
            ),
        }
        let fix = Fix::display(SUGGESTION);
        out.with_fix(k.flags.set_flag(c, fix, "pod-max-pids", PLACEHOLDER));
    }
}
