//! The spanned loader: saphyr-parser events -> our tree, one document at a time.
//!
//! One parser reads the stream and each document is handed over (and can be dropped) as soon
//! as it ends, so memory holds one tree at a time. When a document does not parse, the
//! stream is cut at document-marker lines (`---`, `...` at column 0) from that document on,
//! its piece is parsed alone and becomes a `LoadError`, and a new parser takes the rest.
//!
//! saphyr reports positions in characters; every marker is converted to a byte offset with
//! a cursor that moves from the previous position (events arrive in text order), so a long
//! single-line JSON file costs linear time. When saphyr rejects something the API server
//! accepts (a tab after `key:`, a flow collection closed at its parent's indentation, a
//! quoted scalar continued left of its block), `lenient.rs` rewrites the piece without
//! moving any byte and it is parsed again.

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasher, RandomState};
use std::ops::Range;

use saphyr_parser::{Event, Parser, ScalarStyle as PStyle, Span as PSpan, Tag as PTag};

use super::lenient::{self, Rewrite};
use super::resolve::{self, Tag};
use super::{Entry, Node, Scalar, ScalarStyle, Seg, Span, Value, YamlPath};
use crate::source::SourceFile;

pub use super::lenient::LenientKind;
pub use super::resolve::resolve_plain;

/// Nodes alias expansion may create in one document before the document is refused (a
/// "billion laughs" defence), at least...
pub const ALIAS_BUDGET: usize = 100_000;
/// ... or this many times the nodes written out in the document so far, if that is larger.
pub const ALIAS_BUDGET_FACTOR: usize = 10;
/// Deeper nesting is refused: the tree is cloned and dropped recursively.
pub const MAX_DEPTH: usize = 512;
/// Lenient rewrites tried per document before its parse error is reported.
const MAX_FIXES: usize = 64;
/// Mappings with more entries than this find duplicate keys through a hash set.
const LINEAR_DUPLICATE_SCAN: usize = 16;

/// One non-empty YAML document of a stream.
#[derive(Debug)]
pub struct Document {
    /// Index among the stream's non-empty documents (0-based); a document that failed to
    /// load takes an index too.
    pub index: usize,
    pub root: Node,
    pub duplicate_keys: Vec<DuplicateKey>,
    /// Constructs saphyr rejects but the API server accepts, which the loader tolerated.
    pub lenient: Vec<Lenient>,
}

/// A key that appears twice in one mapping.
#[derive(Clone, Debug, PartialEq)]
pub struct DuplicateKey {
    pub key: String,
    pub first: Span,
    pub duplicate: Span,
    /// The path of the duplicated field from the document root (its parent path plus the key).
    pub path: YamlPath,
}

/// Where the loader tolerated a construct (see `LenientKind`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Lenient {
    pub kind: LenientKind,
    /// The tab read as a space, the flow token left of its indentation, or the opening quote
    /// of the scalar continued left of its block.
    pub span: Span,
}

/// A document that could not be loaded.
#[derive(Clone, Debug, PartialEq)]
pub struct LoadError {
    /// Index the document would have had.
    pub document: usize,
    pub span: Span,
    pub message: String,
}

/// Load every document of `src`, calling `on_doc` for each one as soon as it is built, so
/// that only one document's tree is alive at a time.
pub fn load_stream(src: &SourceFile, on_doc: impl FnMut(Result<Document, LoadError>)) {
    load_range(src, 0..src.text.len(), on_doc);
}

/// Cut `text` into ranges of about `target` bytes that end at document boundaries (see
/// `split_documents`), so that the ranges can be loaded in parallel with `load_range`.
pub fn split_ranges(text: &str, target: usize) -> Vec<Range<usize>> {
    let mut out: Vec<Range<usize>> = Vec::new();
    let mut start = 0;
    for chunk in split_documents(text) {
        // A `%` line after content is only a directive if a `...` came first (and then the
        // cut is there); otherwise it may be the content of a multi-line scalar.
        if chunk.before_directive {
            continue;
        }
        if chunk.range.end - start >= target.max(1) {
            out.push(start..chunk.range.end);
            start = chunk.range.end;
        }
    }
    if start < text.len() || out.is_empty() {
        out.push(start..text.len());
    }
    out
}

/// Load the documents of one range of `split_ranges`, numbering them from 0. Positions
/// stay those of the whole source.
pub fn load_range(
    src: &SourceFile,
    range: Range<usize>,
    mut on_doc: impl FnMut(Result<Document, LoadError>),
) {
    // Cutting the text at the range's end keeps every byte offset of the range intact.
    let text = &src.text[..range.end.min(src.text.len())];
    let mut index = 0;
    let mut from = range.start;
    while from < text.len() {
        match load_fast(text, from, &mut index, &mut on_doc) {
            None => return,
            Some((resume, error_at)) => {
                from = load_pieces(text, resume, error_at, &mut index, &mut on_doc);
            }
        }
    }
}

