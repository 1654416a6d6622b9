//! PSS baseline control `appArmorProfile`.

use crate::declare_rule;
use crate::fix::{Fix, Val};
use crate::k8s::PodSpecView;
use crate::rule::{Rule, RuleContext, RuleMeta, Sink};
use crate::yaml::{Node, YamlPath};

const ANNOTATION_PREFIX: &str = "container.apparmor.security.beta.kubernetes.io/";

declare_rule! {
    /// ## What it does
    /// Reports an AppArmor setting that weakens the default profile (Pod Security Standards
    /// baseline control `appArmorProfile`, all policy versions):
    ///
    /// - a pod template annotation `container.apparmor.security.beta.kubernetes.io/<name>`
    ///   whose value is not empty, `runtime/default` or `localhost/<profile>` (for example
    ///   `unconfined`);
    /// - a `securityContext.appArmorProfile` on the pod or on any container, init container
    ///   or ephemeral container whose `type` is not `RuntimeDefault` or `Localhost` (for
    ///   example `Unconfined`, or a profile with no type).
    ///
    /// ## Why is this bad
    /// The runtime's default AppArmor profile blocks writes to `/proc` and `/sys`, mounts
    /// and other kernel interfaces that container escapes rely on. `Unconfined` turns that
    /// protection off.
    ///
    /// ## Example
    /// ```yaml
    /// metadata:
    ///   annotations:
    ///     container.apparmor.security.beta.kubernetes.io/app: unconfined   # reported
    /// spec:
    ///   containers:
    ///     - name: app
    ///       image: registry.example/app:1.2
    ///       securityContext:
    ///         appArmorProfile:
    ///           type: Unconfined                                          # reported
    /// ```
    ///
    /// ## References
    /// - https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline
    /// - https://kubernetes.io/docs/tutorials/security/apparmor/
    pub struct ApparmorOverride {
        id: "apparmor-override",
        code: "KSPM117",
        title: "AppArmor profile weakened",
        severity: Medium,
        target: Pod,
        fix: Unsafe,
        help: "Use appArmorProfile type RuntimeDefault or Localhost (annotation runtime/default or localhost/<profile>).",
        peers: {
            "trivy": ["KSV002"],
            "kubescape": ["C-0055"],
            "polaris": ["linuxHardening"],
        },
    }
}

fn allowed_annotation(value: &str) -> bool {
    value.is_empty() || value == "runtime/default" || value.starts_with("localhost/")
}

/// A present `appArmorProfile` whose type is not allowed: the type text, else `None`.
fn bad_profile_type(sc: Option<&Node>) -> Option<&str> {
    let profile = sc?.get("appArmorProfile").filter(|n| !n.is_null())?;
    let ty = profile
        .get("type")
        .and_then(Node::scalar_text)
        .unwrap_or("");
    (!matches!(ty, "RuntimeDefault" | "Localhost")).then_some(ty)
}

fn type_label(ty: &str) -> String {
    if ty.is_empty() {
        "no type".to_string()
    } else {
        format!("type {ty}")
    }
}

impl Rule for ApparmorOverride {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_pod(&self, _cx: &RuleContext, pod: &PodSpecView<'_>, out: &mut Sink) {
        if let Some(annotations) = pod.annotations() {
            let base: YamlPath = pod.metadata_path.key("annotations");
            for e in annotations.entries() {
                let Some(container) = e.key_str.strip_prefix(ANNOTATION_PREFIX) else {
                    continue;
                };
                // With a duplicated key only the last entry reaches the API server.
                if !annotations
                    .entry(&e.key_str)
                    .is_some_and(|last| std::ptr::eq(last, e))
                {
                    continue;
                }
                // A null annotation value decodes to the empty string.
                let value = if e.value.is_null() {
                    ""
                } else {
                    e.value.scalar_text().unwrap_or("")
                };
                if !allowed_annotation(value) {
                    out.report(
                        base.key(&e.key_str),
                        format!(
                            "AppArmor annotation sets profile \"{value}\" for container \"{container}\""
                        ),
                    );
                    out.with_fix(
                        Fix::unsafe_("use the runtime/default AppArmor profile").replace(
                            &e.value,
                            base.key(&e.key_str),
                            "runtime/default",
                        ),
                    );
                }
            }
        }
        if let Some(ty) = bad_profile_type(pod.security_context()) {
            out.report(
                pod.spec_path("securityContext.appArmorProfile.type"),
                format!(
                    "pod sets an appArmorProfile with {}; only RuntimeDefault or Localhost are allowed",
                    type_label(ty)
                ),
            );
            out.with_fix(
                Fix::unsafe_("set appArmorProfile type: RuntimeDefault").set(
                    pod.spec,
                    &pod.path,
                    &["securityContext", "appArmorProfile", "type"],
                    Val::str("RuntimeDefault"),
                ),
            );
        }
        for c in pod.containers() {
            if let Some(ty) = bad_profile_type(c.security_context()) {
                out.report(
                    c.field_path("securityContext.appArmorProfile.type"),
                    format!(
                        "{} sets an appArmorProfile with {}; only RuntimeDefault or Localhost are allowed",
                        c.describe(),
                        type_label(ty)
                    ),
                );
                out.with_fix(
                    Fix::unsafe_("set appArmorProfile type: RuntimeDefault").set(
                        c.node,
                        &c.path,
                        &["securityContext", "appArmorProfile", "type"],
                        Val::str("RuntimeDefault"),
                    ),
                );
            }
        }
    }
}
