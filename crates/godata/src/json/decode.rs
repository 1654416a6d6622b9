//! encoding/json decoding: a syntax check with Go's error messages, then values as
//! `Unmarshal` into `interface{}` builds them (float64 numbers, `map[string]interface {}`,
//! `[]interface {}`). Numbers keep their text so the YAML encoder can re-read them as
//! go-yaml does.

/// A parsed JSON document, numbers as written.
#[derive(Clone, Debug, PartialEq)]
pub enum Node {
    Null,
    Bool(bool),
    Num(String),
    Str(String),
    Arr(Vec<Node>),
    /// Members in document order (duplicates kept; the last wins when decoded).
    Obj(Vec<(String, Node)>),
}

/// How the end of input reads in an error: `json.Unmarshal` says "unexpected end of JSON
/// input", a `json.Decoder` says "unexpected EOF".
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum EofStyle {
    Unmarshal,
    Decoder,
}

// Go's scanner refuses nesting beyond 10000; we stop at 1000 so that every recursive walk
// over the result stays within a 2 MiB thread stack (no real document nests that deep).
const MAX_DEPTH: usize = 1000;

struct Parser<'a> {
    b: &'a [u8],
    pos: usize,
    eof: EofStyle,
    depth: usize,
}

/// Go's `quoteChar`: the offending byte as a single-quoted Go rune literal.
pub fn quote_char(c: u8) -> String {
    match c {
        b'\'' => "'\\''".to_string(),
        b'"' => "'\"'".to_string(),
        _ => format!("'{}'", go_quote_rune(char::from(c))),
    }
}

/// The inside of `strconv.Quote` for one rune.
fn go_quote_rune(c: char) -> String {
    match c {
        '\u{7}' => "\\a".into(),
        '\u{8}' => "\\b".into(),
        '\u{c}' => "\\f".into(),
        '\n' => "\\n".into(),
        '\r' => "\\r".into(),
        '\t' => "\\t".into(),
        '\u{b}' => "\\v".into(),
        '\\' => "\\\\".into(),
        c if (c as u32) < 0x20 || c as u32 == 0x7f => format!("\\x{:02x}", c as u32),
        c if (0x80..0xa0).contains(&(c as u32)) || c as u32 == 0xad => {
            format!("\\u{:04x}", c as u32)
        }
        c => c.to_string(),
    }
}

impl<'a> Parser<'a> {
    fn eof_err(&self) -> String {
        match self.eof {
            EofStyle::Unmarshal => "unexpected end of JSON input".to_string(),
            EofStyle::Decoder => "unexpected EOF".to_string(),
        }
    }

    fn invalid(&self, c: u8, context: &str) -> String {
        format!("invalid character {} {context}", quote_char(c))
    }

    fn skip_ws(&mut self) {
        while let Some(c) = self.b.get(self.pos) {
            if matches!(c, b' ' | b'\t' | b'\n' | b'\r') {
                self.pos += 1;
            } else {
                break;
            }
        }
    }

    fn peek(&self) -> Option<u8> {
        self.b.get(self.pos).copied()
    }

    fn value(&mut self) -> Result<Node, String> {
        self.skip_ws();
        let Some(c) = self.peek() else {
            return Err(self.eof_err());
        };
        match c {
            b'{' => self.object(),
            b'[' => self.array(),
            b'"' => self.string().map(Node::Str),
            b'-' | b'0'..=b'9' => self.number().map(Node::Num),
            b't' => self.literal("true").map(|_| Node::Bool(true)),
            b'f' => self.literal("false").map(|_| Node::Bool(false)),
            b'n' => self.literal("null").map(|_| Node::Null),
            c => Err(self.invalid(c, "looking for beginning of value")),
        }
    }

