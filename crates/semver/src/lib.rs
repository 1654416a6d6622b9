//! Masterminds/semver v3 as Helm and Sprig use it (in Go both link the same module, so
//! one implementation serves `IsCompatibleRange`, `semver` and `semverCompare`).
//! See API.md.

mod constraint;
mod version;

pub use constraint::Constraints;
pub use version::Version;

/// Helm's `chartutil.IsCompatibleRange`: false when either side does not parse.
pub fn is_compatible_range(constraint: &str, version: &str) -> bool {
    match (Constraints::parse(constraint), Version::parse(version)) {
        (Ok(c), Ok(v)) => c.check(&v),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges() {
        let yes = [
            ("1.2.3", "1.2.3"),
            ("~1.2.3", "1.2.9"),
            ("^1.2.3", "1.9.0"),
            ("^0.2.3", "0.2.9"),
            ("1.x", "1.5.0"),
            ("1.2.x", "1.2.7"),
            ("*", "3.0.0"),
            (">= 1.2, < 2.0", "1.5.0"),
            (">=1.2 <2.0", "1.9.9"),
            ("1.0 - 2.0", "1.5.0"),
            ("<1 || >=3", "3.1.0"),
            (">=0.0.0-0", "1.0.0-rc.1"),
            ("0.0.0", "0.0.0"),
            ("2.x.x", "2.31.4"),
            ("~1", "1.9.0"),
        ];
        for (c, v) in yes {
            assert!(is_compatible_range(c, v), "{c} should match {v}");
        }
        let no = [
            ("1.2.3", "1.2.4"),
            ("~1.2.3", "1.3.0"),
            ("^1.2.3", "2.0.0"),
            ("^0.2.3", "0.3.0"),
            (">=1.0.0", "1.1.0-beta"),
            ("", "1.0.0"),
            ("1.x", "2.0.0"),
            ("> 1.2.x", "1.2.9"),
            ("1.2.3", "latest"),
        ];
        for (c, v) in no {
            assert!(!is_compatible_range(c, v), "{c} should not match {v}");
        }
    }
}
