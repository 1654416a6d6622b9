//! PSS restricted control `seccompProfile_restricted`.

use crate::declare_rule;
use crate::fix::{Fix, Val};
use crate::k8s::PodSpecView;
use crate::rule::{Rule, RuleContext, RuleMeta, Sink};
use crate::yaml::Node;

declare_rule! {
    /// ## What it does
    /// Requires a seccomp profile for every container (Pod Security Standards restricted
    /// control `seccompProfile_restricted`), with the reference implementation's rules:
    ///
    /// - a pod-level `securityContext.seccompProfile.type` of `RuntimeDefault` or
    ///   `Localhost` covers every container that sets no profile of its own;
    /// - otherwise every container, init container and ephemeral container must set one;
    /// - an explicit profile of any other type (`Unconfined`, or no type) fails wherever it
    ///   is set, on the pod or on a container, even when the other level is valid.
    ///
    /// A container that sets no profile is reported at its
    /// `securityContext.seccompProfile` (its `securityContext:` line, or its first line).
    ///
    /// Policy versions: the control exists from v1.19 (before that, the restricted policy
    /// used the baseline annotation check, see `seccomp-unconfined`). From v1.25 a pod with
    /// `spec.os.name: windows` is exempt.
    ///
    /// ## Why is this bad
    /// Without a profile the container runs `Unconfined` (unless the kubelet's
    /// `seccompDefault` is on), with access to every system call the kernel offers.
    ///
    /// ## Example
    /// ```yaml
    /// spec:
    ///   securityContext:
    ///     seccompProfile:
    ///       type: RuntimeDefault   # covers both containers
    ///   containers:
    ///     - name: app
    ///       image: registry.example/app:1.2
    ///     - name: sidecar
    ///       image: registry.example/sidecar:3
    /// ```
    ///
    /// ## Differences from peers
    /// kubesec's `SeccompAny` is not mapped here: it credits a pod when any one of its
    /// containers (or the pod) sets a confining profile, so a pod whose init container alone
    /// sets `RuntimeDefault` passes there; the restricted standard wants every container
    /// confined, and kspm reports the others.
    ///
    /// ## References
    /// - https://kubernetes.io/docs/concepts/security/pod-security-standards/#restricted
    /// - https://kubernetes.io/docs/tutorials/security/seccomp/
    /// - CIS Kubernetes Benchmark v1.12, 5.6.2: https://www.cisecurity.org/benchmark/kubernetes
    pub struct SeccompRequired {
        id: "seccomp-required",
        code: "KSPM121",
        title: "Seccomp profile not set",
        severity: Medium,
        target: Pod,
        fix: Safe,
        help: "Set spec.securityContext.seccompProfile.type: RuntimeDefault on the pod.",
        peers: {
            "checkov": ["CKV_K8S_31"],
            "trivy": ["KSV030"],
            "kubescape": ["C-0210"],
            "polaris": ["linuxHardening"],
            "kube-score": ["container-seccomp-profile"],
        },
    }
}

/// The verdict on one level's `seccompProfile`.
enum Profile<'a> {
    Unset,
    Valid,
    Bad(&'a str),
}

fn profile(sc: Option<&Node>) -> Profile<'_> {
    let Some(p) = sc
        .and_then(|sc| sc.get("seccompProfile"))
        .filter(|n| !n.is_null())
    else {
        return Profile::Unset;
    };
    match p.get("type").and_then(Node::scalar_text).unwrap_or("") {
        "RuntimeDefault" | "Localhost" => Profile::Valid,
        ty => Profile::Bad(ty),
    }
}

fn type_label(ty: &str) -> String {
    if ty.is_empty() {
        "a seccompProfile without a type".to_string()
    } else {
        format!("seccompProfile type {ty}")
    }
}

impl Rule for SeccompRequired {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_pod(&self, cx: &RuleContext, pod: &PodSpecView<'_>, out: &mut Sink) {
        if cx.kube_minor < 19 || (cx.kube_minor >= 25 && pod.is_windows()) {
            return;
        }
        let pod_profile = profile(pod.security_context());
        if let Profile::Bad(ty) = pod_profile {
            out.report(
                pod.spec_path("securityContext.seccompProfile.type"),
                format!(
                    "pod sets {}; restricted requires RuntimeDefault or Localhost",
                    type_label(ty)
                ),
            );
        }
        for c in pod.containers() {
            match profile(c.security_context()) {
                Profile::Valid => {}
                Profile::Bad(ty) => out.report(
                    c.field_path("securityContext.seccompProfile.type"),
                    format!(
                        "{} sets {}; restricted requires RuntimeDefault or Localhost",
                        c.describe(),
                        type_label(ty)
                    ),
                ),
                Profile::Unset => match pod_profile {
                    Profile::Valid => {}
                    Profile::Bad(_) => out.report(
                        c.field_path("securityContext.seccompProfile"),
                        format!(
                            "{} sets no seccompProfile and inherits the pod's invalid one",
                            c.describe()
                        ),
                    ),
                    Profile::Unset => {
                        out.report(
                            c.field_path("securityContext.seccompProfile"),
                            format!(
                                "{} sets no seccompProfile, and neither does the pod",
                                c.describe()
                            ),
                        );
                        // Once for the pod: every container's finding carries the same
                        // edit, applied once.
                        out.with_fix(
                            Fix::safe("set the pod's seccompProfile type: RuntimeDefault").set(
                                pod.spec,
                                &pod.path,
                                &["securityContext", "seccompProfile", "type"],
                                Val::str("RuntimeDefault"),
                            ),
                        );
                    }
                },
            }
        }
    }
}
