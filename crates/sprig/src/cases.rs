//! huandu/xstrings v1.5 case conversions as Sprig uses them: `ToSnakeCase`,
//! `ToKebabCase` (words split at case changes, numbers and connectors, joined lower-case)
//! and `ToPascalCase` (Sprig's `camelcase`).

use crate::text::{is_punct, is_space, is_upper, to_lower, to_upper};

fn is_connector(c: char) -> bool {
    c == '-' || c == '_' || is_space(c)
}

/// xstrings' "alphabet": a letter that is not a CJK ideograph.
fn is_alphabet(c: char) -> bool {
    if !c.is_alphabetic() {
        return false;
    }
    let u = c as u32;
    !(matches!(u, 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x2FA1F))
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Word {
    /// Nothing left.
    End,
    Number,
    Upper,
    Alpha,
    Connector,
    Punct,
    Other,
}

/// The next word of `s`: its type, its text and the rest.
fn next_word(s: &str) -> (Word, &str, &str) {
    let mut it = s.char_indices().peekable();
    let Some((_, first)) = it.next() else {
        return (Word::End, "", "");
    };
    let take_while = |start: usize, pred: &dyn Fn(char) -> bool| -> usize {
        let mut end = start;
        for (i, c) in s[start..].char_indices() {
            if !pred(c) {
                return start + i;
            }
            end = start + i + c.len_utf8();
        }
        end
    };
    let after_first = first.len_utf8();
    let (wt, end) = if is_connector(first) {
        (Word::Connector, take_while(after_first, &is_connector))
    } else if is_punct(first) {
        (Word::Punct, take_while(after_first, &is_punct))
    } else if is_upper(first) {
        let rest = &s[after_first..];
        match rest.chars().next() {
            None => (Word::Upper, after_first),
            Some(second) if is_upper(second) => {
                let end = take_while(after_first, &is_upper);
                // "HTTPServer": the last capital starts the next word.
                match s[end..].chars().next() {
                    Some(c) if is_alphabet(c) => {
                        let last = s[..end].chars().next_back().map_or(0, char::len_utf8);
                        (Word::Upper, end - last)
                    }
                    _ => (Word::Upper, end),
                }
            }
            Some(second) if is_alphabet(second) => (
                Word::Upper,
                take_while(after_first, &|c| is_alphabet(c) && !is_upper(c)),
            ),
            Some(_) => (Word::Upper, after_first),
        }
    } else if is_alphabet(first) {
        (
            Word::Alpha,
            take_while(after_first, &|c| is_alphabet(c) && !is_upper(c)),
        )
    } else if first.is_numeric() {
        (
            Word::Number,
            take_while(after_first, &|c: char| c.is_numeric()),
        )
    } else {
        (
            Word::Other,
            take_while(after_first, &|c| {
                !(is_connector(c) || is_alphabet(c) || c.is_numeric() || is_punct(c))
            }),
        )
    };
    (wt, &s[..end], &s[end..])
}

/// Append a word: upper-case words lowered and connector runs written as `sep`.
fn emit(out: &mut String, wt: Word, word: &str, sep: char) {
    if wt != Word::Upper && wt != Word::Connector {
        out.push_str(word);
        return;
    }
    for c in word.chars() {
        if is_connector(c) {
            out.push(sep);
        } else if is_upper(c) {
            out.push(to_lower(c));
        } else {
            out.push(c);
        }
    }
}

fn joins(wt: Word) -> bool {
    !matches!(wt, Word::End | Word::Connector | Word::Punct)
}

/// `ToSnakeCase` (`sep` `_`) and `ToKebabCase` (`sep` `-`).
pub fn lower_words(s: &str, sep: char) -> String {
    let mut out = String::with_capacity(s.len() + 4);
    let (mut wt, mut word, mut rest) = next_word(s);
    while !rest.is_empty() {
        if wt != Word::Connector {
            emit(&mut out, wt, word, sep);
        }
        let (prev, last) = (wt, word);
        (wt, word, rest) = next_word(rest);
        match prev {
            Word::Number => {
                while matches!(wt, Word::Alpha | Word::Number) {
                    emit(&mut out, wt, word, sep);
                    (wt, word, rest) = next_word(rest);
                }
                if joins(wt) {
                    out.push(sep);
                }
            }
            Word::Connector => emit(&mut out, prev, last, sep),
            Word::Punct => {}
            _ => {
                if wt != Word::Number {
                    if joins(wt) {
                        out.push(sep);
                    }
                    continue;
                }
                if rest.is_empty() {
                    continue;
                }
                let number = word;
                (wt, word, rest) = next_word(rest);
                if wt != Word::Alpha {
                    // "Bld4Floor": the number belongs to the word before it.
                    emit(&mut out, Word::Number, number, sep);
                    if joins(wt) {
                        out.push(sep);
                    }
                    continue;
                }
                // "HTTP2xx": a number followed by lower-case letters starts a word.
                out.push(sep);
                emit(&mut out, Word::Number, number, sep);
                while matches!(wt, Word::Alpha | Word::Number) {
                    emit(&mut out, wt, word, sep);
                    (wt, word, rest) = next_word(rest);
                }
                if joins(wt) {
                    out.push(sep);
                }
            }
        }
    }
    emit(&mut out, wt, word, sep);
    out
}

/// `ToPascalCase`: connectors removed (kept when doubled, leading or trailing), each word
/// capitalised, an all-capitals word lowered after its first letter.
pub fn pascal(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars();
    let mut first_upper = false;
    let mut cur = None;
    for c in chars.by_ref() {
        if !is_connector(c) {
            first_upper = is_upper(c);
            cur = Some(to_upper(c));
            break;
        }
        out.push(c);
    }
    let Some(mut r0) = cur else {
        return out;
    };
    for c in chars {
        let r1 = r0;
        r0 = c;
        if is_connector(r0) && is_connector(r1) {
            out.push(r1);
            continue;
        }
        if is_connector(r1) {
            first_upper = is_upper(r0);
            r0 = to_upper(r0);
        } else {
            if first_upper {
                if is_upper(r0) {
                    r0 = to_lower(r0);
                } else {
                    first_upper = false;
                }
            }
            out.push(r1);
        }
    }
    out.push(r0);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snake_and_kebab() {
        for (i, o) in [
            ("FirstName", "first_name"),
            ("HTTPServer", "http_server"),
            ("NoHTTPS", "no_https"),
            ("GO_PATH", "go_path"),
            ("GO PATH", "go_path"),
            ("GO-PATH", "go_path"),
            ("http2xx", "http_2xx"),
            ("HTTP20xOK", "http_20x_ok"),
            ("Duration2m3s", "duration_2m3s"),
            ("Bld4Floor3rd", "bld4_floor_3rd"),
        ] {
            assert_eq!(lower_words(i, '_'), o, "{i}");
        }
        assert_eq!(lower_words("HTTPServer", '-'), "http-server");
        assert_eq!(lower_words("GO PATH", '-'), "go-path");
    }

    #[test]
    fn pascal_case() {
        for (i, o) in [
            ("http_server", "HttpServer"),
            ("_complex__case_", "_Complex_Case_"),
            ("some words", "SomeWords"),
            ("GOLANG_IS_GREAT", "GolangIsGreat"),
            ("a", "A"),
        ] {
            assert_eq!(pascal(i), o, "{i}");
        }
    }
}
