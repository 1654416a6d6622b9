//! Execution with Go's semantics: field lookup, function calls with argument checking and
//! conversion, variables and scoping, control structures, `{{template}}` calls, and Go's
//! error messages and contexts.

use std::collections::HashMap;
use std::rc::Rc;

use crate::builtins::{self, BParam, Builtin};
use crate::fmt as gofmt;
use crate::func::{Env, Function, Param};
use crate::node::{Arg, Branch, Command, List, Node, Number, Pipe, Tree};
use crate::template::{
    Defs, Error, MissingKey, Origin, OriginKind, Output, Template, TracedOutput, associate,
};
use crate::value::{FloatKind, IntKind, Object, UintKind, Value};

/// State shared by an execution and the nested executions its functions start
/// (`include`, `tpl`).
#[derive(Default)]
pub(crate) struct Shared {
    counters: HashMap<String, i64>,
}

/// A value with whether its static type is `interface {}` (a map or slice element): Go
/// names that type in field errors (`can't evaluate field x in type interface {}`).
#[derive(Clone, Debug)]
struct Val {
    v: Value,
    boxed: bool,
}

impl Val {
    fn plain(v: Value) -> Val {
        Val { v, boxed: false }
    }
    fn invalid() -> Val {
        Val::plain(Value::Invalid)
    }
    fn static_type(&self) -> String {
        if self.boxed || matches!(self.v, Value::Nil) {
            "interface {}".to_string()
        } else {
            self.v.type_name()
        }
    }
}

/// Go's dig-down after each pipeline command: an `interface {}` result becomes the value in
/// it, and a nil interface becomes no value.
fn unbox(v: Val) -> Val {
    match v.v {
        Value::Nil => Val::invalid(),
        v => Val::plain(v),
    }
}

#[derive(PartialEq, Eq, Clone, Copy)]
enum Flow {
    Normal,
    Break,
    Continue,
}

