//! A TOML 1.0 reader for Helm's `fromToml`, building what BurntSushi/toml decodes into
//! `map[string]interface {}` (int64, float64, bool, string, `[]interface {}`, arrays of
//! tables as `[]map[string]interface {}`) and failing with its messages
//! (`toml: line 1: unexpected EOF; expected key separator '='`).

use std::cell::RefCell;
use std::collections::{BTreeMap, HashSet};
use std::rc::Rc;

use kspm_gotmpl::strconv::quote_rune;
use kspm_gotmpl::{List, Map, Value};

type MapRef = Rc<RefCell<Map>>;

fn new_map() -> MapRef {
    Rc::new(RefCell::new(Map {
        type_name: Rc::from("map[string]interface {}"),
        entries: BTreeMap::new(),
    }))
}

const TABLE_ARRAY: &str = "[]map[string]interface {}";

struct Err {
    line: usize,
    msg: String,
    last_key: String,
}

type Res<T> = Result<T, Err>;

struct Parser {
    chars: Vec<char>,
    pos: usize,
    /// Tables defined by a `[header]` or as inline tables/values (cannot be reopened).
    defined: HashSet<String>,
    /// Tables created implicitly by dotted keys within the current section.
    current_key: String,
    /// Nesting of arrays and inline tables, bounded to keep recursion on the stack.
    depth: usize,
}

fn go_char(c: Option<char>) -> String {
    match c {
        None => "EOF".to_string(),
        Some(c) => quote_rune(c, false),
    }
}

impl Parser {
    fn line(&self) -> usize {
        1 + self.chars[..self.pos.min(self.chars.len())]
            .iter()
            .filter(|c| **c == '\n')
            .count()
    }

    /// An error at the current position; at the end of input the last line counts (the
    /// lexer reports end-of-input problems on the line they belong to).
    fn err(&self, msg: impl Into<String>) -> Err {
        let msg = msg.into();
        let mut line = self.line();
        if msg.contains("EOF") && self.chars.last() == Some(&'\n') && line > 1 {
            line -= 1;
        }
        Err {
            line,
            msg,
            last_key: String::new(),
        }
    }

    fn key_err(&self, msg: impl Into<String>) -> Err {
        let mut e = self.err(msg);
        e.last_key = self.current_key.clone();
        e
    }

    fn peek(&self) -> Option<char> {
        self.chars.get(self.pos).copied()
    }

    fn peek_at(&self, n: usize) -> Option<char> {
        self.chars.get(self.pos + n).copied()
    }

    fn bump(&mut self) -> Option<char> {
        let c = self.peek();
        if c.is_some() {
            self.pos += 1;
        }
        c
    }

    fn skip_ws(&mut self) {
        while matches!(self.peek(), Some(' ' | '\t')) {
            self.pos += 1;
        }
    }

    fn skip_comment(&mut self) {
        if self.peek() == Some('#') {
            while let Some(c) = self.peek() {
                if c == '\n' {
                    break;
                }
                self.pos += 1;
            }
        }
    }

    fn at_newline(&self) -> bool {
        self.peek() == Some('\n') || (self.peek() == Some('\r') && self.peek_at(1) == Some('\n'))
    }

    fn skip_ws_nl_comments(&mut self) {
        loop {
            self.skip_ws();
            self.skip_comment();
            if self.at_newline() {
                self.pos += if self.peek() == Some('\r') { 2 } else { 1 };
                continue;
            }
            break;
        }
    }

