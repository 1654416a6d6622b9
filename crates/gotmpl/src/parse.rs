//! The parser: Go's `text/template/parse` grammar, variable scoping, function checks and
//! error messages (`template: NAME:LINE: msg`).

use std::collections::BTreeMap;
use std::rc::Rc;

use crate::lex::{Item, ItemType, lex};
use crate::node::{Arg, Branch, Command, List, Node, Number, Pipe, Tree, Var, is_empty_list};

/// A parse error: Go's full message and the line it names.
#[derive(Debug, Clone)]
pub struct ParseError {
    pub parse_name: String,
    pub line: usize,
    /// The message without the `template: NAME:LINE: ` prefix.
    pub message: String,
}

/// Nesting of parenthesized pipelines and control structures beyond which parsing fails
/// (Go: "max expression depth exceeded").
const MAX_DEPTH: usize = 10_000;

struct Parser<'a> {
    items: Vec<Item>,
    idx: usize,
    furthest: usize,
    parse_name: Rc<str>,
    text: Rc<str>,
    vars: Vec<String>,
    range_depth: usize,
    action_line: usize,
    has_func: &'a dyn Fn(&str) -> bool,
    /// Trees by name in parse order (Go's treeSet).
    trees: BTreeMap<String, Tree>,
    order: Vec<String>,
    depth: usize,
}

enum Control {
    Node(Node),
    End,
    Else,
}

type PResult<T> = Result<T, ParseError>;

/// Parse `text` as template `name`; returns the trees it defines (the main one named
/// `name` last). `has_func` says whether a function name is known (builtins included).
pub fn parse(
    name: &str,
    text: &str,
    left: &str,
    right: &str,
    has_func: &dyn Fn(&str) -> bool,
) -> Result<Vec<Tree>, ParseError> {
    let items = lex(text, left, right, !has_func("break"), !has_func("continue"));
    let mut p = Parser {
        items,
        idx: 0,
        furthest: 0,
        parse_name: Rc::from(name),
        text: Rc::from(text),
        vars: vec!["$".to_string()],
        range_depth: 0,
        action_line: 0,
        has_func,
        trees: BTreeMap::new(),
        order: Vec::new(),
        depth: 0,
    };
    let root = p.parse_top()?;
    p.add(name, root)?;
    let mut out = Vec::new();
    let Parser {
        mut trees, order, ..
    } = p;
    for n in order {
        if let Some(t) = trees.remove(&n) {
            out.push(t);
        }
    }
    Ok(out)
}

