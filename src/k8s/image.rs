//! Container image references, split the way the Docker reference grammar
//! (distribution/reference) reads them: `[domain/]path[:tag][@digest]`.

/// The registry an image without a domain comes from.
pub const DEFAULT_REGISTRY: &str = "docker.io";

/// A parsed image reference. Parsing never fails: a malformed reference still yields its
/// parts so that rules can say what is wrong with it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImageRef<'a> {
    /// The registry host (`docker.io` when the reference names none).
    pub registry: String,
    /// Whether the reference names its registry explicitly.
    pub explicit_registry: bool,
    /// The repository path without the registry (`library/nginx`, `team/app`).
    pub repository: String,
    /// The tag, if any (`None` for `nginx` and for `nginx:`).
    pub tag: Option<&'a str>,
    /// Everything after `@`, if present (`sha256:...`), valid or not.
    pub digest: Option<&'a str>,
}

impl<'a> ImageRef<'a> {
    pub fn parse(image: &'a str) -> ImageRef<'a> {
        let image = image.trim();
        let (name_tag, digest) = match image.split_once('@') {
            Some((n, d)) => (n, Some(d)),
            None => (image, None),
        };
        // A `:` after the last `/` starts the tag; one before it belongs to `host:port`.
        let last_slash = name_tag.rfind('/').map_or(0, |i| i + 1);
        let (name, tag) = match name_tag[last_slash..].rfind(':') {
            Some(i) => (
                &name_tag[..last_slash + i],
                Some(&name_tag[last_slash + i + 1..]),
            ),
            None => (name_tag, None),
        };
        let (registry, explicit_registry, repository) = match name.split_once('/') {
            Some((first, rest)) if is_domain(first) => {
                (normalize_registry(first), true, rest.to_string())
            }
            Some(_) => (DEFAULT_REGISTRY.to_string(), false, name.to_string()),
            // Docker Hub's official images live under `library/`.
            None => (
                DEFAULT_REGISTRY.to_string(),
                false,
                format!("library/{name}"),
            ),
        };
        ImageRef {
            registry,
            explicit_registry,
            repository,
            tag: tag.filter(|t| !t.is_empty()),
            digest,
        }
    }

    /// The digest when it is well formed: a known algorithm and its exact hex length.
    pub fn valid_digest(&self) -> Option<&'a str> {
        let (algo, hex) = self.digest?.split_once(':')?;
        let len = match algo {
            "sha256" => 64,
            "sha384" => 96,
            "sha512" => 128,
            _ => return None,
        };
        let ok = hex.len() == len
            && hex
                .bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b));
        ok.then_some(self.digest?)
    }

    /// The last path component of the repository (`tiller` for `kubernetes-helm/tiller`).
    pub fn base_name(&self) -> &str {
        self.repository
            .rsplit('/')
            .next()
            .unwrap_or(&self.repository)
    }
}

/// The first path component is a registry when it looks like a host: it has a dot or a
/// port, is `localhost`, or has upper-case letters (repository paths are lower-case).
fn is_domain(first: &str) -> bool {
    first.contains('.')
        || first.contains(':')
        || first == "localhost"
        || first.bytes().any(|b| b.is_ascii_uppercase())
}

fn normalize_registry(host: &str) -> String {
    let host = host.to_ascii_lowercase();
    // Docker's legacy index host is the same registry as docker.io.
    if host == "index.docker.io" {
        DEFAULT_REGISTRY.to_string()
    } else {
        host
    }
}

/// Whether `registry` is covered by an allow-list entry: an exact host (case-insensitive),
/// or `*.example.com` for any subdomain of example.com.
pub fn registry_allowed(registry: &str, allowed: &[String]) -> bool {
    allowed.iter().any(|entry| {
        let entry = normalize_registry(entry.trim().trim_end_matches('/'));
        match entry.strip_prefix("*.") {
            Some(suffix) => registry
                .strip_suffix(suffix)
                .is_some_and(|head| head.ends_with('.') && head.len() > 1),
            None => registry == entry,
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_like_the_docker_grammar() {
        let r = ImageRef::parse("nginx");
        assert_eq!(
            (r.registry.as_str(), r.repository.as_str(), r.tag, r.digest),
            ("docker.io", "library/nginx", None, None)
        );
        let r = ImageRef::parse("localhost:5000/app:1.2");
        assert_eq!(
            (r.registry.as_str(), r.repository.as_str(), r.tag),
            ("localhost:5000", "app", Some("1.2"))
        );
        let r = ImageRef::parse("team/app:latest");
        assert_eq!((r.registry.as_str(), r.tag), ("docker.io", Some("latest")));
        let r = ImageRef::parse("gcr.io/p/app:1@sha256:123456");
        assert_eq!(
            (r.tag, r.digest, r.valid_digest()),
            (Some("1"), Some("sha256:123456"), None)
        );
        let d = format!("sha256:{}", "a".repeat(64));
        let img = format!("Registry/app@{d}");
        let r = ImageRef::parse(&img);
        assert_eq!(r.registry, "registry");
        assert!(r.explicit_registry);
        assert_eq!(r.valid_digest(), Some(d.as_str()));
        let r = ImageRef::parse("index.docker.io/library/nginx:");
        assert_eq!((r.registry.as_str(), r.tag), ("docker.io", None));
        assert_eq!(ImageRef::parse("[::1]:5000/a").registry, "[::1]:5000");
    }

    #[test]
    fn allow_list_matches_hosts_and_subdomain_wildcards() {
        let allowed = vec!["Registry.Example".to_string(), "*.gcr.io".to_string()];
        assert!(registry_allowed("registry.example", &allowed));
        assert!(registry_allowed("eu.gcr.io", &allowed));
        assert!(!registry_allowed("gcr.io", &allowed));
        assert!(!registry_allowed("evilgcr.io", &allowed));
        assert!(!registry_allowed("docker.io", &allowed));
    }
}
