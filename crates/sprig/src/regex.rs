//! The `regex*` functions with Go's RE2 semantics: Perl classes (`\d \w \s \b`) are ASCII
//! as in Go, `FindAll` skips empty matches that touch the previous match, `Split` and
//! `ReplaceAll` follow Go's loops, and replacement templates expand `$1`/`${name}` as
//! Go's `Expand` does.

use std::cell::RefCell;
use std::collections::HashMap;

use kspm_gotmpl::{FuncMap, Param, Value};
use regex::Regex;

use crate::util::{Ret, n, reg, s, string, strings};

thread_local! {
    /// Charts call the same few expressions over and over (per item of a range).
    static CACHE: RefCell<HashMap<String, Regex>> = RefCell::new(HashMap::new());
}

const CACHE_LIMIT: usize = 512;

/// Compile a Go regular expression (cached); the error reads as Go's.
pub fn compile(expr: &str) -> Result<Regex, String> {
    if let Some(re) = CACHE.with(|c| c.borrow().get(expr).cloned()) {
        return Ok(re);
    }
    let re = compile_uncached(expr)?;
    CACHE.with(|c| {
        let mut c = c.borrow_mut();
        if c.len() >= CACHE_LIMIT {
            c.clear();
        }
        c.insert(expr.to_string(), re.clone());
    });
    Ok(re)
}

fn compile_uncached(expr: &str) -> Result<Regex, String> {
    Regex::new(&translate(expr)).map_err(|e| {
        let detail = match &e {
            regex::Error::Syntax(msg) => msg
                .lines()
                .rev()
                .find(|l| l.starts_with("error:"))
                .map(|l| l.trim_start_matches("error:").trim().to_string())
                .unwrap_or_else(|| msg.clone()),
            other => other.to_string(),
        };
        format!("error parsing regexp: {detail}: `{expr}`")
    })
}

/// `regexp.MustCompile`'s panic text.
fn must(expr: &str) -> Result<Regex, String> {
    compile(expr).map_err(|e| {
        format!(
            "regexp: Compile({}): {e}",
            kspm_gotmpl::strconv::quote(expr)
        )
    })
}

/// Rewrite Go's ASCII-only Perl classes for Rust's Unicode-aware engine.
fn translate(expr: &str) -> String {
    let mut out = String::with_capacity(expr.len() + 8);
    let mut chars = expr.chars().peekable();
    let mut in_class = false;
    let mut class_start = false;
    while let Some(c) = chars.next() {
        if c == '\\' {
            let Some(e) = chars.next() else {
                out.push('\\');
                break;
            };
            if e == 'Q' {
                // \Q...\E: literal text (Go has it, Rust's syntax does not).
                let mut lit = String::new();
                while let Some(d) = chars.next() {
                    if d == '\\' && chars.peek() == Some(&'E') {
                        chars.next();
                        break;
                    }
                    lit.push(d);
                }
                out.push_str(&regex::escape(&lit));
                class_start = false;
                continue;
            }
            let (outside, inside) = match e {
                'd' => ("[0-9]", "0-9"),
                'D' => ("[^0-9]", "[^0-9]"),
                'w' => ("[0-9A-Za-z_]", "0-9A-Za-z_"),
                'W' => ("[^0-9A-Za-z_]", "[^0-9A-Za-z_]"),
                's' => ("[\\t\\n\\f\\r ]", "\\t\\n\\f\\r "),
                'S' => ("[^\\t\\n\\f\\r ]", "[^\\t\\n\\f\\r ]"),
                'b' if !in_class => ("(?-u:\\b)", ""),
                'B' if !in_class => ("(?-u:\\B)", ""),
                _ => ("", ""),
            };
            if outside.is_empty() {
                out.push('\\');
                out.push(e);
            } else if in_class {
                out.push_str(inside);
            } else {
                out.push_str(outside);
            }
            class_start = false;
            continue;
        }
        if in_class {
            if c == ']' && !class_start {
                in_class = false;
            } else if c == '[' && chars.peek() == Some(&':') {
                // POSIX class [:alpha:]: copy through its closing "]".
                out.push(c);
                for d in chars.by_ref() {
                    out.push(d);
                    if d == ']' {
                        break;
                    }
                }
                class_start = false;
                continue;
            }
            class_start = class_start && c == '^';
            out.push(c);
            continue;
        }
        if c == '[' {
            in_class = true;
            class_start = true;
        }
        out.push(c);
    }
    out
}

