//! Unified diffs of fixed text, for `--diff` and the reports.

use similar::TextDiff;

/// A unified diff (3 lines of context) from `old` to `new`, with `a/` and `b/` headers
/// naming `path`; empty when nothing changed.
pub fn unified(path: &str, old: &str, new: &str) -> String {
    if path.starts_with('/') {
        // `a//abs/path` would read as a path below `a`.
        return unified_with(path, path, old, new);
    }
    unified_with(&format!("a/{path}"), &format!("b/{path}"), old, new)
}

/// A unified diff with explicit header names.
pub fn unified_with(old_name: &str, new_name: &str, old: &str, new: &str) -> String {
    if old == new {
        return String::new();
    }
    let diff = TextDiff::from_lines(old, new);
    let mut s = diff
        .unified_diff()
        .context_radius(3)
        .header(old_name, new_name)
        .to_string();
    // CRLF files keep their `\r` in the diff lines; a terminal shows them as nothing.
    if !s.ends_with('\n') {
        s.push('\n');
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_small_diff() {
        let d = unified("x.yaml", "a: 1\nb: 2\n", "a: 1\nb: 3\n");
        assert_eq!(
            d,
            "--- a/x.yaml\n+++ b/x.yaml\n@@ -1,2 +1,2 @@\n a: 1\n-b: 2\n+b: 3\n"
        );
        assert_eq!(unified("x", "same", "same"), "");
    }
}
