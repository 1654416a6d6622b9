//! Go's `filepath.Match` on `/`-separated paths: `*` and `?` never cross a `/`, `[...]`
//! classes with ranges and `^` negation, `\` escapes. A malformed pattern matches nothing
//! (Helm ignores `ErrBadPattern`).

pub fn matches(pattern: &str, name: &str) -> bool {
    let p: Vec<char> = pattern.chars().collect();
    let n: Vec<char> = name.chars().collect();
    match_at(&p, &n).unwrap_or(false)
}

/// `None`: the pattern is malformed.
fn match_at(p: &[char], n: &[char]) -> Option<bool> {
    let (mut pi, mut ni) = (0, 0);
    // Backtracking point for the last `*`: (pattern index after it, name index).
    let mut star: Option<(usize, usize)> = None;
    loop {
        if pi < p.len() {
            match p[pi] {
                '*' => {
                    star = Some((pi + 1, ni));
                    pi += 1;
                    continue;
                }
                c if ni < n.len() => {
                    let (ok, next) = match c {
                        '?' => (n[ni] != '/', pi + 1),
                        '[' => class(p, pi + 1, n[ni])?,
                        '\\' => {
                            let e = *p.get(pi + 1)?;
                            (e == n[ni], pi + 2)
                        }
                        c => (c == n[ni], pi + 1),
                    };
                    if ok {
                        pi = next;
                        ni += 1;
                        continue;
                    }
                }
                _ => {}
            }
        } else if ni == n.len() {
            return Some(true);
        }
        // Mismatch: let the last `*` take one more character (never a `/`).
        match star {
            Some((sp, sn)) if sn < n.len() && n[sn] != '/' => {
                star = Some((sp, sn + 1));
                pi = sp;
                ni = sn + 1;
            }
            _ => {
                // Go still reports a malformed rest of the pattern.
                check_rest(&p[pi.min(p.len())..])?;
                return Some(false);
            }
        }
    }
}

fn check_rest(p: &[char]) -> Option<()> {
    let mut i = 0;
    while i < p.len() {
        match p[i] {
            '[' => {
                let (_, next) = class(p, i + 1, '\0')?;
                i = next;
            }
            '\\' => {
                p.get(i + 1)?;
                i += 2;
            }
            _ => i += 1,
        }
    }
    Some(())
}

/// Match `c` against the class starting after `[` at `i`; returns (matched, index after
/// `]`).
fn class(p: &[char], mut i: usize, c: char) -> Option<(bool, usize)> {
    let negated = p.get(i) == Some(&'^');
    if negated {
        i += 1;
    }
    let mut matched = false;
    let mut first = true;
    loop {
        let ch = *p.get(i)?;
        if ch == ']' && !first {
            i += 1;
            break;
        }
        first = false;
        let (lo, after) = class_char(p, i)?;
        i = after;
        let mut hi = lo;
        if p.get(i) == Some(&'-') {
            let (h, after) = class_char(p, i + 1)?;
            hi = h;
            i = after;
        }
        if lo <= c && c <= hi {
            matched = true;
        }
    }
    Some((matched != negated && c != '/', i))
}

fn class_char(p: &[char], i: usize) -> Option<(char, usize)> {
    match *p.get(i)? {
        '-' | ']' => None,
        '\\' => Some((*p.get(i + 1)?, i + 2)),
        c => Some((c, i + 1)),
    }
}

#[cfg(test)]
mod tests {
    use super::matches;

    #[test]
    fn go_filepath_match_cases() {
        assert!(matches(
            "templates/subdir/role*",
            "templates/subdir/role.yaml"
        ));
        assert!(matches(
            "templates/subdir/role*",
            "templates/subdir/rolebinding.yaml"
        ));
        assert!(!matches("templates/*", "templates/subdir/role.yaml"));
        assert!(matches(
            "templates/*/role.yaml",
            "templates/subdir/role.yaml"
        ));
        assert!(matches("a?c", "abc"));
        assert!(!matches("a?c", "a/c"));
        assert!(matches("[a-c]x", "bx"));
        assert!(!matches("[^a-c]x", "bx"));
        assert!(matches("a\\*", "a*"));
        assert!(!matches("[", "a"));
        assert!(matches("*", ""));
        assert!(matches("templates/service.yaml", "templates/service.yaml"));
        assert!(!matches(
            "templates/service.yaml",
            "charts/x/templates/service.yaml"
        ));
    }
}
