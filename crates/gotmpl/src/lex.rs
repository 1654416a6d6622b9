//! The template lexer: Go's `text/template/parse` items, trim markers, comments and
//! error items with Go's messages. Items are produced eagerly; lexing stops at the first
//! error item, which the parser reports when it reaches it (as Go's lazy lexer would).

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ItemType {
    Error,
    Bool,
    Char,
    CharConstant,
    Complex,
    Assign,
    Declare,
    Eof,
    Field,
    Identifier,
    LeftDelim,
    LeftParen,
    Number,
    Pipe,
    RawString,
    RightDelim,
    RightParen,
    Space,
    String,
    Text,
    Variable,
    // Keywords (Go's items after `itemKeyword`).
    Block,
    Break,
    Continue,
    Dot,
    Define,
    Else,
    End,
    If,
    Nil,
    Range,
    Template,
    With,
}

impl ItemType {
    fn is_keyword(self) -> bool {
        matches!(
            self,
            ItemType::Block
                | ItemType::Break
                | ItemType::Continue
                | ItemType::Dot
                | ItemType::Define
                | ItemType::Else
                | ItemType::End
                | ItemType::If
                | ItemType::Nil
                | ItemType::Range
                | ItemType::Template
                | ItemType::With
        )
    }
}

#[derive(Clone, Debug)]
pub struct Item {
    pub typ: ItemType,
    /// Byte offset of the item in the input.
    pub pos: usize,
    /// The item's text (for errors: the message).
    pub val: String,
    pub line: usize,
}

impl std::fmt::Display for Item {
    /// Go's `item.String()`, used in parse errors.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.typ {
            ItemType::Eof => write!(f, "EOF"),
            ItemType::Error => write!(f, "{}", self.val),
            t if t.is_keyword() => write!(f, "<{}>", self.val),
            _ => {
                if self.val.chars().count() > 10 {
                    let short: String = self.val.chars().take(10).collect();
                    write!(f, "{}...", crate::strconv::quote(&short))
                } else {
                    write!(f, "{}", crate::strconv::quote(&self.val))
                }
            }
        }
    }
}

pub struct Lexer<'a> {
    input: &'a str,
    left: &'a str,
    right: &'a str,
    pos: usize,
    start: usize,
    paren_depth: i32,
    items: Vec<Item>,
    break_ok: bool,
    continue_ok: bool,
    /// Newlines before `start`, maintained incrementally.
    line_at: LineCounter,
}

struct LineCounter {
    pos: usize,
    line: usize,
}

const LEFT_COMMENT: &str = "/*";
const RIGHT_COMMENT: &str = "*/";

fn is_space(c: u8) -> bool {
    matches!(c, b' ' | b'\t' | b'\r' | b'\n')
}

fn is_alnum(c: char) -> bool {
    c == '_' || c.is_alphabetic() || c.is_numeric()
}

fn has_left_trim(s: &[u8]) -> bool {
    s.len() >= 2 && s[0] == b'-' && is_space(s[1])
}

fn has_right_trim(s: &[u8]) -> bool {
    s.len() >= 2 && is_space(s[0]) && s[1] == b'-'
}

/// Lex `input` with the delimiters; `break`/`continue` are keywords unless functions of
/// those names exist (as Go decides).
pub fn lex(input: &str, left: &str, right: &str, break_ok: bool, continue_ok: bool) -> Vec<Item> {
    let mut l = Lexer {
        input,
        left: if left.is_empty() { "{{" } else { left },
        right: if right.is_empty() { "}}" } else { right },
        pos: 0,
        start: 0,
        paren_depth: 0,
        items: Vec::new(),
        break_ok,
        continue_ok,
        line_at: LineCounter { pos: 0, line: 1 },
    };
    l.run();
    l.items
}

enum State {
    Text,
    LeftDelim,
    Comment,
    RightDelim,
    InsideAction,
    Done,
}

impl<'a> Lexer<'a> {
    fn line_of(&mut self, pos: usize) -> usize {
        if pos < self.line_at.pos {
            self.line_at = LineCounter { pos: 0, line: 1 };
        }
        let extra = self.input.as_bytes()[self.line_at.pos..pos]
            .iter()
            .filter(|&&b| b == b'\n')
            .count();
        self.line_at = LineCounter {
            pos,
            line: self.line_at.line + extra,
        };
        self.line_at.line
    }

