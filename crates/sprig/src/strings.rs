//! String functions: Go's `strings` package, Masterminds/goutils and huandu/xstrings as
//! Sprig wires them (argument order swapped for pipelines).

use kspm_gotmpl::fmt::format_value;
use kspm_gotmpl::strconv::quote as go_quote;
use kspm_gotmpl::{FuncMap, Param, Value};

use crate::cast::strval;
use crate::text::{
    is_lower, is_space, is_title, is_title_separator, is_upper, to_lower, to_title, to_upper,
};
use crate::util::{arg, is_nil, n, reg, reg_var, s, slice_items, string, strings};
use crate::{cases, random};

pub fn register(m: &mut FuncMap) {
    use Param::{Any, Int, String as Str};
    reg(m, "hello", vec![], |_| Ok(string("Hello!")));
    reg(m, "abbrev", vec![Int, Str], |a| {
        Ok(string(abbrev(n(&a, 0), s(&a, 1))))
    });
    reg(m, "abbrevboth", vec![Int, Int, Str], |a| {
        Ok(string(abbrevboth(n(&a, 0), n(&a, 1), s(&a, 2))))
    });
    reg(m, "trunc", vec![Int, Str], |a| {
        Ok(string(trunc(n(&a, 0), s(&a, 1))))
    });
    reg(m, "trim", vec![Str], |a| Ok(string(s(&a, 0).trim())));
    reg(m, "upper", vec![Str], |a| {
        Ok(string(s(&a, 0).chars().map(to_upper).collect::<String>()))
    });
    reg(m, "lower", vec![Str], |a| {
        Ok(string(s(&a, 0).chars().map(to_lower).collect::<String>()))
    });
    reg(m, "title", vec![Str], |a| Ok(string(title(s(&a, 0)))));
    reg(m, "untitle", vec![Str], |a| Ok(string(untitle(s(&a, 0)))));
    reg(m, "substr", vec![Int, Int, Str], |a| {
        substr(n(&a, 0), n(&a, 1), s(&a, 2)).map(string)
    });
    reg(m, "repeat", vec![Int, Str], |a| {
        Ok(string(repeat(s(&a, 1), n(&a, 0))?))
    });
    for name in ["trimall", "trimAll"] {
        reg(m, name, vec![Str, Str], |a| {
            let cut: Vec<char> = s(&a, 0).chars().collect();
            Ok(string(s(&a, 1).trim_matches(|c| cut.contains(&c))))
        });
    }
    reg(m, "trimSuffix", vec![Str, Str], |a| {
        let (suf, v) = (s(&a, 0), s(&a, 1));
        Ok(string(v.strip_suffix(suf).unwrap_or(v)))
    });
    reg(m, "trimPrefix", vec![Str, Str], |a| {
        let (pre, v) = (s(&a, 0), s(&a, 1));
        Ok(string(v.strip_prefix(pre).unwrap_or(v)))
    });
    reg(m, "nospace", vec![Str], |a| {
        Ok(string(
            s(&a, 0)
                .chars()
                .filter(|c| !is_space(*c))
                .collect::<String>(),
        ))
    });
    reg(m, "initials", vec![Str], |a| Ok(string(initials(s(&a, 0)))));
    reg(m, "randAlphaNum", vec![Int], |a| {
        Ok(string(random::string_from(random::ALNUM, n(&a, 0))?))
    });
    reg(m, "randAlpha", vec![Int], |a| {
        Ok(string(random::string_from(random::ALPHA, n(&a, 0))?))
    });
    reg(m, "randAscii", vec![Int], |a| {
        Ok(string(random::string_from(random::ASCII, n(&a, 0))?))
    });
    reg(m, "randNumeric", vec![Int], |a| {
        Ok(string(random::string_from(random::NUMERIC, n(&a, 0))?))
    });
    reg(m, "swapcase", vec![Str], |a| Ok(string(swapcase(s(&a, 0)))));
    reg(m, "shuffle", vec![Str], |a| {
        Ok(string(random::shuffle(s(&a, 0))))
    });
    reg(m, "snakecase", vec![Str], |a| {
        Ok(string(cases::lower_words(s(&a, 0), '_')))
    });
    reg(m, "camelcase", vec![Str], |a| {
        Ok(string(cases::pascal(s(&a, 0))))
    });
    reg(m, "kebabcase", vec![Str], |a| {
        Ok(string(cases::lower_words(s(&a, 0), '-')))
    });
    reg(m, "wrap", vec![Int, Str], |a| {
        Ok(string(wrap(s(&a, 1), n(&a, 0), "", false)))
    });
    reg(m, "wrapWith", vec![Int, Str, Str], |a| {
        Ok(string(wrap(s(&a, 2), n(&a, 0), s(&a, 1), true)))
    });
    reg(m, "contains", vec![Str, Str], |a| {
        Ok(Value::Bool(s(&a, 1).contains(s(&a, 0))))
    });
    reg(m, "hasPrefix", vec![Str, Str], |a| {
        Ok(Value::Bool(s(&a, 1).starts_with(s(&a, 0))))
    });
    reg(m, "hasSuffix", vec![Str, Str], |a| {
        Ok(Value::Bool(s(&a, 1).ends_with(s(&a, 0))))
    });
    reg_var(m, "quote", vec![], Any, |a| {
        let out: Vec<String> = a
            .iter()
            .filter(|v| !is_nil(v))
            .map(|v| go_quote(&strval(v)))
            .collect();
        Ok(string(out.join(" ")))
    });
    reg_var(m, "squote", vec![], Any, |a| {
        let out: Vec<String> = a
            .iter()
            .filter(|v| !is_nil(v))
            .map(|v| format!("'{}'", format_value(v)))
            .collect();
        Ok(string(out.join(" ")))
    });
    reg_var(m, "cat", vec![], Any, |a| {
        let out: Vec<String> = a.iter().filter(|v| !is_nil(v)).map(format_value).collect();
        Ok(string(out.join(" ")))
    });
    reg(m, "indent", vec![Int, Str], |a| {
        Ok(string(indent(n(&a, 0), s(&a, 1))?))
    });
    reg(m, "nindent", vec![Int, Str], |a| {
        Ok(string(format!("\n{}", indent(n(&a, 0), s(&a, 1))?)))
    });
    reg(m, "replace", vec![Str, Str, Str], |a| {
        Ok(string(s(&a, 2).replace(s(&a, 0), s(&a, 1))))
    });
    reg(m, "plural", vec![Str, Str, Int], |a| {
        Ok(string(if n(&a, 2) == 1 { s(&a, 0) } else { s(&a, 1) }))
    });
    reg(m, "toString", vec![Any], |a| {
        Ok(string(strval(&arg(&a, 0))))
    });
    reg(m, "split", vec![Str, Str], |a| {
        Ok(parts_map(go_split(s(&a, 1), s(&a, 0), -1)))
    });
    reg(m, "splitList", vec![Str, Str], |a| {
        Ok(strings(go_split(s(&a, 1), s(&a, 0), -1)))
    });
    reg(m, "splitn", vec![Str, Int, Str], |a| {
        Ok(parts_map(go_split(s(&a, 2), s(&a, 0), n(&a, 1))))
    });
    reg(m, "toStrings", vec![Any], |a| {
        Ok(strings(strslice(&arg(&a, 0))))
    });
    reg(m, "join", vec![Str, Any], |a| {
        Ok(string(strslice(&arg(&a, 1)).join(s(&a, 0))))
    });
    reg(m, "sortAlpha", vec![Any], |a| {
        let v = arg(&a, 0);
        let mut items = if slice_items(&v).is_some() {
            strslice(&v)
        } else {
            vec![strval(&v)]
        };
        items.sort();
        Ok(strings(items))
    });
}

