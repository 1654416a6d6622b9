//! CIS 4.2.8: Kubelet event rate invalid.

use crate::declare_rule;
use crate::fix::Fix;
use crate::k8s::{ContainerView, Flag, KubeletFlags, ObjectView, PodSpecView, is_kubelet_config};
use crate::rule::{Rule, RuleContext, RuleMeta, Sink};

declare_rule! {
    /// ## What it does
    /// Reports a kubelet whose event rate is negative or not a number: `eventRecordQPS` in a
    /// KubeletConfiguration, or `--event-qps` on a kubelet command line. A missing setting
    /// passes (the default is 50 events per second; 0 means unlimited). CIS marks this
    /// recommendation Manual; the appropriate rate is a site decision, so kspm rejects only
    /// values the kubelet cannot use, as kube-bench does.
    ///
    /// Both places the kubelet reads settings from are checked: a KubeletConfiguration file
    /// (kubelet.config.k8s.io) in the repository, and the command line of a container that runs
    /// the kubelet. When that command line also passes `--config`, a missing flag is left to the
    /// configuration file.
    ///
    /// ## Why is this bad
    /// Events are how node problems (evictions, image pull failures, OOM kills) become visible;
    /// a broken rate setting loses them.
    ///
    /// The unsafe fix removes the invalid setting, so the default (50 events per second)
    /// applies.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: kubelet.config.k8s.io/v1beta1
    /// kind: KubeletConfiguration
    /// eventRecordQPS: -5   # reported
    /// ```
    ///
    /// ## References
    /// - CIS Kubernetes Benchmark v1.12, 4.2.8: https://www.cisecurity.org/benchmark/kubernetes
    /// - https://kubernetes.io/docs/reference/config-api/kubelet-config.v1beta1/
    /// - https://kubernetes.io/docs/reference/command-line-tools-reference/kubelet/
    pub struct KubeletEventQps {
        id: "kubelet-event-qps",
        code: "KSPM788",
        title: "Kubelet event rate invalid",
        severity: Low,
        target: Object,
        fix: Unsafe,
        help: "Set eventRecordQPS (or --event-qps) to 0 or a positive rate.",
        peers: {
            "checkov": ["CKV_K8S_147"],
            "trivy": ["KCV0087"],
            "kubescape": ["C-0180"],
        },
    }
}

impl Rule for KubeletEventQps {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_object(&self, _cx: &RuleContext, obj: &ObjectView<'_>, out: &mut Sink) {
        if !is_kubelet_config(obj) {
            return;
        }
        if let Some(n) = obj.root.get("eventRecordQPS")
            && n.as_i64().is_none_or(|q| q < 0)
        {
            out.report(
                obj.path("eventRecordQPS"),
                format!(
                    "KubeletConfiguration sets eventRecordQPS: {}, not 0 or a positive rate",
                    n.scalar_text().unwrap_or("")
                ),
            );
            let fix = Fix::unsafe_("remove eventRecordQPS (the default is 50)");
            out.with_fix(fix.remove(obj.root, obj.base, &["eventRecordQPS"], None));
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
        let invalid = |q: &Flag| !q.text().parse::<i64>().is_ok_and(|v| v >= 0);
        if let Some(q) = k.flags.last("event-qps")
            && invalid(q)
        {
            out.report(
                q.value_path.clone(),
                format!(
                    "{} sets {}, not 0 or a positive rate",
                    k.flags.who,
                    q.display()
                ),
            );
            let fix = Fix::unsafe_("remove --event-qps (the default is 50)");
            out.with_fix(k.flags.remove_where(c, fix, "event-qps", invalid));
        }
    }
}