    fn emit(&mut self, typ: ItemType) {
        let val = self.input[self.start..self.pos].to_string();
        let line = self.line_of(self.start);
        self.items.push(Item {
            typ,
            pos: self.start,
            val,
            line,
        });
        self.start = self.pos;
    }

    fn error(&mut self, msg: String) -> State {
        let line = self.line_of(self.start);
        self.items.push(Item {
            typ: ItemType::Error,
            pos: self.start,
            val: msg,
            line,
        });
        State::Done
    }

    fn rest(&self) -> &'a [u8] {
        &self.input.as_bytes()[self.pos..]
    }

    fn peek(&self) -> Option<char> {
        self.input[self.pos..].chars().next()
    }

    fn next(&mut self) -> Option<char> {
        let c = self.peek()?;
        self.pos += c.len_utf8();
        Some(c)
    }

    fn accept(&mut self, valid: &str) -> bool {
        match self.peek() {
            Some(c) if valid.contains(c) => {
                self.pos += c.len_utf8();
                true
            }
            _ => false,
        }
    }

    fn accept_run(&mut self, valid: &str) {
        while self.accept(valid) {}
    }

    fn run(&mut self) {
        let mut state = State::Text;
        loop {
            state = match state {
                State::Text => self.lex_text(),
                State::LeftDelim => self.lex_left_delim(),
                State::Comment => self.lex_comment(),
                State::RightDelim => self.lex_right_delim(),
                State::InsideAction => self.lex_inside_action(),
                State::Done => return,
            }
        }
    }

    fn lex_text(&mut self) -> State {
        if let Some(x) = self.input[self.pos..].find(self.left) {
            if x > 0 {
                self.pos += x;
                let delim_end = self.pos + self.left.len();
                let mut trim = 0;
                if has_left_trim(&self.input.as_bytes()[delim_end..]) {
                    let text = &self.input.as_bytes()[self.start..self.pos];
                    trim = text.len() - trim_right_space(text).len();
                }
                self.pos -= trim;
                if self.pos > self.start {
                    self.emit(ItemType::Text);
                }
                self.pos += trim;
                self.start = self.pos;
            }
            return State::LeftDelim;
        }
        self.pos = self.input.len();
        if self.pos > self.start {
            self.emit(ItemType::Text);
        }
        self.emit(ItemType::Eof);
        State::Done
    }

    fn lex_left_delim(&mut self) -> State {
        self.pos += self.left.len();
        let trim = has_left_trim(self.rest());
        let after = if trim { 2 } else { 0 };
        if self.input[self.pos + after..].starts_with(LEFT_COMMENT) {
            self.pos += after;
            self.start = self.pos;
            return State::Comment;
        }
        self.emit(ItemType::LeftDelim);
        self.pos += after;
        self.start = self.pos;
        self.paren_depth = 0;
        State::InsideAction
    }

    fn lex_comment(&mut self) -> State {
        self.pos += LEFT_COMMENT.len();
        let Some(x) = self.input[self.pos..].find(RIGHT_COMMENT) else {
            return self.error("unclosed comment".into());
        };
        self.pos += x + RIGHT_COMMENT.len();
        let (delim, trim) = self.at_right_delim();
        if !delim {
            return self.error("comment ends before closing delimiter".into());
        }
        if trim {
            self.pos += 2;
        }
        self.pos += self.right.len();
        if trim {
            self.pos += left_trim_len(self.rest());
        }
        self.start = self.pos;
        State::Text
    }

    fn at_right_delim(&self) -> (bool, bool) {
        let r = self.rest();
        if has_right_trim(r) && r[2..].starts_with(self.right.as_bytes()) {
            return (true, true);
        }
        if r.starts_with(self.right.as_bytes()) {
            return (true, false);
        }
        (false, false)
    }

    fn lex_right_delim(&mut self) -> State {
        let (_, trim) = self.at_right_delim();
        if trim {
            self.pos += 2;
            self.start = self.pos;
        }
        self.pos += self.right.len();
        self.emit(ItemType::RightDelim);
        if trim {
            self.pos += left_trim_len(self.rest());
            self.start = self.pos;
        }
        State::Text
    }

    fn lex_inside_action(&mut self) -> State {
        let (delim, _) = self.at_right_delim();
        if delim {
            if self.paren_depth == 0 {
                return State::RightDelim;
            }
            return self.error("unclosed left paren".into());
        }
        let Some(r) = self.next() else {
            return self.error("unclosed action".into());
        };
        match r {
            ' ' | '\t' | '\r' | '\n' => {
                self.pos -= 1;
                return self.lex_space();
            }
            '=' => self.emit(ItemType::Assign),
            ':' => {
                if self.next() != Some('=') {
                    return self.error("expected :=".into());
                }
                self.emit(ItemType::Declare);
            }
            '|' => self.emit(ItemType::Pipe),
            '"' => return self.lex_quote(),
            '`' => return self.lex_raw_quote(),
            '$' => return self.lex_field_or_variable(ItemType::Variable),
            '\'' => return self.lex_char(),
            '.' => {
                match self.rest().first() {
                    Some(c) if !c.is_ascii_digit() => {
                        return self.lex_field_or_variable(ItemType::Field);
                    }
                    // At the end of input Go lexes "." as a number.
                    None => {}
                    _ => {}
                }
                self.pos -= 1;
                return self.lex_number();
            }
            '+' | '-' | '0'..='9' => {
                self.pos -= 1;
                return self.lex_number();
            }
            c if is_alnum(c) => {
                self.pos -= c.len_utf8();
                return self.lex_identifier();
            }
            '(' => {
                self.emit(ItemType::LeftParen);
                self.paren_depth += 1;
            }
            ')' => {
                self.emit(ItemType::RightParen);
                self.paren_depth -= 1;
                if self.paren_depth < 0 {
                    return self.error("unexpected right paren".into());
                }
            }
            c if c.is_ascii() && !c.is_ascii_control() => self.emit(ItemType::Char),
            c => {
                return self.error(format!(
                    "unrecognized character in action: {}",
                    go_sharp_u(c)
                ));
            }
        }
        State::InsideAction
    }

    fn lex_space(&mut self) -> State {
        let mut n = 0;
        while let Some(&c) = self.rest().first() {
            if !is_space(c) {
                break;
            }
            self.pos += 1;
            n += 1;
        }
        // A space followed by "-}}" is the trim marker of the closing delimiter.
        let before = &self.input.as_bytes()[self.pos - 1..];
        if has_right_trim(before) && before[2..].starts_with(self.right.as_bytes()) {
            self.pos -= 1;
            if n == 1 {
                return State::RightDelim;
            }
        }
        self.emit(ItemType::Space);
        State::InsideAction
    }

    fn at_terminator(&self) -> bool {
        let Some(c) = self.peek() else {
            return true;
        };
        if matches!(
            c,
            ' ' | '\t' | '\r' | '\n' | '.' | ',' | '|' | ':' | ')' | '('
        ) {
            return true;
        }
        self.rest().starts_with(self.right.as_bytes())
    }

    fn lex_identifier(&mut self) -> State {
        loop {
            match self.peek() {
                Some(c) if is_alnum(c) => {
                    self.pos += c.len_utf8();
                }
                other => {
                    if !self.at_terminator() {
                        let c = other.unwrap_or('\u{0}');
                        return self.error(format!("bad character {}", go_sharp_u(c)));
                    }
                    let word = &self.input[self.start..self.pos];
                    let typ = match word {
                        "block" => ItemType::Block,
                        "break" if self.break_ok => ItemType::Break,
                        "continue" if self.continue_ok => ItemType::Continue,
                        "define" => ItemType::Define,
                        "else" => ItemType::Else,
                        "end" => ItemType::End,
                        "if" => ItemType::If,
                        "range" => ItemType::Range,
                        "nil" => ItemType::Nil,
                        "template" => ItemType::Template,
                        "with" => ItemType::With,
                        "true" | "false" => ItemType::Bool,
                        _ => ItemType::Identifier,
                    };
                    self.emit(typ);
                    return State::InsideAction;
                }
            }
        }
    }

    fn lex_field_or_variable(&mut self, typ: ItemType) -> State {
        if self.at_terminator() {
            self.emit(if typ == ItemType::Variable {
                ItemType::Variable
            } else {
                ItemType::Dot
            });
            return State::InsideAction;
        }
        let mut last = None;
        while let Some(c) = self.peek() {
            if !is_alnum(c) {
                last = Some(c);
                break;
            }
            self.pos += c.len_utf8();
        }
        if !self.at_terminator() {
            let c = last.unwrap_or('\u{0}');
            return self.error(format!("bad character {}", go_sharp_u(c)));
        }
        self.emit(typ);
        State::InsideAction
    }

    fn lex_quote(&mut self) -> State {
        loop {
            match self.next() {
                Some('\\') => match self.next() {
                    Some('\n') | None => {
                        return self.error("unterminated quoted string".into());
                    }
                    _ => {}
                },
                None | Some('\n') => return self.error("unterminated quoted string".into()),
                Some('"') => break,
                _ => {}
            }
        }
        self.emit(ItemType::String);
        State::InsideAction
    }

    fn lex_raw_quote(&mut self) -> State {
        loop {
            match self.next() {
                None => return self.error("unterminated raw quoted string".into()),
                Some('`') => break,
                _ => {}
            }
        }
        self.emit(ItemType::RawString);
        State::InsideAction
    }

    fn lex_char(&mut self) -> State {
        loop {
            match self.next() {
                Some('\\') => match self.next() {
                    Some('\n') | None => {
                        return self.error("unterminated character constant".into());
                    }
                    _ => {}
                },
                None | Some('\n') => {
                    return self.error("unterminated character constant".into());
                }
                Some('\'') => break,
                _ => {}
            }
        }
        self.emit(ItemType::CharConstant);
        State::InsideAction
    }

    fn lex_number(&mut self) -> State {
        if !self.scan_number() {
            let bad = self.input[self.start..self.pos].to_string();
            return self.error(format!(
                "bad number syntax: {}",
                crate::strconv::quote(&bad)
            ));
        }
        if let Some('+' | '-') = self.peek() {
            if !self.scan_number() || !self.input[..self.pos].ends_with('i') {
                let bad = self.input[self.start..self.pos].to_string();
                return self.error(format!(
                    "bad number syntax: {}",
                    crate::strconv::quote(&bad)
                ));
            }
            self.emit(ItemType::Complex);
        } else {
            self.emit(ItemType::Number);
        }
        State::InsideAction
    }

    fn scan_number(&mut self) -> bool {
        self.accept("+-");
        let mut digits = "0123456789_";
        if self.accept("0") {
            if self.accept("xX") {
                digits = "0123456789abcdefABCDEF_";
            } else if self.accept("oO") {
                digits = "01234567_";
            } else if self.accept("bB") {
                digits = "01_";
            }
        }
        self.accept_run(digits);
        if self.accept(".") {
            self.accept_run(digits);
        }
        if digits.len() == 11 && self.accept("eE") {
            self.accept("+-");
            self.accept_run("0123456789_");
        }
        if digits.len() == 23 && self.accept("pP") {
            self.accept("+-");
            self.accept_run("0123456789_");
        }
        self.accept("i");
        if let Some(c) = self.peek().filter(|c| is_alnum(*c)) {
            self.pos += c.len_utf8();
            return false;
        }
        true
    }
}