/// Sprig's `strslice`: `[]string` as is, other slices item by item through `strval`
/// without nils, nil as an empty list, anything else as a one-item list.
pub fn strslice(v: &Value) -> Vec<String> {
    if let Some(items) = slice_items(v) {
        return items.iter().filter(|x| !is_nil(x)).map(strval).collect();
    }
    if is_nil(v) {
        return Vec::new();
    }
    vec![strval(v)]
}

/// Go's `strings.SplitN` (`n < 0`: all parts; `n == 0`: none); an empty separator splits
/// after each UTF-8 sequence.
pub fn go_split(s: &str, sep: &str, n: i64) -> Vec<String> {
    if n == 0 {
        return Vec::new();
    }
    if sep.is_empty() {
        let chars: Vec<String> = s.chars().map(String::from).collect();
        if n > 0 && (n as usize) < chars.len() {
            let k = n as usize - 1;
            let mut out: Vec<String> = chars[..k].to_vec();
            out.push(chars[k..].concat());
            return out;
        }
        return chars;
    }
    if n < 0 {
        s.split(sep).map(String::from).collect()
    } else {
        s.splitn(n as usize, sep).map(String::from).collect()
    }
}

fn parts_map(parts: Vec<String>) -> Value {
    let entries = parts
        .into_iter()
        .enumerate()
        .map(|(i, p)| (format!("_{i}"), string(p)))
        .collect();
    let v = Value::map(entries);
    if let Value::Map(m) = &v {
        m.borrow_mut().type_name = "map[string]string".into();
    }
    v
}

