//! CIS 1.2.9: EventRateLimit admission plugin not enabled.

use crate::declare_rule;
use crate::k8s::{Component, ContainerView, Flags, PodSpecView};
use crate::rule::{Rule, RuleContext, RuleMeta, Sink};

declare_rule! {
    /// ## What it does
    /// Reports a kube-apiserver container whose `--enable-admission-plugins` does not list
    /// `EventRateLimit` (or whose `--disable-admission-plugins` does), on the last
    /// `--enable-admission-plugins` item, or on `command` when the flag is missing. CIS marks this recommendation Manual.
    ///
    /// ## Why is this bad
    /// Events are written to etcd on every state change; a misbehaving controller or an attacker
    /// can flood the API server and etcd with them. The plugin caps the rate (it also needs a
    /// limit configuration in `--admission-control-config-file`).
    ///
    /// The fix is a suggestion (`display`): it enables the plugin and, when missing, adds
    /// `--admission-control-config-file` with a path placeholder. It is never applied: the
    /// API server does not start until that file holds an EventRateLimit configuration with
    /// limits chosen for the cluster.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: kube-apiserver
    ///   namespace: kube-system
    /// spec:
    ///   containers:
    ///     - name: kube-apiserver
    ///       image: registry.k8s.io/kube-apiserver:v1.32.0
    ///       command:
    ///         - kube-apiserver
    ///         - --enable-admission-plugins=NodeRestriction   # reported
    /// ```
    ///
    /// ## References
    /// - CIS Kubernetes Benchmark v1.12, 1.2.9: https://www.cisecurity.org/benchmark/kubernetes
    /// - https://kubernetes.io/docs/reference/command-line-tools-reference/kube-apiserver/
    /// - https://kubernetes.io/docs/reference/access-authn-authz/admission-controllers/#eventratelimit
    pub struct ApiserverEventRateLimit {
        id: "apiserver-event-rate-limit",
        code: "KSPM709",
        title: "EventRateLimit admission plugin not enabled",
        severity: Low,
        target: Container,
        fix: Display,
        help: "Add EventRateLimit to --enable-admission-plugins.",
        peers: {
            "checkov": ["CKV_K8S_78"],
            "trivy": ["KCV0010"],
            "kubescape": ["C-0121"],
        },
    }
}

impl Rule for ApiserverEventRateLimit {
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
        let Some(f) = Flags::for_component(c, Component::ApiServer) else {
            return;
        };
        f.require_configured_plugin_fix(out, c, "EventRateLimit");
    }
}
