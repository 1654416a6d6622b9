//! Ingresses served over plain HTTP.

use crate::declare_rule;
use crate::fix::{Fix, Val};
use crate::k8s::ObjectView;
use crate::rule::{Rule, RuleContext, RuleMeta, Sink};
use crate::yaml::Node;

declare_rule! {
    /// ## What it does
    /// Reports an Ingress (`networking.k8s.io` or `extensions`) whose `spec.tls` is
    /// missing or empty.
    ///
    /// ## Why is this bad
    /// Without a TLS section the controller serves the hosts over plain HTTP: credentials,
    /// session cookies and personal data cross the network unencrypted and can be read or
    /// changed by anyone on the path.
    ///
    /// The fix is a suggestion (`display`): it adds a `spec.tls` entry for the rules' hosts
    /// with a placeholder for the Secret that holds their certificate.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: networking.k8s.io/v1
    /// kind: Ingress
    /// metadata:
    ///   name: web
    /// spec:               # reported: no tls
    ///   rules:
    ///     - host: shop.example
    ///       http:
    ///         paths:
    ///           - path: /
    ///             pathType: Prefix
    ///             backend:
    ///               service: {name: web, port: {number: 80}}
    /// ```
    ///
    /// ## References
    /// - https://kubernetes.io/docs/concepts/services-networking/ingress/#tls
    pub struct IngressNoTls {
        id: "ingress-no-tls",
        code: "KSPM430",
        title: "Ingress without TLS",
        severity: Medium,
        target: Object,
        fix: Display,
        help: "Add spec.tls with the hosts and the Secret holding their certificate.",
        peers: {
            "polaris": ["tlsSettingsMissing"],
            "kubescape": ["C-0263"],
        },
    }
}

impl Rule for IngressNoTls {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_object(&self, _cx: &RuleContext, obj: &ObjectView<'_>, out: &mut Sink) {
        if obj.kind() != "Ingress" || !matches!(obj.group(), "networking.k8s.io" | "extensions") {
            return;
        }
        let has_tls = obj
            .root
            .get_path(&["spec", "tls"])
            .is_some_and(|t| !t.items().is_empty());
        if !has_tls {
            out.report(
                obj.path("spec.tls"),
                format!(
                    "Ingress \"{}\" has no tls section and serves plain HTTP",
                    obj.name().unwrap_or("")
                ),
            );
            let Some(spec) = obj.root.get("spec") else {
                return;
            };
            let hosts: Vec<&str> = spec
                .get("rules")
                .map(Node::items)
                .unwrap_or_default()
                .iter()
                .filter_map(|r| r.get("host").and_then(Node::as_str))
                .collect();
            let secret = (
                "secretName",
                Val::str("<TLS Secret with the hosts' certificate>"),
            );
            let entry = if hosts.is_empty() {
                Val::map(&[secret])
            } else {
                Val::map(&[("hosts", Val::strs(&hosts)), secret])
            };
            let fix = Fix::display("add spec.tls with the Secret holding the certificate");
            out.with_fix(fix.append(spec, &obj.path("spec"), &["tls"], vec![entry]));
        }
    }
}