    fn document(&mut self) -> Res<MapRef> {
        let root = new_map();
        let mut current = root.clone();
        let mut current_path: Vec<String> = Vec::new();
        loop {
            self.skip_ws_nl_comments();
            match self.peek() {
                None => return Ok(root),
                Some('[') => {
                    self.pos += 1;
                    let array = self.peek() == Some('[');
                    if array {
                        self.pos += 1;
                    }
                    self.skip_ws();
                    match self.peek() {
                        Some(']') | None => {
                            return Err(self.err(
                                "unexpected end of table name (table names cannot be empty)",
                            ));
                        }
                        Some('.') => {
                            return Err(self
                                .err("unexpected table separator (table names cannot be empty)"));
                        }
                        _ => {}
                    }
                    let path = self.key_path(']')?;
                    if array && self.bump() != Some(']') {
                        let got = self.peek_at(0);
                        return Err(self.err(format!(
                            "expected end of table array name delimiter ']', but got {} instead",
                            go_char(got)
                        )));
                    }
                    self.current_key = path.join(".");
                    current = if array {
                        self.array_table(&root, &path)?
                    } else {
                        self.table(&root, &path)?
                    };
                    current_path = path;
                    self.end_of_line()?;
                }
                Some(_) => {
                    self.key_value(&current, &current_path)?;
                    self.end_of_line()?;
                }
            }
        }
    }

    fn end_of_line(&mut self) -> Res<()> {
        self.skip_ws();
        self.skip_comment();
        match self.peek() {
            None => Ok(()),
            _ if self.at_newline() => Ok(()),
            c => Err(self.err(format!(
                "expected a top-level item to end with a newline, comment, or EOF, but got {} instead",
                go_char(c)
            ))),
        }
    }

