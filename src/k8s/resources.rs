//! Container resource requests and limits, as the API server defaults them.

use super::container::{ContainerList, ContainerView};
use super::workload::PodSpecView;
use crate::rule::Sink;
use crate::yaml::Node;

/// Why a container has no effective value for `resources.<section>.<resource>`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ResourceGap {
    /// The field is absent (or null).
    Missing,
    /// The field is a zero quantity (`0`, `0m`, `0Mi`), which the kubelet treats as unset.
    Zero,
}

/// A quantity whose number is zero, whatever its suffix.
pub fn is_zero_quantity(text: &str) -> bool {
    let number = text
        .trim()
        .trim_end_matches(|c: char| c.is_ascii_alphabetic());
    number.parse::<f64>().is_ok_and(|v| v == 0.0)
}

fn value<'a>(node: Option<&'a Node>, section: &str, resource: &str) -> Option<&'a Node> {
    node?
        .get_path(&["resources", section, resource])
        .filter(|n| !n.is_null())
}

/// The gap in `resources.<section>.<resource>` of a container or init container, or
/// `None` when it is set. Ephemeral containers cannot have resources and are skipped. A
/// missing request is filled from the limit by API defaulting, and pod-level resources
/// (`spec.resources`) cover containers that set none of their own.
pub fn resource_gap(
    pod: &PodSpecView<'_>,
    c: &ContainerView<'_>,
    section: &str,
    resource: &str,
) -> Option<ResourceGap> {
    if c.list == ContainerList::EphemeralContainers {
        return None;
    }
    if value(Some(pod.spec), section, resource).is_some() {
        return None;
    }
    let own = value(Some(c.node), section, resource).or_else(|| {
        (section == "requests")
            .then(|| value(Some(c.node), "limits", resource))
            .flatten()
    });
    match own {
        None => Some(ResourceGap::Missing),
        Some(n) if n.scalar_text().is_some_and(is_zero_quantity) => Some(ResourceGap::Zero),
        Some(_) => None,
    }
}

/// Report a container's gap in `resources.<section>.<resource>` (see `resource_gap`), with
/// the path of the field that should be set.
pub fn report_resource_gap(
    pod: &PodSpecView<'_>,
    c: &ContainerView<'_>,
    section: &str,
    resource: &str,
    out: &mut Sink,
) {
    let noun = format!(
        "{} {}",
        if resource == "cpu" { "CPU" } else { resource },
        section.trim_end_matches('s')
    );
    let field = format!("resources.{section}.{resource}");
    let msg = match resource_gap(pod, c, section, resource) {
        None => return,
        Some(ResourceGap::Missing) => format!("{} has no {noun} ({field})", c.describe()),
        Some(ResourceGap::Zero) => format!("{} sets a zero {noun}", c.describe()),
    };
    out.report(c.field_path(&field), msg);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zero_quantities() {
        for z in ["0", "0m", "0Mi", "0.0", " 0Gi "] {
            assert!(is_zero_quantity(z), "{z}");
        }
        for nz in ["1", "100m", "0.5", "1Gi", "x"] {
            assert!(!is_zero_quantity(nz), "{nz}");
        }
    }
}