/// The node Go would name in an error (`s.at(node)`).
#[derive(Clone, Copy)]
enum Ctx<'t> {
    Node(&'t Node),
    Pipe(&'t Pipe),
    Cmd(&'t Command),
    Arg(&'t Arg),
}

impl Ctx<'_> {
    fn pos(&self) -> usize {
        match self {
            Ctx::Node(n) => node_pos(n),
            Ctx::Pipe(p) => p.pos,
            Ctx::Cmd(c) => c.pos,
            Ctx::Arg(a) => a.pos(),
        }
    }
    fn text(&self) -> String {
        match self {
            Ctx::Node(n) => n.to_string(),
            Ctx::Pipe(p) => p.to_string(),
            Ctx::Cmd(c) => c.to_string(),
            Ctx::Arg(a) => a.to_string(),
        }
    }
}

fn node_pos(n: &Node) -> usize {
    match n {
        Node::Text { pos, .. }
        | Node::Action { pos, .. }
        | Node::Template { pos, .. }
        | Node::Break { pos }
        | Node::Continue { pos } => *pos,
        Node::If(b) | Node::With(b) | Node::Range(b) => b.pos,
    }
}

enum Callee<'a> {
    Func(&'a Function),
    Builtin(Builtin),
    Method(Rc<dyn Object>, crate::func::Signature),
}

/// A parameter type as the executor converts to it.
#[derive(Clone, Debug)]
enum PT {
    Go(Param),
    Reflect,
}

fn param_name(p: &Param) -> &'static str {
    match p {
        Param::Any => "interface {}",
        Param::String => "string",
        Param::Bool => "bool",
        Param::Int => "int",
        Param::Int64 => "int64",
        Param::Uint32 => "uint32",
        Param::Float64 => "float64",
        Param::Bytes => "[]uint8",
        Param::Strings => "[]string",
        Param::List => "[]interface {}",
        Param::Map => "map[string]interface {}",
        Param::Named(n) => n,
    }
}

struct State<'t, 'o> {
    set: &'t Template,
    overlays: Vec<&'t Defs>,
    tree: &'t Tree,
    name: Rc<str>,
    vars: Vec<(Rc<str>, Val)>,
    last: Option<Ctx<'t>>,
    depth: usize,
    shared: &'o mut Shared,
    out: &'o mut dyn Output,
    /// Byte range of the action or control node being evaluated: the caller reported for
    /// nested `include`/`tpl` runs.
    action: (usize, usize),
}

type R<T> = Result<T, Error>;

/// Executes template `name` of `set` (with definitions from `overlays` taking precedence).
pub(crate) fn execute(
    set: &Template,
    overlays: &[&Defs],
    name: &str,
    data: Value,
    shared: &mut Shared,
    out: &mut dyn Output,
    depth: usize,
) -> Result<(), Error> {
    let Some(tree) = lookup(set, overlays, name) else {
        return Err(Error::bare(
            name,
            format!(
                "template: no template {} associated with template {}",
                crate::strconv::quote(name),
                crate::strconv::quote(set.name())
            ),
        ));
    };
    execute_tree(set, overlays, tree, data, shared, out, depth)
}

/// Executes `tree` itself (Go's `t.Execute` on a template object, which runs its own tree
/// even when the set kept an earlier definition of that name).
fn execute_tree(
    set: &Template,
    overlays: &[&Defs],
    tree: Rc<Tree>,
    data: Value,
    shared: &mut Shared,
    out: &mut dyn Output,
    depth: usize,
) -> Result<(), Error> {
    let dot = Val::plain(data);
    let mut st = State {
        set,
        overlays: overlays.to_vec(),
        tree: &tree,
        name: tree.name.clone(),
        vars: vec![(Rc::from("$"), dot.clone())],
        last: None,
        depth,
        shared,
        out,
        action: (0, 0),
    };
    st.walk_list(&dot, &tree.root).map(|_| ())
}

fn lookup(set: &Template, overlays: &[&Defs], name: &str) -> Option<Rc<Tree>> {
    for o in overlays.iter().rev() {
        if let Some(t) = o.get(name) {
            return Some(t.clone());
        }
    }
    set.trees.get(name).cloned()
}

impl<'t> State<'t, '_> {
    fn at(&mut self, c: Ctx<'t>) {
        self.last = Some(c);
    }

    fn errorf<T>(&self, msg: impl Into<String>) -> R<T> {
        let msg = msg.into();
        Err(match self.last {
            Some(c) => Error::exec_at(&self.name, self.tree, c.pos(), c.text(), msg),
            None => Error::exec_plain(&self.name, msg),
        })
    }

    fn write(&mut self, text: &str, offset: usize, end: usize, kind: OriginKind) {
        let origin = Origin {
            source: self.tree.parse_name.clone(),
            template: self.name.clone(),
            offset,
            end,
            kind,
        };
        self.out.write(text, &origin);
    }

    /// Runs a nested execution (include/tpl): into a traced output reported to `out`
    /// when it asks for nested traces, else into a plain string.
    fn run_nested(
        &mut self,
        run: impl FnOnce(&mut Shared, &mut dyn Output) -> Result<(), Error>,
    ) -> Result<String, String> {
        if !self.out.wants_nested() {
            let mut out = String::new();
            run(self.shared, &mut out).map_err(|e| e.to_string())?;
            return Ok(out);
        }
        let mut traced = TracedOutput::default();
        run(self.shared, &mut traced).map_err(|e| e.to_string())?;
        let caller = Origin {
            source: self.tree.parse_name.clone(),
            template: self.name.clone(),
            offset: self.action.0,
            end: self.action.1,
            kind: OriginKind::Action,
        };
        let text = traced.text.clone();
        self.out.nested(&caller, traced);
        Ok(text)
    }

    // ---- walking -------------------------------------------------------------------

    fn walk_list(&mut self, dot: &Val, list: &'t List) -> R<Flow> {
        // Nested control structures recurse; grow the stack instead of overflowing it.
        stacker::maybe_grow(64 * 1024, 1024 * 1024, || self.walk_list_inner(dot, list))
    }

    fn walk_list_inner(&mut self, dot: &Val, list: &'t List) -> R<Flow> {
        for n in &list.nodes {
            let f = self.walk(dot, n)?;
            if f != Flow::Normal {
                return Ok(f);
            }
        }
        Ok(Flow::Normal)
    }

    fn walk(&mut self, dot: &Val, node: &'t Node) -> R<Flow> {
        self.at(Ctx::Node(node));
        match node {
            Node::Action { pos, end, pipe } => {
                self.action = (*pos, *end);
                let v = self.eval_pipeline(dot, Some(pipe))?;
                if pipe.decl.is_empty() {
                    self.at(Ctx::Node(node));
                    match &v.v {
                        Value::Invalid | Value::Nil => {
                            self.write("<no value>", *pos, *end, OriginKind::Action)
                        }
                        Value::String(s) => self.write(s, *pos, *end, OriginKind::Action),
                        other => {
                            let s = gofmt::format_value(other);
                            self.write(&s, *pos, *end, OriginKind::Action);
                        }
                    }
                }
            }
            Node::Break { .. } => return Ok(Flow::Break),
            Node::Continue { .. } => return Ok(Flow::Continue),
            Node::If(b) => {
                self.action = (b.pos, b.pos);
                return self.walk_if_or_with(false, dot, b);
            }
            Node::With(b) => {
                self.action = (b.pos, b.pos);
                return self.walk_if_or_with(true, dot, b);
            }
            Node::Range(b) => {
                self.action = (b.pos, b.pos);
                return self.walk_range(dot, node, b);
            }
            Node::Template { name, pipe, .. } => self.walk_template(dot, node, name, pipe)?,
            Node::Text { pos, text } => self.write(text, *pos, *pos + text.len(), OriginKind::Text),
        }
        Ok(Flow::Normal)
    }

    fn walk_if_or_with(&mut self, with: bool, dot: &Val, b: &'t Branch) -> R<Flow> {
        let mark = self.vars.len();
        let r = (|| {
            let val = self.eval_pipeline(dot, Some(&b.pipe))?;
            if val.v.truth() {
                if with {
                    self.walk_list(&val, &b.list)
                } else {
                    self.walk_list(dot, &b.list)
                }
            } else if let Some(e) = &b.else_list {
                self.walk_list(dot, e)
            } else {
                Ok(Flow::Normal)
            }
        })();
        self.vars.truncate(mark);
        r
    }

    fn walk_range(&mut self, dot: &Val, node: &'t Node, r: &'t Branch) -> R<Flow> {
        self.at(Ctx::Node(node));
        let mark0 = self.vars.len();
        let res = self.walk_range_inner(dot, r);
        self.vars.truncate(mark0);
        res.map(|_| Flow::Normal)
    }

    fn walk_range_inner(&mut self, dot: &Val, r: &'t Branch) -> R<()> {
        let val = self.eval_pipeline(dot, Some(&r.pipe))?;
        let mark = self.vars.len();
        let decl = &r.pipe.decl;
        let mut ran = false;
        let iteration = |st: &mut Self, index: Val, elem: Val| -> R<bool> {
            if !decl.is_empty() {
                if r.pipe.is_assign {
                    if decl.len() > 1 {
                        st.set_var(&decl[0].name, index.clone())?;
                    } else {
                        st.set_var(&decl[0].name, elem.clone())?;
                    }
                } else {
                    st.set_top_var(1, elem.clone());
                }
            }
            if decl.len() > 1 {
                if r.pipe.is_assign {
                    st.set_var(&decl[1].name, elem.clone())?;
                } else {
                    st.set_top_var(2, index);
                }
            }
            let f = st.walk_list(&elem, &r.list);
            st.vars.truncate(mark);
            Ok(f? == Flow::Break)
        };
        match &val.v {
            Value::List(l) => {
                let boxed = elem_boxed(&l.type_name);
                for (i, it) in l.items.iter().enumerate() {
                    ran = true;
                    let elem = Val {
                        v: it.clone(),
                        boxed,
                    };
                    if iteration(self, Val::plain(Value::int(i as i64)), elem)? {
                        break;
                    }
                }
            }
            Value::Bytes(b) => {
                for (i, c) in b.iter().enumerate() {
                    ran = true;
                    let elem = Val::plain(Value::Uint(*c as u64, UintKind::Uint8));
                    if iteration(self, Val::plain(Value::int(i as i64)), elem)? {
                        break;
                    }
                }
            }
            Value::Map(m) => {
                let (boxed, entries): (bool, Vec<(String, Value)>) = {
                    let m = m.borrow();
                    (
                        map_boxed(&m.type_name),
                        m.entries
                            .iter()
                            .map(|(k, v)| (k.clone(), v.clone()))
                            .collect(),
                    )
                };
                for (k, v) in entries {
                    ran = true;
                    let elem = Val { v, boxed };
                    if iteration(self, Val::plain(Value::string(k)), elem)? {
                        break;
                    }
                }
            }
            Value::Int(n, kind) => {
                if decl.len() > 1 {
                    return self.errorf(format!(
                        "can't use {} to iterate over more than one variable",
                        gofmt::format_value(&val.v)
                    ));
                }
                for i in 0..(*n).max(0) {
                    ran = true;
                    let v = Val::plain(Value::Int(i, *kind));
                    if iteration(self, v.clone(), v)? {
                        break;
                    }
                }
            }
            Value::Uint(n, kind) => {
                if decl.len() > 1 {
                    return self.errorf(format!(
                        "can't use {} to iterate over more than one variable",
                        gofmt::format_value(&val.v)
                    ));
                }
                for i in 0..*n {
                    ran = true;
                    let v = Val::plain(Value::Uint(i, *kind));
                    if iteration(self, v.clone(), v)? {
                        break;
                    }
                }
            }
            Value::Object(o) if o.items().is_some() || o.entries().is_some() => {
                if let Some(items) = o.items() {
                    for (i, it) in items.into_iter().enumerate() {
                        ran = true;
                        if iteration(self, Val::plain(Value::int(i as i64)), Val::plain(it))? {
                            break;
                        }
                    }
                } else {
                    for (k, v) in o.entries().unwrap_or_default() {
                        ran = true;
                        let elem = Val { v, boxed: true };
                        if iteration(self, Val::plain(Value::string(k)), elem)? {
                            break;
                        }
                    }
                }
            }
            Value::Invalid | Value::Nil => {}
            other => {
                return self.errorf(format!(
                    "range can't iterate over {}",
                    gofmt::format_value(other)
                ));
            }
        }
        if let (false, Some(e)) = (ran, &r.else_list) {
            self.walk_list(dot, e)?;
        }
        Ok(())
    }

    fn walk_template(
        &mut self,
        dot: &Val,
        node: &'t Node,
        name: &str,
        pipe: &'t Option<Pipe>,
    ) -> R<()> {
        self.at(Ctx::Node(node));
        let Some(tree) = lookup(self.set, &self.overlays, name) else {
            return self.errorf(format!(
                "template {} not defined",
                crate::strconv::quote(name)
            ));
        };
        if self.depth >= self.set.max_depth {
            return self.errorf(format!(
                "exceeded maximum template depth ({})",
                self.set.max_depth
            ));
        }
        let newdot = self.eval_pipeline(dot, pipe.as_ref())?;
        let overlays = self.overlays.clone();
        let set = self.set;
        let depth = self.depth + 1;
        stacker::maybe_grow(128 * 1024, 2 * 1024 * 1024, || {
            let mut st = State {
                set,
                overlays,
                tree: &tree,
                name: tree.name.clone(),
                vars: vec![(Rc::from("$"), newdot.clone())],
                last: None,
                depth,
                shared: &mut *self.shared,
                out: &mut *self.out,
                action: (0, 0),
            };
            st.walk_list(&newdot, &tree.root).map(|_| ())
        })
    }

    // ---- variables ------------------------------------------------------------------

    fn push_var(&mut self, name: &Rc<str>, v: Val) {
        self.vars.push((name.clone(), v));
    }

    /// Go's `setVar`: assign to the innermost variable of that name (the parser does not
    /// check that an assigned variable was declared; execution does).
    fn set_var(&mut self, name: &str, v: Val) -> R<()> {
        for (n, slot) in self.vars.iter_mut().rev() {
            if &**n == name {
                *slot = v;
                return Ok(());
            }
        }
        self.errorf(format!("undefined variable: {name}"))
    }

    fn set_top_var(&mut self, n: usize, v: Val) {
        let len = self.vars.len();
        if let Some(slot) = self.vars.get_mut(len.wrapping_sub(n)) {
            slot.1 = v;
        }
    }

    fn var_value(&self, name: &str) -> R<Val> {
        for (n, v) in self.vars.iter().rev() {
            if &**n == name {
                return Ok(v.clone());
            }
        }
        self.errorf(format!("undefined variable: {name}"))
    }

    // ---- evaluation -----------------------------------------------------------------

    fn eval_pipeline(&mut self, dot: &Val, pipe: Option<&'t Pipe>) -> R<Val> {
        let Some(pipe) = pipe else {
            return Ok(Val::invalid());
        };
        self.at(Ctx::Pipe(pipe));
        let mut value: Option<Val> = None;
        for cmd in &pipe.cmds {
            let v = self.eval_command(dot, cmd, value.take())?;
            value = Some(unbox(v));
        }
        let value = value.unwrap_or_else(Val::invalid);
        for var in &pipe.decl {
            if pipe.is_assign {
                self.set_var(&var.name, value.clone())?;
            } else {
                self.push_var(&var.name, value.clone());
            }
        }
        Ok(value)
    }

    fn not_a_function(&self, args: &'t [Arg], fin: &Option<Val>) -> R<()> {
        if args.len() > 1 || fin.is_some() {
            return self.errorf(format!(
                "can't give argument to non-function {}",
                args.first().map(|a| a.to_string()).unwrap_or_default()
            ));
        }
        Ok(())
    }

    fn eval_command(&mut self, dot: &Val, cmd: &'t Command, fin: Option<Val>) -> R<Val> {
        let Some(first) = cmd.args.first() else {
            return self.errorf("empty command");
        };
        match first {
            Arg::Field { idents, .. } => {
                self.at(Ctx::Arg(first));
                return self.eval_field_chain(dot, dot.clone(), first, idents, &cmd.args, fin);
            }
            Arg::Chain { .. } => return self.eval_chain(dot, first, &cmd.args, fin),
            Arg::Identifier { name, .. } => {
                return self.eval_function(dot, first, name, Ctx::Cmd(cmd), &cmd.args, fin);
            }
            Arg::Pipe(p) => {
                self.not_a_function(&cmd.args, &fin)?;
                return stacker::maybe_grow(64 * 1024, 1024 * 1024, || {
                    self.eval_pipeline(dot, Some(p))
                });
            }
            Arg::Variable { .. } => return self.eval_variable(dot, first, &cmd.args, fin),
            _ => {}
        }
        self.at(Ctx::Arg(first));
        self.not_a_function(&cmd.args, &fin)?;
        match first {
            Arg::Bool { val, .. } => Ok(Val::plain(Value::Bool(*val))),
            Arg::Dot { .. } => Ok(dot.clone()),
            Arg::Nil { .. } => self.errorf("nil is not a command"),
            Arg::Number { num, .. } => self.ideal_constant(num).map(Val::plain),
            Arg::String { text, .. } => Ok(Val::plain(Value::String(text.clone()))),
            other => self.errorf(format!(
                "can't evaluate command {}",
                crate::strconv::quote(&other.to_string())
            )),
        }
    }

    fn ideal_constant(&self, n: &Number) -> R<Value> {
        let t = &*n.text;
        let is_hex_int = t.len() > 2
            && t.starts_with('0')
            && matches!(t.as_bytes()[1], b'x' | b'X')
            && !t.contains(['p', 'P']);
        let is_rune = t.starts_with('\'');
        if n.is_complex {
            return self.errorf(format!("complex constant {t} is not supported"));
        }
        if n.is_float && !is_hex_int && !is_rune && t.contains(['.', 'e', 'E', 'p', 'P']) {
            return Ok(Value::Float(n.float, FloatKind::Float64));
        }
        if n.is_int {
            return Ok(Value::Int(n.int, IntKind::Int));
        }
        if n.is_uint {
            return self.errorf(format!("{t} overflows int"));
        }
        Ok(Value::Invalid)
    }

    fn eval_variable(
        &mut self,
        dot: &Val,
        var: &'t Arg,
        args: &'t [Arg],
        fin: Option<Val>,
    ) -> R<Val> {
        let Arg::Variable { idents, .. } = var else {
            return self.errorf("internal error: not a variable");
        };
        self.at(Ctx::Arg(var));
        let value = self.var_value(&idents[0])?;
        if idents.len() == 1 {
            self.not_a_function(args, &fin)?;
            return Ok(value);
        }
        self.eval_field_chain(dot, value, var, &idents[1..], args, fin)
    }

    fn eval_chain(
        &mut self,
        dot: &Val,
        chain: &'t Arg,
        args: &'t [Arg],
        fin: Option<Val>,
    ) -> R<Val> {
        let Arg::Chain { node, fields, .. } = chain else {
            return self.errorf("internal error: not a chain");
        };
        self.at(Ctx::Arg(chain));
        if fields.is_empty() {
            return self.errorf("internal error: no fields in evalChainNode");
        }
        if let Arg::Nil { .. } = node.as_ref() {
            return self.errorf(format!("indirection through explicit nil in {chain}"));
        }
        let pipe = self.eval_arg_untyped(dot, node)?;
        self.eval_field_chain(dot, pipe, chain, fields, args, fin)
    }

    /// Go's `evalArg(dot, nil, n)`: the node's value with no conversion.
    fn eval_arg_untyped(&mut self, dot: &Val, n: &'t Arg) -> R<Val> {
        self.at(Ctx::Arg(n));
        let v = match n {
            Arg::Dot { .. } => dot.clone(),
            Arg::Nil { .. } => return self.errorf("cannot assign nil to <nil>"),
            Arg::Field { idents, .. } => {
                self.eval_field_chain(dot, dot.clone(), n, idents, std::slice::from_ref(n), None)?
            }
            Arg::Variable { .. } => self.eval_variable(dot, n, std::slice::from_ref(n), None)?,
            Arg::Pipe(p) => self.eval_pipeline(dot, Some(p))?,
            Arg::Identifier { name, .. } => {
                self.eval_function(dot, n, name, Ctx::Arg(n), &[], None)?
            }
            Arg::Chain { .. } => self.eval_chain(dot, n, &[], None)?,
            Arg::Bool { val, .. } => Val::plain(Value::Bool(*val)),
            Arg::Number { num, .. } => Val::plain(self.ideal_constant(num)?),
            Arg::String { text, .. } => Val::plain(Value::String(text.clone())),
        };
        Ok(v)
    }

    fn eval_field_chain(
        &mut self,
        dot: &Val,
        mut receiver: Val,
        node: &'t Arg,
        idents: &'t [Rc<str>],
        args: &'t [Arg],
        fin: Option<Val>,
    ) -> R<Val> {
        let n = idents.len();
        for id in &idents[..n - 1] {
            receiver = self.eval_field(dot, id, node, &[], None, receiver)?;
        }
        self.eval_field(dot, &idents[n - 1], node, args, fin, receiver)
    }

    fn eval_field(
        &mut self,
        dot: &Val,
        name: &str,
        node: &'t Arg,
        args: &'t [Arg],
        fin: Option<Val>,
        receiver: Val,
    ) -> R<Val> {
        let has_args = args.len() > 1 || fin.is_some();
        match &receiver.v {
            Value::Invalid => {
                if self.set.missing_key == MissingKey::Error {
                    return self.errorf(format!(
                        "nil data; no entry for key {}",
                        crate::strconv::quote(name)
                    ));
                }
                return Ok(Val::invalid());
            }
            Value::Nil => {
                return self.errorf(format!(
                    "nil pointer evaluating {}.{name}",
                    receiver.static_type()
                ));
            }
            Value::Object(o) => {
                if let Some(sig) = o.method(name) {
                    let callee = Callee::Method(o.clone(), sig);
                    return self.eval_call(dot, callee, Ctx::Arg(node), name, args, fin);
                }
                if let Some(v) = o.field(name) {
                    if has_args {
                        return self.errorf(format!(
                            "{name} has arguments but cannot be invoked as function"
                        ));
                    }
                    let boxed = o.kind() == "map";
                    return Ok(Val { v, boxed });
                }
            }
            Value::Map(m) => {
                if has_args {
                    return self.errorf(format!("{name} is not a method but has arguments"));
                }
                let m = m.borrow();
                let boxed = map_boxed(&m.type_name);
                return match m.entries.get(name) {
                    Some(v) => Ok(Val {
                        v: v.clone(),
                        boxed,
                    }),
                    None => match self.set.missing_key {
                        MissingKey::Default => Ok(Val::invalid()),
                        MissingKey::Zero => Ok(Val {
                            v: builtins::map_elem_zero(&m.type_name),
                            boxed,
                        }),
                        MissingKey::Error => {
                            drop(m);
                            self.errorf(format!(
                                "map has no entry for key {}",
                                crate::strconv::quote(name)
                            ))
                        }
                    },
                };
            }
            _ => {}
        }
        self.errorf(format!(
            "can't evaluate field {name} in type {}",
            receiver.static_type()
        ))
    }

    fn eval_function(
        &mut self,
        dot: &Val,
        ident: &'t Arg,
        name: &str,
        call_node: Ctx<'t>,
        args: &'t [Arg],
        fin: Option<Val>,
    ) -> R<Val> {
        self.at(Ctx::Arg(ident));
        let set = self.set;
        let callee = if let Some(f) = set.funcs.get(name) {
            Callee::Func(f)
        } else if let Some(b) = builtins::lookup(name) {
            Callee::Builtin(b)
        } else {
            return self.errorf(format!(
                "{} is not a defined function",
                crate::strconv::quote(name)
            ));
        };
        self.eval_call(dot, callee, call_node, name, args, fin)
    }

    fn eval_call(
        &mut self,
        dot: &Val,
        callee: Callee<'_>,
        node: Ctx<'t>,
        name: &str,
        args: &'t [Arg],
        fin: Option<Val>,
    ) -> R<Val> {
        let args: &'t [Arg] = if args.is_empty() { args } else { &args[1..] };
        let (fixed, variadic): (Vec<PT>, Option<PT>) = match &callee {
            Callee::Func(f) => (
                f.signature.params.iter().cloned().map(PT::Go).collect(),
                f.signature.variadic.clone().map(PT::Go),
            ),
            Callee::Method(_, sig) => (
                sig.params.iter().cloned().map(PT::Go).collect(),
                sig.variadic.clone().map(PT::Go),
            ),
            Callee::Builtin(b) => {
                let (f, v) = builtins::signature(*b);
                let conv = |p: &BParam| match p {
                    BParam::Reflect => PT::Reflect,
                    BParam::Any => PT::Go(Param::Any),
                    BParam::String => PT::Go(Param::String),
                };
                (f.iter().map(conv).collect(), v.as_ref().map(conv))
            }
        };
        let num_in = args.len() + usize::from(fin.is_some());
        let num_params = fixed.len() + usize::from(variadic.is_some());
        if variadic.is_some() {
            if num_in < fixed.len() {
                return self.errorf(format!(
                    "wrong number of args for {name}: want at least {} got {}",
                    fixed.len(),
                    args.len()
                ));
            }
        } else if num_in != num_params {
            return self.errorf(format!(
                "wrong number of args for {name}: want {num_params} got {num_in}"
            ));
        }

        // and/or short-circuit on the first deciding argument.
        if let Callee::Builtin(b @ (Builtin::And | Builtin::Or)) = callee {
            let is_or = b == Builtin::Or;
            let mut v = Val::invalid();
            for a in args {
                v = self.eval_arg(dot, &PT::Reflect, a)?;
                if builtins_truth(&v.v) == is_or {
                    return Ok(v);
                }
            }
            if let Some(f) = fin {
                v = f;
            }
            return Ok(v);
        }

        let mut argv: Vec<Value> = Vec::with_capacity(num_in);
        let mut i = 0;
        while i < fixed.len() && i < args.len() {
            argv.push(self.eval_arg(dot, &fixed[i], &args[i])?.v);
            i += 1;
        }
        if let Some(vt) = &variadic {
            while i < args.len() {
                argv.push(self.eval_arg(dot, vt, &args[i])?.v);
                i += 1;
            }
        }
        if let Some(f) = fin {
            let t = if num_in - 1 < fixed.len() {
                fixed[num_in - 1].clone()
            } else {
                variadic.clone().unwrap_or(PT::Go(Param::Any))
            };
            argv.push(self.validate_type(f, &t)?.v);
        }
        let result = match callee {
            Callee::Func(f) => {
                let body = f.body.clone();
                body(self, argv)
            }
            Callee::Method(o, _) => o.call_method(name, argv),
            Callee::Builtin(b) => builtins::call(b, &argv),
        };
        match result {
            Ok(v) => Ok(Val::plain(v)),
            Err(e) => {
                self.at(node);
                self.errorf(format!("error calling {name}: {e}"))
            }
        }
    }

    /// Go's `evalArg`: evaluate an argument for a parameter of type `pt`.
    fn eval_arg(&mut self, dot: &Val, pt: &PT, n: &'t Arg) -> R<Val> {
        self.at(Ctx::Arg(n));
        match n {
            Arg::Dot { .. } => return self.validate_type(dot.clone(), pt),
            Arg::Nil { .. } => {
                return match pt {
                    PT::Reflect => Ok(Val::invalid()),
                    PT::Go(p) if can_be_nil(p) => Ok(Val::plain(zero_param(p))),
                    PT::Go(p) => self.errorf(format!("cannot assign nil to {}", param_name(p))),
                };
            }
            Arg::Field { idents, .. } => {
                let v = self.eval_field_chain(
                    dot,
                    dot.clone(),
                    n,
                    idents,
                    std::slice::from_ref(n),
                    None,
                )?;
                return self.validate_type(v, pt);
            }
            Arg::Variable { .. } => {
                let v = self.eval_variable(dot, n, std::slice::from_ref(n), None)?;
                return self.validate_type(v, pt);
            }
            Arg::Pipe(p) => {
                let v = stacker::maybe_grow(64 * 1024, 1024 * 1024, || {
                    self.eval_pipeline(dot, Some(p))
                })?;
                return self.validate_type(v, pt);
            }
            Arg::Identifier { name, .. } => {
                let v = self.eval_function(dot, n, name, Ctx::Arg(n), &[], None)?;
                return self.validate_type(v, pt);
            }
            Arg::Chain { .. } => {
                let v = self.eval_chain(dot, n, &[], None)?;
                return self.validate_type(v, pt);
            }
            _ => {}
        }
        let p = match pt {
            PT::Reflect => Param::Any,
            PT::Go(p) => p.clone(),
        };
        match (&p, n) {
            (Param::Any, _) => match n {
                Arg::Bool { val, .. } => Ok(Val::plain(Value::Bool(*val))),
                Arg::Number { num, .. } => Ok(Val::plain(self.ideal_constant(num)?)),
                Arg::String { text, .. } => Ok(Val::plain(Value::String(text.clone()))),
                _ => self.errorf(format!(
                    "can't handle assignment of {n} to empty interface argument"
                )),
            },
            (Param::Bool, Arg::Bool { val, .. }) => Ok(Val::plain(Value::Bool(*val))),
            (Param::Bool, _) => self.errorf(format!("expected bool; found {n}")),
            (Param::Float64, Arg::Number { num, .. }) if num.is_float => {
                Ok(Val::plain(Value::Float(num.float, FloatKind::Float64)))
            }
            (Param::Float64, _) => self.errorf(format!("expected float; found {n}")),
            (Param::Int, Arg::Number { num, .. }) if num.is_int => {
                Ok(Val::plain(Value::Int(num.int, IntKind::Int)))
            }
            (Param::Int64, Arg::Number { num, .. }) if num.is_int => {
                Ok(Val::plain(Value::Int(num.int, IntKind::Int64)))
            }
            (Param::Int | Param::Int64, _) => self.errorf(format!("expected integer; found {n}")),
            (Param::Uint32, Arg::Number { num, .. }) if num.is_uint => Ok(Val::plain(Value::Uint(
                num.uint as u32 as u64,
                UintKind::Uint32,
            ))),
            (Param::Uint32, _) => self.errorf(format!("expected unsigned integer; found {n}")),
            (Param::String, Arg::String { text, .. }) => {
                Ok(Val::plain(Value::String(text.clone())))
            }
            (Param::String, _) => self.errorf(format!("expected string; found {n}")),
            (p, _) => self.errorf(format!(
                "can't handle {n} for arg of type {}",
                param_name(p)
            )),
        }
    }

    /// Go's `validateType`: check (and unwrap) a value for a parameter.
    fn validate_type(&self, v: Val, pt: &PT) -> R<Val> {
        let p = match pt {
            PT::Reflect => return Ok(v),
            PT::Go(p) => p,
        };
        if let Value::Invalid = v.v {
            if can_be_nil(p) {
                return Ok(Val::plain(zero_param(p)));
            }
            return self.errorf(format!("invalid value; expected {}", param_name(p)));
        }
        let ok = match (p, &v.v) {
            (Param::Any, _) => true,
            (Param::String, Value::String(_)) => true,
            (Param::Bool, Value::Bool(_)) => true,
            (Param::Int, Value::Int(_, IntKind::Int)) => true,
            (Param::Int64, Value::Int(_, IntKind::Int64)) => true,
            (Param::Uint32, Value::Uint(_, UintKind::Uint32)) => true,
            (Param::Float64, Value::Float(_, FloatKind::Float64)) => true,
            (Param::Bytes, Value::Bytes(_)) => true,
            (Param::Strings, Value::List(l)) => &*l.type_name == "[]string",
            (Param::List, Value::List(l)) => &*l.type_name == "[]interface {}",
            (Param::Map, Value::Map(m)) => {
                let m = m.borrow();
                &*m.type_name == "map[string]interface {}" || !m.type_name.starts_with("map[")
            }
            (Param::Named(n), v) => v.type_name() == *n,
            _ => false,
        };
        if ok {
            return Ok(Val::plain(v.v));
        }
        self.errorf(format!(
            "wrong type for value; expected {}; got {}",
            param_name(p),
            if matches!(v.v, Value::Nil) {
                "interface {}".to_string()
            } else {
                v.v.type_name()
            }
        ))
    }
}

