//! CIS 4.3.1: kube-proxy metrics exposed beyond localhost.

use crate::declare_rule;
use crate::fix::{Fix, Val};
use crate::k8s::{
    Component, ContainerView, Flags, ObjectView, PodSpecView, is_config_kind, is_loopback,
};
use crate::rule::{Rule, RuleContext, RuleMeta, Sink};

declare_rule! {
    /// ## What it does
    /// Reports a kube-proxy whose metrics endpoint listens on a non-loopback address:
    /// `metricsBindAddress` in a KubeProxyConfiguration (kubeproxy.config.k8s.io), or
    /// `--metrics-bind-address` on a kube-proxy command line without `--config` (kube-proxy
    /// ignores the flag when a configuration file is given). A missing setting passes: the
    /// default is `127.0.0.1:10249`.
    ///
    /// ## Why is this bad
    /// The metrics endpoint is unauthenticated. Bound to every interface, it tells anyone on
    /// the network about the node's services and endpoints.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: kubeproxy.config.k8s.io/v1alpha1
    /// kind: KubeProxyConfiguration
    /// metricsBindAddress: 0.0.0.0:10249   # reported
    /// ```
    ///
    /// ## References
    /// - CIS Kubernetes Benchmark v1.12, 4.3.1: https://www.cisecurity.org/benchmark/kubernetes
    /// - https://kubernetes.io/docs/reference/config-api/kube-proxy-config.v1alpha1/
    pub struct KubeProxyMetricsBindAddress {
        id: "kube-proxy-metrics-bind-address",
        code: "KSPM795",
        title: "kube-proxy metrics exposed beyond localhost",
        severity: Medium,
        target: Object,
        fix: Unsafe,
        help: "Bind kube-proxy metrics to 127.0.0.1:10249 (metricsBindAddress or --metrics-bind-address).",
        peers: {
            "kubescape": ["C-0291"],
        },
    }
}

impl Rule for KubeProxyMetricsBindAddress {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_object(&self, _cx: &RuleContext, obj: &ObjectView<'_>, out: &mut Sink) {
        if !is_config_kind(obj, "kubeproxy.config.k8s.io", "KubeProxyConfiguration") {
            return;
        }
        if let Some(addr) = obj.root.get("metricsBindAddress").and_then(|n| n.as_str())
            && !addr.trim().is_empty()
            && !is_loopback(addr)
        {
            out.report(
                obj.path("metricsBindAddress"),
                format!("KubeProxyConfiguration serves metrics on {addr}"),
            );
            out.with_fix(Fix::unsafe_("serve metrics on 127.0.0.1 only").set(
                obj.root,
                obj.base,
                &["metricsBindAddress"],
                Val::str(&loopback_with_port(addr)),
            ));
        }
    }

    fn check_container(
        &self,
        _cx: &RuleContext,
        _pod: &PodSpecView<'_>,
        c: &ContainerView<'_>,
        out: &mut Sink,
    ) {
        let Some(f) = Flags::for_component(c, Component::KubeProxy) else {
            return;
        };
        // With --config, kube-proxy ignores the flag; the configuration file decides.
        if f.has("config") {
            return;
        }
        if let Some(a) = f.last("metrics-bind-address")
            && !is_loopback(a.text())
        {
            out.report(
                a.value_path.clone(),
                format!("{} serves metrics beyond localhost: {}", f.who, a.display()),
            );
            let fix = Fix::unsafe_("serve metrics on 127.0.0.1 only");
            let value = loopback_with_port(a.text());
            out.with_fix(f.set_flag(c, fix, "metrics-bind-address", &value));
        }
    }
}

/// `127.0.0.1` with the port of `addr` kept (`0.0.0.0:10249`, `[::]:10249`), or with
/// kube-proxy's metrics port when `addr` has none.
fn loopback_with_port(addr: &str) -> String {
    let addr = addr.trim();
    let port = if let Some(rest) = addr.strip_prefix('[') {
        rest.split_once("]:").map(|(_, p)| p)
    } else if addr.matches(':').count() == 1 {
        addr.split_once(':').map(|(_, p)| p)
    } else {
        None
    };
    format!(
        "127.0.0.1:{}",
        port.filter(|p| !p.is_empty()).unwrap_or("10249")
    )
}