    fn nest(&mut self) -> Result<(), String> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err("exceeded max depth".to_string());
        }
        Ok(())
    }

    fn object(&mut self) -> Result<Node, String> {
        self.nest()?;
        self.pos += 1;
        let mut members = Vec::new();
        self.skip_ws();
        match self.peek() {
            None => return Err(self.eof_err()),
            Some(b'}') => {
                self.pos += 1;
                self.depth -= 1;
                return Ok(Node::Obj(members));
            }
            Some(_) => {}
        }
        loop {
            self.skip_ws();
            match self.peek() {
                None => return Err(self.eof_err()),
                Some(b'"') => {}
                Some(c) => {
                    return Err(self.invalid(c, "looking for beginning of object key string"));
                }
            }
            let key = self.string()?;
            self.skip_ws();
            match self.peek() {
                None => return Err(self.eof_err()),
                Some(b':') => self.pos += 1,
                Some(c) => return Err(self.invalid(c, "after object key")),
            }
            let v = self.value()?;
            members.push((key, v));
            self.skip_ws();
            match self.peek() {
                None => return Err(self.eof_err()),
                Some(b',') => self.pos += 1,
                Some(b'}') => {
                    self.pos += 1;
                    self.depth -= 1;
                    return Ok(Node::Obj(members));
                }
                Some(c) => return Err(self.invalid(c, "after object key:value pair")),
            }
        }
    }

    fn array(&mut self) -> Result<Node, String> {
        self.nest()?;
        self.pos += 1;
        let mut items = Vec::new();
        self.skip_ws();
        match self.peek() {
            None => return Err(self.eof_err()),
            Some(b']') => {
                self.pos += 1;
                self.depth -= 1;
                return Ok(Node::Arr(items));
            }
            Some(_) => {}
        }
        loop {
            items.push(self.value()?);
            self.skip_ws();
            match self.peek() {
                None => return Err(self.eof_err()),
                Some(b',') => self.pos += 1,
                Some(b']') => {
                    self.pos += 1;
                    self.depth -= 1;
                    return Ok(Node::Arr(items));
                }
                Some(c) => return Err(self.invalid(c, "after array element")),
            }
        }
    }

    fn hex4(&mut self) -> Result<u32, String> {
        let mut v = 0u32;
        for _ in 0..4 {
            let Some(c) = self.peek() else {
                return Err(self.eof_err());
            };
            let d = (c as char)
                .to_digit(16)
                .ok_or_else(|| self.invalid(c, "in \\u hexadecimal character escape"))?;
            v = v * 16 + d;
            self.pos += 1;
        }
        Ok(v)
    }

    fn string(&mut self) -> Result<String, String> {
        self.pos += 1;
        let mut out = String::new();
        let mut start = self.pos;
        loop {
            let Some(c) = self.peek() else {
                return Err(self.eof_err());
            };
            match c {
                b'"' => {
                    out.push_str(&String::from_utf8_lossy(&self.b[start..self.pos]));
                    self.pos += 1;
                    return Ok(out);
                }
                b'\\' => {
                    out.push_str(&String::from_utf8_lossy(&self.b[start..self.pos]));
                    self.pos += 1;
                    let Some(e) = self.peek() else {
                        return Err(self.eof_err());
                    };
                    self.pos += 1;
                    match e {
                        b'"' => out.push('"'),
                        b'\\' => out.push('\\'),
                        b'/' => out.push('/'),
                        b'b' => out.push('\u{8}'),
                        b'f' => out.push('\u{c}'),
                        b'n' => out.push('\n'),
                        b'r' => out.push('\r'),
                        b't' => out.push('\t'),
                        b'u' => {
                            let hi = self.hex4()?;
                            out.push(self.surrogate(hi)?);
                        }
                        e => return Err(self.invalid(e, "in string escape code")),
                    }
                    start = self.pos;
                }
                c if c < 0x20 => return Err(self.invalid(c, "in string literal")),
                _ => self.pos += 1,
            }
        }
    }

    /// Combines a UTF-16 surrogate pair; a lone surrogate decodes as U+FFFD, as in Go.
    fn surrogate(&mut self, hi: u32) -> Result<char, String> {
        if (0xD800..0xDC00).contains(&hi)
            && self.b.get(self.pos) == Some(&b'\\')
            && self.b.get(self.pos + 1) == Some(&b'u')
        {
            let save = self.pos;
            self.pos += 2;
            let lo = self.hex4()?;
            if (0xDC00..0xE000).contains(&lo) {
                let cp = 0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00);
                return Ok(char::from_u32(cp).unwrap_or('\u{FFFD}'));
            }
            self.pos = save;
        }
        Ok(char::from_u32(hi).unwrap_or('\u{FFFD}'))
    }

    fn digits(&mut self) {
        while matches!(self.peek(), Some(b'0'..=b'9')) {
            self.pos += 1;
        }
    }

    fn number(&mut self) -> Result<String, String> {
        let start = self.pos;
        if self.peek() == Some(b'-') {
            self.pos += 1;
        }
        match self.peek() {
            None => return Err(self.eof_err()),
            Some(b'0') => self.pos += 1,
            Some(b'1'..=b'9') => self.digits(),
            Some(c) => return Err(self.invalid(c, "in numeric literal")),
        }
        if self.peek() == Some(b'.') {
            self.pos += 1;
            match self.peek() {
                None => return Err(self.eof_err()),
                Some(b'0'..=b'9') => self.digits(),
                Some(c) => return Err(self.invalid(c, "after decimal point in numeric literal")),
            }
        }
        if matches!(self.peek(), Some(b'e' | b'E')) {
            self.pos += 1;
            if matches!(self.peek(), Some(b'+' | b'-')) {
                self.pos += 1;
            }
            match self.peek() {
                None => return Err(self.eof_err()),
                Some(b'0'..=b'9') => self.digits(),
                Some(c) => return Err(self.invalid(c, "in exponent of numeric literal")),
            }
        }
        Ok(String::from_utf8_lossy(&self.b[start..self.pos]).into_owned())
    }

    fn literal(&mut self, word: &str) -> Result<(), String> {
        for want in word.bytes() {
            let Some(c) = self.peek() else {
                return Err(self.eof_err());
            };
            if c != want {
                return Err(self.invalid(
                    c,
                    &format!("in literal {word} (expecting {})", quote_char(want)),
                ));
            }
            self.pos += 1;
        }
        Ok(())
    }
}

/// Parses a whole JSON document as `json.Unmarshal` checks it.
pub fn parse(text: &str) -> Result<Node, String> {
    let mut p = Parser {
        b: text.as_bytes(),
        pos: 0,
        eof: EofStyle::Unmarshal,
        depth: 0,
    };
    let node = p.value()?;
    p.skip_ws();
    if let Some(c) = p.peek() {
        return Err(p.invalid(c, "after top-level value"));
    }
    Ok(node)
}

/// Parses the first JSON value of `text` as a `json.Decoder` reads it, returning the value
/// and the number of bytes consumed (Go's `InputOffset`). Trailing text is not checked.
pub fn parse_prefix(text: &str, eof: EofStyle) -> Result<(Node, usize), String> {
    let mut p = Parser {
        b: text.as_bytes(),
        pos: 0,
        eof,
        depth: 0,
    };
    p.skip_ws();
    if p.peek().is_none() {
        return Err("EOF".to_string());
    }
    let node = p.value()?;
    Ok((node, p.pos))
}
