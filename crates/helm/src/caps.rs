//! `.Capabilities`: the Kubernetes version, the API versions and the Helm version a chart
//! is rendered for, as the Go structs templates see (fields, `Has`, `String`).

use std::any::Any;
use std::rc::Rc;

use kspm_gotmpl::{Object, Param, Signature, Value};

use crate::options::Compat;

/// The Kubernetes version when neither `--kube-version` nor a cluster says: a released
/// Helm reports the client-go version it was built with.
pub const DEFAULT_KUBE_VERSION: &str = "v1.35.0";

/// Every group/version registered in client-go's scheme, plus apiextensions v1 and v1beta1:
/// what `helm template` offers as `.Capabilities.APIVersions` without a cluster.
pub const DEFAULT_API_VERSIONS: &[&str] = &[
    "v1",
    "admissionregistration.k8s.io/v1",
    "admissionregistration.k8s.io/v1alpha1",
    "admissionregistration.k8s.io/v1beta1",
    "internal.apiserver.k8s.io/v1alpha1",
    "apps/v1",
    "apps/v1beta1",
    "apps/v1beta2",
    "authentication.k8s.io/v1",
    "authentication.k8s.io/v1alpha1",
    "authentication.k8s.io/v1beta1",
    "authorization.k8s.io/v1",
    "authorization.k8s.io/v1beta1",
    "autoscaling/v1",
    "autoscaling/v2",
    "autoscaling/v2beta1",
    "autoscaling/v2beta2",
    "batch/v1",
    "batch/v1beta1",
    "certificates.k8s.io/v1",
    "certificates.k8s.io/v1alpha1",
    "certificates.k8s.io/v1beta1",
    "coordination.k8s.io/v1",
    "coordination.k8s.io/v1alpha2",
    "coordination.k8s.io/v1beta1",
    "discovery.k8s.io/v1",
    "discovery.k8s.io/v1beta1",
    "events.k8s.io/v1",
    "events.k8s.io/v1beta1",
    "extensions/v1beta1",
    "flowcontrol.apiserver.k8s.io/v1",
    "flowcontrol.apiserver.k8s.io/v1beta1",
    "flowcontrol.apiserver.k8s.io/v1beta2",
    "flowcontrol.apiserver.k8s.io/v1beta3",
    "networking.k8s.io/v1",
    "networking.k8s.io/v1alpha1",
    "networking.k8s.io/v1beta1",
    "node.k8s.io/v1",
    "node.k8s.io/v1alpha1",
    "node.k8s.io/v1beta1",
    "policy/v1",
    "policy/v1beta1",
    "rbac.authorization.k8s.io/v1",
    "rbac.authorization.k8s.io/v1alpha1",
    "rbac.authorization.k8s.io/v1beta1",
    "resource.k8s.io/v1",
    "resource.k8s.io/v1alpha3",
    "resource.k8s.io/v1beta1",
    "resource.k8s.io/v1beta2",
    "scheduling.k8s.io/v1",
    "scheduling.k8s.io/v1alpha1",
    "scheduling.k8s.io/v1beta1",
    "storage.k8s.io/v1",
    "storage.k8s.io/v1alpha1",
    "storage.k8s.io/v1beta1",
    "storagemigration.k8s.io/v1alpha1",
    "apiextensions.k8s.io/v1",
    "apiextensions.k8s.io/v1beta1",
];

/// `chartutil.KubeVersion`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KubeVersion {
    /// `v1.20.0`.
    pub version: String,
    pub major: String,
    pub minor: String,
}

impl KubeVersion {
    /// Parse `--kube-version` as Helm does (`semver.NewVersion`: `v` optional, missing
    /// parts zero), surrounding blanks aside.
    pub fn parse(s: &str) -> Result<KubeVersion, String> {
        let v = kspm_semver::Version::parse(s.trim())
            .map_err(|e| format!("invalid kube version '{s}': {e}"))?;
        Ok(KubeVersion {
            version: format!("v{}", v.string()),
            major: v.major().to_string(),
            minor: v.minor().to_string(),
        })
    }
}

impl Object for KubeVersion {
    fn type_name(&self) -> String {
        "chartutil.KubeVersion".to_string()
    }
    fn kind(&self) -> &'static str {
        "struct"
    }
    fn field(&self, name: &str) -> Option<Value> {
        match name {
            "Version" => Some(Value::string(self.version.as_str())),
            "Major" => Some(Value::string(self.major.as_str())),
            "Minor" => Some(Value::string(self.minor.as_str())),
            _ => None,
        }
    }
    fn method(&self, name: &str) -> Option<Signature> {
        matches!(name, "String" | "GitVersion").then(|| Signature::new(Vec::new()))
    }
    fn call_method(&self, name: &str, _args: Vec<Value>) -> Result<Value, String> {
        match name {
            "String" | "GitVersion" => Ok(Value::string(self.version.as_str())),
            _ => Err(format!("can't call method {name}")),
        }
    }
    fn format_v(&self) -> String {
        // KubeVersion is a fmt.Stringer.
        self.version.clone()
    }
    fn as_any(&self) -> &dyn Any {
        self
    }
}

