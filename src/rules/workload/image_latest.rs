//! Images that float: no tag, or the `latest` tag.

use crate::declare_rule;
use crate::fix::{Fix, Val};
use crate::k8s::{ContainerView, ImageRef, PodSpecView};
use crate::rule::{Rule, RuleContext, RuleMeta, Sink};
use crate::yaml::Node;

declare_rule! {
    /// ## What it does
    /// Reports a container, init container or ephemeral container whose `image` has no
    /// digest and either no tag (which means `:latest`) or the tag `latest`.
    ///
    /// ## Why is this bad
    /// `latest` names whatever was pushed last. Two nodes can run different code under the
    /// same manifest, a rollback re-pulls the broken build, and a review of the manifest
    /// says nothing about what will run. The API server also defaults `imagePullPolicy` to
    /// `Always` for such images, so every pod start depends on the registry being up.
    ///
    /// ## Example
    /// ```yaml
    /// spec:
    ///   containers:
    ///     - name: app
    ///       image: registry.example/app          # reported: no tag
    ///     - name: sidecar
    ///       image: registry.example/proxy:latest # reported
    ///     - name: pinned
    ///       image: registry.example/app:1.4.2    # passes
    /// ```
    ///
    /// The fix is a suggestion (`display`): it writes the image with a `<release tag>`
    /// placeholder, since only the person knows which release to run.
    ///
    /// ## References
    /// - https://kubernetes.io/docs/concepts/containers/images/#image-names
    /// - https://kubernetes.io/docs/concepts/configuration/overview/#container-images
    pub struct ImageLatest {
        id: "image-latest",
        code: "KSPM301",
        title: "Image tag missing or latest",
        severity: Medium,
        target: Container,
        fix: Display,
        help: "Pin the image to a release tag or, better, a digest (`image@sha256:...`).",
        peers: {
            "kube-linter": ["latest-tag"],
            "checkov": ["CKV_K8S_14"],
            "trivy": ["KSV013"],
            "kubescape": ["C-0075"],
            "polaris": ["tagNotSpecified"],
            "kube-score": ["container-image-tag"],
        },
    }
}

impl Rule for ImageLatest {
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
        let Some(image) = c.get("image").and_then(Node::scalar_text) else {
            return;
        };
        if image.trim().is_empty() {
            return;
        }
        let r = ImageRef::parse(image);
        // A digest decides what runs; the tag is then only a label.
        if r.digest.is_some() {
            return;
        }
        let msg = match r.tag {
            None => format!(
                "{} uses image \"{image}\" without a tag, which means :latest",
                c.describe()
            ),
            Some("latest") => format!(
                "{} uses image \"{image}\" with the floating tag latest",
                c.describe()
            ),
            Some(_) => return,
        };
        out.report(c.field_path("image"), msg);
        let name = untagged(image.trim());
        let pinned = format!("{name}:<release tag>");
        let fix = Fix::display(format!("pin the image to a release tag: {pinned}")).set(
            c.node,
            &c.path,
            &["image"],
            Val::str(&pinned),
        );
        out.with_fix(fix);
    }
}

/// `image` without its tag: a `:` after the last `/` starts the tag (one before it
/// belongs to a registry's `host:port`).
fn untagged(image: &str) -> &str {
    let slash = image.rfind('/').map_or(0, |i| i + 1);
    match image[slash..].rfind(':') {
        Some(colon) => &image[..slash + colon],
        None => image,
    }
}

#[cfg(test)]
mod tests {
    use super::untagged;

    #[test]
    fn the_tag_goes_and_a_registry_port_stays() {
        assert_eq!(untagged("nginx:latest"), "nginx");
        assert_eq!(untagged("nginx"), "nginx");
        assert_eq!(untagged("nginx:"), "nginx");
        assert_eq!(untagged("registry:5000/team/app"), "registry:5000/team/app");
        assert_eq!(
            untagged("registry:5000/team/app:latest"),
            "registry:5000/team/app"
        );
    }
}
