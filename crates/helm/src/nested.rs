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
            for (a0, a1) in content_lines(piece) {
                let want = &piece[a0..a1];
                let stop = (runs.cursor + WINDOW).min(runs.lines.len());
                let hit = (runs.cursor..stop).find(|&j| {
                    let (r, b0, b1) = runs.lines[j];
                    runs.runs[r].0.get(b0..b1) == Some(want)
                });
                if let Some(j) = hit {
                    let (r, b0, b1) = runs.lines[j];
                    runs.runs[r].1.slice_into(b0, b1, start + a0, &mut inner);
                    runs.cursor = j + 1;
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

    #[test]
    fn include_lines_point_at_the_helper_text() {
        let helpers = "{{- define \"labels\" -}}\napp: web\ntier: {{ .t }}\n{{- end }}\n";
        let main = "metadata:\n  labels:\n    {{- include \"labels\" . | nindent 4 }}\n";
        let mut t = Template::new(crate::funcs::ROOT_TEMPLATE);
        t.funcs(crate::engine::functions(
            &crate::engine::EngineOptions::default(),
        ));
        t.parse("c/templates/_helpers.tpl", helpers).unwrap();
        t.parse("c/templates/a.yaml", main).unwrap();
        let mut data = std::collections::BTreeMap::new();
        data.insert("t".to_string(), Value::string("front"));
        let mut out = TracedOutput::default();
        t.execute_to("c/templates/a.yaml", Value::map(data), &mut out)
            .unwrap();
        let mut files = Files(vec![
            ("c/templates/_helpers.tpl", helpers),
            ("c/templates/a.yaml", main),
        ]);
        let trace = Trace {
            segments: resolve(&out, &mut files),
        };
        let at = out.text.find("app: web").unwrap();
        let s = trace.locate(at).unwrap();
        assert_eq!(s.template, "c/templates/_helpers.tpl");
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
        let v = trace.locate(out.text.find("front").unwrap()).unwrap();
        assert_eq!(v.template, "c/templates/_helpers.tpl");
        assert!(!v.literal);
    }
}
