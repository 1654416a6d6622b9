//! CIS 1.2.3: DenyServiceExternalIPs admission plugin not enabled.

use crate::declare_rule;
use crate::k8s::{Component, ContainerView, Flags, PodSpecView};
use crate::rule::{Rule, RuleContext, RuleMeta, Sink};

declare_rule! {
    /// ## What it does
    /// Reports a kube-apiserver container whose `--enable-admission-plugins` does not list
    /// `DenyServiceExternalIPs`, or whose `--disable-admission-plugins` lists it. The finding
    /// sits on the (last) `--enable-admission-plugins` item, or on `command` when the flag is
    /// missing.
    ///
    /// ## Why is this bad
    /// Anyone who may create a Service can set `spec.externalIPs` and intercept traffic the
    /// cluster sends to those addresses (CVE-2020-8554). The plugin rejects new external IPs.
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
    /// ## Differences from peers
    /// Trivy's KCV0003 words the check the other way round (that the plugin is *not* set); kspm
    /// follows the CIS text, which asks for the plugin to be enabled.
    ///
    /// ## References
    /// - CIS Kubernetes Benchmark v1.12, 1.2.3: https://www.cisecurity.org/benchmark/kubernetes
    /// - https://kubernetes.io/docs/reference/command-line-tools-reference/kube-apiserver/
    /// - https://kubernetes.io/docs/reference/access-authn-authz/admission-controllers/#denyserviceexternalips
    pub struct ApiserverDenyServiceExternalIps {
        id: "apiserver-deny-service-external-ips",
        code: "KSPM703",
        title: "DenyServiceExternalIPs admission plugin not enabled",
        severity: Medium,
        target: Container,
        fix: Unsafe,
        help: "Add DenyServiceExternalIPs to --enable-admission-plugins.",
        peers: {
            "trivy": ["KCV0003"],
            "kubescape": ["C-0283"],
        },
    }
}

impl Rule for ApiserverDenyServiceExternalIps {
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
        f.require_plugin_fix(out, c, "DenyServiceExternalIPs");
    }
}
