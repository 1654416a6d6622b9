//! Pull policies that let a node reuse a cached image.

use crate::declare_rule;
use crate::fix::{Fix, Val};
use crate::k8s::{ContainerView, ImageRef, PodSpecView};
use crate::rule::{Rule, RuleContext, RuleMeta, Sink};
use crate::yaml::Node;

declare_rule! {
    /// ## What it does
    /// Reports a container, init container or ephemeral container whose
    /// `imagePullPolicy` is not `Always`. When the field is unset, the API server
    /// defaults it from the image: `Always` for an image with no tag or the `latest` tag
    /// (and no digest), `IfNotPresent` otherwise; only the latter is reported.
    ///
    /// ## Why is this bad
    /// With `IfNotPresent` or `Never`, a pod uses whatever image the node has cached under
    /// that name. Any pod scheduled on the node can then run a private image without
    /// presenting the pull credentials for it, and a tag that was re-pushed keeps running
    /// its old content on some nodes and the new content on others.
    ///
    /// ## Example
    /// ```yaml
    /// spec:
    ///   containers:
    ///     - name: app
    ///       image: registry.example/app:1.4.2
    ///       imagePullPolicy: IfNotPresent   # reported
    ///     - name: worker
    ///       image: registry.example/worker:2.0   # reported: defaults to IfNotPresent
    /// ```
    ///
    /// ## Differences from peers
    /// Polaris and Checkov require the field to be written out. kspm follows the API
    /// server's defaulting, so an unset policy on a `:latest` image (which becomes
    /// `Always`) passes; `image-latest` reports that image instead.
    ///
    /// ## References
    /// - https://kubernetes.io/docs/concepts/containers/images/#image-pull-policy
    /// - https://kubernetes.io/docs/reference/access-authn-authz/admission-controllers/#alwayspullimages
    pub struct ImagePullPolicy {
        id: "image-pull-policy",
        code: "KSPM303",
        title: "Image pull policy not Always",
        severity: Low,
        target: Container,
        fix: Safe,
        help: "Set imagePullPolicy: Always (or enable the AlwaysPullImages admission plugin).",
        peers: {
            "checkov": ["CKV_K8S_15"],
            "kubescape": ["C-0075"],
            "polaris": ["pullPolicyNotAlways"],
            "kube-score": ["container-image-pull-policy"],
        },
    }
}

impl Rule for ImagePullPolicy {
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
        // An empty string is defaulted like a missing field.
        let policy = c
            .get("imagePullPolicy")
            .filter(|n| !n.is_null() && n.scalar_text() != Some(""));
        if let Some(p) = policy {
            let value = p.scalar_text().unwrap_or("(not a string)");
            if value != "Always" {
                out.report(
                    c.field_path("imagePullPolicy"),
                    format!("{} sets imagePullPolicy {value}", c.describe()),
                );
                out.with_fix(Fix::safe("set imagePullPolicy: Always").set(
                    c.node,
                    &c.path,
                    &["imagePullPolicy"],
                    Val::str("Always"),
                ));
            }
            return;
        }
        let Some(image) = c.get("image").and_then(Node::scalar_text) else {
            return;
        };
        if image.trim().is_empty() {
            return;
        }
        let r = ImageRef::parse(image);
        let defaults_to_always = r.digest.is_none() && matches!(r.tag, None | Some("latest"));
        if !defaults_to_always {
            out.report(
                c.field_path("imagePullPolicy"),
                format!(
                    "{} leaves imagePullPolicy unset, so image \"{image}\" defaults to IfNotPresent",
                    c.describe()
                ),
            );
            out.with_fix(Fix::safe("set imagePullPolicy: Always").set(
                c.node,
                &c.path,
                &["imagePullPolicy"],
                Val::str("Always"),
            ));
        }
    }
}
