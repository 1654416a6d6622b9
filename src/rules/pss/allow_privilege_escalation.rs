//! PSS restricted control `allowPrivilegeEscalation`.

use crate::declare_rule;
use crate::fix::{Fix, Val};
use crate::k8s::{ContainerView, PodSpecView};
use crate::rule::{Rule, RuleContext, RuleMeta, Sink};
use crate::yaml::Node;

declare_rule! {
    /// ## What it does
    /// Reports every container, init container and ephemeral container that does not set
    /// `securityContext.allowPrivilegeEscalation: false` explicitly: leaving it unset fails
    /// as well as setting it to `true` (Pod Security Standards restricted control
    /// `allowPrivilegeEscalation`).
    ///
    /// Policy versions: the control exists from v1.8. From v1.25 a pod with
    /// `spec.os.name: windows` is exempt, because the field has no meaning on Windows.
    ///
    /// ## Why is this bad
    /// Unless the field is `false`, the kernel's `no_new_privs` flag is not set, so a process
    /// in the container can gain privileges through setuid or setcap binaries (`sudo`,
    /// `ping` on old images) or file capabilities. The default is to allow escalation.
    ///
    /// ## Example
    /// ```yaml
    /// spec:
    ///   containers:
    ///     - name: app
    ///       image: registry.example/app:1.2
    ///       securityContext:                   # reported: allowPrivilegeEscalation unset
    ///         runAsNonRoot: true
    ///     - name: sidecar
    ///       image: registry.example/sidecar:3
    ///       securityContext:
    ///         allowPrivilegeEscalation: false  # passes
    /// ```
    ///
    /// ## References
    /// - https://kubernetes.io/docs/concepts/security/pod-security-standards/#restricted
    /// - CIS Kubernetes Benchmark v1.12, 5.2.6: https://www.cisecurity.org/benchmark/kubernetes
    pub struct AllowPrivilegeEscalation {
        id: "allow-privilege-escalation",
        code: "KSPM105",
        title: "Privilege escalation not disabled",
        severity: High,
        target: Container,
        fix: Safe,
        help: "Set securityContext.allowPrivilegeEscalation: false on every container.",
        peers: {
            "kube-linter": ["privilege-escalation-container"],
            "checkov": ["CKV_K8S_20"],
            "trivy": ["KSV001"],
            "kubescape": ["C-0016", "C-0197"],
            "polaris": ["privilegeEscalationAllowed"],
            "kubesec": ["AllowPrivilegeEscalation"],
        },
    }
}

impl Rule for AllowPrivilegeEscalation {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_container(
        &self,
        cx: &RuleContext,
        pod: &PodSpecView<'_>,
        c: &ContainerView<'_>,
        out: &mut Sink,
    ) {
        if cx.kube_minor < 8 || (cx.kube_minor >= 25 && pod.is_windows()) {
            return;
        }
        let message = match c.sc("allowPrivilegeEscalation").and_then(Node::as_bool) {
            Some(false) => return,
            Some(true) => format!("{} sets allowPrivilegeEscalation: true", c.describe()),
            None => format!(
                "{} does not set allowPrivilegeEscalation: false",
                c.describe()
            ),
        };
        out.report(
            c.field_path("securityContext.allowPrivilegeEscalation"),
            message,
        );
        out.with_fix(Fix::safe("set allowPrivilegeEscalation: false").set(
            c.node,
            &c.path,
            &["securityContext", "allowPrivilegeEscalation"],
            Val::bool(false),
        ));
    }
}