/// Every document of `src` at once (tests, small inputs).
pub fn load_all(src: &SourceFile) -> Vec<Result<Document, LoadError>> {
    let mut out = Vec::new();
    load_stream(src, |d| out.push(d));
    out
}

// ---------------------------------------------------------------------------------------
// Splitting the stream

struct Chunk {
    range: Range<usize>,
    /// Whether anything but blank lines, comments, directives and markers is in it.
    has_content: bool,
    /// Whether it was cut before a `%` line.
    before_directive: bool,
}

fn is_marker(line: &[u8], marker: &[u8; 3]) -> bool {
    line.starts_with(marker)
        && line
            .get(3)
            .is_none_or(|c| matches!(c, b' ' | b'\t' | b'\r'))
}

fn is_blank_or_comment(line: &[u8]) -> bool {
    line.iter()
        .find(|c| !matches!(c, b' ' | b'\t' | b'\r'))
        .is_none_or(|&c| c == b'#')
}

/// Cut the stream before each `---` line (unless only directives and comments precede it in
/// the current piece), after each `...` line, and before a `%` directive that follows
/// content. Document markers end block scalars and are errors inside quoted ones, so
/// cutting there never splits a valid document. Lazy: the caller stops where it needs to.
fn split_documents(text: &str) -> Pieces<'_> {
    Pieces {
        text,
        pos: 0,
        start: 0,
        has_content: false,
        has_marker: false,
    }
}

struct Pieces<'t> {
    text: &'t str,
    /// The next line to look at, and where the current piece starts.
    pos: usize,
    start: usize,
    has_content: bool,
    has_marker: bool,
}

impl Pieces<'_> {
    /// End the current piece at `end`; the next one starts at `next`.
    fn cut(&mut self, end: usize, next: usize) -> Chunk {
        let c = Chunk {
            range: self.start..end,
            has_content: self.has_content,
            before_directive: self.text.as_bytes().get(end) == Some(&b'%'),
        };
        self.start = next;
        self.has_content = false;
        self.has_marker = false;
        c
    }
}

impl Iterator for Pieces<'_> {
    type Item = Chunk;

    fn next(&mut self) -> Option<Chunk> {
        let b = self.text.as_bytes();
        while self.pos < b.len() {
            let pos = self.pos;
            // `str::find` with a char uses memchr: this loop runs over every line.
            let nl = self.text[pos..].find('\n').map_or(b.len(), |i| pos + i);
            let next = (nl + 1).min(b.len());
            self.pos = next;
            let mut line = &b[pos..nl];
            if let Some(rest) = line.strip_prefix("\u{feff}".as_bytes()) {
                line = rest;
            }
            match line.first() {
                Some(b'-') if is_marker(line, b"---") => {
                    let cut = (self.has_content || self.has_marker).then(|| self.cut(pos, pos));
                    self.has_marker = true;
                    self.has_content = !is_blank_or_comment(&line[3..]);
                    if cut.is_some() {
                        return cut;
                    }
                }
                Some(b'.') if is_marker(line, b"...") => return Some(self.cut(next, next)),
                Some(b'%') if self.has_content || self.has_marker => {
                    return Some(self.cut(pos, pos));
                }
                Some(b'%') => {}
                _ => {
                    if !self.has_content && !is_blank_or_comment(line) {
                        self.has_content = true;
                    }
                }
            }
        }
        if self.start < b.len() {
            let end = b.len();
            return Some(self.cut(end, end));
        }
        None
    }
}

// ---------------------------------------------------------------------------------------
// The fast path: one parser for the rest of the stream

/// Load documents from `from` with a single parser, emitting each as it ends. On a parse
/// error, return where the unfinished document's region starts and where the error is: the
/// caller reloads that region piece by piece.
fn load_fast(
    text: &str,
    from: usize,
    index: &mut usize,
    on_doc: &mut impl FnMut(Result<Document, LoadError>),
) -> Option<(usize, usize)> {
    let rest = &text[from..];
    let mut parser = Parser::new_from_str(rest);
    let mut b = Builder::new(rest, from, &[], &[]);
    // Everything before this has been emitted.
    let mut resume = from;
    while let Some(next) = parser.next_event() {
        match next {
            Ok((ev, span)) => {
                b.event(ev, span);
                if let Some(end) = b.doc_ended.take() {
                    for built in b.docs.drain(..) {
                        emit(built, index, &[], on_doc);
                    }
                    resume = end;
                }
            }
            Err(e) => {
                let at = from + b.cursor.byte(e.marker().index());
                return Some((line_start(text, resume), at));
            }
        }
    }
    None
}

fn line_start(text: &str, at: usize) -> usize {
    text[..at].rfind('\n').map_or(0, |i| i + 1)
}

/// Reload from `resume` piece by piece (see `split_documents`) through the piece holding
/// `error_at`; return where that piece ends.
fn load_pieces(
    text: &str,
    resume: usize,
    error_at: usize,
    index: &mut usize,
    on_doc: &mut impl FnMut(Result<Document, LoadError>),
) -> usize {
    for chunk in split_documents(&text[resume..]) {
        let range = resume + chunk.range.start..resume + chunk.range.end;
        if chunk.has_content {
            load_chunk(text, range.clone(), index, on_doc);
        }
        if range.end > error_at {
            return range.end;
        }
    }
    text.len()
}

