//! Images not pinned to an immutable digest.

use crate::declare_rule;
use crate::fix::{Fix, Val};
use crate::k8s::{ContainerView, ImageRef, PodSpecView};
use crate::rule::{Rule, RuleContext, RuleMeta, Sink};
use crate::yaml::Node;

declare_rule! {
    /// ## What it does
    /// Reports a container, init container or ephemeral container whose `image` is not
    /// pinned by a well-formed digest: `@sha256:` followed by exactly 64 lower-case hex
    /// digits (`sha384` and `sha512` digests with 96 and 128 digits are accepted too).
    /// A reference with a malformed digest (`@sha256:123456`) is reported as well, with a
    /// message saying so.
    ///
    /// ## Why is this bad
    /// A tag is a mutable pointer: whoever can push to the repository can change what a
    /// tag runs, and the same manifest yields different containers over time. A digest
    /// names the exact image content, so what was scanned and reviewed is what runs.
    ///
    /// ## Example
    /// ```yaml
    /// spec:
    ///   containers:
    ///     - name: app
    ///       image: registry.example/app:1.4.2   # reported
    ///     - name: pinned
    ///       image: registry.example/app:1.4.2@sha256:4f53cda18c2baa0c0354bb5f9a3ecbe5ed12ab4d8e11ba873c2f11161202b945
    /// ```
    ///
    /// ## Differences from peers
    /// Checkov's CKV_K8S_43 accepts anything after `@` (its own fixtures use
    /// `@sha256:123456`). Such a reference does not parse under the image reference
    /// grammar, so no runtime can pull it; kspm reports it as a malformed digest.
    ///
    /// The fix is a suggestion (`display`): it writes `@sha256:<digest>` after the name and
    /// tag, to be filled with the digest of the image that was tested.
    ///
    /// ## References
    /// - https://kubernetes.io/docs/concepts/containers/images/#image-names
    /// - https://github.com/distribution/reference (reference grammar)
    pub struct ImageDigest {
        id: "image-digest",
        code: "KSPM302",
        title: "Image not pinned by digest",
        severity: Low,
        target: Container,
        fix: Display,
        help: "Reference the image by digest: `image: repo:tag@sha256:<64 hex digits>`.",
        peers: {
            "checkov": ["CKV_K8S_43"],
            "kubescape": ["C-0306"],
        },
    }
}

impl Rule for ImageDigest {
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
        if r.valid_digest().is_some() {
            return;
        }
        let msg = match r.digest {
            Some(d) => format!(
                "{} pins image \"{image}\" with a malformed digest \"{d}\" (want sha256: and 64 hex digits)",
                c.describe()
            ),
            None => format!("{} uses image \"{image}\" without a digest", c.describe()),
        };
        out.report(c.field_path("image"), msg);
        let name = image.trim().split('@').next().unwrap_or("");
        let pinned = format!("{name}@sha256:<64 hex digits>");
        let fix = Fix::display(format!("pin the image by digest: {pinned}")).set(
            c.node,
            &c.path,
            &["image"],
            Val::str(&pinned),
        );
        out.with_fix(fix);
    }
}