/// Go's `FindAllStringIndex(s, n)`.
fn find_all(re: &Regex, s: &str, n: i64) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    if n == 0 {
        return out;
    }
    let mut pos = 0;
    let mut prev_end: Option<usize> = None;
    while pos <= s.len() && (n < 0 || (out.len() as i64) < n) {
        let Some(m) = re.find_at(s, pos) else { break };
        let mut accept = true;
        if m.end() == m.start() {
            if Some(m.start()) == prev_end {
                accept = false;
            }
            pos = match s[m.end()..].chars().next() {
                Some(c) => m.end() + c.len_utf8(),
                None => s.len() + 1,
            };
        } else {
            pos = m.end();
        }
        prev_end = Some(m.end());
        if accept {
            out.push((m.start(), m.end()));
        }
    }
    out
}

/// Go's `Regexp.Split`.
fn split(re: &Regex, s: &str, n: i64) -> Vec<String> {
    if n == 0 {
        return Vec::new();
    }
    if !re.as_str().is_empty() && s.is_empty() {
        return vec![String::new()];
    }
    let matches = find_all(re, s, n);
    let mut out = Vec::new();
    let (mut beg, mut end) = (0, 0);
    for (a, b) in matches {
        if n > 0 && out.len() as i64 == n - 1 {
            break;
        }
        end = a;
        if b != 0 {
            out.push(s[beg..end].to_string());
        }
        beg = b;
    }
    if end != s.len() {
        out.push(s[beg..].to_string());
    }
    out
}

/// Go's `ReplaceAllString` (`literal`: `ReplaceAllLiteralString`).
fn replace_all(re: &Regex, src: &str, repl: &str, literal: bool) -> String {
    let mut out = String::with_capacity(src.len());
    let mut last = 0;
    let mut search = 0;
    while search <= src.len() {
        let Some(caps) = re.captures_at(src, search) else {
            break;
        };
        let Some(m) = caps.get(0) else { break };
        out.push_str(&src[last..m.start()]);
        if m.end() > last || m.start() == 0 {
            if literal {
                out.push_str(repl);
            } else {
                caps.expand(repl, &mut out);
            }
        }
        last = m.end();
        let width = src[search..].chars().next().map_or(1, char::len_utf8);
        if search + width > m.end() {
            search += width;
        } else if search + 1 > m.end() {
            search += 1;
        } else {
            search = m.end();
        }
    }
    if last <= src.len() {
        out.push_str(&src[last..]);
    }
    out
}