fn builtins_truth(v: &Value) -> bool {
    match v {
        Value::Nil => false,
        v => v.truth(),
    }
}

fn can_be_nil(p: &Param) -> bool {
    match p {
        Param::Any | Param::Bytes | Param::Strings | Param::List | Param::Map => true,
        Param::Named(n) => n.starts_with('*') || n.starts_with("[]") || n.starts_with("map["),
        _ => false,
    }
}

/// The zero value passed for nil or no value to a nil-able parameter.
fn zero_param(p: &Param) -> Value {
    match p {
        Param::Bytes => Value::Bytes(Rc::from(&[][..])),
        Param::Strings => Value::string_list(Vec::<String>::new()),
        Param::List => Value::list(Vec::new()),
        _ => Value::Nil,
    }
}

/// Whether map values of this Go type are interfaces.
fn map_boxed(type_name: &str) -> bool {
    !type_name.starts_with("map[") || type_name.ends_with("interface {}")
}

fn elem_boxed(type_name: &str) -> bool {
    !type_name.starts_with("[]") || type_name.ends_with("interface {}")
}

impl Env for State<'_, '_> {
    fn execute_template(&mut self, name: &str, data: Value) -> Result<String, String> {
        if self.depth >= self.set.max_depth {
            return Err(format!(
                "exceeded maximum template depth ({})",
                self.set.max_depth
            ));
        }
        let set = self.set;
        let overlays = self.overlays.clone();
        let depth = self.depth + 1;
        self.run_nested(|shared, out| {
            stacker::maybe_grow(128 * 1024, 2 * 1024 * 1024, || {
                execute(set, &overlays, name, data, shared, out, depth)
            })
        })
    }

