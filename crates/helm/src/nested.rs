//! A template's traced output as trace segments, followed into the output of `include`:
//! a line an include printed (however indented by `nindent`/`indent`, or trimmed) is
//! matched to the same line of the named template's own run, so its bytes point at the
//! helper's text (`_helpers.tpl`) with the including action kept as the call.

use std::collections::HashMap;

use kspm_gotmpl::{Origin, OriginKind, TracedOutput};

use crate::trace::{Call, Segment, Trace};

/// How far ahead in a named template's output a printed line is looked for: the lines of
/// an include come out in order, so a short window is enough and keeps the match linear.
const WINDOW: usize = 256;

/// How many earlier include runs whose action printed nothing (`$v := include ...`) are
/// tried for an action that printed lines without running an include itself.
const ORPHANS_TRIED: usize = 4;

/// What resolving needs to know about the chart's templates.
pub trait Sources {
    /// The text of a template source (parse name), when it is a file of the chart.
    fn text(&self, source: &str) -> Option<&str>;
    /// The `.Values` references of an action.
    fn fields(&mut self, action: &Origin) -> Vec<String>;
}

/// The runs of the named templates one action started, resolved, with their lines.
#[derive(Default)]
struct Runs {
    runs: Vec<(String, Trace)>,
    /// (run, trimmed line start, end), in output order.
    lines: Vec<(usize, usize, usize)>,
    /// Next line to match.
    cursor: usize,
}

impl Runs {
    /// Segments for the lines of `piece` (at `start` in the output) that these runs
    /// printed, in order; whether any line matched.
    fn align(&mut self, piece: &str, start: usize, inner: &mut Vec<Segment>) -> bool {
        let mut any = false;
        for (a0, a1) in content_lines(piece) {
            let want = &piece[a0..a1];
            let stop = (self.cursor + WINDOW).min(self.lines.len());
            let hit = (self.cursor..stop).find(|&j| {
                let (r, b0, b1) = self.lines[j];
                self.runs[r].0.get(b0..b1) == Some(want)
            });
            if let Some(j) = hit {
                let (r, b0, b1) = self.lines[j];
                self.runs[r].1.slice_into(b0, b1, start + a0, inner);
                self.cursor = j + 1;
                any = true;
            }
        }
        any
    }
}

/// The trimmed content of each line of `text` from `base`: (start, end) byte ranges.
fn content_lines(text: &str) -> impl Iterator<Item = (usize, usize)> + '_ {
    let mut at = 0;
    text.split_inclusive('\n').filter_map(move |line| {
        let start = at;
        at += line.len();
        let lead = line.len() - line.trim_start().len();
        let body = line.trim();
        (!body.is_empty()).then(|| (start + lead, start + lead + body.len()))
    })
}

type Key = (String, usize, usize);

fn key(o: &Origin) -> Key {
    (o.source.to_string(), o.offset, o.end)
}

/// Segments (offsets into `out.text`) for every byte of `out` whose origin is known: text
/// copied from a chart template, an action of one, or a line an include printed. Bytes
/// of unknown origin (text of a `tpl` string) are left out.
pub fn resolve(out: &TracedOutput, src: &mut dyn Sources) -> Vec<Segment> {
    let mut by_caller: HashMap<Key, Runs> = HashMap::new();
    for (caller, run) in &out.nested {
        let mut segs = resolve(run, src);
        let call = Call {
            template: caller.source.to_string(),
            offset: caller.offset,
        };
        for s in &mut segs {
            s.calls.insert(0, call.clone());
        }
        let entry = by_caller.entry(key(caller)).or_default();
        let r = entry.runs.len();
        entry
            .lines
            .extend(content_lines(&run.text).map(|(a, b)| (r, a, b)));
        entry
            .runs
            .push((run.text.clone(), Trace { segments: segs }));
    }
    // Runs started by actions that printed nothing, in source order.
    let printing: std::collections::HashSet<Key> = out
        .pieces
        .iter()
        .filter(|(_, o)| o.kind == OriginKind::Action)
        .map(|(_, o)| key(o))
        .collect();
    let mut orphans: Vec<Key> = by_caller
        .keys()
        .filter(|k| !printing.contains(*k))
        .cloned()
        .collect();
    orphans.sort();
    let mut segs = Vec::new();
    let ends = out
        .pieces
        .iter()
        .skip(1)
        .map(|(s, _)| *s)
        .chain(std::iter::once(out.text.len()));
    for ((start, o), end) in out.pieces.iter().zip(ends) {
        let (start, end) = (*start, end);
        let piece = &out.text[start..end];
        let known = src.text(&o.source);
        if o.kind == OriginKind::Text {
            if known.and_then(|t| t.get(o.offset..o.offset + piece.len())) == Some(piece) {
                segs.push(Segment {
                    start,
                    end,
                    template: o.source.to_string(),
                    offset: o.offset,
                    literal: true,
                    fields: Vec::new(),
                    calls: Vec::new(),
                });
            }
            continue;
        }
        let action = known.is_some().then(|| Segment {
            start,
            end,
            template: o.source.to_string(),
            offset: o.offset,
            literal: false,
            fields: src.fields(o),
            calls: Vec::new(),
        });
        let mut inner = Vec::new();
        if let Some(runs) = by_caller.get_mut(&key(o)) {
            runs.align(piece, start, &mut inner);
        } else {
            // A variable an earlier action set from an include (`{{ $ports := include "x"
            // . }}` ... `{{ $ports | nindent 6 }}`): that action printed nothing, and its
            // run holds these lines.
            // The nearest few assignments before the action, to keep this linear.
            let near = orphans
                .iter()
                .rev()
                .filter(|k| k.0 == *o.source && k.1 < o.offset)
                .take(ORPHANS_TRIED);
            for k in near {
                if let Some(runs) = by_caller.get_mut(k)
                    && runs.align(piece, start, &mut inner)
                {
                    break;
                }
            }
        }
        // The action itself holds whatever the include lines do not.
        let mut at = start;
        for s in inner {
            if let Some(a) = &action
                && s.start > at
            {
                segs.push(Segment {
                    start: at,
                    end: s.start,
                    ..a.clone()
                });
            }
            at = s.end;
            segs.push(s);
        }
        if let Some(a) = action
            && at < end
        {
            segs.push(Segment { start: at, ..a });
        }
    }
    segs
}

