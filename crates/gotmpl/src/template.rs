//! The template set, modelled on Go's `*template.Template`: named templates sharing
//! definitions and functions, options, delimiters, parsing and execution.

use std::collections::HashMap;
use std::fmt;
use std::rc::Rc;

use crate::exec;
use crate::func::FuncMap;
use crate::node::{Tree, is_empty_list};
use crate::value::Value;

/// Go's `missingkey` option: what a missing map key yields.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum MissingKey {
    /// `missingkey=default` / `invalid`: no value (printed `<no value>`).
    #[default]
    Default,
    /// `missingkey=zero`: the zero value of the map's element type (nil for
    /// `map[string]interface {}`).
    Zero,
    /// `missingkey=error`: execution stops with `map has no entry for key "x"`.
    Error,
}

/// Where a piece of output came from: the text it was parsed from (`source`, the name given
/// to [`Template::parse`]), the template being executed, and the node's byte range in the
/// source.
#[derive(Clone, Debug)]
pub struct Origin {
    pub source: Rc<str>,
    pub template: Rc<str>,
    /// Byte offset of the node in `source`'s text: for text, where the written text starts;
    /// for actions, the first token after `{{`.
    pub offset: usize,
    /// For actions: the byte offset just after the closing delimiter. For text: `offset` +
    /// the text's length.
    pub end: usize,
    pub kind: OriginKind,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OriginKind {
    /// Template text copied verbatim (`text` is a slice of the source at `offset`).
    Text,
    /// The printed value of an action `{{ ... }}`.
    Action,
}

/// Receives the output of an execution piece by piece, with where each piece came from.
pub trait Output {
    fn write(&mut self, text: &str, origin: &Origin);
    /// Whether the output of nested executions started by functions (`include`, `tpl`)
    /// should be traced and handed to [`Output::nested`].
    fn wants_nested(&self) -> bool {
        false
    }
    /// The traced output of a nested execution run while evaluating the action (or control
    /// node) at `caller`; the function's result (and so, often transformed, the action's
    /// printed value) is built from `run.text`.
    fn nested(&mut self, _caller: &Origin, _run: TracedOutput) {}
}

impl Output for String {
    fn write(&mut self, text: &str, _origin: &Origin) {
        self.push_str(text);
    }
}

/// Output that keeps every piece with its origin, and the traces of nested executions
/// (`include`, `tpl`) with the action that started them.
#[derive(Default, Debug, Clone)]
pub struct TracedOutput {
    pub text: String,
    /// (start byte in `text`, origin) for each piece, in order.
    pub pieces: Vec<(usize, Origin)>,
    /// (calling action, traced output of the nested run), in execution order.
    pub nested: Vec<(Origin, TracedOutput)>,
}

impl Output for TracedOutput {
    fn write(&mut self, text: &str, origin: &Origin) {
        if text.is_empty() {
            return;
        }
        self.pieces.push((self.text.len(), origin.clone()));
        self.text.push_str(text);
    }
    fn wants_nested(&self) -> bool {
        true
    }
    fn nested(&mut self, caller: &Origin, run: TracedOutput) {
        self.nested.push((caller.clone(), run));
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ErrorKind {
    Parse,
    Exec,
}

/// A parse or execution error. `Display` gives Go's exact message; the details (line,
/// column, context, message) are reachable through `Deref` (`err.line`).
#[derive(Clone, Debug)]
pub struct Error(Box<ErrorDetails>);

impl std::ops::Deref for Error {
    type Target = ErrorDetails;
    fn deref(&self) -> &ErrorDetails {
        &self.0
    }
}

#[derive(Clone, Debug)]
pub struct ErrorDetails {
    pub kind: ErrorKind,
    /// The executing template (exec) or the parsed name (parse).
    pub template: String,
    /// The text the error position is in (Go's ParseName).
    pub source: String,
    /// 1-based line; 0 when Go names no position.
    pub line: usize,
    /// 0-based byte column in the line (as Go prints it); exec errors only.
    pub col: usize,
    /// Byte offset in `source`'s text (exec errors with a node).
    pub offset: Option<usize>,
    /// The node text Go shows in `at <...>` (exec errors with a node).
    pub context: Option<String>,
    /// The message without Go's location prefix.
    pub message: String,
    pub(crate) full: String,
}

impl Error {
    pub(crate) fn parse(e: crate::parse::ParseError) -> Error {
        let full = format!("template: {}:{}: {}", e.parse_name, e.line, e.message);
        Error(Box::new(ErrorDetails {
            kind: ErrorKind::Parse,
            template: e.parse_name.clone(),
            source: e.parse_name,
            line: e.line,
            col: 0,
            offset: None,
            context: None,
            message: e.message,
            full,
        }))
    }

    pub(crate) fn exec_at(
        template: &str,
        tree: &Tree,
        offset: usize,
        context: String,
        message: String,
    ) -> Error {
        let (line, col) = tree.location(offset);
        let full = format!(
            "template: {}:{}:{}: executing {} at <{}>: {}",
            tree.parse_name,
            line,
            col,
            crate::strconv::quote(template),
            context,
            message
        );
        Error(Box::new(ErrorDetails {
            kind: ErrorKind::Exec,
            template: template.to_string(),
            source: tree.parse_name.to_string(),
            line,
            col,
            offset: Some(offset),
            context: Some(context),
            message,
            full,
        }))
    }

    pub(crate) fn exec_plain(template: &str, message: String) -> Error {
        let full = format!("template: {template}: {message}");
        Error(Box::new(ErrorDetails {
            kind: ErrorKind::Exec,
            template: template.to_string(),
            source: template.to_string(),
            line: 0,
            col: 0,
            offset: None,
            context: None,
            message,
            full,
        }))
    }

    /// An error that is only a message (Go's `ExecuteTemplate` on an unknown name).
    pub(crate) fn bare(template: &str, full: String) -> Error {
        Error(Box::new(ErrorDetails {
            kind: ErrorKind::Exec,
            template: template.to_string(),
            source: template.to_string(),
            line: 0,
            col: 0,
            offset: None,
            context: None,
            message: full.clone(),
            full,
        }))
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.full)
    }
}

impl std::error::Error for Error {}

/// Definitions by name.
pub(crate) type Defs = HashMap<String, Rc<Tree>>;

/// A set of templates sharing definitions, functions and options (Go's `*Template` and
/// its `common`). Cloning is cheap (trees and functions are shared); a clone's new
/// definitions do not affect the original.
#[derive(Clone)]
pub struct Template {
    name: Rc<str>,
    pub(crate) trees: Defs,
    pub(crate) funcs: Rc<FuncMap>,
    pub(crate) left: String,
    pub(crate) right: String,
    pub(crate) missing_key: MissingKey,
    pub(crate) max_depth: usize,
}

/// Go's limit on nested `{{template}}` calls.
pub const MAX_EXEC_DEPTH: usize = 100_000;

impl Template {
    /// A new, empty set; `name` is the set's own name (Go's `template.New(name)`), used
    /// in `no template "x" associated with template "NAME"`.
    pub fn new(name: &str) -> Template {
        Template {
            name: Rc::from(name),
            trees: HashMap::new(),
            funcs: Rc::new(FuncMap::new()),
            left: "{{".into(),
            right: "}}".into(),
            missing_key: MissingKey::Default,
            max_depth: MAX_EXEC_DEPTH,
        }
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    /// Adds functions (Go's `Funcs`); they must be added before parsing templates that use
    /// them.
    pub fn funcs(&mut self, funcs: FuncMap) -> &mut Self {
        Rc::make_mut(&mut self.funcs).extend(funcs);
        self
    }

    /// The functions known to the set (without Go's builtins).
    pub fn func_map(&self) -> &FuncMap {
        &self.funcs
    }

    /// Go's `Delims`; empty strings mean the defaults `{{` and `}}`.
    pub fn delims(&mut self, left: &str, right: &str) -> &mut Self {
        self.left = if left.is_empty() { "{{" } else { left }.to_string();
        self.right = if right.is_empty() { "}}" } else { right }.to_string();
        self
    }

    /// Go's `Option("missingkey=...")`.
    pub fn option(&mut self, opt: &str) -> Result<&mut Self, String> {
        let Some((k, v)) = opt.split_once('=') else {
            return Err(format!("unrecognized option: {opt}"));
        };
        if k != "missingkey" {
            return Err(format!("unrecognized option: {opt}"));
        }
        self.missing_key = match v {
            "invalid" | "default" => MissingKey::Default,
            "zero" => MissingKey::Zero,
            "error" => MissingKey::Error,
            _ => return Err(format!("unrecognized option: {opt}")),
        };
        Ok(self)
    }

    pub fn set_missing_key(&mut self, m: MissingKey) -> &mut Self {
        self.missing_key = m;
        self
    }

    pub fn missing_key(&self) -> MissingKey {
        self.missing_key
    }

    /// Limit on nested `{{template}}`/`include`/`tpl` calls (default Go's 100000).
    pub fn set_max_depth(&mut self, depth: usize) -> &mut Self {
        self.max_depth = depth;
        self
    }

    /// Parses `text` as template `name` (Go's `t.New(name).Parse(text)`): the text's
    /// `define`s and `block`s are added to the set. A definition replaces an earlier one
    /// unless it is empty (whitespace and comments only).
    pub fn parse(&mut self, name: &str, text: &str) -> Result<(), Error> {
        let trees = self.parse_trees(name, text)?;
        for t in trees {
            associate(&mut self.trees, Rc::new(t), |_| None);
        }
        Ok(())
    }

    pub(crate) fn parse_trees(&self, name: &str, text: &str) -> Result<Vec<Tree>, Error> {
        let funcs = self.funcs.clone();
        let has = move |n: &str| funcs.contains_key(n) || crate::builtins::is_builtin(n);
        crate::parse::parse(name, text, &self.left, &self.right, &has).map_err(Error::parse)
    }

    /// Whether template `name` is defined.
    pub fn has_template(&self, name: &str) -> bool {
        self.trees.contains_key(name)
    }

    /// Names of the defined templates, sorted.
    pub fn defined_templates(&self) -> Vec<String> {
        let mut v: Vec<String> = self.trees.keys().cloned().collect();
        v.sort();
        v
    }

    /// The source text template `name` was parsed from, and its source name.
    pub fn source_of(&self, name: &str) -> Option<(Rc<str>, Rc<str>)> {
        self.trees
            .get(name)
            .map(|t| (t.parse_name.clone(), t.text.clone()))
    }

    /// The data references in the action an [`Origin`] points at, in Go syntax and source
    /// order: `{{ toYaml .Values.resources | nindent 4 }}` gives `[".Values.resources"]`,
    /// `$.Values.x` and `$v.name` are kept with their variable. For mapping printed values
    /// back to the values file they came from. Empty for text origins and unknown sources.
    pub fn action_fields(&self, origin: &Origin) -> Vec<String> {
        if origin.kind != OriginKind::Action {
            return Vec::new();
        }
        let Some(tree) = self.trees.get(&*origin.template) else {
            return Vec::new();
        };
        let Some(action) = tree.text.get(origin.offset..origin.end) else {
            return Vec::new();
        };
        action_fields(&format!("{}{}", self.left, action), &self.left, &self.right)
    }

    /// Executes template `name` with `data` as dot (Go's `ExecuteTemplate`).
    pub fn execute(&self, name: &str, data: Value) -> Result<String, Error> {
        let mut out = String::new();
        self.execute_to(name, data, &mut out)?;
        Ok(out)
    }

    /// Executes template `name`, sending each piece of output with its origin to `out`.
    pub fn execute_to(&self, name: &str, data: Value, out: &mut dyn Output) -> Result<(), Error> {
        let mut shared = exec::Shared::default();
        exec::execute(self, &[], name, data, &mut shared, out, 0)
    }
}

/// Go's `associate`: a new empty tree does not replace an existing non-empty one.
/// `outer` looks a name up in enclosing scopes (for overlays).
pub(crate) fn associate(defs: &mut Defs, tree: Rc<Tree>, outer: impl Fn(&str) -> Option<Rc<Tree>>) {
    let name = tree.name.to_string();
    let existing = defs.get(&name).cloned().or_else(|| outer(&name));
    if existing.is_some() && is_empty_list(&tree.root) {
        return;
    }
    defs.insert(name, tree);
}

/// Field and variable chains in one action's text (`{{ ... }}`), joined as Go writes them.
fn action_fields(text: &str, left: &str, right: &str) -> Vec<String> {
    use crate::lex::ItemType;
    let items = crate::lex::lex(text, left, right, true, true);
    let mut out = Vec::new();
    let mut cur = String::new();
    for it in items {
        match it.typ {
            ItemType::Field => cur.push_str(&it.val),
            ItemType::Variable if cur.is_empty() => cur.push_str(&it.val),
            _ => {
                if !cur.is_empty() && cur != "$" {
                    out.push(std::mem::take(&mut cur));
                }
                cur.clear();
                if it.typ == ItemType::Variable {
                    cur.push_str(&it.val);
                }
            }
        }
    }
    if !cur.is_empty() && cur != "$" {
        out.push(cur);
    }
    out
}
