//! Suggestions (`display` fixes) several rules share: the value depends on the workload,
//! so the fix writes the field with a placeholder to fill in and is never applied.

use super::{Fix, Val};
use crate::k8s::ContainerView;

/// `resources.<section>.<resource>` with a placeholder quantity.
pub fn resource(c: &ContainerView<'_>, section: &str, resource: &str) -> Fix {
    let example = if resource == "cpu" { "100m" } else { "128Mi" };
    Fix::display(format!(
        "set resources.{section}.{resource} (e.g. {example})"
    ))
    .set(
        c.node,
        &c.path,
        &["resources", section, resource],
        Val::str(&format!("<{resource} {section}, e.g. {example}>")),
    )
}

/// A probe (`livenessProbe`, `readinessProbe`) checking an HTTP endpoint, with
/// placeholders.
pub fn probe(c: &ContainerView<'_>, key: &str) -> Fix {
    let probe = Val::map(&[(
        "httpGet",
        Val::map(&[
            ("path", Val::str("<health endpoint, e.g. /healthz>")),
            ("port", Val::str("<container port>")),
        ]),
    )]);
    Fix::display(format!("add a {key}")).set(c.node, &c.path, &[key], probe)
}