/// What dot is inside a block.
#[derive(Clone, Debug, PartialEq)]
enum Dot {
    /// A values path (`.Values.a.b`; empty: the template's data, the root context).
    Path(String),
    /// Something the text does not say (a range element, a computed pipeline).
    Unknown,
    /// Dot as outside the block (`if`, a `with`'s `else`).
    Outer,
}

/// A `with` argument as a path, against the dot outside it.
fn with_path(arg: &str, outer: Option<&str>) -> Dot {
    let arg = arg.trim();
    let simple = |s: &str| {
        s.split('.')
            .all(|p| !p.is_empty() && p.chars().all(|c| c.is_alphanumeric() || c == '_'))
    };
    let bare = arg.strip_prefix('$').unwrap_or(arg);
    if let Some(rest) = bare.strip_prefix(".Values")
        && (rest.is_empty() || rest.strip_prefix('.').is_some_and(simple))
    {
        return Dot::Path(bare.to_string());
    }
    match (arg.strip_prefix('.'), outer) {
        (Some(rest), Some(o)) if simple(rest) && !o.is_empty() => Dot::Path(format!("{o}.{rest}")),
        _ => Dot::Unknown,
    }
}

fn current(stack: &[Dot]) -> Option<&str> {
    for d in stack.iter().rev() {
        match d {
            Dot::Path(p) => return Some(p),
            Dot::Unknown => return None,
            Dot::Outer => {}
        }
    }
    Some("")
}

/// For each action of a template text (the offset of its first byte after `{{`), what
/// dot is there as a `.Values` path, when `with` blocks say so: `{{ with .Values.x }}{{
/// toYaml . }}` prints `.Values.x`. Range elements and computed values are unknown.
pub fn dot_paths(text: &str) -> Vec<(usize, Option<String>)> {
    let mut out = Vec::new();
    let mut stack: Vec<Dot> = Vec::new();
    let mut at = 0;
    while let Some(open) = text[at..].find("{{") {
        let body_start = at + open + 2;
        let Some(close) = text[body_start..].find("}}") else {
            break;
        };
        let body_end = body_start + close;
        at = body_end + 2;
        out.push((body_start, current(&stack).map(str::to_string)));
        let body = text[body_start..body_end]
            .trim_start_matches('-')
            .trim_end_matches('-')
            .trim();
        let (word, rest) = body.split_once(char::is_whitespace).unwrap_or((body, ""));
        match word {
            "if" => stack.push(Dot::Outer),
            "with" => {
                let d = with_path(rest, current(&stack));
                stack.push(d);
            }
            "range" => stack.push(Dot::Unknown),
            // A named template's dot is what the caller passes; `include "x" .` passes the
            // template's data.
            "define" | "block" => stack.push(Dot::Path(String::new())),
            "end" => {
                stack.pop();
            }
            "else" => {
                // `else` of a with or range runs with the outer dot; `else with` binds anew.
                let below = &stack[..stack.len().saturating_sub(1)];
                let d = match rest.trim().strip_prefix("with") {
                    Some(arg) if arg.starts_with(char::is_whitespace) => {
                        with_path(arg, current(below))
                    }
                    _ => Dot::Outer,
                };
                if let Some(top) = stack.last_mut() {
                    *top = d;
                }
            }
            _ => {}
        }
    }
    out
}