impl Parser<'_> {
    fn err<T>(&self, message: impl Into<String>) -> PResult<T> {
        let line = self
            .items
            .get(self.furthest.min(self.items.len().saturating_sub(1)))
            .map(|i| i.line)
            .unwrap_or(1);
        Err(ParseError {
            parse_name: self.parse_name.to_string(),
            line,
            message: message.into(),
        })
    }

    fn item(&self, i: usize) -> Item {
        let i = i.min(self.items.len().saturating_sub(1));
        self.items.get(i).cloned().unwrap_or(Item {
            typ: ItemType::Eof,
            pos: self.text.len(),
            val: String::new(),
            line: 1,
        })
    }

    fn next(&mut self) -> Item {
        let it = self.item(self.idx);
        if self.idx < self.items.len() {
            self.idx += 1;
        }
        self.furthest = self.furthest.max(self.idx.saturating_sub(1));
        it
    }

    fn backup(&mut self) {
        self.idx = self.idx.saturating_sub(1);
    }

    fn peek(&mut self) -> Item {
        self.furthest = self
            .furthest
            .max(self.idx.min(self.items.len().saturating_sub(1)));
        self.item(self.idx)
    }

    fn next_non_space(&mut self) -> Item {
        loop {
            let it = self.next();
            if it.typ != ItemType::Space {
                return it;
            }
        }
    }

    fn peek_non_space(&mut self) -> Item {
        let it = self.next_non_space();
        self.backup();
        it
    }

    fn unexpected<T>(&self, tok: &Item, context: &str) -> PResult<T> {
        if tok.typ == ItemType::Error {
            let mut extra = String::new();
            if self.action_line != 0 && self.action_line != tok.line {
                extra = format!(
                    " in action started at {}:{}",
                    self.parse_name, self.action_line
                );
                if tok.val.ends_with(" action") {
                    extra = extra[" in action".len()..].to_string();
                }
            }
            return self.err(format!("{tok}{extra}"));
        }
        self.err(format!("unexpected {tok} in {context}"))
    }

    fn expect(&mut self, typ: ItemType, context: &str) -> PResult<Item> {
        let tok = self.next_non_space();
        if tok.typ != typ {
            return self.unexpected(&tok, context);
        }
        Ok(tok)
    }

    fn add(&mut self, name: &str, root: List) -> PResult<()> {
        if let Some(existing) = self.trees.get(name) {
            if !is_empty_list(&existing.root) {
                if !is_empty_list(&root) {
                    return self.err(format!(
                        "template: multiple definition of template {}",
                        crate::strconv::quote(name)
                    ));
                }
                return Ok(());
            }
        } else {
            self.order.push(name.to_string());
        }
        self.trees.insert(
            name.to_string(),
            Tree {
                name: Rc::from(name),
                parse_name: self.parse_name.clone(),
                text: self.text.clone(),
                root,
            },
        );
        Ok(())
    }

    fn parse_top(&mut self) -> PResult<List> {
        let mut root = List { nodes: Vec::new() };
        while self.peek().typ != ItemType::Eof {
            if self.peek().typ == ItemType::LeftDelim {
                let save = self.idx;
                self.next();
                if self.next_non_space().typ == ItemType::Define {
                    self.parse_definition()?;
                    continue;
                }
                self.idx = save;
            }
            match self.text_or_action()? {
                Control::Node(n) => root.nodes.push(n),
                Control::End => return self.err("unexpected {{end}}"),
                Control::Else => return self.err("unexpected {{else}}"),
            }
        }
        Ok(root)
    }

    fn parse_definition(&mut self) -> PResult<()> {
        let context = "define clause";
        let tok = self.next_non_space();
        if tok.typ != ItemType::String && tok.typ != ItemType::RawString {
            return self.unexpected(&tok, context);
        }
        let name = match crate::strconv::unquote(&tok.val) {
            Ok(b) => String::from_utf8_lossy(&b).into_owned(),
            Err(e) => return self.err(e),
        };
        self.expect(ItemType::RightDelim, context)?;
        let saved_vars = std::mem::replace(&mut self.vars, vec!["$".to_string()]);
        let (list, end) = self.item_list()?;
        self.vars = saved_vars;
        match end {
            Control::End => {}
            Control::Else => return self.err(format!("unexpected {{{{else}}}} in {context}")),
            Control::Node(_) => return self.err(format!("unexpected node in {context}")),
        }
        self.add(&name, list)
    }

    fn item_list(&mut self) -> PResult<(List, Control)> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return self.err("max expression depth exceeded");
        }
        let r = stacker::maybe_grow(64 * 1024, 1024 * 1024, || self.item_list_inner());
        self.depth -= 1;
        r
    }

    fn item_list_inner(&mut self) -> PResult<(List, Control)> {
        let mut list = List { nodes: Vec::new() };
        while self.peek_non_space().typ != ItemType::Eof {
            match self.text_or_action()? {
                Control::Node(n) => list.nodes.push(n),
                other => return Ok((list, other)),
            }
        }
        self.err("unexpected EOF")
    }

    fn text_or_action(&mut self) -> PResult<Control> {
        let tok = self.next_non_space();
        match tok.typ {
            ItemType::Text => Ok(Control::Node(Node::Text {
                pos: tok.pos,
                text: Rc::from(tok.val.as_str()),
            })),
            ItemType::LeftDelim => {
                let saved = self.action_line;
                self.action_line = tok.line;
                let r = self.action();
                self.action_line = saved;
                r
            }
            _ => self.unexpected(&tok, "input"),
        }
    }

    fn action(&mut self) -> PResult<Control> {
        let tok = self.next_non_space();
        match tok.typ {
            ItemType::Block => return self.block_control(),
            ItemType::Break => return self.break_control(tok.pos, true),
            ItemType::Continue => return self.break_control(tok.pos, false),
            ItemType::Else => return self.else_control(),
            ItemType::End => {
                self.expect(ItemType::RightDelim, "end")?;
                return Ok(Control::End);
            }
            ItemType::If => return self.control("if").map(|b| Control::Node(Node::If(b))),
            ItemType::Range => {
                return self.control("range").map(|b| Control::Node(Node::Range(b)));
            }
            ItemType::Template => return self.template_control(),
            ItemType::With => return self.control("with").map(|b| Control::Node(Node::With(b))),
            _ => {}
        }
        self.backup();
        let tok = self.peek();
        let pipe = self.pipeline("command", ItemType::RightDelim)?;
        let end = self
            .items
            .get(self.idx.saturating_sub(1))
            .map_or(tok.pos, |i| i.pos + i.val.len());
        Ok(Control::Node(Node::Action {
            pos: tok.pos,
            end,
            pipe,
        }))
    }

    fn break_control(&mut self, pos: usize, is_break: bool) -> PResult<Control> {
        let name = if is_break {
            "{{break}}"
        } else {
            "{{continue}}"
        };
        let tok = self.next_non_space();
        if tok.typ != ItemType::RightDelim {
            return self.unexpected(&tok, name);
        }
        if self.range_depth == 0 {
            return self.err(format!("{name} outside {{{{range}}}}"));
        }
        Ok(Control::Node(if is_break {
            Node::Break { pos }
        } else {
            Node::Continue { pos }
        }))
    }

    fn else_control(&mut self) -> PResult<Control> {
        let peek = self.peek_non_space();
        if peek.typ == ItemType::If || peek.typ == ItemType::With {
            return Ok(Control::Else);
        }
        self.expect(ItemType::RightDelim, "else")?;
        Ok(Control::Else)
    }

    fn control(&mut self, context: &str) -> PResult<Branch> {
        let nvars = self.vars.len();
        let r = self.control_inner(context);
        self.vars.truncate(nvars);
        r
    }

    fn control_inner(&mut self, context: &str) -> PResult<Branch> {
        let pipe = self.pipeline(context, ItemType::RightDelim)?;
        if context == "range" {
            self.range_depth += 1;
        }
        let r = self.item_list();
        if context == "range" {
            self.range_depth -= 1;
        }
        let (list, next) = r?;
        let mut else_list = None;
        match next {
            Control::End => {}
            Control::Else => {
                let pk = self.peek();
                if context == "if" && pk.typ == ItemType::If {
                    self.next();
                    let b = self.control("if")?;
                    else_list = Some(List {
                        nodes: vec![Node::If(b)],
                    });
                } else if context == "with" && pk.typ == ItemType::With {
                    self.next();
                    let b = self.control("with")?;
                    else_list = Some(List {
                        nodes: vec![Node::With(b)],
                    });
                } else {
                    let (l, next) = self.item_list()?;
                    match next {
                        Control::End => {}
                        Control::Else => return self.err("expected end; found {{else}}"),
                        Control::Node(_) => return self.err("expected end"),
                    }
                    else_list = Some(l);
                }
            }
            Control::Node(_) => return self.err("unexpected node"),
        }
        Ok(Branch {
            pos: pipe.pos,
            pipe,
            list,
            else_list,
        })
    }

    fn template_name(&mut self, tok: &Item, context: &str) -> PResult<String> {
        match tok.typ {
            ItemType::String | ItemType::RawString => match crate::strconv::unquote(&tok.val) {
                Ok(b) => Ok(String::from_utf8_lossy(&b).into_owned()),
                Err(e) => self.err(e),
            },
            _ => self.unexpected(tok, context),
        }
    }

    fn template_control(&mut self) -> PResult<Control> {
        let context = "template clause";
        let tok = self.next_non_space();
        let name = self.template_name(&tok, context)?;
        let mut pipe = None;
        if self.next_non_space().typ != ItemType::RightDelim {
            self.backup();
            pipe = Some(self.pipeline(context, ItemType::RightDelim)?);
        }
        Ok(Control::Node(Node::Template {
            pos: tok.pos,
            name: Rc::from(name.as_str()),
            pipe,
        }))
    }

    fn block_control(&mut self) -> PResult<Control> {
        let context = "block clause";
        let tok = self.next_non_space();
        let name = self.template_name(&tok, context)?;
        let pipe = self.pipeline(context, ItemType::RightDelim)?;
        let saved_vars = std::mem::replace(&mut self.vars, vec!["$".to_string()]);
        let saved_range = std::mem::replace(&mut self.range_depth, 0);
        let r = self.item_list();
        self.vars = saved_vars;
        self.range_depth = saved_range;
        let (list, end) = r?;
        if !matches!(end, Control::End) {
            return self.err(format!("unexpected {{{{else}}}} in {context}"));
        }
        self.add(&name, list)?;
        Ok(Control::Node(Node::Template {
            pos: tok.pos,
            name: Rc::from(name.as_str()),
            pipe: Some(pipe),
        }))
    }

    fn pipeline(&mut self, context: &str, end: ItemType) -> PResult<Pipe> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return self.err("max expression depth exceeded");
        }
        let r = stacker::maybe_grow(64 * 1024, 1024 * 1024, || self.pipeline_inner(context, end));
        self.depth -= 1;
        r
    }

    fn pipeline_inner(&mut self, context: &str, end: ItemType) -> PResult<Pipe> {
        let tok = self.peek_non_space();
        let mut pipe = Pipe {
            pos: tok.pos,
            is_assign: false,
            decl: Vec::new(),
            cmds: Vec::new(),
        };
        'decls: loop {
            let v = self.peek_non_space();
            if v.typ != ItemType::Variable {
                break;
            }
            let vstart = self.idx;
            // Skip spaces before the variable; remember where it starts.
            self.next_non_space();
            let after_var = self.peek();
            let next = self.peek_non_space();
            match next.typ {
                ItemType::Assign | ItemType::Declare => {
                    pipe.is_assign = next.typ == ItemType::Assign;
                    self.next_non_space();
                    pipe.decl.push(Var {
                        name: Rc::from(v.val.as_str()),
                    });
                    self.vars.push(v.val.clone());
                    break 'decls;
                }
                ItemType::Char if next.val == "," => {
                    self.next_non_space();
                    pipe.decl.push(Var {
                        name: Rc::from(v.val.as_str()),
                    });
                    self.vars.push(v.val.clone());
                    if context == "range" && pipe.decl.len() < 2 {
                        match self.peek_non_space().typ {
                            ItemType::Variable | ItemType::RightDelim | ItemType::RightParen => {
                                continue 'decls;
                            }
                            _ => return self.err("range can only initialize variables"),
                        }
                    }
                    return self.err(format!("too many declarations in {context}"));
                }
                _ => {
                    let _ = after_var;
                    self.idx = vstart;
                    break 'decls;
                }
            }
        }
        loop {
            let tok = self.next_non_space();
            match tok.typ {
                t if t == end => {
                    self.check_pipeline(&pipe, context)?;
                    return Ok(pipe);
                }
                ItemType::Bool
                | ItemType::CharConstant
                | ItemType::Complex
                | ItemType::Dot
                | ItemType::Field
                | ItemType::Identifier
                | ItemType::Number
                | ItemType::Nil
                | ItemType::RawString
                | ItemType::String
                | ItemType::Variable
                | ItemType::LeftParen => {
                    self.backup();
                    let c = self.command()?;
                    pipe.cmds.push(c);
                }
                _ => return self.unexpected(&tok, context),
            }
        }
    }

    fn check_pipeline(&self, pipe: &Pipe, context: &str) -> PResult<()> {
        if pipe.cmds.is_empty() {
            return self.err(format!("missing value for {context}"));
        }
        for (i, c) in pipe.cmds.iter().enumerate().skip(1) {
            if let Some(
                Arg::Bool { .. }
                | Arg::Dot { .. }
                | Arg::Nil { .. }
                | Arg::Number { .. }
                | Arg::String { .. },
            ) = c.args.first()
            {
                return self.err(format!(
                    "non executable command in pipeline stage {}",
                    i + 1
                ));
            }
        }
        Ok(())
    }

    fn command(&mut self) -> PResult<Command> {
        let mut cmd = Command {
            pos: self.peek_non_space().pos,
            args: Vec::new(),
        };
        loop {
            self.peek_non_space();
            if let Some(op) = self.operand()? {
                cmd.args.push(op);
            }
            let tok = self.next();
            match tok.typ {
                ItemType::Space => continue,
                ItemType::RightDelim | ItemType::RightParen => self.backup(),
                ItemType::Pipe => {}
                _ => return self.unexpected(&tok, "operand"),
            }
            break;
        }
        if cmd.args.is_empty() {
            return self.err("empty command");
        }
        Ok(cmd)
    }

    fn operand(&mut self) -> PResult<Option<Arg>> {
        let Some(node) = self.term()? else {
            return Ok(None);
        };
        if self.peek().typ != ItemType::Field {
            return Ok(Some(node));
        }
        let chain_pos = self.peek().pos;
        let mut fields: Vec<Rc<str>> = Vec::new();
        while self.peek().typ == ItemType::Field {
            let f = self.next();
            fields.push(Rc::from(&f.val[1..]));
        }
        Ok(Some(match node {
            Arg::Field { mut idents, .. } => {
                idents.extend(fields);
                Arg::Field {
                    pos: chain_pos,
                    idents,
                }
            }
            Arg::Variable { mut idents, .. } => {
                idents.extend(fields);
                Arg::Variable {
                    pos: chain_pos,
                    idents,
                }
            }
            Arg::Bool { .. }
            | Arg::String { .. }
            | Arg::Number { .. }
            | Arg::Nil { .. }
            | Arg::Dot { .. } => {
                return self.err(format!(
                    "unexpected . after term {}",
                    crate::strconv::quote(&node.to_string())
                ));
            }
            other => Arg::Chain {
                pos: chain_pos,
                node: Box::new(other),
                fields,
            },
        }))
    }

    fn term(&mut self) -> PResult<Option<Arg>> {
        let tok = self.next_non_space();
        let pos = tok.pos;
        Ok(Some(match tok.typ {
            ItemType::Identifier => {
                if !(self.has_func)(&tok.val) {
                    return self.err(format!(
                        "function {} not defined",
                        crate::strconv::quote(&tok.val)
                    ));
                }
                Arg::Identifier {
                    pos,
                    name: Rc::from(tok.val.as_str()),
                }
            }
            ItemType::Dot => Arg::Dot { pos },
            ItemType::Nil => Arg::Nil { pos },
            ItemType::Variable => {
                if !self.vars.contains(&tok.val) {
                    return self.err(format!(
                        "undefined variable {}",
                        crate::strconv::quote(&tok.val)
                    ));
                }
                Arg::Variable {
                    pos,
                    idents: vec![Rc::from(tok.val.as_str())],
                }
            }
            ItemType::Field => Arg::Field {
                pos,
                idents: tok.val[1..].split('.').map(Rc::from).collect(),
            },
            ItemType::Bool => Arg::Bool {
                pos,
                val: tok.val == "true",
            },
            ItemType::CharConstant | ItemType::Complex | ItemType::Number => {
                let num = match new_number(&tok.val, tok.typ) {
                    Ok(n) => n,
                    Err(e) => return self.err(e),
                };
                Arg::Number { pos, num }
            }
            ItemType::LeftParen => {
                let p = self.pipeline("parenthesized pipeline", ItemType::RightParen)?;
                Arg::Pipe(Box::new(p))
            }
            ItemType::String | ItemType::RawString => {
                let text = match crate::strconv::unquote(&tok.val) {
                    Ok(b) => String::from_utf8_lossy(&b).into_owned(),
                    Err(e) => return self.err(e),
                };
                Arg::String {
                    pos,
                    quoted: Rc::from(tok.val.as_str()),
                    text: Rc::from(text.as_str()),
                }
            }
            _ => {
                self.backup();
                return Ok(None);
            }
        }))
    }
}

