//! PSS baseline control `seccompProfile_baseline`.

use std::collections::BTreeSet;

use crate::declare_rule;
use crate::fix::{Fix, Val};
use crate::k8s::PodSpecView;
use crate::rule::{Rule, RuleContext, RuleMeta, Sink};
use crate::yaml::Node;

const POD_ANNOTATION: &str = "seccomp.security.alpha.kubernetes.io/pod";
const CONTAINER_ANNOTATION_PREFIX: &str = "container.seccomp.security.alpha.kubernetes.io/";

declare_rule! {
    /// ## What it does
    /// Reports a seccomp profile explicitly set to something other than the runtime default
    /// or a node-local profile (Pod Security Standards baseline control
    /// `seccompProfile_baseline`). Leaving seccomp unset passes here; `seccomp-required`
    /// (restricted) reports that.
    ///
    /// Policy versions:
    /// - v1.19 and later read the fields: `securityContext.seccompProfile.type` on the pod
    ///   and on every container, init container and ephemeral container must be
    ///   `RuntimeDefault` or `Localhost` when a `seccompProfile` is set (so `Unconfined`
    ///   fails).
    /// - v1.0 to v1.18 read the alpha annotations instead:
    ///   `seccomp.security.alpha.kubernetes.io/pod` and
    ///   `container.seccomp.security.alpha.kubernetes.io/<container name>` must be
    ///   `runtime/default`, `docker/default` or `localhost/<profile>` when present.
    ///
    /// ## Why is this bad
    /// An unconfined container may call every system call, including the rarely used ones
    /// (`keyctl`, `userfaultfd`, `bpf`, `unshare`) behind most container-escape kernel
    /// exploits. The runtime's default profile blocks them at no cost to ordinary workloads.
    ///
    /// ## Example
    /// ```yaml
    /// spec:
    ///   securityContext:
    ///     seccompProfile:
    ///       type: Unconfined   # reported
    ///   containers:
    ///     - name: app
    ///       image: registry.example/app:1.2
    /// ```
    ///
    /// ## References
    /// - https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline
    /// - https://kubernetes.io/docs/tutorials/security/seccomp/
    pub struct SeccompUnconfined {
        id: "seccomp-unconfined",
        code: "KSPM120",
        title: "Seccomp disabled",
        severity: Medium,
        target: Pod,
        fix: Unsafe,
        help: "Set seccompProfile.type to RuntimeDefault (or Localhost with a reviewed profile).",
        peers: {
            "trivy": ["KSV104"],
            "kubesec": ["SeccompUnconfined"],
        },
    }
}

fn valid_annotation(value: &str) -> bool {
    value == "runtime/default" || value == "docker/default" || value.starts_with("localhost/")
}

/// An annotation's value as the API decodes it: null is the empty string.
fn annotation_value(n: &Node) -> &str {
    if n.is_null() {
        ""
    } else {
        n.scalar_text().unwrap_or("")
    }
}

/// A present `seccompProfile` whose type is not allowed: the type text, else `None`.
fn bad_profile_type(sc: Option<&Node>) -> Option<&str> {
    let profile = sc?.get("seccompProfile").filter(|n| !n.is_null())?;
    let ty = profile
        .get("type")
        .and_then(Node::scalar_text)
        .unwrap_or("");
    (!matches!(ty, "RuntimeDefault" | "Localhost")).then_some(ty)
}

fn type_label(ty: &str) -> String {
    if ty.is_empty() {
        "a seccompProfile without a type".to_string()
    } else {
        format!("seccompProfile type {ty}")
    }
}

impl SeccompUnconfined {
    fn check_annotations(pod: &PodSpecView<'_>, out: &mut Sink) {
        let Some(annotations) = pod.annotations() else {
            return;
        };
        let base = pod.metadata_path.key("annotations");
        if let Some(v) = annotations.get(POD_ANNOTATION) {
            let value = annotation_value(v);
            if !valid_annotation(value) {
                out.report(
                    base.key(POD_ANNOTATION),
                    format!("pod seccomp annotation sets profile \"{value}\""),
                );
            }
        }
        // Only annotations naming a container of this pod count; a name seen twice once.
        let mut seen = BTreeSet::new();
        for c in pod.containers() {
            let key = format!("{CONTAINER_ANNOTATION_PREFIX}{}", c.name());
            if !seen.insert(key.clone()) {
                continue;
            }
            let Some(v) = annotations.get(&key) else {
                continue;
            };
            let value = annotation_value(v);
            if !valid_annotation(value) {
                out.report(
                    base.key(&key),
                    format!(
                        "seccomp annotation sets profile \"{value}\" for {}",
                        c.describe()
                    ),
                );
            }
        }
    }
}

impl Rule for SeccompUnconfined {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_pod(&self, cx: &RuleContext, pod: &PodSpecView<'_>, out: &mut Sink) {
        if cx.kube_minor < 19 {
            Self::check_annotations(pod, out);
            return;
        }
        if let Some(ty) = bad_profile_type(pod.security_context()) {
            out.report(
                pod.spec_path("securityContext.seccompProfile.type"),
                format!("pod sets {}", type_label(ty)),
            );
            out.with_fix(Fix::unsafe_("set seccompProfile type: RuntimeDefault").set(
                pod.spec,
                &pod.path,
                &["securityContext", "seccompProfile", "type"],
                Val::str("RuntimeDefault"),
            ));
        }
        for c in pod.containers() {
            if let Some(ty) = bad_profile_type(c.security_context()) {
                out.report(
                    c.field_path("securityContext.seccompProfile.type"),
                    format!("{} sets {}", c.describe(), type_label(ty)),
                );
                out.with_fix(Fix::unsafe_("set seccompProfile type: RuntimeDefault").set(
                    c.node,
                    &c.path,
                    &["securityContext", "seccompProfile", "type"],
                    Val::str("RuntimeDefault"),
                ));
            }
        }
    }
}