fn emit(
    built: Built,
    index: &mut usize,
    tolerated: &[Lenient],
    on_doc: &mut impl FnMut(Result<Document, LoadError>),
) {
    let i = *index;
    *index += 1;
    on_doc(match built {
        Ok((root, duplicate_keys)) => Ok(Document {
            index: i,
            root,
            duplicate_keys,
            lenient: tolerated.to_vec(),
        }),
        Err((span, message)) => Err(LoadError {
            document: i,
            span,
            message,
        }),
    });
}

// ---------------------------------------------------------------------------------------
// One piece of the stream: strict parse, then lenient rewrites while they help

fn load_chunk(
    src: &str,
    range: Range<usize>,
    index: &mut usize,
    on_doc: &mut impl FnMut(Result<Document, LoadError>),
) {
    let base = range.start;
    let piece = &src[range];
    let mut current: Cow<str> = Cow::Borrowed(piece);
    let mut fixes = Fixes::default();
    let mut tolerated: Vec<Lenient> = Vec::new();
    let mut result = attempt(&current, base, &fixes);
    for _ in 0..MAX_FIXES {
        let Some(err) = result.syntax.as_ref() else {
            break;
        };
        let (at, message, flow_start) = (err.at, err.message.clone(), err.flow_start);
        let mut accepted: Option<(Rewrite, Fixes, Attempt)> = None;
        for cand in lenient::candidates(&current, at, &message, flow_start) {
            let f = fixes.with(&cand);
            let r = attempt(&cand.text, base, &f);
            // A rewritten byte inside a scalar would change a value; an error at or before
            // the first one means the rewrite did not help.
            if r.guard_hit || r.syntax.as_ref().is_some_and(|e| e.at <= at) {
                continue;
            }
            accepted = Some((cand, f, r));
            break;
        }
        let Some((cand, f, r)) = accepted else {
            break;
        };
        match cand.kind {
            LenientKind::TabAfterColon => tolerated.extend(cand.changed.iter().map(|c| Lenient {
                kind: cand.kind,
                span: Span::new(base + c.start, base + c.end),
            })),
            LenientKind::FlowIndentation | LenientKind::QuotedIndentation => {
                tolerated.push(Lenient {
                    kind: cand.kind,
                    span: Span::new(base + at, base + at + 1),
                });
            }
        }
        current = Cow::Owned(cand.text);
        fixes = f;
        result = r;
    }

    for built in result.docs {
        emit(built, index, &tolerated, on_doc);
    }
    if let Some(err) = result.syntax {
        let (at, message) = error_site(piece, err.at, err.message);
        let at = base + at;
        on_doc(Err(LoadError {
            document: *index,
            // Within the piece, so that where the stream was cut never changes the span.
            span: Span::new(at, at + char_len_at(&src[..base + piece.len()], at)),
            message,
        }));
        *index += 1;
    }
}

/// Where a parse error of `piece` really is, and what to call it. saphyr reads a NUL byte
/// as the end of the input (inside a quoted scalar it then blames the opening quote), so a
/// piece holding one fails at its first NUL; a tab indentation error is reported after the
/// tabs, and moved onto them.
fn error_site(piece: &str, at: usize, message: String) -> (usize, String) {
    if let Some(nul) = piece.find('\0') {
        return (
            nul,
            "a NUL byte: YAML does not allow control characters (is this a binary file?)"
                .to_string(),
        );
    }
    let mut at = at.min(piece.len());
    if message.contains("tab") {
        while at > 0 && piece.as_bytes()[at - 1] == b'\t' {
            at -= 1;
        }
    }
    (at, message)
}

/// The length of the character at `at` (0 at a line end or the end of the text), so that an
/// error underlines the offending character.
fn char_len_at(text: &str, at: usize) -> usize {
    text.get(at..)
        .and_then(|s| s.chars().next())
        .filter(|c| !matches!(c, '\n' | '\r'))
        .map_or(0, char::len_utf8)
}

/// What the accepted rewrites of a piece changed, relative to the piece.
#[derive(Default)]
struct Fixes {
    /// Bytes replaced by spaces, sorted: none may fall inside a scalar...
    guard: Vec<Range<usize>>,
    /// ... except in these quoted scalars, whose value is given, sorted.
    values: Vec<(Range<usize>, String)>,
}

impl Fixes {
    fn with(&self, r: &Rewrite) -> Fixes {
        let mut guard: Vec<Range<usize>> = self.guard.iter().chain(&r.changed).cloned().collect();
        guard.sort_by_key(|g| g.start);
        let mut values = self.values.clone();
        values.extend(r.value.clone());
        values.sort_by_key(|v| v.0.start);
        Fixes { guard, values }
    }
}

