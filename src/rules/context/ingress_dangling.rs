//! An Ingress backend that names a Service (or Service port) that does not exist.

use crate::declare_rule;
use crate::k8s::LintContext;
use crate::rule::{Rule, RuleContext, RuleMeta, Sink};
use crate::yaml::{Node, YamlPath};

declare_rule! {
    /// ## What it does
    /// Reports an Ingress backend whose Service is not defined in the Ingress's namespace
    /// among the linted objects, and a backend whose Service exists but has no port with the
    /// backend's port number or name. Both the `networking.k8s.io/v1` form
    /// (`service.name`, `service.port.number|name`; `spec.defaultBackend`) and the old
    /// `v1beta1` form (`serviceName`, `servicePort`; `spec.backend`) are read. Resource
    /// backends are skipped.
    ///
    /// ## Why is this bad
    /// Requests routed to a missing Service or port fail with 503s from the ingress
    /// controller. With some controllers a broken backend also makes the whole Ingress
    /// unusable, and a later object that happens to take the Service's name receives
    /// traffic that was never meant for it.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: networking.k8s.io/v1
    /// kind: Ingress
    /// metadata:
    ///   name: web
    /// spec:
    ///   rules:
    ///     - host: shop.example
    ///       http:
    ///         paths:
    ///           - path: /
    ///             pathType: Prefix
    ///             backend:
    ///               service:
    ///                 name: web-svc     # reported: no Service web-svc
    ///                 port:
    ///                   number: 80
    /// ```
    ///
    /// ## References
    /// - https://kubernetes.io/docs/concepts/services-networking/ingress/#the-ingress-resource
    ///
    /// ## Differences from peers
    /// kube-linter's `dangling-ingress` checks the Service name only; kspm also checks the
    /// port, like kube-score's `ingress-targets-service`. The rule only sees the Services of
    /// one lint context (one command-line argument).
    pub struct IngressDangling {
        id: "ingress-dangling",
        code: "KSPM431",
        title: "Ingress backend Service missing",
        severity: Low,
        target: Context,
        help: "Point the backend at an existing Service and one of its ports, or add the Service.",
        peers: {
            "kube-linter": ["dangling-ingress"],
            "kube-score": ["ingress-targets-service"],
            "kubescape": ["C-0298"],
        },
    }
}

/// A backend's Service reference: where its name and port are, and their values.
struct Backend<'a> {
    name: &'a str,
    name_path: YamlPath,
    port: Option<(&'a Node, YamlPath)>,
}

/// The Service reference of the backend at `node` (path `path`), in either API form.
fn backend<'a>(node: &'a Node, path: &YamlPath) -> Option<Backend<'a>> {
    if let Some(svc) = node.get("service") {
        let svc_path = path.key("service");
        let port = svc.get("port").and_then(|p| {
            let port_path = svc_path.key("port");
            ["number", "name"]
                .into_iter()
                .find_map(|k| Some((p.get(k)?, port_path.key(k))))
        });
        return Some(Backend {
            name: svc.get("name")?.as_str()?,
            name_path: svc_path.key("name"),
            port,
        });
    }
    Some(Backend {
        name: node.get("serviceName")?.as_str()?,
        name_path: path.key("serviceName"),
        port: node
            .get("servicePort")
            .map(|p| (p, path.key("servicePort"))),
    })
}

/// Every backend of an Ingress with its path, in document order.
fn backends<'a>(root: &'a Node, base: &YamlPath) -> Vec<Backend<'a>> {
    let Some(spec) = root.get("spec") else {
        return Vec::new();
    };
    let spec_path = base.key("spec");
    let mut out = Vec::new();
    for key in ["defaultBackend", "backend"] {
        if let Some(b) = spec.get(key).and_then(|n| backend(n, &spec_path.key(key))) {
            out.push(b);
        }
    }
    for (r, rule) in spec
        .get("rules")
        .map(Node::items)
        .unwrap_or(&[])
        .iter()
        .enumerate()
    {
        let paths_path = spec_path.key("rules").index(r).join("http.paths");
        let paths = rule
            .get_path(&["http", "paths"])
            .map(Node::items)
            .unwrap_or(&[]);
        for (p, item) in paths.iter().enumerate() {
            let b_path = paths_path.index(p).key("backend");
            if let Some(b) = item.get("backend").and_then(|n| backend(n, &b_path)) {
                out.push(b);
            }
        }
    }
    out
}

impl Rule for IngressDangling {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    // Ingresses and the Services their backends name.
    fn context_kinds(&self) -> Option<&'static [&'static str]> {
        Some(&["Ingress", "Service"])
    }

    fn check_context(&self, _cx: &RuleContext, ctx: &LintContext, out: &mut Sink) {
        for i in ctx.of_kind("Ingress") {
            let view = ctx.view(i);
            if !matches!(view.group(), "networking.k8s.io" | "extensions") {
                continue;
            }
            let Some(ns) = view.effective_namespace() else {
                continue;
            };
            for b in backends(view.root, view.base) {
                let Some(s) = ctx.find("Service", Some(ns), b.name) else {
                    out.report_on(
                        i,
                        b.name_path,
                        format!(
                            "backend Service `{}` is not defined in namespace `{ns}`",
                            b.name
                        ),
                    );
                    continue;
                };
                let Some((port, port_path)) = b.port else {
                    continue;
                };
                let ports = ctx
                    .view(s)
                    .root
                    .get_path(&["spec", "ports"])
                    .map(Node::items)
                    .unwrap_or(&[]);
                let found = match port.as_i64() {
                    Some(n) => ports
                        .iter()
                        .any(|p| p.get("port").and_then(Node::as_i64) == Some(n)),
                    None => {
                        let Some(name) = port.as_str() else { continue };
                        ports
                            .iter()
                            .any(|p| p.get("name").and_then(Node::as_str) == Some(name))
                    }
                };
                if !found {
                    let shown = port.scalar_text().unwrap_or("?");
                    let which = if port.as_i64().is_some() {
                        format!("port {shown}")
                    } else {
                        format!("port named `{shown}`")
                    };
                    out.report_on(
                        i,
                        port_path,
                        format!(
                            "Service `{}` has no {which}; requests to this backend fail",
                            b.name
                        ),
                    );
                }
            }
        }
    }
}
