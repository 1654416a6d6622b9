//! PSS baseline control `windowsHostProcess`.

use crate::declare_rule;
use crate::fix::{Fix, Val};
use crate::k8s::PodSpecView;
use crate::rule::{Rule, RuleContext, RuleMeta, Sink};
use crate::yaml::Node;

declare_rule! {
    /// ## What it does
    /// Reports `securityContext.windowsOptions.hostProcess: true` on the pod and on every
    /// container, init container and ephemeral container that sets it (Pod Security
    /// Standards baseline control `windowsHostProcess`, all policy versions).
    ///
    /// ## Why is this bad
    /// A Windows HostProcess container runs directly on the node as a host process, with
    /// the node's network and file system and the privileges of a node account. It is the
    /// Windows equivalent of a privileged container.
    ///
    /// ## Example
    /// ```yaml
    /// spec:
    ///   os:
    ///     name: windows
    ///   hostNetwork: true
    ///   securityContext:
    ///     windowsOptions:
    ///       hostProcess: true   # reported
    ///   containers:
    ///     - name: agent
    ///       image: registry.example/agent:1.0
    /// ```
    ///
    /// ## References
    /// - https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline
    /// - https://kubernetes.io/docs/tasks/configure-pod-container/create-hostprocess-pod/
    /// - CIS Kubernetes Benchmark v1.12, 5.2.10: https://www.cisecurity.org/benchmark/kubernetes
    pub struct HostProcess {
        id: "host-process",
        code: "KSPM114",
        title: "Windows HostProcess container",
        severity: High,
        target: Pod,
        fix: Unsafe,
        help: "Remove windowsOptions.hostProcess or set it to false.",
        peers: {
            "trivy": ["KSV103"],
            "kubescape": ["C-0202"],
            "polaris": ["hostProcess"],
        },
    }
}

fn host_process(sc: Option<&Node>) -> bool {
    sc.and_then(|sc| sc.get_path(&["windowsOptions", "hostProcess"]))
        .and_then(Node::as_bool)
        == Some(true)
}

impl Rule for HostProcess {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_pod(&self, _cx: &RuleContext, pod: &PodSpecView<'_>, out: &mut Sink) {
        if host_process(pod.security_context()) {
            out.report(
                pod.spec_path("securityContext.windowsOptions.hostProcess"),
                "pod sets windowsOptions.hostProcess: true",
            );
            out.with_fix(Fix::unsafe_("set hostProcess: false").set(
                pod.spec,
                &pod.path,
                &["securityContext", "windowsOptions", "hostProcess"],
                Val::bool(false),
            ));
        }
        for c in pod.containers() {
            if host_process(c.security_context()) {
                out.report(
                    c.field_path("securityContext.windowsOptions.hostProcess"),
                    format!("{} sets windowsOptions.hostProcess: true", c.describe()),
                );
                out.with_fix(Fix::unsafe_("set hostProcess: false").set(
                    c.node,
                    &c.path,
                    &["securityContext", "windowsOptions", "hostProcess"],
                    Val::bool(false),
                ));
            }
        }
    }
}
