//! Rune-level helpers with Go's `unicode` semantics: simple (one rune to one rune) case
//! mapping, and the character classes Sprig's string libraries test.

/// `unicode.ToUpper`: the simple mapping; runes whose full mapping is several runes stay.
pub fn to_upper(c: char) -> char {
    let mut it = c.to_uppercase();
    match (it.next(), it.next()) {
        (Some(u), None) => u,
        _ => c,
    }
}

/// `unicode.ToLower` (simple mapping; `İ` lowers to `i` as in Go's tables).
pub fn to_lower(c: char) -> char {
    if c == '\u{130}' {
        return 'i';
    }
    let mut it = c.to_lowercase();
    match (it.next(), it.next()) {
        (Some(u), None) => u,
        _ => c,
    }
}

/// `unicode.ToTitle`: upper case except for the digraphs that have a title form.
pub fn to_title(c: char) -> char {
    match c {
        '\u{1C4}'..='\u{1C6}' => '\u{1C5}',
        '\u{1C7}'..='\u{1C9}' => '\u{1C8}',
        '\u{1CA}'..='\u{1CC}' => '\u{1CB}',
        '\u{1F1}'..='\u{1F3}' => '\u{1F2}',
        _ => to_upper(c),
    }
}

/// `unicode.IsTitle` (category Lt).
pub fn is_title(c: char) -> bool {
    matches!(
        c,
        '\u{1C5}' | '\u{1C8}' | '\u{1CB}' | '\u{1F2}' | '\u{1F88}'..='\u{1F8F}'
            | '\u{1F98}'..='\u{1F9F}' | '\u{1FA8}'..='\u{1FAF}' | '\u{1FBC}' | '\u{1FCC}'
            | '\u{1FFC}'
    )
}

pub fn is_upper(c: char) -> bool {
    c.is_uppercase() && !is_title(c)
}

pub fn is_lower(c: char) -> bool {
    c.is_lowercase()
}

/// `unicode.IsSpace`.
pub fn is_space(c: char) -> bool {
    c.is_whitespace()
}

/// `unicode.IsPunct` for ASCII (Go's P category: symbols such as `$+<=>^`|~` are not
/// punctuation); other runes by Rust's classes.
pub fn is_punct(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_punctuation() && !"$+<=>^`|~".contains(c);
    }
    !c.is_alphanumeric() && !c.is_whitespace() && !c.is_control() && is_general_punct(c)
}

fn is_general_punct(c: char) -> bool {
    matches!(c as u32, 0xA1 | 0xA7 | 0xAB | 0xB6 | 0xB7 | 0xBB | 0xBF | 0x2010..=0x2027 | 0x2030..=0x205E | 0x3001..=0x3003 | 0x3008..=0x3011 | 0xFF01..=0xFF0F)
}

/// Go's `strings.Title` word boundary test.
pub fn is_title_separator(c: char) -> bool {
    if c.is_ascii() {
        return !(c.is_ascii_alphanumeric() || c == '_');
    }
    if c.is_alphabetic() || c.is_numeric() {
        return false;
    }
    is_space(c)
}