    fn execute_text(&mut self, name: &str, text: &str, data: Value) -> Result<String, String> {
        if self.depth >= self.set.max_depth {
            return Err(format!(
                "exceeded maximum template depth ({})",
                self.set.max_depth
            ));
        }
        let trees = self
            .set
            .parse_trees(name, text)
            .map_err(|e| e.to_string())?;
        let set = self.set;
        let mut defs: Defs = HashMap::new();
        let mut main = None;
        {
            let overlays = &self.overlays;
            for t in trees {
                let t = Rc::new(t);
                if &*t.name == name {
                    main = Some(t.clone());
                }
                associate(&mut defs, t, |n| lookup(set, overlays, n));
            }
        }
        let Some(main) = main else {
            return Err(format!(
                "template: no template {} associated with template {}",
                crate::strconv::quote(name),
                crate::strconv::quote(set.name())
            ));
        };
        let mut overlays: Vec<&Defs> = self.overlays.clone();
        overlays.push(&defs);
        let depth = self.depth + 1;
        self.run_nested(|shared, out| {
            stacker::maybe_grow(128 * 1024, 2 * 1024 * 1024, || {
                execute_tree(set, &overlays, main, data, shared, out, depth)
            })
        })
    }

    fn template_name(&self) -> String {
        self.name.to_string()
    }

    fn counter(&mut self, key: &str) -> &mut i64 {
        self.shared.counters.entry(key.to_string()).or_insert(0)
    }
}