/// A parse error of one attempt, in bytes from the start of the piece.
struct SyntaxError {
    at: usize,
    message: String,
    /// The outermost open `[`/`{` when the error happened inside a flow collection.
    flow_start: Option<usize>,
}

type Built = Result<(Node, Vec<DuplicateKey>), (Span, String)>;

struct Attempt {
    docs: Vec<Built>,
    syntax: Option<SyntaxError>,
    guard_hit: bool,
}

fn attempt(text: &str, base: usize, fixes: &Fixes) -> Attempt {
    let mut parser = Parser::new_from_str(text);
    let mut b = Builder::new(text, base, &fixes.guard, &fixes.values);
    let mut syntax = None;
    while let Some(next) = parser.next_event() {
        match next {
            Ok((ev, span)) => {
                b.event(ev, span);
                if b.guard_hit {
                    break;
                }
            }
            Err(e) => {
                let at = b.cursor.byte(e.marker().index());
                if let Some(failed) = b.failed.take() {
                    // The document was already refused; its first problem is the one to report.
                    b.docs.push(Err(failed));
                } else {
                    let flow_start = b.stack.iter().find(|f| f.flow).map(|f| f.start - base);
                    syntax = Some(SyntaxError {
                        message: describe(text, at, e.info(), flow_start),
                        at,
                        flow_start,
                    });
                }
                break;
            }
        }
    }
    Attempt {
        docs: b.docs,
        syntax,
        guard_hit: b.guard_hit,
    }
}

/// saphyr's message, made specific where it is vague.
fn describe(text: &str, at: usize, info: &str, flow_start: Option<usize>) -> String {
    if info.contains("unknown anchor") {
        let name: String = text
            .get(at..)
            .unwrap_or("")
            .chars()
            .take_while(|c| !c.is_whitespace() && !matches!(c, ',' | ']' | '}'))
            .collect();
        if let Some(anchor) = name.strip_prefix('*') {
            return format!(
                "undefined alias {name}: no anchor &{anchor} before it in this document"
            );
        }
        return "undefined alias".to_string();
    }
    // saphyr's words stay (they are what people search for); the likely cause follows.
    let hint = if info.contains("mapping values are not allowed") {
        "a value that contains \": \" must be quoted, or this line is indented too far"
    } else if info.contains("did not find expected key") {
        "this line is indented differently from the keys before it"
    } else if info.contains("did not find expected '-' indicator") {
        "this line is indented differently from the list items before it"
    } else if info.contains("tabs disallowed") || info.contains("found a tab") {
        "indent with spaces, not tabs"
    } else if info.contains("found unexpected end of stream") {
        "the closing quote is missing"
    } else if info.contains("expected ',' or ']'") || info.contains("expected ',' or '}'") {
        "a comma or the closing bracket is missing"
    } else if let Some(open) = flow_start.and_then(|i| text.get(i..i + 1))
        && info.contains("illegal placement of ':'")
    {
        return format!("{info}; is the `{open}` before it closed?");
    } else if info == "invalid indentation" {
        "this line is indented less than its parent"
    } else {
        return info.to_string();
    };
    format!("{info}; {hint}")
}

// ---------------------------------------------------------------------------------------
// Character index -> byte offset

/// Converts saphyr's character indices to byte offsets, moving from the last position, so
/// that events in text order cost linear time overall.
struct Cursor<'t> {
    text: &'t [u8],
    chars: usize,
    byte: usize,
}

impl<'t> Cursor<'t> {
    fn new(text: &'t str) -> Self {
        Cursor {
            text: text.as_bytes(),
            chars: 0,
            byte: 0,
        }
    }

    fn byte(&mut self, ch: usize) -> usize {
        let len = self.text.len();
        let is_cont = |b: u8| b & 0xC0 == 0x80;
        if ch >= self.chars {
            // Over ASCII text characters are bytes: jump.
            let end = (self.byte + (ch - self.chars)).min(len);
            if self.text[self.byte..end].is_ascii() {
                self.chars += end - self.byte;
                self.byte = end;
                return end;
            }
            while self.chars < ch && self.byte < len {
                self.byte += 1;
                while self.byte < len && is_cont(self.text[self.byte]) {
                    self.byte += 1;
                }
                self.chars += 1;
            }
        } else {
            let delta = self.chars - ch;
            if delta <= self.byte && self.text[self.byte - delta..self.byte].is_ascii() {
                self.byte -= delta;
                self.chars = ch;
                return self.byte;
            }
            while self.chars > ch && self.byte > 0 {
                self.byte -= 1;
                while self.byte > 0 && is_cont(self.text[self.byte]) {
                    self.byte -= 1;
                }
                self.chars -= 1;
            }
        }
        self.byte
    }
}

// ---------------------------------------------------------------------------------------
// Events -> tree

struct Anchored {
    node: Node,
    /// Nodes in `node`: what one more alias to it costs.
    count: usize,
}

enum PendingKey {
    Key(Node, String),
    /// A `<<` merge key, with its span.
    Merge(Span),
}