/// Go's `newNumber`: a constant's int/uint/float facets.
pub fn new_number(text: &str, typ: ItemType) -> Result<Number, String> {
    let mut n = Number {
        text: Rc::from(text),
        is_int: false,
        is_uint: false,
        is_float: false,
        is_complex: false,
        int: 0,
        uint: 0,
        float: 0.0,
    };
    if typ == ItemType::CharConstant {
        let bytes = crate::strconv::unquote(text).map_err(|e| {
            if text.chars().count() > 3 && !text[1..].starts_with('\\') {
                format!("malformed character constant: {text}")
            } else {
                e
            }
        })?;
        let s = String::from_utf8_lossy(&bytes);
        let c = s.chars().next().unwrap_or('\u{0}');
        n.int = c as i64;
        n.uint = c as u64;
        n.float = c as u32 as f64;
        n.is_int = true;
        n.is_uint = true;
        n.is_float = true;
        return Ok(n);
    }
    if typ == ItemType::Complex || text.ends_with('i') {
        return Err(format!(
            "complex constants are not supported: {}",
            crate::strconv::quote(text)
        ));
    }
    if let Some(u) = parse_uint(text) {
        n.is_uint = true;
        n.uint = u;
    }
    if let Some(i) = parse_int(text) {
        n.is_int = true;
        n.int = i;
        if i == 0 {
            n.is_uint = true;
            n.uint = 0;
        }
    }
    if n.is_int {
        n.is_float = true;
        n.float = n.int as f64;
    } else if n.is_uint {
        n.is_float = true;
        n.float = n.uint as f64;
    } else if let Some(f) = parse_float(text) {
        if !text.contains(['.', 'e', 'E', 'p', 'P']) {
            return Err(format!("integer overflow: {text}"));
        }
        n.is_float = true;
        n.float = f;
        if f.fract() == 0.0 && (-9.223_372_036_854_776e18..9.223_372_036_854_776e18).contains(&f) {
            n.is_int = true;
            n.int = f as i64;
        }
        if f.fract() == 0.0 && (0.0..1.844_674_407_370_955_2e19).contains(&f) {
            n.is_uint = true;
            n.uint = f as u64;
        }
    }
    if !n.is_int && !n.is_uint && !n.is_float {
        return Err(format!(
            "illegal number syntax: {}",
            crate::strconv::quote(text)
        ));
    }
    Ok(n)
}

