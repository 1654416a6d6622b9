//! PSS baseline control `hostProbesAndHostLifecycle`.

use crate::declare_rule;
use crate::fix::Fix;
use crate::k8s::{ContainerView, PodSpecView};
use crate::rule::{Rule, RuleContext, RuleMeta, Sink};
use crate::yaml::Node;

/// Where a `host` may hide: (handler owner below the container, handler kind).
const HANDLERS: &[(&str, &str)] = &[
    ("livenessProbe", "httpGet"),
    ("livenessProbe", "tcpSocket"),
    ("readinessProbe", "httpGet"),
    ("readinessProbe", "tcpSocket"),
    ("startupProbe", "httpGet"),
    ("startupProbe", "tcpSocket"),
    ("lifecycle.postStart", "httpGet"),
    ("lifecycle.postStart", "tcpSocket"),
    ("lifecycle.preStop", "httpGet"),
    ("lifecycle.preStop", "tcpSocket"),
];

declare_rule! {
    /// ## What it does
    /// Reports a non-empty `host` in a probe or lifecycle handler of any container, init
    /// container or ephemeral container: `livenessProbe`, `readinessProbe` and
    /// `startupProbe` with `httpGet.host` or `tcpSocket.host`, and `lifecycle.postStart` /
    /// `lifecycle.preStop` with `httpGet.host` or `tcpSocket.host` (Pod Security Standards
    /// baseline control `hostProbesAndHostLifecycle`).
    ///
    /// Policy versions: the control exists from v1.34; earlier versions allow any host.
    ///
    /// ## Why is this bad
    /// The kubelet sends probes and hooks from the node. A `host` field aims those requests
    /// at any address the node can reach (cloud metadata endpoints, the node's own
    /// services, other tenants), turning the kubelet into a server-side request forgery
    /// proxy.
    ///
    /// ## Example
    /// ```yaml
    /// spec:
    ///   containers:
    ///     - name: app
    ///       image: registry.example/app:1.2
    ///       livenessProbe:
    ///         httpGet:
    ///           host: 169.254.169.254   # reported
    ///           path: /latest/meta-data
    ///           port: 80
    /// ```
    /// Leave `host` unset: the probe then targets the pod's own IP.
    ///
    /// The unsafe fix removes `host`; a probe or hook that checked a service elsewhere then
    /// checks the pod's IP and may fail (a host-network pod's IP is its node's).
    ///
    /// ## References
    /// - https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline
    /// - https://kubernetes.io/docs/tasks/configure-pod-container/configure-liveness-readiness-startup-probes/
    pub struct ProbeHost {
        id: "probe-host",
        code: "KSPM123",
        title: "Probe or lifecycle hook aimed at another host",
        severity: Medium,
        target: Container,
        fix: Unsafe,
        help: "Remove the host field so the probe or hook targets the pod itself.",
        peers: {},
    }
}

impl Rule for ProbeHost {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_container(
        &self,
        cx: &RuleContext,
        _pod: &PodSpecView<'_>,
        c: &ContainerView<'_>,
        out: &mut Sink,
    ) {
        if cx.kube_minor < 34 {
            return;
        }
        for (owner, kind) in HANDLERS {
            let dotted = format!("{owner}.{kind}.host");
            let keys: Vec<&str> = dotted.split('.').collect();
            let host = c
                .node
                .get_path(&keys)
                .filter(|n| !n.is_null())
                .and_then(Node::scalar_text)
                .unwrap_or("");
            if host.is_empty() {
                continue;
            }
            out.report(
                c.field_path(&dotted),
                format!(
                    "{} aims its {owner} {kind} at host \"{host}\"",
                    c.describe()
                ),
            );
            let handler_keys = &keys[..keys.len() - 1];
            let fix = Fix::unsafe_(format!("remove {owner}.{kind}.host"));
            let fix = match c.node.get_path(handler_keys) {
                Some(handler) => {
                    let path = c.field_path(&format!("{owner}.{kind}"));
                    fix.remove(handler, &path, &["host"], None)
                }
                None => fix.change(c.field_path(&dotted), None),
            };
            out.with_fix(fix);
        }
    }
}
