//! `.helmignore`: Helm's own rule set (not full gitignore). Each non-blank, non-comment line
//! is a Go `filepath.Match` pattern; a trailing `/` matches directories only; a leading `/`
//! anchors at the chart root; a pattern without `/` matches the base name; `**` is an error.
//! The first matching rule decides; a negated rule (`!p`) ignores every path it does NOT
//! match (Helm's behaviour, kept as is). `templates/.?*` is always added.

use crate::glob::go_match;

#[derive(Clone, Debug)]
struct Rule {
    pattern: String,
    negate: bool,
    must_dir: bool,
    kind: RuleKind,
}

#[derive(Clone, Copy, Debug)]
enum RuleKind {
    /// Leading `/`: match the whole relative path.
    Anchored,
    /// Contains `/`: match the whole relative path.
    Path,
    /// No `/`: match the base name only.
    Base,
}

#[derive(Clone, Debug, Default)]
pub struct Rules {
    rules: Vec<Rule>,
}

impl Rules {
    /// Rules from `.helmignore` text, with Helm's default rule added.
    pub fn parse(text: &str) -> Result<Rules, String> {
        let mut r = Rules::default();
        for line in text.lines() {
            r.add(line)?;
        }
        r.add("templates/.?*")?;
        Ok(r)
    }

    /// Only Helm's default rule.
    pub fn defaults() -> Rules {
        let mut r = Rules::default();
        // The default rule is well-formed.
        let _ = r.add("templates/.?*");
        r
    }

    fn add(&mut self, line: &str) -> Result<(), String> {
        let mut rule = line.trim();
        if rule.is_empty() || rule.starts_with('#') {
            return Ok(());
        }
        if rule.contains("**") {
            return Err("double-star (**) syntax is not supported".into());
        }
        go_match(rule, "abc")?;
        let negate = rule.starts_with('!');
        if negate {
            rule = &rule[1..];
        }
        let must_dir = rule.ends_with('/');
        if must_dir {
            rule = &rule[..rule.len() - 1];
        }
        let kind = if let Some(r) = rule.strip_prefix('/') {
            rule = r;
            RuleKind::Anchored
        } else if rule.contains('/') {
            RuleKind::Path
        } else {
            RuleKind::Base
        };
        self.rules.push(Rule {
            pattern: rule.to_string(),
            negate,
            must_dir,
            kind,
        });
        Ok(())
    }

    fn rule_matches(rule: &Rule, path: &str) -> bool {
        let subject = match rule.kind {
            RuleKind::Anchored | RuleKind::Path => path,
            RuleKind::Base => path.rsplit('/').next().unwrap_or(path),
        };
        go_match(&rule.pattern, subject).unwrap_or(false)
    }

    /// Whether the chart-relative `/`-separated `path` is ignored.
    pub fn ignore(&self, path: &str, is_dir: bool) -> bool {
        if path.is_empty() || path == "." || path == "./" {
            return false;
        }
        for rule in &self.rules {
            if rule.negate {
                if rule.must_dir && !is_dir {
                    return true;
                }
                if !Self::rule_matches(rule, path) {
                    return true;
                }
                continue;
            }
            if rule.must_dir && !is_dir {
                continue;
            }
            if Self::rule_matches(rule, path) {
                return true;
            }
        }
        false
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn helm_rules() {
        let r = Rules::parse("# c\n.git/\n*.swp\n/ci\ndocs/*.md\n").unwrap_or_default();
        assert!(r.ignore(".git", true));
        assert!(!r.ignore(".git", false));
        assert!(r.ignore("a/b.swp", false));
        assert!(r.ignore("ci", true));
        assert!(!r.ignore("x/ci", true));
        assert!(r.ignore("docs/a.md", false));
        assert!(r.ignore("templates/.hidden.yaml", false));
        assert!(!r.ignore("templates/a.yaml", false));
        assert!(Rules::parse("a/**/b").is_err());
    }
}