/// Checks Go's underscore rule (only between digits, or after a base prefix) and removes
/// them.
fn strip_underscores(s: &str, base_prefixed: bool) -> Option<String> {
    if !s.contains('_') {
        return Some(s.to_string());
    }
    let b = s.as_bytes();
    for (i, &c) in b.iter().enumerate() {
        if c != b'_' {
            continue;
        }
        let prev_ok = i > 0 && (b[i - 1].is_ascii_hexdigit() || (base_prefixed && i == 2));
        let next_ok = i + 1 < b.len() && b[i + 1].is_ascii_hexdigit();
        if !prev_ok || !next_ok {
            return None;
        }
    }
    Some(s.replace('_', ""))
}

/// `strconv.ParseUint(s, 0, 64)`.
pub fn parse_uint(s: &str) -> Option<u64> {
    if s.is_empty() {
        return None;
    }
    let (radix, digits, prefixed) = split_base(s);
    let digits = strip_underscores_prefixed(digits, prefixed)?;
    if digits.is_empty() {
        return None;
    }
    u64::from_str_radix(&digits, radix).ok()
}

fn strip_underscores_prefixed(d: &str, prefixed: bool) -> Option<String> {
    if prefixed {
        // "0x_1f": an underscore may directly follow the prefix.
        let t = d.strip_prefix('_').unwrap_or(d);
        strip_underscores(t, false)
    } else {
        strip_underscores(d, false)
    }
}