fn trim_right_space(b: &[u8]) -> &[u8] {
    let mut end = b.len();
    while end > 0 && is_space(b[end - 1]) {
        end -= 1;
    }
    &b[..end]
}

fn left_trim_len(b: &[u8]) -> usize {
    b.iter().take_while(|c| is_space(**c)).count()
}

/// Go's `%#U`: `U+0023 '#'`.
pub fn go_sharp_u(c: char) -> String {
    let u = c as u32;
    if crate::strconv::is_print(c) {
        format!("U+{u:04X} '{c}'")
    } else {
        format!("U+{u:04X}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn types(s: &str) -> Vec<ItemType> {
        lex(s, "{{", "}}", true, true)
            .into_iter()
            .map(|i| i.typ)
            .collect()
    }

    #[test]
    fn trims_and_fields() {
        let items = lex("a  {{- .x.y -}}  b", "{{", "}}", true, true);
        let vals: Vec<&str> = items.iter().map(|i| i.val.as_str()).collect();
        assert_eq!(vals, vec!["a", "{{", ".x", ".y", "}}", "b", ""]);
        assert_eq!(
            types("{{$x := 1}}"),
            vec![
                ItemType::LeftDelim,
                ItemType::Variable,
                ItemType::Space,
                ItemType::Declare,
                ItemType::Space,
                ItemType::Number,
                ItemType::RightDelim,
                ItemType::Eof
            ]
        );
    }
}
