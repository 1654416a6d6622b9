//! CIS 4.2.5: Kubelet streaming connections never time out.

use crate::declare_rule;
use crate::fix::Fix;
use crate::k8s::{
    ContainerView, Flag, KubeletFlags, ObjectView, PodSpecView, is_kubelet_config,
    parse_go_duration,
};
use crate::rule::{Rule, RuleContext, RuleMeta, Sink};

declare_rule! {
    /// ## What it does
    /// Reports a kubelet whose streaming idle timeout is zero: `streamingConnectionIdleTimeout`
    /// in a KubeletConfiguration, or `--streaming-connection-idle-timeout` on a kubelet command
    /// line. A missing setting passes (the default is 4 hours). CIS marks this recommendation
    /// Manual.
    ///
    /// Both places the kubelet reads settings from are checked: a KubeletConfiguration file
    /// (kubelet.config.k8s.io) in the repository, and the command line of a container that runs
    /// the kubelet. When that command line also passes `--config`, a missing flag is left to the
    /// configuration file.
    ///
    /// ## Why is this bad
    /// Idle `exec`, `attach` and `port-forward` streams are never closed, so abandoned sessions
    /// stay open and exhaust the node's connections.
    ///
    /// The unsafe fix removes the zero setting, so the default (4 hours) applies: an `exec`,
    /// `attach` or `port-forward` session idle for longer is closed.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: kubelet.config.k8s.io/v1beta1
    /// kind: KubeletConfiguration
    /// streamingConnectionIdleTimeout: 0s   # reported
    /// ```
    ///
    /// ## References
    /// - CIS Kubernetes Benchmark v1.12, 4.2.5: https://www.cisecurity.org/benchmark/kubernetes
    /// - https://kubernetes.io/docs/reference/config-api/kubelet-config.v1beta1/
    /// - https://kubernetes.io/docs/reference/command-line-tools-reference/kubelet/
    pub struct KubeletStreamingIdleTimeout {
        id: "kubelet-streaming-idle-timeout",
        code: "KSPM785",
        title: "Kubelet streaming connections never time out",
        severity: Low,
        target: Object,
        fix: Unsafe,
        help: "Remove streamingConnectionIdleTimeout: 0 (the default is 4h) or set a duration such as 5m.",
        peers: {
            "checkov": ["CKV_K8S_143"],
            "trivy": ["KCV0085"],
            "kubescape": ["C-0176"],
        },
    }
}

impl Rule for KubeletStreamingIdleTimeout {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_object(&self, _cx: &RuleContext, obj: &ObjectView<'_>, out: &mut Sink) {
        if !is_kubelet_config(obj) {
            return;
        }
        if let Some(n) = obj.root.get("streamingConnectionIdleTimeout")
            && n.scalar_text().and_then(parse_go_duration) == Some(0.0)
        {
            out.report(
                obj.path("streamingConnectionIdleTimeout"),
                "KubeletConfiguration turns the streaming idle timeout off (streamingConnectionIdleTimeout: 0)",
            );
            let fix = Fix::unsafe_("remove streamingConnectionIdleTimeout (the default is 4h)");
            out.with_fix(fix.remove(
                obj.root,
                obj.base,
                &["streamingConnectionIdleTimeout"],
                None,
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
        let Some(k) = KubeletFlags::of(c) else {
            return;
        };
        let off = |t: &Flag| parse_go_duration(t.text()) == Some(0.0);
        if let Some(t) = k.flags.last("streaming-connection-idle-timeout")
            && off(t)
        {
            out.report(
                t.value_path.clone(),
                format!(
                    "{} turns the streaming idle timeout off: {}",
                    k.flags.who,
                    t.display()
                ),
            );
            let fix =
                Fix::unsafe_("remove --streaming-connection-idle-timeout (the default is 4h)");
            out.with_fix(
                k.flags
                    .remove_where(c, fix, "streaming-connection-idle-timeout", off),
            );
        }
    }
}
