//! Typed rule options with defaults, set with `--rule-option RULE.KEY=VALUE`.

/// One documented option.
#[derive(Debug)]
pub struct OptionSpec {
    pub rule: &'static str,
    pub key: &'static str,
    /// `list` (comma-separated), `int` or `bool`.
    pub kind: &'static str,
    pub default: &'static str,
    pub doc: &'static str,
}

pub const OPTION_SPECS: &[OptionSpec] = &[
    OptionSpec {
        rule: "image-registry",
        key: "allowed",
        kind: "list",
        default: "",
        doc: "Registry hosts images may come from (`docker.io`, `registry.example:5000`). The rule reports nothing until this is set.",
    },
    OptionSpec {
        rule: "required-labels",
        key: "labels",
        kind: "list",
        default: "app.kubernetes.io/name",
        doc: "Label keys every object must carry.",
    },
    OptionSpec {
        rule: "replicas-min",
        key: "min",
        kind: "int",
        default: "2",
        doc: "The fewest replicas a Deployment or StatefulSet may run without an HPA.",
    },
    OptionSpec {
        rule: "sensitive-host-path",
        key: "extra",
        kind: "list",
        default: "",
        doc: "Host paths reported in addition to the built-in list; e.g. `/var/lib/kubelet,/var/log,/root`.",
    },
    OptionSpec {
        rule: "control-plane",
        key: "legacy",
        kind: "bool",
        default: "false",
        doc: "Also check flags removed upstream (--insecure-port, --basic-auth-file, ...) that peers still check. Same as `--legacy`; on with `--pack all`.",
    },
];

/// Option values rules read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RuleOptions {
    pub allowed_registries: Vec<String>,
    pub required_labels: Vec<String>,
    pub min_replicas: i64,
    pub extra_sensitive_paths: Vec<String>,
    pub legacy: bool,
}

impl Default for RuleOptions {
    fn default() -> Self {
        RuleOptions {
            allowed_registries: Vec::new(),
            required_labels: vec!["app.kubernetes.io/name".to_string()],
            min_replicas: 2,
            extra_sensitive_paths: Vec::new(),
            legacy: false,
        }
    }
}

fn list(v: &str) -> Vec<String> {
    v.split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

impl RuleOptions {
    /// Apply `RULE.KEY=VALUE`.
    pub fn set(&mut self, assignment: &str) -> Result<(), String> {
        let (name, value) = assignment
            .split_once('=')
            .ok_or_else(|| format!("--rule-option `{assignment}`: expected RULE.KEY=VALUE"))?;
        let spec = OPTION_SPECS
            .iter()
            .find(|s| format!("{}.{}", s.rule, s.key) == name.trim())
            .ok_or_else(|| {
                let known: Vec<String> = OPTION_SPECS
                    .iter()
                    .map(|s| format!("{}.{}", s.rule, s.key))
                    .collect();
                format!("unknown rule option `{name}` (known: {})", known.join(", "))
            })?;
        let bad = |what: &str| format!("--rule-option {name}: expected {what}, got `{value}`");
        match (spec.rule, spec.key) {
            ("image-registry", "allowed") => self.allowed_registries = list(value),
            ("required-labels", "labels") => self.required_labels = list(value),
            ("replicas-min", "min") => {
                self.min_replicas = value.trim().parse().map_err(|_| bad("an integer"))?
            }
            ("sensitive-host-path", "extra") => self.extra_sensitive_paths = list(value),
            ("control-plane", "legacy") => {
                self.legacy = value.trim().parse().map_err(|_| bad("true or false"))?
            }
            _ => return Err(format!("rule option `{name}` has no setter")),
        }
        Ok(())
    }

    pub fn specs_for(rule: &str) -> impl Iterator<Item = &'static OptionSpec> {
        OPTION_SPECS.iter().filter(move |s| s.rule == rule)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_spec_has_a_setter_and_typed_errors() {
        let mut o = RuleOptions::default();
        for s in OPTION_SPECS {
            let v = match s.kind {
                "int" => "3",
                "bool" => "true",
                _ => "a,b",
            };
            o.set(&format!("{}.{}={v}", s.rule, s.key)).unwrap();
        }
        assert_eq!(o.min_replicas, 3);
        assert!(o.legacy);
        assert_eq!(o.allowed_registries, ["a", "b"]);
        assert!(o.set("replicas-min.min=many").is_err());
        assert!(o.set("nope.x=1").is_err());
        assert!(o.set("novalue").is_err());
    }
}