    /// Key parts up to `end` (`=` for keys, `]` for headers), consuming `end`.
    fn key_path(&mut self, end: char) -> Res<Vec<String>> {
        let mut parts = Vec::new();
        loop {
            self.skip_ws();
            let part = match self.peek() {
                Some('"') => {
                    self.pos += 1;
                    self.basic_string()?
                }
                Some('\'') => {
                    self.pos += 1;
                    self.literal_string()?
                }
                Some(c) if c.is_ascii_alphanumeric() || c == '_' || c == '-' => {
                    let start = self.pos;
                    while self
                        .peek()
                        .is_some_and(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
                    {
                        self.pos += 1;
                    }
                    self.chars[start..self.pos].iter().collect()
                }
                None if end == '=' => {
                    return Err(self.err("unexpected EOF; expected key separator '='"));
                }
                c if end == '=' && parts.is_empty() && matches!(c, Some('=')) => {
                    return Err(self.err("unexpected '=': key name appears blank"));
                }
                c => {
                    return Err(self.err(format!("bare keys cannot contain {}", go_char(c))));
                }
            };
            parts.push(part);
            self.skip_ws();
            match self.bump() {
                Some('.') => continue,
                Some(c) if c == end => return Ok(parts),
                None if end == '=' => {
                    return Err(self.err("unexpected EOF; expected key separator '='"));
                }
                c => {
                    // Reported after reading the character (a newline counts as read).
                    return Err(self.err(if end == '=' {
                        format!("expected '.' or '=', but got {} instead", go_char(c))
                    } else {
                        format!(
                            "expected '.' or ']' to end table name, but got {} instead",
                            go_char(c)
                        )
                    }));
                }
            }
        }
    }

    /// Walks (creating) the tables of `path` below `root`; the last element of an array of
    /// tables is entered.
    fn descend(&self, root: &MapRef, path: &[String]) -> Res<MapRef> {
        let mut cur = root.clone();
        for (i, part) in path.iter().enumerate() {
            let existing = cur.borrow().entries.get(part).cloned();
            let next = match existing {
                None => {
                    let m = new_map();
                    cur.borrow_mut()
                        .entries
                        .insert(part.clone(), Value::Map(m.clone()));
                    m
                }
                Some(Value::Map(m)) => m,
                Some(Value::List(l)) if &*l.type_name == TABLE_ARRAY => match l.items.last() {
                    Some(Value::Map(m)) => m.clone(),
                    _ => return Err(self.key_err(self.redefined(&path[..=i]))),
                },
                Some(_) => return Err(self.key_err(self.redefined(&path[..=i]))),
            };
            cur = next;
        }
        Ok(cur)
    }

    fn redefined(&self, path: &[String]) -> String {
        format!("Key '{}' has already been defined.", path.join("."))
    }

    fn table(&mut self, root: &MapRef, path: &[String]) -> Res<MapRef> {
        let name = path.join("\u{0}");
        if !self.defined.insert(name) {
            return Err(self.key_err(self.redefined(path)));
        }
        self.descend(root, path)
    }

    fn array_table(&mut self, root: &MapRef, path: &[String]) -> Res<MapRef> {
        let (last, parent_path) = path
            .split_last()
            .map_or((String::new(), &path[..0]), |(l, p)| (l.clone(), p));
        let parent = self.descend(root, parent_path)?;
        let existing = parent.borrow().entries.get(&last).cloned();
        let item = new_map();
        let items = match existing {
            None => vec![Value::Map(item.clone())],
            Some(Value::List(l)) if &*l.type_name == TABLE_ARRAY => {
                let mut items = l.items.clone();
                items.push(Value::Map(item.clone()));
                items
            }
            Some(_) => return Err(self.key_err(self.redefined(path))),
        };
        // A new element: sub-tables of the previous element may be defined again.
        let prefix = format!("{}\u{0}", path.join("\u{0}"));
        self.defined.retain(|d| !d.starts_with(&prefix));
        parent.borrow_mut().entries.insert(
            last,
            Value::List(Rc::new(List {
                type_name: Rc::from(TABLE_ARRAY),
                items,
            })),
        );
        Ok(item)
    }

    fn key_value(&mut self, table: &MapRef, table_path: &[String]) -> Res<()> {
        let path = self.key_path('=')?;
        let mut full: Vec<String> = table_path.to_vec();
        full.extend(path.iter().cloned());
        self.current_key = full.join(".");
        self.skip_ws();
        let value = self.value()?;
        let (last, parents) = path
            .split_last()
            .map_or((String::new(), &path[..0]), |(l, p)| (l.clone(), p));
        let target = self.descend(table, parents)?;
        if target.borrow().entries.contains_key(&last) {
            return Err(self.key_err(self.redefined(&full)));
        }
        if let Value::Map(_) = value {
            self.defined.insert(full.join("\u{0}"));
        }
        target.borrow_mut().entries.insert(last, value);
        Ok(())
    }

    fn value(&mut self) -> Res<Value> {
        self.depth += 1;
        let r = if self.depth > 200 {
            Err(self.err("value nests too deeply"))
        } else {
            self.value_inner()
        };
        self.depth -= 1;
        r
    }

    fn value_inner(&mut self) -> Res<Value> {
        match self.peek() {
            None => Err(self.err("unexpected EOF; expected value")),
            Some('"') => {
                if self.peek_at(1) == Some('"') && self.peek_at(2) == Some('"') {
                    self.pos += 3;
                    return self.multiline_basic().map(Value::string);
                }
                self.pos += 1;
                self.basic_string().map(Value::string)
            }
            Some('\'') => {
                if self.peek_at(1) == Some('\'') && self.peek_at(2) == Some('\'') {
                    self.pos += 3;
                    return self.multiline_literal().map(Value::string);
                }
                self.pos += 1;
                self.literal_string().map(Value::string)
            }
            Some('[') => {
                self.pos += 1;
                self.array()
            }
            Some('{') => {
                self.pos += 1;
                self.inline_table()
            }
            Some('.') => Err(self.err("floats must start with a digit, not '.'")),
            Some(c) if c.is_ascii_digit() || c == '+' || c == '-' || c == 'i' || c == 'n' => {
                self.number_or_date()
            }
            Some(c) if c.is_alphabetic() => {
                let start = self.pos;
                while self.peek().is_some_and(char::is_alphabetic) {
                    self.pos += 1;
                }
                let word: String = self.chars[start..self.pos].iter().collect();
                match word.as_str() {
                    "true" => Ok(Value::Bool(true)),
                    "false" => Ok(Value::Bool(false)),
                    _ => Err(self.err(format!(
                        "expected value but found {} instead",
                        kspm_gotmpl::strconv::quote(&word)
                    ))),
                }
            }
            c => Err(self.err(format!("expected value but found {} instead", go_char(c)))),
        }
    }

    fn array(&mut self) -> Res<Value> {
        let mut items = Vec::new();
        loop {
            self.skip_ws_nl_comments();
            match self.peek() {
                Some(']') => {
                    self.pos += 1;
                    break;
                }
                Some(',') => return Err(self.err("unexpected comma")),
                None => return Err(self.err("unexpected EOF; expected value")),
                _ => {}
            }
            items.push(self.value()?);
            self.skip_ws_nl_comments();
            match self.bump() {
                Some(',') => continue,
                Some(']') => break,
                c => {
                    if c.is_some() {
                        self.pos -= 1;
                    }
                    return Err(self.err(format!(
                        "expected a comma (',') or array terminator (']'), but got {}",
                        go_char(c)
                    )));
                }
            }
        }
        Ok(Value::list(items))
    }

    fn inline_table(&mut self) -> Res<Value> {
        let table = new_map();
        let saved_key = self.current_key.clone();
        self.skip_ws();
        if self.peek() == Some('}') {
            self.pos += 1;
            return Ok(Value::Map(table));
        }
        loop {
            self.skip_ws();
            if self.at_newline() {
                return Err(self.err("newlines not allowed within inline tables"));
            }
            if self.peek() == Some(',') {
                return Err(self.err("unexpected comma"));
            }
            self.key_value(&table, &[])?;
            self.skip_ws();
            match self.bump() {
                Some(',') => {
                    self.skip_ws();
                    if self.peek() == Some('}') {
                        return Err(self.err("trailing comma not allowed in inline tables"));
                    }
                }
                Some('}') => break,
                None => return Err(self.err("unexpected EOF; expected value")),
                Some('\n') => {
                    return Err(self.err("newlines not allowed within inline tables"));
                }
                c => {
                    self.pos -= 1;
                    return Err(self.err(format!(
                        "expected a comma or an inline table terminator '}}', but got {} instead",
                        go_char(c)
                    )));
                }
            }
        }
        self.current_key = saved_key;
        Ok(Value::Map(table))
    }

    fn hex_escape(&mut self, n: usize) -> Res<char> {
        let start = self.pos;
        for _ in 0..n {
            if !self.peek().is_some_and(|c| c.is_ascii_hexdigit()) {
                let text: String = self.chars[start..self.pos.min(self.chars.len())]
                    .iter()
                    .collect();
                return Err(self.err(format!("invalid escape sequence: \\u{text}")));
            }
            self.pos += 1;
        }
        let text: String = self.chars[start..self.pos].iter().collect();
        u32::from_str_radix(&text, 16)
            .ok()
            .and_then(char::from_u32)
            .ok_or_else(|| self.err(format!("invalid escape sequence: \\u{text}")))
    }

    fn escape(&mut self, out: &mut String) -> Res<()> {
        match self.bump() {
            Some('b') => out.push('\u{8}'),
            Some('t') => out.push('\t'),
            Some('n') => out.push('\n'),
            Some('f') => out.push('\u{c}'),
            Some('r') => out.push('\r'),
            Some('"') => out.push('"'),
            Some('\\') => out.push('\\'),
            Some('u') => out.push(self.hex_escape(4)?),
            Some('U') => out.push(self.hex_escape(8)?),
            c => {
                return Err(self.err(format!(
                    "invalid escape character {}; only the following escape characters are allowed: \\b, \\t, \\n, \\f, \\r, \\\", \\\\, \\uXXXX, and \\UXXXXXXXX",
                    go_char(c)
                )));
            }
        }
        Ok(())
    }

    fn basic_string(&mut self) -> Res<String> {
        let mut out = String::new();
        loop {
            match self.bump() {
                None => return Err(self.err("unexpected EOF; expected '\"'")),
                Some('"') => return Ok(out),
                Some('\n') => {
                    self.pos -= 1;
                    return Err(self.err("strings cannot contain newlines"));
                }
                Some('\\') => self.escape(&mut out)?,
                Some(c) => out.push(c),
            }
        }
    }

    fn literal_string(&mut self) -> Res<String> {
        let mut out = String::new();
        loop {
            match self.bump() {
                None => return Err(self.err("unexpected EOF; expected \"'\"")),
                Some('\'') => return Ok(out),
                Some('\n') => {
                    self.pos -= 1;
                    return Err(self.err("strings cannot contain newlines"));
                }
                Some(c) => out.push(c),
            }
        }
    }

    fn skip_first_newline(&mut self) {
        if self.peek() == Some('\n') {
            self.pos += 1;
        } else if self.peek() == Some('\r') && self.peek_at(1) == Some('\n') {
            self.pos += 2;
        }
    }

    fn multiline_basic(&mut self) -> Res<String> {
        self.skip_first_newline();
        let mut out = String::new();
        loop {
            if self.peek() == Some('"')
                && self.peek_at(1) == Some('"')
                && self.peek_at(2) == Some('"')
            {
                // Up to two more quotes belong to the content.
                let mut extra = 0;
                while extra < 2 && self.peek_at(3 + extra) == Some('"') {
                    extra += 1;
                }
                for _ in 0..extra {
                    out.push('"');
                }
                self.pos += 3 + extra;
                return Ok(out);
            }
            match self.bump() {
                None => return Err(self.err("unexpected EOF; expected '\"\"\"'")),
                Some('\\') => {
                    // A backslash at the end of a line trims the break and following blanks.
                    let save = self.pos;
                    self.skip_ws();
                    if self.at_newline() {
                        while matches!(self.peek(), Some(' ' | '\t' | '\n' | '\r')) {
                            self.pos += 1;
                        }
                    } else {
                        self.pos = save;
                        self.escape(&mut out)?;
                    }
                }
                Some(c) => out.push(c),
            }
        }
    }

    fn multiline_literal(&mut self) -> Res<String> {
        self.skip_first_newline();
        let mut out = String::new();
        loop {
            if self.peek() == Some('\'')
                && self.peek_at(1) == Some('\'')
                && self.peek_at(2) == Some('\'')
            {
                let mut extra = 0;
                while extra < 2 && self.peek_at(3 + extra) == Some('\'') {
                    extra += 1;
                }
                for _ in 0..extra {
                    out.push('\'');
                }
                self.pos += 3 + extra;
                return Ok(out);
            }
            match self.bump() {
                None => return Err(self.err("unexpected EOF; expected \"'''\"")),
                Some(c) => out.push(c),
            }
        }
    }

    fn number_or_date(&mut self) -> Res<Value> {
        let start = self.pos;
        while let Some(c) = self.peek() {
            let date_space = c == ' '
                && self.pos - start == 10
                && self.peek_at(1).is_some_and(|d| d.is_ascii_digit())
                && self.chars[start..self.pos]
                    .iter()
                    .filter(|c| **c == '-')
                    .count()
                    == 2;
            if c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '_' | '.' | ':') || date_space {
                self.pos += 1;
            } else {
                break;
            }
        }
        let text: String = self.chars[start..self.pos].iter().collect();
        parse_number_or_date(&text).ok_or_else(|| self.err(number_error(&text)))
    }
}