pub fn register(m: &mut FuncMap) {
    use Param::{Int, String as Str};
    reg(m, "regexMatch", vec![Str, Str], |a| {
        Ok(Value::Bool(
            compile(s(&a, 0)).is_ok_and(|re| re.is_match(s(&a, 1))),
        ))
    });
    reg(m, "mustRegexMatch", vec![Str, Str], |a| {
        Ok(Value::Bool(compile(s(&a, 0))?.is_match(s(&a, 1))))
    });
    fn find_all_fn(a: &[Value], c: fn(&str) -> Result<Regex, String>) -> Ret {
        let re = c(s(a, 0))?;
        let text = s(a, 1);
        let found = find_all(&re, text, n(a, 2))
            .into_iter()
            .map(|(x, y)| text[x..y].to_string())
            .collect();
        Ok(strings(found))
    }
    reg(m, "regexFindAll", vec![Str, Str, Int], |a| {
        find_all_fn(&a, must)
    });
    reg(m, "mustRegexFindAll", vec![Str, Str, Int], |a| {
        find_all_fn(&a, compile)
    });
    reg(m, "regexFind", vec![Str, Str], |a| {
        Ok(string(
            must(s(&a, 0))?.find(s(&a, 1)).map_or("", |x| x.as_str()),
        ))
    });
    reg(m, "mustRegexFind", vec![Str, Str], |a| {
        Ok(string(
            compile(s(&a, 0))?.find(s(&a, 1)).map_or("", |x| x.as_str()),
        ))
    });
    reg(m, "regexReplaceAll", vec![Str, Str, Str], |a| {
        Ok(string(replace_all(
            &must(s(&a, 0))?,
            s(&a, 1),
            s(&a, 2),
            false,
        )))
    });
    reg(m, "mustRegexReplaceAll", vec![Str, Str, Str], |a| {
        Ok(string(replace_all(
            &compile(s(&a, 0))?,
            s(&a, 1),
            s(&a, 2),
            false,
        )))
    });
    reg(m, "regexReplaceAllLiteral", vec![Str, Str, Str], |a| {
        Ok(string(replace_all(
            &must(s(&a, 0))?,
            s(&a, 1),
            s(&a, 2),
            true,
        )))
    });
    reg(m, "mustRegexReplaceAllLiteral", vec![Str, Str, Str], |a| {
        Ok(string(replace_all(
            &compile(s(&a, 0))?,
            s(&a, 1),
            s(&a, 2),
            true,
        )))
    });
    reg(m, "regexSplit", vec![Str, Str, Int], |a| {
        Ok(strings(split(&must(s(&a, 0))?, s(&a, 1), n(&a, 2))))
    });
    reg(m, "mustRegexSplit", vec![Str, Str, Int], |a| {
        Ok(strings(split(&compile(s(&a, 0))?, s(&a, 1), n(&a, 2))))
    });
    reg(m, "regexQuoteMeta", vec![Str], |a| {
        Ok(string(quote_meta(s(&a, 0))))
    });
}

/// Go's `regexp.QuoteMeta`.
fn quote_meta(s: &str) -> String {
    let mut out = String::with_capacity(s.len() * 2);
    for c in s.chars() {
        if "\\.+*?()|[]{}^$".contains(c) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn go_semantics() {
        let re = compile("a*").unwrap();
        assert_eq!(find_all(&re, "baaab", -1), vec![(0, 0), (1, 4), (5, 5)]);
        assert_eq!(
            split(&compile("a").unwrap(), "banana", -1),
            vec!["b", "n", "n", ""]
        );
        assert_eq!(split(&compile("z+").unwrap(), "pizza", -1), vec!["pi", "a"]);
        assert_eq!(split(&compile("").unwrap(), "abc", -1), vec!["a", "b", "c"]);
        let re = compile("a(x*)b").unwrap();
        assert_eq!(replace_all(&re, "-ab-axxb-", "${1}W", false), "-W-xxW-");
        assert_eq!(replace_all(&re, "-ab-axxb-", "$1W", false), "---");
        assert_eq!(replace_all(&re, "-ab-axxb-", "$1", true), "-$1-$1-");
        assert_eq!(
            replace_all(&compile("x*").unwrap(), "abc", "-", false),
            "-a-b-c-"
        );
        assert!(!compile(r"\d").unwrap().is_match("٣"));
        assert_eq!(quote_meta("1.2.3"), r"1\.2\.3");
        let re = compile(r"\bfoo\b").unwrap();
        assert_eq!(replace_all(&re, "foo food foo", "X", false), "X food X");
        assert!(compile(r"\Qa.b\E+").unwrap().is_match("a.bbb"));
        assert!(!compile(r"\Qa.b\E").unwrap().is_match("axb"));
        assert!(compile(r"[\w-]+").unwrap().is_match("a-b"));
        assert!(!compile(r"^\s$").unwrap().is_match("\u{a0}"));
    }
}