/// `chartutil.VersionSet`: a list of API versions with `Has`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VersionSet(pub Vec<String>);

impl Object for VersionSet {
    fn type_name(&self) -> String {
        "chartutil.VersionSet".to_string()
    }
    fn kind(&self) -> &'static str {
        "slice"
    }
    fn method(&self, name: &str) -> Option<Signature> {
        (name == "Has").then(|| Signature::new(vec![Param::String]))
    }
    fn call_method(&self, name: &str, args: Vec<Value>) -> Result<Value, String> {
        match (name, args.first()) {
            ("Has", Some(Value::String(s))) => Ok(Value::Bool(self.0.iter().any(|v| **v == **s))),
            _ => Err(format!("can't call method {name}")),
        }
    }
    fn format_v(&self) -> String {
        format!("[{}]", self.0.join(" "))
    }
    fn len(&self) -> Option<usize> {
        Some(self.0.len())
    }
    fn items(&self) -> Option<Vec<Value>> {
        Some(self.0.iter().map(|v| Value::string(v.as_str())).collect())
    }
    fn as_any(&self) -> &dyn Any {
        self
    }
}

/// `version.BuildInfo`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HelmVersion {
    pub version: String,
}

impl Object for HelmVersion {
    fn type_name(&self) -> String {
        "version.BuildInfo".to_string()
    }
    fn kind(&self) -> &'static str {
        "struct"
    }
    fn field(&self, name: &str) -> Option<Value> {
        match name {
            "Version" => Some(Value::string(self.version.as_str())),
            "GitCommit" | "GitTreeState" => Some(Value::string("")),
            "GoVersion" => Some(Value::string("go1.25.0")),
            _ => None,
        }
    }
    fn format_v(&self) -> String {
        format!("{{{}   go1.25.0}}", self.version)
    }
    fn as_any(&self) -> &dyn Any {
        self
    }
}

/// `*chartutil.Capabilities`.
#[derive(Clone, Debug)]
pub struct Capabilities {
    pub kube: KubeVersion,
    pub api_versions: VersionSet,
    pub helm: HelmVersion,
}

impl Capabilities {
    /// Helm's client-only capabilities: the given or default Kubernetes version, the default
    /// API versions plus the extra ones.
    pub fn new(kube: KubeVersion, extra_apis: &[String], compat: Compat) -> Capabilities {
        let mut apis: Vec<String> = DEFAULT_API_VERSIONS.iter().map(|s| s.to_string()).collect();
        apis.extend(extra_apis.iter().cloned());
        Capabilities {
            kube,
            api_versions: VersionSet(apis),
            helm: HelmVersion {
                version: compat.helm_version().to_string(),
            },
        }
    }

    pub fn value(&self) -> Value {
        Value::Object(Rc::new(self.clone()))
    }
}

impl Object for Capabilities {
    fn type_name(&self) -> String {
        "*chartutil.Capabilities".to_string()
    }
    fn kind(&self) -> &'static str {
        "ptr"
    }
    fn field(&self, name: &str) -> Option<Value> {
        match name {
            "KubeVersion" => Some(Value::Object(Rc::new(self.kube.clone()))),
            "APIVersions" => Some(Value::Object(Rc::new(self.api_versions.clone()))),
            "HelmVersion" => Some(Value::Object(Rc::new(self.helm.clone()))),
            _ => None,
        }
    }
    fn format_v(&self) -> String {
        format!(
            "&{{{} {} {}}}",
            self.api_versions.format_v(),
            KubeFields(&self.kube),
            self.helm.format_v()
        )
    }
    fn as_any(&self) -> &dyn Any {
        self
    }
}

struct KubeFields<'a>(&'a KubeVersion);

impl std::fmt::Display for KubeFields<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.0.version)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kube_versions_parse_like_helm() {
        let k = KubeVersion::parse("1.16.0").unwrap();
        assert_eq!(
            (k.version.as_str(), k.major.as_str(), k.minor.as_str()),
            ("v1.16.0", "1", "16")
        );
        assert_eq!(KubeVersion::parse("v1.29").unwrap().version, "v1.29.0");
        assert_eq!(KubeVersion::parse("1.26").unwrap().minor, "26");
        assert_eq!(
            KubeVersion::parse("abc").unwrap_err(),
            "invalid kube version 'abc': Invalid Semantic Version"
        );
        assert_eq!(
            KubeVersion::parse(" 1.30.2-gke.1+b ").unwrap().version,
            "v1.30.2-gke.1+b"
        );
        assert!(KubeVersion::parse("1.2.3.4").is_err());
    }

    #[test]
    fn api_versions_has() {
        let c = Capabilities::new(
            KubeVersion::parse("1.20.0").unwrap(),
            &["helm.k8s.io/test".to_string()],
            Compat::Helm3,
        );
        let set = c.api_versions;
        let has = |s: &str| {
            set.call_method("Has", vec![Value::string(s)])
                .ok()
                .map(|v| v.truth())
        };
        assert_eq!(has("helm.k8s.io/test"), Some(true));
        assert_eq!(has("policy/v1"), Some(true));
        assert_eq!(has("policy/v1/PodDisruptionBudget"), Some(false));
    }
}