fn number_error(text: &str) -> String {
    let body = text.trim_start_matches(['+', '-']);
    if body.len() > 1
        && body.starts_with('0')
        && body.chars().nth(1).is_some_and(|c| c.is_ascii_digit())
    {
        return format!(
            "invalid integer {}: cannot have leading zeroes",
            kspm_gotmpl::strconv::quote(text)
        );
    }
    if text.contains('.') || text.contains(['e', 'E']) {
        return format!("invalid float: {}", kspm_gotmpl::strconv::quote(text));
    }
    format!("invalid integer: {}", kspm_gotmpl::strconv::quote(text))
}

fn valid_underscores(s: &str) -> bool {
    let b = s.as_bytes();
    for (i, c) in b.iter().enumerate() {
        if *c == b'_' {
            let ok = i > 0
                && i + 1 < b.len()
                && b[i - 1].is_ascii_alphanumeric()
                && b[i + 1].is_ascii_alphanumeric();
            if !ok {
                return false;
            }
        }
    }
    true
}

fn parse_number_or_date(text: &str) -> Option<Value> {
    match text {
        "inf" | "+inf" => return Some(Value::float64(f64::INFINITY)),
        "-inf" => return Some(Value::float64(f64::NEG_INFINITY)),
        "nan" | "+nan" | "-nan" => return Some(Value::float64(f64::NAN)),
        _ => {}
    }
    if is_datetime(text) {
        // A time.Time in Go; kept as its text here.
        return Some(Value::string(text));
    }
    if !valid_underscores(text) {
        return None;
    }
    let clean: String = text.chars().filter(|c| *c != '_').collect();
    for (prefix, radix) in [("0x", 16), ("0o", 8), ("0b", 2)] {
        if let Some(digits) = clean.strip_prefix(prefix) {
            if digits.is_empty() || text[2..].starts_with('_') {
                return None;
            }
            return i64::from_str_radix(digits, radix).ok().map(Value::int64);
        }
    }
    let body = clean.trim_start_matches(['+', '-']);
    if body.is_empty() || !body.starts_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    let is_float = body.contains(['.', 'e', 'E']);
    if !is_float {
        if body.len() > 1 && body.starts_with('0') {
            return None;
        }
        if !body.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        return clean.parse::<i64>().ok().map(Value::int64);
    }
    // A float: int part, optional fraction with digits, optional exponent.
    let (mantissa, exp) = match body.find(['e', 'E']) {
        Some(i) => (&body[..i], Some(&body[i + 1..])),
        None => (body, None),
    };
    let (int_part, frac) = match mantissa.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (mantissa, None),
    };
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if !digits(int_part) || (int_part.len() > 1 && int_part.starts_with('0')) {
        return None;
    }
    if let Some(f) = frac
        && !digits(f)
    {
        return None;
    }
    if let Some(e) = exp
        && !digits(e.trim_start_matches(['+', '-']))
    {
        return None;
    }
    clean.parse::<f64>().ok().map(Value::float64)
}

