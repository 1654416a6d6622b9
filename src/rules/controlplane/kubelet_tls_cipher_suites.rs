//! CIS 4.2.12: Kubelet allows weak TLS cipher suites.

use crate::declare_rule;
use crate::fix::{Fix, Val};
use crate::k8s::{
    ContainerView, FIX_CIPHERS, KubeletFlags, ObjectView, PodSpecView, is_kubelet_config,
    is_strong_cipher,
};
use crate::rule::{Rule, RuleContext, RuleMeta, Sink};

declare_rule! {
    /// ## What it does
    /// Reports a kubelet that may negotiate weak TLS cipher suites: a KubeletConfiguration
    /// whose `tlsCipherSuites` is missing (Go's defaults include CBC suites) or lists a suite
    /// outside the strong set (one finding per item), or a kubelet command line whose
    /// `--tls-cipher-suites` does the same. CIS marks this recommendation Manual.
    ///
    /// Both places the kubelet reads settings from are checked: a KubeletConfiguration file
    /// (kubelet.config.k8s.io) in the repository, and the command line of a container that runs
    /// the kubelet. When that command line also passes `--config`, a missing flag is left to the
    /// configuration file.
    ///
    /// ## Why is this bad
    /// CBC-mode and static-RSA suites lack forward secrecy or have a history of padding-oracle
    /// attacks; a client that negotiates them weakens the connection to the kubelet.
    ///
    /// The unsafe fix removes the weak suites, or, when none is strong or the setting is
    /// missing, writes the ECDHE suites with AES-GCM and ChaCha20-Poly1305; a client (an API
    /// server, a metrics scraper) that speaks none of them can no longer connect.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: kubelet.config.k8s.io/v1beta1
    /// kind: KubeletConfiguration
    /// tlsCipherSuites:
    ///   - TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256
    ///   - TLS_RSA_WITH_AES_256_GCM_SHA384   # reported
    /// ```
    ///
    /// ## Differences from peers
    /// The strong set is the one CIS gives for the API server (1.2.29); the kubelet list of
    /// 4.2.12 is a subset whose missing names are aliases or TLS 1.3 suites. Checkov's
    /// CKV_K8S_151 also accepts `TLS_RSA_WITH_AES_*_GCM_*`, which kspm reports: static RSA key
    /// exchange has no forward secrecy.
    ///
    /// ## References
    /// - CIS Kubernetes Benchmark v1.12, 4.2.12: https://www.cisecurity.org/benchmark/kubernetes
    /// - https://kubernetes.io/docs/reference/config-api/kubelet-config.v1beta1/
    /// - https://kubernetes.io/docs/reference/command-line-tools-reference/kubelet/
    pub struct KubeletTlsCipherSuites {
        id: "kubelet-tls-cipher-suites",
        code: "KSPM792",
        title: "Kubelet allows weak TLS cipher suites",
        severity: Medium,
        target: Object,
        fix: Unsafe,
        help: "Set tlsCipherSuites to ECDHE suites with AES-GCM or ChaCha20-Poly1305 only.",
        peers: {
            "checkov": ["CKV_K8S_151"],
            "trivy": ["KCV0092"],
            "kubescape": ["C-0184"],
        },
    }
}

impl Rule for KubeletTlsCipherSuites {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_object(&self, _cx: &RuleContext, obj: &ObjectView<'_>, out: &mut Sink) {
        if !is_kubelet_config(obj) {
            return;
        }
        let Some(list) = obj
            .root
            .get("tlsCipherSuites")
            .filter(|n| !n.items().is_empty())
        else {
            out.report(
                obj.path("tlsCipherSuites"),
                "KubeletConfiguration does not set tlsCipherSuites, so Go's defaults (with CBC suites) apply",
            );
            let fix = Fix::unsafe_("set tlsCipherSuites to strong suites");
            out.with_fix(fix.set(
                obj.root,
                obj.base,
                &["tlsCipherSuites"],
                Val::strs(FIX_CIPHERS),
            ));
            return;
        };
        let base = obj.path("tlsCipherSuites");
        let mut weak = Vec::new();
        for (i, item) in list.items().iter().enumerate() {
            let name = item.scalar_text().unwrap_or("");
            if !is_strong_cipher(name.trim()) {
                out.report(
                    base.index(i),
                    format!("KubeletConfiguration allows the weak TLS cipher suite {name}"),
                );
                weak.push(i);
            }
        }
        if weak.is_empty() {
            return;
        }
        // One fix for every weak suite (applied once). When none is strong, the items are
        // rewritten as the strong suites instead, so the list is never left empty.
        let key = obj.root.entry("tlsCipherSuites").map(|e| &e.key);
        let items = list.items();
        let fix = if weak.len() < items.len() {
            Fix::unsafe_("remove the weak TLS cipher suites").remove_items(list, key, &base, &weak)
        } else {
            let mut fix = Fix::unsafe_("replace the weak TLS cipher suites with strong ones");
            for (i, item) in items.iter().enumerate().take(FIX_CIPHERS.len()) {
                fix = fix.replace(item, base.index(i), FIX_CIPHERS[i]);
            }
            if items.len() > FIX_CIPHERS.len() {
                let extra: Vec<usize> = (FIX_CIPHERS.len()..items.len()).collect();
                fix = fix.remove_items(list, key, &base, &extra);
            } else if items.len() < FIX_CIPHERS.len() {
                let rest = FIX_CIPHERS[items.len()..].iter().map(|s| Val::str(s));
                fix = fix.append(obj.root, obj.base, &["tlsCipherSuites"], rest.collect());
            }
            fix
        };
        let at = out.findings.len() - weak.len();
        for finding in &mut out.findings[at..] {
            finding.fix = Some(Box::new(fix.clone()));
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
        if k.decides("tls-cipher-suites") {
            k.flags.require_strong_ciphers_fix(out, c);
        }
    }
}