#[derive(Default)]
struct MapState {
    key: Option<PendingKey>,
    /// `<<` values, in order, with the span of their key.
    merges: Vec<(Span, Node)>,
    /// How many entries preceded the first `<<`: merged entries go there.
    merge_at: usize,
    /// Key hashes, once the mapping is too large for a linear duplicate scan.
    hashes: Option<HashSet<u64>>,
}

struct Frame {
    seq: bool,
    flow: bool,
    /// Absolute byte offsets: the first key/item or the opening bracket, and the end of the
    /// last content seen.
    start: usize,
    end: usize,
    anchor: usize,
    /// Nodes inside, this one included.
    count: usize,
    /// Where this collection's items (or entries) begin on the builder's scratch stack:
    /// children are collected there and moved out in one exact-size allocation.
    first: usize,
    /// Items or entries so far.
    len: usize,
    map: MapState,
}

struct Builder<'t> {
    text: &'t str,
    base: usize,
    cursor: Cursor<'t>,
    /// Piece-relative byte ranges a lenient rewrite changed; none may fall in a scalar.
    guard: &'t [Range<usize>],
    guard_hit: bool,
    /// Quoted scalars a rewrite put on one line, with their original values.
    values: &'t [(Range<usize>, String)],
    stack: Vec<Frame>,
    items: Vec<Node>,
    entries: Vec<Entry>,
    anchors: HashMap<usize, Anchored>,
    root: Option<Node>,
    duplicates: Vec<DuplicateKey>,
    /// Nodes written out in the document, and nodes created by alias expansion.
    own_nodes: usize,
    expanded: usize,
    /// Absolute end of the latest event: where a block scalar's header is searched from.
    last_end: usize,
    /// Set when the current document is refused; its events are skipped until its end.
    failed: Option<(Span, String)>,
    docs: Vec<Built>,
    /// Set at each document end, to where that event starts.
    doc_ended: Option<usize>,
    hasher: RandomState,
}

impl<'t> Builder<'t> {
    fn new(
        text: &'t str,
        base: usize,
        guard: &'t [Range<usize>],
        values: &'t [(Range<usize>, String)],
    ) -> Self {
        Builder {
            text,
            base,
            cursor: Cursor::new(text),
            guard,
            guard_hit: false,
            values,
            stack: Vec::new(),
            items: Vec::new(),
            entries: Vec::new(),
            anchors: HashMap::new(),
            root: None,
            duplicates: Vec::new(),
            own_nodes: 0,
            expanded: 0,
            last_end: base,
            failed: None,
            docs: Vec::new(),
            doc_ended: None,
            hasher: RandomState::new(),
        }
    }

    fn reset(&mut self) {
        self.clear_tree();
        self.root = None;
        self.duplicates = Vec::new();
        self.own_nodes = 0;
        self.expanded = 0;
        self.failed = None;
    }

    fn clear_tree(&mut self) {
        self.stack.clear();
        self.items.clear();
        self.entries.clear();
        self.anchors.clear();
    }

    fn fail(&mut self, span: Span, message: String) {
        if self.failed.is_none() {
            self.failed = Some((span, message));
        }
        // Nothing of the refused document is needed any more.
        self.clear_tree();
    }

    fn event(&mut self, ev: Event<'_>, sp: PSpan) {
        let start = self.base + self.cursor.byte(sp.start.index());
        let end = self.base + self.cursor.byte(sp.end.index());
        match ev {
            Event::DocumentStart(_) => self.reset(),
            Event::DocumentEnd => {
                self.finish_document();
                self.doc_ended = Some(start);
            }
            Event::StreamStart | Event::StreamEnd | Event::Nothing => {}
            _ if self.failed.is_some() => {}
            Event::Alias(id) => self.alias(id, Span::new(start, end)),
            Event::Scalar(text, style, anchor, tag) => {
                self.scalar(text, style, anchor, tag, start, end);
            }
            Event::SequenceStart(anchor, _) => self.open(true, anchor, start, end),
            Event::MappingStart(anchor, _) => self.open(false, anchor, start, end),
            Event::SequenceEnd | Event::MappingEnd => self.close(end),
        }
        self.last_end = self.last_end.max(end);
    }

    fn finish_document(&mut self) {
        if let Some(failed) = self.failed.take() {
            self.docs.push(Err(failed));
        } else if let Some(root) = self.root.take()
            && !root.is_null()
        {
            self.docs
                .push(Ok((root, std::mem::take(&mut self.duplicates))));
        }
        self.reset();
    }

