//! Objects without the labels an organisation requires.

use crate::declare_rule;
use crate::fix::{Fix, Val};
use crate::k8s::{ObjectView, is_component_config};
use crate::rule::{Rule, RuleContext, RuleMeta, Sink};

declare_rule! {
    /// ## What it does
    /// Reports each configured label key that an object's `metadata.labels` lacks; the
    /// value does not matter. Component configuration files (KubeletConfiguration, audit
    /// Policy, kubeconfig, ...) are not checked.
    ///
    /// ## Options
    /// - `required-labels.labels` (list, default `app.kubernetes.io/name`): the label
    ///   keys every object must carry, e.g. `app.kubernetes.io/name,owner`.
    ///
    /// ## Why is this bad
    /// Ownership and application labels are how people and tools find who runs an
    /// object, route alerts and incidents, attribute cost and scope policies; an
    /// unlabelled object is an orphan nobody answers for.
    ///
    /// The fix is a suggestion (`display`): it adds each missing label with a `<value>`
    /// placeholder.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: v1
    /// kind: ConfigMap
    /// metadata:            # reported: no app.kubernetes.io/name label
    ///   name: settings
    ///   labels:
    ///     tier: web
    /// ```
    ///
    /// ## References
    /// - https://kubernetes.io/docs/concepts/overview/working-with-objects/common-labels/
    /// - https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/
    pub struct RequiredLabels {
        id: "required-labels",
        code: "KSPM604",
        title: "Required labels missing",
        severity: Info,
        target: Object,
        fix: Display,
        help: "Add the missing labels under metadata.labels.",
        peers: {
            "kube-linter": ["required-label-owner"],
            "kubescape": ["C-0076", "C-0077"],
        },
    }
}

impl Rule for RequiredLabels {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_object(&self, cx: &RuleContext, obj: &ObjectView<'_>, out: &mut Sink) {
        if is_component_config(obj) {
            return;
        }
        let labels = obj.labels();
        for key in &cx.options.required_labels {
            if labels.is_some_and(|l| l.get(key).is_some()) {
                continue;
            }
            out.report(
                obj.path("metadata.labels").key(key),
                format!(
                    "{} \"{}\" has no {key} label",
                    obj.kind(),
                    obj.name().unwrap_or("")
                ),
            );
            out.with_fix(Fix::display(format!("add the {key} label")).set(
                obj.root,
                obj.base,
                &["metadata", "labels", key],
                Val::str(&format!("<{key}>")),
            ));
        }
    }
}