/// Whether an action's text uses dot itself (`toYaml .`, `(.)`), not a field of it.
pub fn uses_dot(action: &str) -> bool {
    let b = action.as_bytes();
    (0..b.len()).any(|i| {
        b[i] == b'.'
            && (i == 0 || matches!(b[i - 1], b' ' | b'\t' | b'\n' | b'(' | b'|'))
            && (i + 1 == b.len()
                || matches!(b[i + 1], b' ' | b'\t' | b'\n' | b')' | b'|' | b'-' | b'}'))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use kspm_gotmpl::{Template, Value};

    struct Files(Vec<(&'static str, &'static str)>);

    impl Sources for Files {
        fn text(&self, source: &str) -> Option<&str> {
            self.0.iter().find(|(n, _)| *n == source).map(|(_, t)| *t)
        }
        fn fields(&mut self, _: &Origin) -> Vec<String> {
            Vec::new()
        }
    }

    const HELPERS: &str = "c/templates/_helpers.tpl";

    /// Render template `name` (with `helpers` beside it) on `data`; the output and its trace.
    fn traced(
        helpers: &'static str,
        name: &'static str,
        main: &'static str,
        data: Value,
    ) -> (String, Trace) {
        let mut t = Template::new(crate::funcs::ROOT_TEMPLATE);
        t.funcs(crate::engine::functions(
            &crate::engine::EngineOptions::default(),
        ));
        t.parse(HELPERS, helpers).unwrap();
        t.parse(name, main).unwrap();
        let mut out = TracedOutput::default();
        t.execute_to(name, data, &mut out).unwrap();
        let mut files = Files(vec![(HELPERS, helpers), (name, main)]);
        let trace = Trace {
            segments: resolve(&out, &mut files),
        };
        (out.text, trace)
    }

    #[test]
    fn include_lines_point_at_the_helper_text() {
        let helpers = "{{- define \"labels\" -}}\napp: web\ntier: {{ .t }}\n{{- end }}\n";
        let main = "metadata:\n  labels:\n    {{- include \"labels\" . | nindent 4 }}\n";
        let mut data = std::collections::BTreeMap::new();
        data.insert("t".to_string(), Value::string("front"));
        let (text, trace) = traced(helpers, "c/templates/a.yaml", main, Value::map(data));
        let at = text.find("app: web").unwrap();
        let s = trace.locate(at).unwrap();
        assert_eq!(s.template, HELPERS);
        assert!(s.literal);
        assert_eq!(&helpers[s.offset..s.offset + 8], "app: web");
        let seg = trace.segment(at).unwrap();
        assert_eq!(seg.calls.len(), 1);
        assert_eq!(seg.calls[0].template, "c/templates/a.yaml");
        assert_eq!(
            &main[seg.calls[0].offset..seg.calls[0].offset + 8],
            "include "
        );
        // The value the helper printed points at the helper's action.
        let v = trace.locate(text.find("front").unwrap()).unwrap();
        assert_eq!(v.template, HELPERS);
        assert!(!v.literal);
    }

    #[test]
    fn include_output_kept_in_a_variable_points_at_the_helper() {
        let helpers = "{{- define \"ports\" -}}\n- name: http\n  port: 80\n{{- end }}\n";
        let main = "{{- $p := include \"ports\" . }}\nports:\n  {{- $p | nindent 2 }}\n";
        let (text, trace) = traced(helpers, "c/templates/s.yaml", main, Value::Nil);
        let at = text.find("port: 80").unwrap();
        let s = trace.locate(at).unwrap();
        assert_eq!(s.template, HELPERS);
        assert!(s.literal);
        assert_eq!(&helpers[s.offset..s.offset + 8], "port: 80");
        // The call is the assignment that ran the include.
        let call = &trace.segment(at).unwrap().calls[0];
        assert_eq!(&main[call.offset..call.offset + 2], "$p");
    }
}

#[cfg(test)]
mod dot_tests {
    use super::*;

    #[test]
    fn with_blocks_bind_dot_to_values_paths() {
        let t = "{{- with .Values.a }}{{ toYaml . }}{{ with .b }}{{ . }}{{ end }}{{ else }}{{ . }}{{ end }}{{ range .Values.l }}{{ . }}{{ end }}";
        let d = dot_paths(t);
        let at = |n: usize| d.get(n).and_then(|(_, p)| p.clone());
        assert_eq!(at(1).as_deref(), Some(".Values.a"));
        assert_eq!(at(3).as_deref(), Some(".Values.a.b"));
        assert_eq!(at(6).as_deref(), Some(""));
        assert_eq!(at(9), None);
        assert!(uses_dot(" toYaml . | nindent 4 "));
        assert!(!uses_dot(" toYaml .Values.x "));
    }
}
