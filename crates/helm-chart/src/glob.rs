//! The two glob dialects Helm uses on chart paths: Go's `filepath.Match` (.helmignore rules)
//! and gobwas/glob with `/` as separator (`.Files.Glob`: `**`, `{a,b}`, `[!x]`).

/// A pattern element.
#[derive(Clone, Debug)]
enum Tok {
    Lit(char),
    /// `?`: one non-separator character.
    Any,
    /// `*`: any run of non-separator characters.
    Star,
    /// `**` (gobwas only): any run of characters.
    SuperStar,
    /// `[...]`: (negated, ranges).
    Class(bool, Vec<(char, char)>),
    /// `{a,b}` (gobwas only): alternatives.
    Alt(Vec<Vec<Tok>>),
}

/// Parse a character class after its `[`; returns the class and the index after `]`.
fn parse_class(chars: &[char], mut i: usize, neg_chars: &[char]) -> Option<(Tok, usize)> {
    let mut negated = false;
    if i < chars.len() && neg_chars.contains(&chars[i]) {
        negated = true;
        i += 1;
    }
    let mut ranges = Vec::new();
    let mut first = true;
    loop {
        let c = *chars.get(i)?;
        if c == ']' && !first {
            return Some((Tok::Class(negated, ranges), i + 1));
        }
        first = false;
        let lo = if c == '\\' {
            i += 1;
            *chars.get(i)?
        } else {
            c
        };
        i += 1;
        let mut hi = lo;
        if chars.get(i) == Some(&'-') && chars.get(i + 1).is_some_and(|c| *c != ']') {
            i += 1;
            hi = if chars[i] == '\\' {
                i += 1;
                *chars.get(i)?
            } else {
                chars[i]
            };
            i += 1;
        }
        ranges.push((lo, hi));
    }
}

/// Go `filepath.Match` pattern (no `**`, no braces). `None`: bad pattern.
fn parse_go(pattern: &str) -> Option<Vec<Tok>> {
    let chars: Vec<char> = pattern.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        match chars[i] {
            '*' => {
                out.push(Tok::Star);
                i += 1;
            }
            '?' => {
                out.push(Tok::Any);
                i += 1;
            }
            '[' => {
                let (t, next) = parse_class(&chars, i + 1, &['^'])?;
                out.push(t);
                i = next;
            }
            '\\' => {
                out.push(Tok::Lit(*chars.get(i + 1)?));
                i += 2;
            }
            c => {
                out.push(Tok::Lit(c));
                i += 1;
            }
        }
    }
    Some(out)
}

/// gobwas/glob pattern; `stop` holds the characters that end the current alternative.
fn parse_gobwas(chars: &[char], i: &mut usize, in_alt: bool) -> Option<Vec<Tok>> {
    let mut out = Vec::new();
    while *i < chars.len() {
        let c = chars[*i];
        match c {
            ',' | '}' if in_alt => return Some(out),
            '*' => {
                if chars.get(*i + 1) == Some(&'*') {
                    out.push(Tok::SuperStar);
                    *i += 2;
                } else {
                    out.push(Tok::Star);
                    *i += 1;
                }
            }
            '?' => {
                out.push(Tok::Any);
                *i += 1;
            }
            '[' => {
                let (t, next) = parse_class(chars, *i + 1, &['!'])?;
                out.push(t);
                *i = next;
            }
            '{' => {
                *i += 1;
                let mut alts = Vec::new();
                loop {
                    alts.push(parse_gobwas(chars, i, true)?);
                    match chars.get(*i)? {
                        ',' => *i += 1,
                        '}' => {
                            *i += 1;
                            break;
                        }
                        _ => return None,
                    }
                }
                out.push(Tok::Alt(alts));
            }
            '\\' => {
                out.push(Tok::Lit(*chars.get(*i + 1)?));
                *i += 2;
            }
            c => {
                out.push(Tok::Lit(c));
                *i += 1;
            }
        }
    }
    if in_alt { None } else { Some(out) }
}

fn class_match(neg: bool, ranges: &[(char, char)], c: char) -> bool {
    ranges.iter().any(|(lo, hi)| *lo <= c && c <= *hi) != neg
}

fn matches(toks: &[Tok], name: &[char]) -> bool {
    let Some((first, rest)) = toks.split_first() else {
        return name.is_empty();
    };
    match first {
        Tok::Lit(c) => name.first() == Some(c) && matches(rest, &name[1..]),
        Tok::Any => name.first().is_some_and(|c| *c != '/') && matches(rest, &name[1..]),
        Tok::Class(neg, ranges) => {
            name.first()
                .is_some_and(|c| *c != '/' && class_match(*neg, ranges, *c))
                && matches(rest, &name[1..])
        }
        Tok::Star => {
            for n in 0..=name.len() {
                if matches(rest, &name[n..]) {
                    return true;
                }
                if n < name.len() && name[n] == '/' {
                    return false;
                }
            }
            false
        }
        Tok::SuperStar => (0..=name.len()).any(|n| matches(rest, &name[n..])),
        Tok::Alt(alts) => alts.iter().any(|alt| {
            let mut joined = alt.clone();
            joined.extend_from_slice(rest);
            matches(&joined, name)
        }),
    }
}

/// Go's `filepath.Match` on `/`-separated paths. `Err`: the pattern is malformed
/// (`syntax error in pattern`).
pub fn go_match(pattern: &str, name: &str) -> Result<bool, String> {
    let toks = parse_go(pattern).ok_or_else(|| "syntax error in pattern".to_string())?;
    let name: Vec<char> = name.chars().collect();
    Ok(matches(&toks, &name))
}

/// A compiled gobwas/glob pattern with `/` as separator.
#[derive(Clone, Debug)]
pub struct Glob(Vec<Tok>);

impl Glob {
    /// `None` when the pattern does not compile (Helm then falls back to `**`).
    pub fn new(pattern: &str) -> Option<Glob> {
        let chars: Vec<char> = pattern.chars().collect();
        let mut i = 0;
        parse_gobwas(&chars, &mut i, false).map(Glob)
    }

    pub fn is_match(&self, name: &str) -> bool {
        let name: Vec<char> = name.chars().collect();
        matches(&self.0, &name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn go_patterns() {
        assert_eq!(go_match("*.txt", "a.txt"), Ok(true));
        assert_eq!(go_match("*.txt", "d/a.txt"), Ok(false));
        assert_eq!(go_match("templates/.?*", "templates/.hidden"), Ok(true));
        assert_eq!(go_match("[^a]*", "bcd"), Ok(true));
        assert_eq!(go_match("[a-c]?", "b1"), Ok(true));
        assert!(go_match("[", "x").is_err());
    }

    #[test]
    fn gobwas_patterns() {
        let g = Glob::new;
        assert!(g("**/captain.txt").is_some_and(|g| g.is_match("ship/captain.txt")));
        assert!(g("ship/*").is_some_and(|g| g.is_match("ship/captain.txt")));
        assert!(g("*").is_some_and(|g| !g.is_match("ship/captain.txt")));
        assert!(g("**").is_some_and(|g| g.is_match("a/b/c")));
        assert!(g("{ship,story}/*.txt").is_some_and(|g| g.is_match("story/name.txt")));
        assert!(g("[!s]*/*").is_some_and(|g| g.is_match("multiline/test.txt")));
        assert!(g("{a,b").is_none());
    }
}
