//! The native renderer's byte trace as [`ExactTrace`]: which template bytes a rendered
//! range is a copy of, and which action printed it.

use std::sync::Arc;

use kspm_helm::trace::Segment;

use super::native::TracedMapper;
use crate::render::exact::ExactTrace;
use crate::source::SourceFile;
use crate::yaml::Span;

/// Whether a template (`web/templates/x.yaml`) belongs to a dependency of the root chart.
fn in_subchart(template: &str) -> bool {
    template.split('/').nth(1) == Some("charts")
}

/// Whether two stretches are the same instance of a template's text (one include call).
fn same_instance(a: &Segment, b: &Segment) -> bool {
    a.template == b.template && a.calls == b.calls
}

impl TracedMapper {
    /// The segments covering `span`, when they cover it without a gap.
    fn covering(&self, span: Span) -> Option<&[Segment]> {
        if span.start >= span.end {
            return None;
        }
        let segs = &self.trace.segments;
        let first = segs.partition_point(|s| s.end <= span.start);
        let last = segs.partition_point(|s| s.start < span.end);
        let out = segs.get(first..last)?;
        let mut pos = span.start;
        for s in out {
            if s.start > pos {
                return None;
            }
            pos = s.end;
        }
        (!out.is_empty() && pos >= span.end).then_some(out)
    }

    /// The template offset of a literal rendered byte.
    fn literal_at(&self, byte: usize) -> Option<(&Segment, usize)> {
        let s = self.trace.segment(byte).filter(|s| s.literal)?;
        Some((s, s.offset + (byte - s.start)))
    }
}

impl ExactTrace for TracedMapper {
    fn verbatim(&self, span: Span) -> Option<(Arc<SourceFile>, Span)> {
        let segs = self.covering(span)?;
        let first = segs.first()?;
        let start = first.offset + span.start.checked_sub(first.start)?;
        for s in segs {
            // Byte `b` of the range must be byte `start + (b - span.start)` of one template.
            let b = s.start.max(span.start);
            if !s.literal
                || s.template != first.template
                || s.offset + (b - s.start) != start + (b - span.start)
            {
                return None;
            }
        }
        let source = self.sources.get(&first.template)?;
        let end = start + (span.end - span.start);
        (end <= source.text.len()).then(|| (source.clone(), Span::new(start, end)))
    }

    fn printed_from_values(&self, span: Span) -> bool {
        let Some(segs) = self.covering(span) else {
            return false;
        };
        let Some(first) = segs.first() else {
            return false;
        };
        let outer = first.calls.first().map_or(&first.template, |c| &c.template);
        !self.values.layered
            && !in_subchart(outer)
            && !first.fields.is_empty()
            && first
                .fields
                .iter()
                .all(|f| f.starts_with(".Values") || f.starts_with("$.Values"))
            && segs.iter().all(|s| {
                !s.literal
                    && s.offset == first.offset
                    && same_instance(s, first)
                    && s.fields == first.fields
            })
    }

    fn insertion(
        &self,
        rendered: &str,
        at: usize,
        ends_blank: bool,
    ) -> Option<(Arc<SourceFile>, usize, usize)> {
        if at == 0 || !matches!(rendered.as_bytes().get(at), None | Some(b'\n' | b'\r')) {
            return None;
        }
        let line = rendered[..at].rfind('\n').map_or(0, |n| n + 1);
        let (head, head_at, shift) = self.line_head(rendered, line, at)?;
        let source = self.sources.get(&head.template)?;
        let next = self
            .literal_at(at)
            .filter(|(s, off)| same_instance(s, head) && *off > head_at);
        // After the line's last byte, when the template wrote it...
        if let Some((prev, t)) = self.literal_at(at - 1)
            && same_instance(prev, head)
            && t >= head_at
            && (!ends_blank || next.is_some_and(|(_, u)| u == t + 1))
        {
            return Some((source.clone(), t + 1, shift));
        }
        // ...else before the line break, when the template wrote that.
        next.map(|(_, u)| (source.clone(), u, shift))
    }
}

impl TracedMapper {
    /// The template text a rendered line starts with, where its indentation comes from,
    /// and how many columns an include's `nindent`/`indent` added to the template's own
    /// indentation (0 when the template wrote the indentation itself).
    fn line_head(
        &self,
        rendered: &str,
        line: usize,
        end: usize,
    ) -> Option<(&Segment, usize, usize)> {
        if let Some((head, off)) = self.literal_at(line) {
            let text = &self.sources.get(&head.template)?.text;
            return (off == 0 || text.as_bytes().get(off - 1) == Some(&b'\n'))
                .then_some((head, off, 0));
        }
        // The indentation printed by the include action, then the included template's
        // text from after its own indentation.
        let pad_seg = self.trace.segment(line).filter(|s| !s.literal)?;
        let pad = rendered[line..end]
            .bytes()
            .take_while(|b| *b == b' ')
            .count();
        if pad == 0 || pad_seg.end != line + pad {
            return None;
        }
        let (head, off) = self.literal_at(line + pad)?;
        // The pad is printed by the action that called the include (or an outer one, for
        // nested includes: each level's `nindent` adds to every line of its output).
        let depth = pad_seg.calls.len();
        let call = head.calls.get(depth)?;
        if call.template != pad_seg.template
            || call.offset != pad_seg.offset
            || head.calls[..depth] != pad_seg.calls[..]
        {
            return None;
        }
        let text = &self.sources.get(&head.template)?.text;
        let start = text[..off].rfind('\n').map_or(0, |n| n + 1);
        let own = off - start;
        (text[start..off].bytes().all(|b| b == b' ') && pad >= own).then_some((
            head,
            off,
            pad - own,
        ))
    }
}