    fn scalar(
        &mut self,
        mut text: Cow<'_, str>,
        style: PStyle,
        anchor: usize,
        tag: Option<Cow<'_, PTag>>,
        start: usize,
        end: usize,
    ) {
        self.own_nodes += 1;
        let style = match style {
            PStyle::Plain => ScalarStyle::Plain,
            PStyle::SingleQuoted => ScalarStyle::SingleQuoted,
            PStyle::DoubleQuoted => ScalarStyle::DoubleQuoted,
            PStyle::Literal => ScalarStyle::Literal,
            PStyle::Folded => ScalarStyle::Folded,
        };
        let tag = tag.map(|t| Tag::from_parts(&t.handle, &t.suffix));
        let span = match style {
            ScalarStyle::Literal | ScalarStyle::Folded => {
                // The raw span: trailing line breaks are content.
                self.check_guard(start, end);
                self.block_scalar_span(start, end)
            }
            ScalarStyle::SingleQuoted | ScalarStyle::DoubleQuoted => {
                // saphyr may end a quoted scalar after the blanks (and a comment) that
                // follow it: end at the closing quote.
                let span = Span::new(start, self.quoted_end(start, end));
                match self.original_value(span) {
                    Some(v) => text = Cow::Owned(v.to_string()),
                    None => self.check_guard(span.start, span.end),
                }
                span
            }
            _ => {
                let span = Span::new(start, self.trim_end(start, end));
                match self.original_value(span) {
                    Some(v) => text = Cow::Owned(v.to_string()),
                    None => self.check_guard(span.start, span.end),
                }
                span
            }
        };
        let kind = match resolve::resolve(&text, style, tag) {
            Ok(k) => k,
            Err(message) => return self.fail(span, message),
        };
        let merge_key =
            style == ScalarStyle::Plain && text == "<<" && matches!(tag, None | Some(Tag::Merge));
        let node = Node {
            span,
            value: Value::Scalar(Scalar {
                text: text.into_owned(),
                kind,
                style,
            }),
        };
        if anchor > 0 {
            self.anchors.insert(
                anchor,
                Anchored {
                    node: node.clone(),
                    count: 1,
                },
            );
        }
        self.push(node, 1, span, merge_key);
    }

    fn alias(&mut self, id: usize, at: Span) {
        let Some(a) = self.anchors.get(&id) else {
            return self.fail(
                at,
                "alias to an anchor whose node is not complete (a recursive alias)".to_string(),
            );
        };
        let budget = ALIAS_BUDGET.max(ALIAS_BUDGET_FACTOR * self.own_nodes);
        self.expanded += a.count;
        if self.expanded > budget {
            return self.fail(
                at,
                format!(
                    "alias expansion exceeds budget: aliases would create more than {budget} \
                     nodes (a \"billion laughs\" document?)"
                ),
            );
        }
        let (node, count) = (a.node.clone(), a.count);
        self.push(node, count, at, false);
    }

    fn open(&mut self, seq: bool, anchor: usize, ev_start: usize, ev_end: usize) {
        self.own_nodes += 1;
        if self.stack.len() >= MAX_DEPTH {
            let at = Span::new(ev_start, ev_end);
            return self.fail(at, format!("nesting deeper than {MAX_DEPTH} levels"));
        }
        // A flow collection's start event ends right after its bracket; a block one's is
        // empty or covers its anchor and tag, and ends at its first key or `-`.
        // (After a lenient rewrite it may also cover the blanks after the bracket.)
        let bracket_end = self.trim_end(ev_start, ev_end);
        let flow = bracket_end > ev_start
            && matches!(
                self.text.as_bytes()[bracket_end - self.base - 1],
                b'[' | b'{'
            );
        let start = if flow { bracket_end - 1 } else { ev_end };
        self.stack.push(Frame {
            seq,
            flow,
            start,
            end: start,
            anchor,
            count: 1,
            first: if seq {
                self.items.len()
            } else {
                self.entries.len()
            },
            len: 0,
            map: MapState::default(),
        });
    }

    fn close(&mut self, end_event_end: usize) {
        let Some(frame) = self.stack.pop() else {
            return;
        };
        let end = if frame.flow {
            end_event_end
        } else {
            // A block collection ends with its last content, not at the next token
            // (which may be lines of comments further).
            frame.end
        };
        let span = Span::new(frame.start, end.max(frame.start));
        let value = if frame.seq {
            Value::Seq(self.items.split_off(frame.first))
        } else {
            let entries = self.entries.split_off(frame.first);
            match apply_merges(entries, frame.map) {
                Ok(entries) => Value::Map(entries),
                Err((at, message)) => return self.fail(at, message),
            }
        };
        let node = Node { span, value };
        if frame.anchor > 0 {
            self.anchors.insert(
                frame.anchor,
                Anchored {
                    node: node.clone(),
                    count: frame.count,
                },
            );
        }
        self.push(node, frame.count, span, false);
    }