/// RFC 3339 date-times, local date-times, dates and times as TOML allows them.
fn is_datetime(s: &str) -> bool {
    let b = s.as_bytes();
    let digits =
        |r: std::ops::Range<usize>| b.get(r).is_some_and(|x| x.iter().all(u8::is_ascii_digit));
    let time_at = |i: usize| {
        digits(i..i + 2)
            && b.get(i + 2) == Some(&b':')
            && digits(i + 3..i + 5)
            && b.get(i + 5) == Some(&b':')
            && digits(i + 6..i + 8)
    };
    if b.len() >= 8 && time_at(0) {
        return true;
    }
    if !(b.len() >= 10
        && digits(0..4)
        && b[4] == b'-'
        && digits(5..7)
        && b[7] == b'-'
        && digits(8..10))
    {
        return false;
    }
    if b.len() == 10 {
        return true;
    }
    matches!(b[10], b'T' | b't' | b' ') && time_at(11)
}

/// `toml.Unmarshal` into `map[string]interface {}`.
pub fn unmarshal(text: &str) -> Result<Value, String> {
    let mut p = Parser {
        chars: text.chars().collect(),
        pos: 0,
        defined: HashSet::new(),
        current_key: String::new(),
        depth: 0,
    };
    match p.document() {
        Ok(root) => Ok(Value::Map(root)),
        Err(e) if e.last_key.is_empty() => Err(format!("toml: line {}: {}", e.line, e.msg)),
        Err(e) => Err(format!(
            "toml: line {} (last key {}): {}",
            e.line,
            kspm_gotmpl::strconv::quote(&e.last_key),
            e.msg
        )),
    }
}