fn indent(spaces: i64, v: &str) -> Result<String, String> {
    let pad = repeat(" ", spaces)?;
    Ok(format!("{pad}{}", v.replace('\n', &format!("\n{pad}"))))
}

/// The most `repeat`/`indent` will build: Go would try to allocate any size that fits in
/// an int; a linter should fail instead of exhausting memory.
const MAX_REPEAT_BYTES: u128 = 1 << 30;

/// `strings.Repeat` with its panics as errors.
fn repeat(s: &str, count: i64) -> Result<String, String> {
    if count < 0 {
        return Err("strings: negative Repeat count".into());
    }
    if s.len() as u128 * count as u128 > MAX_REPEAT_BYTES {
        return Err("strings: Repeat output length overflow".into());
    }
    Ok(s.repeat(count as usize))
}

/// `trunc`: a negative count keeps the tail (byte offsets, as Go slices strings).
pub fn trunc(c: i64, s: &str) -> String {
    let len = s.len() as i64;
    if c < 0 && len + c > 0 {
        return byte_slice(s, (len + c) as usize, s.len());
    }
    if c >= 0 && len > c {
        return byte_slice(s, 0, c as usize);
    }
    s.to_string()
}

/// `s[a:b]` on bytes; a cut inside a UTF-8 sequence is repaired lossily (Go would keep
/// the broken bytes).
fn byte_slice(s: &str, a: usize, b: usize) -> String {
    String::from_utf8_lossy(&s.as_bytes()[a..b]).into_owned()
}

/// Sprig's `substring` with Go's slice bounds panics as errors.
fn substr(start: i64, end: i64, s: &str) -> Result<String, String> {
    let len = s.len() as i64;
    let oob = |a: String| Err(format!("runtime error: slice bounds out of range {a}"));
    if start < 0 {
        if end < 0 {
            return oob(format!("[:{end}]"));
        }
        if end > len {
            return oob(format!("[:{end}] with length {len}"));
        }
        return Ok(byte_slice(s, 0, end as usize));
    }
    if end < 0 || end > len {
        if start > len {
            return oob(format!("[{start}:{len}]"));
        }
        return Ok(byte_slice(s, start as usize, s.len()));
    }
    if start > end {
        return oob(format!("[{start}:{end}]"));
    }
    Ok(byte_slice(s, start as usize, end as usize))
}

fn abbrev(width: i64, s: &str) -> String {
    if width < 4 {
        return s.to_string();
    }
    abbreviate_full(s, 0, width).unwrap_or_default()
}

fn abbrevboth(left: i64, right: i64, s: &str) -> String {
    if right < 4 || (left > 0 && right < 7) {
        return s.to_string();
    }
    abbreviate_full(s, left, right).unwrap_or_default()
}

/// goutils `AbbreviateFull` (byte lengths): "..." marks what was cut on either side.
fn abbreviate_full(s: &str, offset: i64, max_width: i64) -> Option<String> {
    if s.is_empty() {
        return Some(String::new());
    }
    if max_width < 4 {
        return None;
    }
    let len = s.len() as i64;
    if len <= max_width {
        return Some(s.to_string());
    }
    let mut offset = offset.min(len);
    if len - offset < max_width - 3 {
        offset = len - (max_width - 3);
    }
    if offset <= 4 {
        return Some(format!("{}...", byte_slice(s, 0, (max_width - 3) as usize)));
    }
    if max_width < 7 {
        return None;
    }
    if offset + max_width - 3 < len {
        let rest = byte_slice(s, offset as usize, s.len());
        return abbreviate_full(&rest, 0, max_width - 3).map(|r| format!("...{r}"));
    }
    Some(format!(
        "...{}",
        byte_slice(s, (len - (max_width - 3)) as usize, s.len())
    ))
}