    /// Add a finished node to the open collection (or make it the root). `text` is where the
    /// node is written (an alias's own `*name`, not the anchored node).
    fn push(&mut self, node: Node, count: usize, text: Span, merge_key: bool) {
        let Some(frame) = self.stack.last_mut() else {
            self.root = Some(node);
            return;
        };
        frame.end = frame.end.max(text.end);
        frame.count += count;
        if frame.seq {
            frame.len += 1;
            self.items.push(node);
            return;
        }
        let m = &mut frame.map;
        match m.key.take() {
            None if merge_key => m.key = Some(PendingKey::Merge(node.span)),
            None => match &node.value {
                Value::Scalar(s) => {
                    let key_str = resolve::json_key(&s.text, &s.kind);
                    m.key = Some(PendingKey::Key(node, key_str));
                }
                _ => self.fail(
                    node.span,
                    "a mapping key must be a scalar: the API server cannot turn a \
                     sequence or mapping key into JSON"
                        .to_string(),
                ),
            },
            Some(PendingKey::Merge(at)) => {
                if m.merges.is_empty() {
                    m.merge_at = frame.len;
                }
                m.merges.push((at, node));
            }
            Some(PendingKey::Key(key, key_str)) => {
                let earlier = &self.entries[frame.first..];
                let first = find_duplicate(earlier, &mut m.hashes, &key_str, &self.hasher);
                let key_span = key.span;
                frame.len += 1;
                self.entries.push(Entry {
                    key_str,
                    key,
                    value: node,
                });
                if let Some(first) = first {
                    self.record_duplicate(first, key_span);
                }
            }
        }
    }

    /// Record that the last entry pushed repeats an earlier key of its mapping.
    fn record_duplicate(&mut self, first: Span, duplicate: Span) {
        let Some(last) = self.entries.last() else {
            return;
        };
        let mut segs = Vec::with_capacity(self.stack.len());
        for parent in &self.stack[..self.stack.len().saturating_sub(1)] {
            segs.push(if parent.seq {
                Seg::Index(parent.len)
            } else {
                Seg::Key(match &parent.map.key {
                    Some(PendingKey::Key(_, k)) => k.clone(),
                    Some(PendingKey::Merge(_)) => "<<".to_string(),
                    None => String::new(),
                })
            });
        }
        segs.push(Seg::Key(last.key_str.clone()));
        self.duplicates.push(DuplicateKey {
            key: last.key_str.clone(),
            first,
            duplicate,
            path: YamlPath(segs),
        });
    }

    /// A block scalar starts at its `|`/`>` indicator (saphyr starts it at the content),
    /// and ends with its last content character (not at the next line).
    fn block_scalar_span(&self, start: usize, end: usize) -> Span {
        let b = self.text.as_bytes();
        let rel = |abs: usize| abs - self.base;
        // With an anchor or tag saphyr starts the span at them, before the indicator.
        let new_start = if matches!(b.get(rel(start)), Some(b'&' | b'!')) {
            start
        } else {
            let from = self.last_end.min(start);
            find_block_indicator(b, rel(from), rel(start)).map_or(start, |i| self.base + i)
        };
        Span::new(new_start, self.trim_end(new_start, end))
    }

    /// Just past the quote that closes the quoted scalar starting at `start` (`''` and
    /// `\"` escapes skipped); `trim_end` when no closing quote lies before `end`.
    fn quoted_end(&self, start: usize, end: usize) -> usize {
        let b = self.text.as_bytes();
        let rel = |i: usize| i - self.base;
        let Some(&quote) = b.get(rel(start)) else {
            return self.trim_end(start, end);
        };
        if quote != b'\'' && quote != b'"' {
            return self.trim_end(start, end);
        }
        let mut i = start + 1;
        while i < end {
            let c = b[rel(i)];
            if quote == b'"' && c == b'\\' {
                i += 2;
                continue;
            }
            if c == quote {
                if quote == b'\'' && i + 1 < end && b[rel(i + 1)] == b'\'' {
                    i += 2;
                    continue;
                }
                return i + 1;
            }
            i += 1;
        }
        self.trim_end(start, end)
    }

    /// `end` moved back over blanks and line breaks, not before `start`.
    fn trim_end(&self, start: usize, end: usize) -> usize {
        let b = self.text.as_bytes();
        let mut e = end;
        while e > start && matches!(b[e - 1 - self.base], b' ' | b'\t' | b'\r' | b'\n') {
            e -= 1;
        }
        e
    }

    /// The original value of a quoted scalar that a rewrite put on one line.
    fn original_value(&self, span: Span) -> Option<&'t str> {
        if self.values.is_empty() {
            return None;
        }
        let (s, e) = (span.start - self.base, span.end - self.base);
        let i = self.values.partition_point(|v| v.0.start < s);
        let v = self.values.get(i).filter(|v| v.0.start < e)?;
        Some(v.1.as_str())
    }

    fn check_guard(&mut self, start: usize, end: usize) {
        if self.guard.is_empty() {
            return;
        }
        let (s, e) = (start - self.base, end - self.base);
        let i = self.guard.partition_point(|r| r.end <= s);
        if self.guard.get(i).is_some_and(|r| r.start < e) {
            self.guard_hit = true;
        }
    }
}

