//! Images from registries outside the configured allow-list.

use crate::declare_rule;
use crate::k8s::{ContainerView, ImageRef, PodSpecView, registry_allowed};
use crate::rule::{Rule, RuleContext, RuleMeta, Sink};
use crate::yaml::Node;

declare_rule! {
    /// ## What it does
    /// Reports a container, init container or ephemeral container whose image comes from
    /// a registry that is not in the allow-list. The registry is read as the image
    /// reference grammar reads it: the first path component when it contains `.` or `:`
    /// or is `localhost`, otherwise Docker Hub (`docker.io`; `index.docker.io` is the same
    /// registry). `nginx`, `library/nginx` and `team/app` therefore come from `docker.io`.
    ///
    /// The rule reports nothing until the allow-list is configured.
    ///
    /// ## Options
    /// - `image-registry.allowed` (list): registry hosts, compared case-insensitively and
    ///   including any port (`registry.example:5000`); `*.example.com` allows every
    ///   subdomain of example.com.
    ///
    /// ## Why is this bad
    /// Images from arbitrary registries bypass the scanning, signing and provenance checks
    /// an organisation applies to its own registry, and a typo-squatted public image runs
    /// with the workload's credentials.
    ///
    /// ## Example
    /// ```yaml
    /// # kspm lint --rule-option image-registry.allowed=registry.example
    /// spec:
    ///   containers:
    ///     - name: app
    ///       image: registry.example/app:1.4.2   # passes
    ///     - name: cache
    ///       image: redis:7                      # reported: docker.io
    /// ```
    ///
    /// ## References
    /// - https://kubernetes.io/docs/concepts/containers/images/#image-names
    /// - NSA/CISA Kubernetes Hardening Guidance: image scanning and trusted registries
    pub struct ImageRegistry {
        id: "image-registry",
        code: "KSPM304",
        title: "Image registry not allow-listed",
        severity: Medium,
        target: Container,
        help: "Pull the image from an allowed registry, or add the registry to image-registry.allowed.",
        peers: {
            "trivy": ["KSV125"],
            "kubescape": ["C-0001", "C-0078"],
        },
    }
}

impl Rule for ImageRegistry {
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
        let allowed = &cx.options.allowed_registries;
        if allowed.is_empty() {
            return;
        }
        let Some(image) = c.get("image").and_then(Node::scalar_text) else {
            return;
        };
        if image.trim().is_empty() {
            return;
        }
        let r = ImageRef::parse(image);
        if registry_allowed(&r.registry, allowed) {
            return;
        }
        let implied = if r.explicit_registry {
            ""
        } else {
            " (implied)"
        };
        out.report(
            c.field_path("image"),
            format!(
                "{} pulls image \"{image}\" from registry {}{implied}, which is not in the allow-list",
                c.describe(),
                r.registry
            ),
        );
    }
}