/// `strings.Title`: the first letter of each word to title case.
fn title(s: &str) -> String {
    let mut prev = ' ';
    s.chars()
        .map(|c| {
            let out = if is_title_separator(prev) {
                to_title(c)
            } else {
                c
            };
            prev = c;
            out
        })
        .collect()
}

/// goutils `Uncapitalize`: the first letter of each whitespace-separated word lowered.
fn untitle(s: &str) -> String {
    let mut next = true;
    s.chars()
        .map(|c| {
            if is_space(c) {
                next = true;
                c
            } else if next {
                next = false;
                to_lower(c)
            } else {
                c
            }
        })
        .collect()
}

/// goutils `Initials`: the first byte of each whitespace-separated word.
fn initials(s: &str) -> String {
    let mut out = String::new();
    let mut gap = true;
    for &b in s.as_bytes() {
        let c = char::from(b);
        if is_space(c) {
            gap = true;
        } else if gap {
            out.push(c);
            gap = false;
        }
    }
    out
}

/// goutils `SwapCase`: upper and title to lower; lower to title after whitespace or at
/// the start, to upper elsewhere.
fn swapcase(s: &str) -> String {
    let mut ws = true;
    s.chars()
        .map(|c| {
            if is_upper(c) || is_title(c) {
                ws = false;
                to_lower(c)
            } else if is_lower(c) {
                if ws {
                    ws = false;
                    to_title(c)
                } else {
                    to_upper(c)
                }
            } else {
                ws = is_space(c);
                c
            }
        })
        .collect()
}

/// goutils `WrapCustom` on bytes: wrap at spaces to lines of `width`; long words are cut
/// when `long_words`, else left whole.
fn wrap(s: &str, width: i64, newline: &str, long_words: bool) -> String {
    if s.is_empty() {
        return String::new();
    }
    let newline = if newline.is_empty() { "\n" } else { newline }.as_bytes();
    let width = width.max(1) as usize;
    let b = s.as_bytes();
    let len = b.len();
    let mut off = 0usize;
    let mut out: Vec<u8> = Vec::with_capacity(len + 8);
    while len - off > width {
        if b[off] == b' ' {
            off += 1;
            continue;
        }
        let end = width + off + 1;
        if let Some(sp) = b[off..end].iter().rposition(|c| *c == b' ') {
            out.extend_from_slice(&b[off..off + sp]);
            out.extend_from_slice(newline);
            off += sp + 1;
        } else if long_words {
            out.extend_from_slice(&b[off..off + width]);
            out.extend_from_slice(newline);
            off += width;
        } else {
            let end = width + off;
            match b[end..].iter().position(|c| *c == b' ') {
                Some(i) => {
                    out.extend_from_slice(&b[off..end + i]);
                    out.extend_from_slice(newline);
                    off = end + i + 1;
                }
                None => {
                    out.extend_from_slice(&b[off..]);
                    off = len;
                }
            }
        }
    }
    out.extend_from_slice(&b[off..]);
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn goutils_like() {
        assert_eq!(abbrev(5, "hello world"), "he...");
        assert_eq!(abbrevboth(5, 10, "1234 5678 9123"), "...5678...");
        assert_eq!(untitle("First Try"), "first try");
        assert_eq!(initials("John Doe"), "JD");
        assert_eq!(swapcase("This Is A Test"), "tHIS iS a tEST");
        assert_eq!(wrap("Hello World", 5, "\t", true), "Hello\tWorld");
        assert_eq!(wrap("Hello World", 10, "", false), "Hello\nWorld");
        assert_eq!(title("hello world-foo"), "Hello World-Foo");
    }

    #[test]
    fn slicing() {
        assert_eq!(trunc(-3, "baaaaaar"), "aar");
        assert_eq!(trunc(5, "abc"), "abc");
        assert_eq!(substr(0, 3, "fooo").unwrap(), "foo");
        assert_eq!(substr(1, -1, "fooo").unwrap(), "ooo");
        assert!(substr(5, 9, "fo").is_err());
        assert_eq!(go_split("a$b$c", "$", 2), vec!["a", "b$c"]);
    }
}
