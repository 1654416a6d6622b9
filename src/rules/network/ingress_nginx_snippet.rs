//! ingress-nginx snippet annotations (CVE-2021-25742).

use crate::declare_rule;
use crate::fix::Fix;
use crate::k8s::ObjectView;
use crate::rule::{Rule, RuleContext, RuleMeta, Sink};
use crate::yaml::YamlPath;

const PREFIX: &str = "nginx.ingress.kubernetes.io/";

declare_rule! {
    /// ## What it does
    /// Reports every annotation `nginx.ingress.kubernetes.io/<name>-snippet` on an
    /// Ingress (`configuration-snippet`, `server-snippet`, `auth-snippet`,
    /// `stream-snippet`, ...).
    ///
    /// ## Why is this bad
    /// A snippet is raw NGINX configuration pasted into the controller's config. Anyone
    /// who can create an Ingress can use it to read files of the controller pod,
    /// including its service account token, which can read every Secret in the cluster
    /// (CVE-2021-25742). Recent ingress-nginx releases disable snippets by default.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: networking.k8s.io/v1
    /// kind: Ingress
    /// metadata:
    ///   name: web
    ///   annotations:
    ///     nginx.ingress.kubernetes.io/configuration-snippet: |   # reported
    ///       more_set_headers "X-Frame-Options: DENY";
    /// ```
    ///
    /// The unsafe fix removes the snippet annotations (and `annotations:` when nothing else is
    /// in it): the routing the snippet configured is lost until it is rebuilt with dedicated
    /// annotations or controller settings.
    ///
    /// ## References
    /// - https://github.com/kubernetes/ingress-nginx/issues/7837 (CVE-2021-25742)
    /// - https://kubernetes.github.io/ingress-nginx/user-guide/nginx-configuration/annotations/
    pub struct IngressNginxSnippet {
        id: "ingress-nginx-snippet",
        code: "KSPM432",
        title: "NGINX snippet annotation",
        severity: High,
        target: Object,
        fix: Unsafe,
        help: "Replace the snippet with a dedicated annotation or controller setting, and keep allow-snippet-annotations off.",
        peers: {
            "checkov": ["CKV_K8S_152", "CKV_K8S_153", "CKV_K8S_154"],
            "trivy": ["KCV0093"],
            "kubescape": ["C-0059"],
        },
    }
}

impl Rule for IngressNginxSnippet {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_object(&self, _cx: &RuleContext, obj: &ObjectView<'_>, out: &mut Sink) {
        if obj.kind() != "Ingress" {
            return;
        }
        let Some(annotations) = obj.annotations() else {
            return;
        };
        let base: YamlPath = obj.path("metadata.annotations");
        let entries = annotations.entries();
        let mut snippets: Vec<&str> = Vec::new();
        for (i, e) in entries.iter().enumerate() {
            // With a duplicated key only the last entry counts (and is where the path points).
            if entries[i + 1..]
                .iter()
                .any(|later| later.key_str == e.key_str)
            {
                continue;
            }
            let is_snippet = e
                .key_str
                .strip_prefix(PREFIX)
                .is_some_and(|name| name.ends_with("-snippet"));
            if is_snippet {
                out.report(
                    base.key(&e.key_str),
                    format!(
                        "Ingress \"{}\" injects raw NGINX configuration through {}",
                        obj.name().unwrap_or(""),
                        e.key_str
                    ),
                );
                snippets.push(&e.key_str);
            }
        }
        if snippets.is_empty() {
            return;
        }
        // One fix for every snippet (applied once), so that removing the last annotations
        // removes `annotations:` rather than leaving it empty.
        let fix = Fix::unsafe_(format!("remove {}", snippets.join(", "))).remove_nested(
            obj.root,
            obj.base,
            &["metadata", "annotations"],
            &snippets,
        );
        let at = out.findings.len() - snippets.len();
        for finding in &mut out.findings[at..] {
            finding.fix = Some(Box::new(fix.clone()));
        }
    }
}