fn split_base(s: &str) -> (u32, &str, bool) {
    let b = s.as_bytes();
    if b.len() >= 2 && b[0] == b'0' {
        match b[1] {
            b'x' | b'X' => return (16, &s[2..], true),
            b'o' | b'O' => return (8, &s[2..], true),
            b'b' | b'B' => return (2, &s[2..], true),
            _ => return (8, &s[1..], true),
        }
    }
    (10, s, false)
}

/// `strconv.ParseInt(s, 0, 64)`.
pub fn parse_int(s: &str) -> Option<i64> {
    let (neg, rest) = match s.as_bytes().first() {
        Some(b'-') => (true, &s[1..]),
        Some(b'+') => (false, &s[1..]),
        _ => (false, s),
    };
    let u = parse_uint(rest)?;
    if neg {
        if u > i64::MAX as u64 + 1 {
            return None;
        }
        Some((u as i64).wrapping_neg())
    } else {
        i64::try_from(u).ok()
    }
}

/// `strconv.ParseFloat(s, 64)` for Go number literals (decimal, hex floats, underscores).
pub fn parse_float(s: &str) -> Option<f64> {
    let (neg, rest) = match s.as_bytes().first() {
        Some(b'-') => (true, &s[1..]),
        Some(b'+') => (false, &s[1..]),
        _ => (false, s),
    };
    let v = if rest.len() > 2 && (rest.starts_with("0x") || rest.starts_with("0X")) {
        parse_hex_float(&strip_underscores_prefixed(&rest[2..], true)?)?
    } else {
        let clean = strip_underscores(rest, false)?;
        if clean.is_empty()
            || !clean
                .bytes()
                .all(|c| c.is_ascii_digit() || matches!(c, b'.' | b'e' | b'E' | b'+' | b'-'))
        {
            return None;
        }
        clean.parse::<f64>().ok()?
    };
    Some(if neg { -v } else { v })
}

fn parse_hex_float(s: &str) -> Option<f64> {
    let (mant, exp) = match s.find(['p', 'P']) {
        Some(i) => (&s[..i], s[i + 1..].parse::<i32>().ok()?),
        None => (s, 0),
    };
    let (int, frac) = mant.split_once('.').unwrap_or((mant, ""));
    if int.is_empty() && frac.is_empty() {
        return None;
    }
    let mut v = 0f64;
    for c in int.chars() {
        v = v * 16.0 + c.to_digit(16)? as f64;
    }
    let mut scale = 1.0 / 16.0;
    for c in frac.chars() {
        v += c.to_digit(16)? as f64 * scale;
        scale /= 16.0;
    }
    Some(v * 2f64.powi(exp))
}
