//! Where each byte of the output came from: for every stretch of a rendered template file,
//! the template (by name) and byte offset that produced it, and whether the bytes are the
//! template's own text (so byte `i` of the stretch is byte `offset + i` of the template) or
//! the output of an action (the whole stretch points at the action).

use std::collections::BTreeMap;

use crate::output::Traced;

/// One stretch of output.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Segment {
    pub start: usize,
    pub end: usize,
    /// Template name (`chart/templates/x.yaml`, or a CRD path).
    pub template: String,
    /// Byte offset in that template's text.
    pub offset: usize,
    /// Copied from the template's text (byte for byte) rather than printed by an action.
    pub literal: bool,
    /// For an action: the `.Values` references it reads (`.Values.resources`,
    /// `$.Values.x`), in source order, for tracing printed values to values files.
    pub fields: Vec<String>,
    /// The `include`/`tpl` actions the stretch was printed through, outermost first.
    pub calls: Vec<Call>,
}

/// An action that ran a named template (`include`) whose output holds the stretch.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Call {
    /// Template name (source) of the calling action and the action's byte offset there.
    pub template: String,
    pub offset: usize,
}

/// The stretches of an output, in order.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Trace {
    pub segments: Vec<Segment>,
}

/// A rendered template file with its trace (offsets into `text`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RenderedFile {
    pub text: String,
    pub trace: Trace,
}

/// Where a byte of the output came from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Source<'a> {
    pub template: &'a str,
    /// The byte itself for literal text; the action's start otherwise.
    pub offset: usize,
    pub literal: bool,
}

impl Trace {
    /// The segment holding `byte`.
    pub fn segment(&self, byte: usize) -> Option<&Segment> {
        let i = self.segments.partition_point(|s| s.end <= byte);
        self.segments.get(i).filter(|s| s.start <= byte)
    }

    pub fn locate(&self, byte: usize) -> Option<Source<'_>> {
        let s = self.segment(byte)?;
        Some(Source {
            template: &s.template,
            offset: if s.literal {
                s.offset + (byte - s.start)
            } else {
                s.offset
            },
            literal: s.literal,
        })
    }

    /// The part of this trace over `[start, end)`, shifted to begin at `at`.
    pub(crate) fn slice_into(&self, start: usize, end: usize, at: usize, out: &mut Vec<Segment>) {
        let first = self.segments.partition_point(|s| s.end <= start);
        for s in &self.segments[first..] {
            if s.start >= end {
                break;
            }
            let (a, b) = (s.start.max(start), s.end.min(end));
            if a >= b {
                continue;
            }
            out.push(Segment {
                start: at + (a - start),
                end: at + (b - start),
                template: s.template.clone(),
                offset: if s.literal {
                    s.offset + (a - s.start)
                } else {
                    s.offset
                },
                literal: s.literal,
                fields: s.fields.clone(),
                calls: s.calls.clone(),
            });
        }
    }
}

/// The trace of a whole output (the stream or an output-dir file): each document's origin
/// (template file and offset in its rendered text) through that file's trace. CRDs are
/// their own literal text.
pub fn output_trace(out: &Traced, rendered: &BTreeMap<String, RenderedFile>) -> Trace {
    let mut segments = Vec::new();
    for o in &out.origins {
        let len = o.end - o.start;
        match rendered.get(&o.path) {
            Some(f) if !o.crd => {
                f.trace
                    .slice_into(o.offset, o.offset + len, o.start, &mut segments)
            }
            _ => segments.push(Segment {
                start: o.start,
                end: o.end,
                template: o.path.clone(),
                offset: o.offset,
                literal: true,
                fields: Vec::new(),
                calls: Vec::new(),
            }),
        }
    }
    Trace { segments }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::Origin;

    #[test]
    fn stream_bytes_map_through_rendered_files() {
        let file = RenderedFile {
            text: "a: 1\nb: X\n".into(),
            trace: Trace {
                segments: vec![
                    Segment {
                        start: 0,
                        end: 8,
                        template: "c/templates/t".into(),
                        offset: 10,
                        literal: true,
                        fields: Vec::new(),
                        calls: Vec::new(),
                    },
                    Segment {
                        start: 8,
                        end: 9,
                        template: "c/templates/t".into(),
                        offset: 40,
                        literal: false,
                        fields: Vec::new(),
                        calls: Vec::new(),
                    },
                    Segment {
                        start: 9,
                        end: 10,
                        template: "c/templates/t".into(),
                        offset: 52,
                        literal: true,
                        fields: Vec::new(),
                        calls: Vec::new(),
                    },
                ],
            },
        };
        let mut rendered = BTreeMap::new();
        rendered.insert("c/templates/t".to_string(), file);
        let out = Traced {
            text: "---\n# Source: c/templates/t\nb: X".into(),
            origins: vec![Origin {
                start: 28,
                end: 32,
                path: "c/templates/t".into(),
                offset: 5,
                crd: false,
            }],
        };
        let t = output_trace(&out, &rendered);
        assert_eq!(t.locate(28).map(|s| s.offset), Some(15));
        assert_eq!(
            t.locate(31),
            Some(Source {
                template: "c/templates/t",
                offset: 40,
                literal: false
            })
        );
        assert_eq!(t.locate(3), None);
    }
}
