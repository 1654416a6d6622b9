//! Tiller (Helm 2) and the Kubernetes Dashboard deployed with the application.

use crate::declare_rule;
use crate::k8s::{ImageRef, ObjectView, PodSpecView};
use crate::rule::{Rule, RuleContext, RuleMeta, Sink};
use crate::yaml::{Node, YamlPath};

/// Label keys that name the application an object belongs to.
const NAME_LABELS: &[&str] = &["app", "k8s-app", "app.kubernetes.io/name", "name"];

declare_rule! {
    /// ## What it does
    /// Reports workloads and Services of two components with a long record of cluster
    /// takeovers: Tiller, the in-cluster server of Helm 2, and the Kubernetes Dashboard.
    /// A workload is recognised by a container image (`.../tiller`,
    /// `kubernetes-dashboard*`, `kubernetesui/dashboard*`), else by an `app`, `k8s-app`,
    /// `app.kubernetes.io/name` or `name` label of `tiller` or `kubernetes-dashboard`
    /// (on the object, then on its pod template), else by its name (`tiller`,
    /// `tiller-*`, `*kubernetes-dashboard*`); a Service by its selector, labels or name
    /// in the same way. The finding sits on the image, label or name that matched.
    ///
    /// ## Why is this bad
    /// Tiller listens inside the cluster without authentication and usually runs with
    /// cluster-admin rights, so any pod that reaches it controls the cluster; Helm 2 has
    /// been unsupported since 2020. The Dashboard has been the entry point of public
    /// cluster compromises when exposed or bound to a privileged service account.
    ///
    /// ## Example
    /// ```yaml
    /// spec:
    ///   template:
    ///     spec:
    ///       containers:
    ///         - name: tiller
    ///           image: gcr.io/kubernetes-helm/tiller:v2.16.9   # reported
    /// ```
    ///
    /// ## Differences from peers
    /// Checkov's CKV_K8S_45 passes a Tiller whose `--listen` flag binds localhost. kspm
    /// reports every Tiller: Helm 2 is end-of-life and Tiller keeps its cluster-wide
    /// rights whatever address it listens on.
    ///
    /// ## References
    /// - https://helm.sh/blog/helm-v2-deprecation-timeline/
    /// - https://github.com/kubernetes/dashboard/blob/master/docs/user/access-control/README.md
    pub struct LegacyComponents {
        id: "legacy-components",
        code: "KSPM605",
        title: "Tiller or Kubernetes Dashboard deployed",
        severity: Medium,
        target: Object,
        help: "Remove Tiller (migrate to Helm 3) and the Dashboard, or keep the Dashboard off the network with minimal RBAC.",
        peers: {
            "checkov": ["CKV_K8S_33", "CKV_K8S_34", "CKV_K8S_44", "CKV_K8S_45"],
            "trivy": ["KSV102"],
            "kubescape": ["C-0014"],
        },
    }
}

fn by_image(image: &str) -> Option<&'static str> {
    let r = ImageRef::parse(image);
    let base = r.base_name();
    if base == "tiller" {
        Some("Tiller")
    } else if base.starts_with("kubernetes-dashboard")
        || r.repository == "kubernetesui/dashboard"
        || r.repository.starts_with("kubernetesui/dashboard-")
    {
        Some("the Kubernetes Dashboard")
    } else {
        None
    }
}

fn by_value(value: &str) -> Option<&'static str> {
    match value {
        "tiller" => Some("Tiller"),
        "kubernetes-dashboard" => Some("the Kubernetes Dashboard"),
        _ => None,
    }
}

fn by_name(name: &str) -> Option<&'static str> {
    if name == "tiller" || name.starts_with("tiller-") {
        Some("Tiller")
    } else if name.contains("kubernetes-dashboard") {
        Some("the Kubernetes Dashboard")
    } else {
        None
    }
}

/// The first label in `labels` (at `path`) that names a legacy component.
fn by_labels(labels: Option<&Node>, path: &YamlPath) -> Option<(YamlPath, String, &'static str)> {
    let labels = labels?;
    NAME_LABELS.iter().find_map(|k| {
        let v = labels.get(k)?.as_str()?;
        by_value(v).map(|what| (path.key(k), format!("label {k}={v}"), what))
    })
}

fn by_object_name(obj: &ObjectView<'_>) -> Option<(YamlPath, String, &'static str)> {
    let name = obj.name()?;
    by_name(name).map(|what| (obj.path("metadata.name"), format!("name \"{name}\""), what))
}

impl Rule for LegacyComponents {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_pod(&self, _cx: &RuleContext, pod: &PodSpecView<'_>, out: &mut Sink) {
        let obj = &pod.object;
        let mut found = false;
        for c in pod.containers() {
            let Some(image) = c.get("image").and_then(Node::scalar_text) else {
                continue;
            };
            if let Some(what) = by_image(image) {
                found = true;
                out.report(
                    c.field_path("image"),
                    format!("{} runs {what} (image \"{image}\")", c.describe()),
                );
            }
        }
        if found {
            return;
        }
        let hit = by_labels(obj.labels(), &obj.path("metadata.labels"))
            .or_else(|| {
                by_labels(
                    pod.metadata.and_then(|m| m.get("labels")),
                    &pod.metadata_path.key("labels"),
                )
            })
            .or_else(|| by_object_name(obj));
        if let Some((path, evidence, what)) = hit {
            out.report(
                path,
                format!(
                    "{} \"{}\" deploys {what} ({evidence})",
                    obj.kind(),
                    obj.name().unwrap_or("")
                ),
            );
        }
    }

    fn check_object(&self, _cx: &RuleContext, obj: &ObjectView<'_>, out: &mut Sink) {
        if obj.kind() != "Service" || !obj.group().is_empty() {
            return;
        }
        let hit = by_labels(
            obj.root.get_path(&["spec", "selector"]),
            &obj.path("spec.selector"),
        )
        .or_else(|| by_labels(obj.labels(), &obj.path("metadata.labels")))
        .or_else(|| by_object_name(obj));
        if let Some((path, evidence, what)) = hit {
            out.report(
                path,
                format!(
                    "Service \"{}\" exposes {what} ({evidence})",
                    obj.name().unwrap_or("")
                ),
            );
        }
    }
}
