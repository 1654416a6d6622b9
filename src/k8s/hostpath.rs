//! hostPath volumes of a pod spec, and lexical host-path normalisation.

use super::workload::PodSpecView;
use crate::yaml::{Node, YamlPath};

/// A `spec.volumes[i]` entry with a `hostPath` source.
#[derive(Clone, Debug)]
pub struct HostPathVolume<'a> {
    pub index: usize,
    pub name: &'a str,
    /// `hostPath.path` as written (`None` when it is missing or not a scalar).
    pub path: Option<&'a str>,
    /// Path of the volume item from the document root.
    pub volume_path: YamlPath,
}

impl HostPathVolume<'_> {
    /// Path of `hostPath.path` from the document root.
    pub fn path_field(&self) -> YamlPath {
        self.volume_path.key("hostPath").key("path")
    }

    /// `hostPath.path` normalised (see [`normalize_host_path`]).
    pub fn normalized(&self) -> Option<String> {
        self.path.map(normalize_host_path)
    }
}

/// Every volume of the pod that has a non-null `hostPath` source.
pub fn host_path_volumes<'a>(pod: &PodSpecView<'a>) -> Vec<HostPathVolume<'a>> {
    let Some(volumes) = pod.get("volumes") else {
        return Vec::new();
    };
    volumes
        .items()
        .iter()
        .enumerate()
        .filter_map(|(i, v)| {
            // `hostPath: null` decodes to no source at all.
            let hp = v.get("hostPath").filter(|n| !n.is_null())?;
            Some(HostPathVolume {
                index: i,
                name: v.get("name").and_then(Node::scalar_text).unwrap_or(""),
                path: hp
                    .get("path")
                    .filter(|n| !n.is_null())
                    .and_then(Node::scalar_text),
                volume_path: pod.spec_path("volumes").index(i),
            })
        })
        .collect()
}

/// Resolve `.`, `..`, repeated and trailing slashes without touching the file system, so
/// that `/etc/`, `//etc` and `/var/../etc` all compare equal to `/etc`. `..` never climbs
/// above the root. A relative path stays relative (the kubelet does not resolve it against
/// `/`, so it never equals an absolute sensitive path).
pub fn normalize_host_path(path: &str) -> String {
    let path = path.trim();
    let absolute = path.starts_with('/');
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                if parts.pop().is_none() && !absolute {
                    parts.push("..");
                }
            }
            p => parts.push(p),
        }
    }
    let joined = parts.join("/");
    if absolute {
        format!("/{joined}")
    } else {
        joined
    }
}

/// Whether the normalised host path `path` is `target` or one of its ancestors (mounting an
/// ancestor exposes the target too).
pub fn covers(path: &str, target: &str) -> bool {
    path == target
        || path == "/"
        || target
            .strip_prefix(path)
            .is_some_and(|rest| rest.starts_with('/'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalises_lexically() {
        assert_eq!(normalize_host_path("/etc/"), "/etc");
        assert_eq!(normalize_host_path("//etc//"), "/etc");
        assert_eq!(normalize_host_path("/./etc/."), "/etc");
        assert_eq!(normalize_host_path("/var/log/../../etc"), "/etc");
        assert_eq!(normalize_host_path("/../../"), "/");
        assert_eq!(normalize_host_path("/"), "/");
        assert_eq!(normalize_host_path("etc/../x"), "x");
        assert_eq!(normalize_host_path("../etc"), "../etc");
    }

    #[test]
    fn ancestors_cover_their_descendants() {
        assert!(covers("/var", "/var/lib/docker"));
        assert!(covers("/", "/etc"));
        assert!(covers("/etc", "/etc"));
        assert!(!covers("/et", "/etc"));
        assert!(!covers("/etc/ssl", "/etc"));
    }
}
