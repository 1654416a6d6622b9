//! `YamlPath`: the field a finding is about, from the document root.

use std::fmt;

#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Seg {
    Key(String),
    Index(usize),
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct YamlPath(pub Vec<Seg>);

impl YamlPath {
    pub fn root() -> Self {
        YamlPath(Vec::new())
    }

    /// Parse a dotted path of plain keys (`spec.template.spec`).
    pub fn keys(dotted: &str) -> Self {
        YamlPath(
            dotted
                .split('.')
                .filter(|k| !k.is_empty())
                .map(|k| Seg::Key(k.to_string()))
                .collect(),
        )
    }

    pub fn key(&self, k: &str) -> Self {
        let mut p = self.clone();
        p.0.push(Seg::Key(k.to_string()));
        p
    }

    pub fn index(&self, i: usize) -> Self {
        let mut p = self.clone();
        p.0.push(Seg::Index(i));
        p
    }

    /// Append several plain keys (`p.keys_under("securityContext.privileged")`).
    pub fn join(&self, dotted: &str) -> Self {
        let mut p = self.clone();
        p.0.extend(YamlPath::keys(dotted).0);
        p
    }

    pub fn segs(&self) -> &[Seg] {
        &self.0
    }

    /// This path below `base`, or `None` when it does not start with `base`.
    pub fn strip_prefix(&self, base: &YamlPath) -> Option<YamlPath> {
        self.0
            .strip_prefix(base.0.as_slice())
            .map(|rest| YamlPath(rest.to_vec()))
    }
}

fn needs_quoting(k: &str) -> bool {
    k.is_empty() || k.contains(['.', '[', ']', '"', '\''])
}

impl fmt::Display for YamlPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, seg) in self.0.iter().enumerate() {
            match seg {
                Seg::Index(n) => write!(f, "[{n}]")?,
                Seg::Key(k) if needs_quoting(k) => {
                    write!(f, "[\"{}\"]", k.replace('\\', "\\\\").replace('"', "\\\""))?
                }
                Seg::Key(k) => {
                    if i > 0 {
                        f.write_str(".")?;
                    }
                    f.write_str(k)?
                }
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_matches_the_contract() {
        let p = YamlPath::keys("spec.template.spec")
            .key("containers")
            .index(0)
            .join("securityContext.privileged");
        assert_eq!(
            p.to_string(),
            "spec.template.spec.containers[0].securityContext.privileged"
        );
        let a = YamlPath::keys("metadata.annotations")
            .key("container.apparmor.security.beta.kubernetes.io/app");
        assert_eq!(
            a.to_string(),
            "metadata.annotations[\"container.apparmor.security.beta.kubernetes.io/app\"]"
        );
    }
}