/// The `|` or `>` between the previous token's end and a block scalar's content: only
/// blanks, breaks, indicators (`:`, `-`, `?`), anchors, tags and comments may precede it.
fn find_block_indicator(b: &[u8], from: usize, limit: usize) -> Option<usize> {
    let mut i = from;
    while i < limit {
        match b[i] {
            b'|' | b'>' => return Some(i),
            b' ' | b'\t' | b'\r' | b'\n' | b':' | b'-' | b'?' => i += 1,
            b'#' => {
                while i < limit && b[i] != b'\n' {
                    i += 1;
                }
            }
            b'&' | b'!' => {
                while i < limit && !matches!(b[i], b' ' | b'\t' | b'\r' | b'\n') {
                    i += 1;
                }
            }
            _ => return None,
        }
    }
    None
}

/// The span of the earlier entry with the same key, if any.
fn find_duplicate(
    earlier: &[Entry],
    hashes: &mut Option<HashSet<u64>>,
    key: &str,
    hasher: &RandomState,
) -> Option<Span> {
    let linear = || {
        earlier
            .iter()
            .find(|e| e.key_str == key)
            .map(|e| e.key.span)
    };
    if earlier.len() < LINEAR_DUPLICATE_SCAN {
        return linear();
    }
    let hashes = hashes.get_or_insert_with(|| {
        earlier
            .iter()
            .map(|e| hasher.hash_one(&e.key_str))
            .collect()
    });
    if hashes.insert(hasher.hash_one(key)) {
        None
    } else {
        linear()
    }
}

/// Apply `<<` merges (YAML 1.1, as go-yaml v2): the value is a mapping or a sequence of
/// mappings; keys written in the mapping win over merged ones, and earlier merged mappings
/// win over later ones. Merged entries keep their own spans and take the place of the `<<`.
fn apply_merges(mut entries: Vec<Entry>, m: MapState) -> Result<Vec<Entry>, (Span, String)> {
    if m.merges.is_empty() {
        return Ok(entries);
    }
    let mut taken: HashSet<String> = entries.iter().map(|e| e.key_str.clone()).collect();
    let mut merged = Vec::new();
    let want_map = |at: Span| {
        (
            at,
            "a `<<` merge needs a mapping or a sequence of mappings as its value".to_string(),
        )
    };
    for (at, value) in m.merges {
        let sources = match value.value {
            Value::Map(es) => vec![es],
            Value::Seq(items) => {
                let mut maps = Vec::with_capacity(items.len());
                for item in items {
                    match item.value {
                        Value::Map(es) => maps.push(es),
                        _ => return Err(want_map(at)),
                    }
                }
                maps
            }
            Value::Scalar(_) => return Err(want_map(at)),
        };
        for e in sources.into_iter().flatten() {
            if taken.insert(e.key_str.clone()) {
                merged.push(e);
            }
        }
    }
    let at = m.merge_at.min(entries.len());
    entries.splice(at..at, merged);
    Ok(entries)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chunks(t: &str) -> Vec<(&str, bool)> {
        split_documents(t)
            .map(|c| (&t[c.range], c.has_content))
            .collect()
    }

    #[test]
    fn split_at_markers() {
        let t = "a: 1\n---\nb: 2\n--- # c\n...\n# only\n---\n%YAML 1.1\n---\nc: 3\n";
        assert_eq!(
            chunks(t),
            vec![
                ("a: 1\n", true),
                ("---\nb: 2\n", true),
                ("--- # c\n...\n", false),
                ("# only\n---\n", false),
                ("%YAML 1.1\n---\nc: 3\n", true),
            ]
        );
        // A leading marker and comments stay with the first document.
        assert_eq!(
            chunks("# head\n---\na: 1\n"),
            vec![("# head\n---\na: 1\n", true)]
        );
        // `----` and `---x` are content, not markers; CRLF markers are markers.
        assert_eq!(
            chunks("a: |\n  x\n----\n"),
            vec![("a: |\n  x\n----\n", true)]
        );
        assert_eq!(
            chunks("a: 1\r\n---\r\nb: 2\r\n"),
            vec![("a: 1\r\n", true), ("---\r\nb: 2\r\n", true)]
        );
        assert_eq!(chunks("--- |\n  x\n"), vec![("--- |\n  x\n", true)]);
        assert_eq!(
            chunks("\u{feff}---\na: 1"),
            vec![("\u{feff}---\na: 1", true)]
        );
    }

    #[test]
    fn cursor_moves_both_ways() {
        let t = "aé😀b";
        let mut c = Cursor::new(t);
        assert_eq!(c.byte(3), 7);
        assert_eq!(c.byte(1), 1);
        assert_eq!(c.byte(2), 3);
        assert_eq!(c.byte(4), 8);
        assert_eq!(c.byte(9), 8);
        let mut a = Cursor::new("abc");
        assert_eq!(a.byte(2), 2);
        assert_eq!(a.byte(7), 3);
    }

    #[test]
    fn block_indicator_search() {
        let b = b"k: &a !t | # c\n  x";
        assert_eq!(find_block_indicator(b, 1, 17), Some(9));
        assert_eq!(find_block_indicator(b"- >-\n  x", 0, 7), Some(2));
        assert_eq!(find_block_indicator(b"k: x\n", 1, 4), None);
    }
}
