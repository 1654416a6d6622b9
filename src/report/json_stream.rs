//! `--format json` written while the run lints: each part of the input's findings are
//! rendered as soon as they are suppressed (in parallel, `render_unit`) and appended, in
//! report order, to a spool file (`JsonStream::push`). The few findings known only at the
//! end — the cross-object rules', and those about unused suppressions — are merged in by
//! position when the spool is copied to the output (`JsonStream::finish`). The bytes are
//! those `json::write_with` writes for the same report.
//!
//! The spool is an unnamed temporary file (the findings' JSON can be many times the input);
//! when none can be made, it is kept in memory.

use std::cmp::Ordering;
use std::collections::BTreeMap;
use std::io::{self, BufReader, BufWriter, Read, Seek, Write};

use super::json::{TailParts, write_tail};
use super::json_finding;
pub use super::json_finding::RuleFragments;
use super::{Finding, LintError, Summary, SuppressedBy, SuppressedFinding, listed};
use crate::rule::RuleMeta;

/// Where one rendered finding sorts, and how long its JSON is.
#[derive(Clone, Copy)]
struct Key {
    /// Index of its source in the stream's source order (`finish`'s `paths`).
    source: u32,
    line: u32,
    column: u32,
    len: u32,
    rule: &'static RuleMeta,
}

/// Counts the report's summary and exit status need.
#[derive(Clone, Debug, Default)]
pub struct Counts {
    /// Reported findings per severity, in `Severity::ALL` order.
    pub by_severity: [usize; 5],
    pub suppressed: BTreeMap<SuppressedBy, usize>,
}

impl Counts {
    pub fn findings(&self) -> usize {
        self.by_severity.iter().sum()
    }

    /// Whether a reported finding is at or above `severity` (`--fail-on`).
    pub fn any_at_or_above(&self, severity: crate::rule::Severity) -> bool {
        crate::rule::Severity::ALL
            .iter()
            .any(|s| *s >= severity && self.by_severity[*s as usize] > 0)
    }

    fn add(&mut self, other: &Counts) {
        for (a, b) in self.by_severity.iter_mut().zip(other.by_severity) {
            *a += b;
        }
        for (by, n) in &other.suppressed {
            *self.suppressed.entry(*by).or_insert(0) += n;
        }
    }

    fn count(&mut self, kept: &[Finding], suppressed: &[SuppressedFinding]) {
        for f in kept {
            self.by_severity[f.severity as usize] += 1;
        }
        for s in suppressed {
            *self.suppressed.entry(s.suppressed.by).or_insert(0) += 1;
        }
    }
}

/// The members after the findings besides the counts the stream keeps.
pub struct Rest<'a> {
    pub errors: &'a [LintError],
    pub notes: &'a [String],
    pub summary: &'a Summary,
}

/// One part's findings, rendered.
pub struct RenderedUnit {
    bytes: Vec<u8>,
    keys: Vec<Key>,
    counts: Counts,
}

fn clamp(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// Render the findings of one part of source number `source` (sorted, after suppression).
pub fn render_unit(
    source: usize,
    kept: &[Finding],
    suppressed: &[SuppressedFinding],
    show_suppressed: bool,
    fragments: &RuleFragments,
) -> RenderedUnit {
    let items = listed(kept, suppressed, show_suppressed);
    let mut out = RenderedUnit {
        bytes: Vec::with_capacity(items.len() * 1200),
        keys: Vec::with_capacity(items.len()),
        counts: Counts::default(),
    };
    out.counts.count(kept, suppressed);
    for (f, s) in items {
        let start = out.bytes.len();
        json_finding::write(&mut out.bytes, f, s, fragments);
        out.keys.push(Key {
            source: clamp(source),
            line: clamp(f.start.line),
            column: clamp(f.start.column),
            len: clamp(out.bytes.len() - start),
            rule: f.rule,
        });
    }
    out
}

enum Spool {
    File(BufWriter<std::fs::File>),
    Memory(Vec<u8>),
}

/// The findings array being written (see the module docs).
pub struct JsonStream {
    spool: Spool,
    keys: Vec<Key>,
    counts: Counts,
    /// The first error writing the spool; reported by `finish`.
    failed: Option<io::Error>,
}

impl Default for JsonStream {
    fn default() -> Self {
        Self::new()
    }
}

impl JsonStream {
    pub fn new() -> Self {
        let spool = match tempfile::tempfile() {
            Ok(f) => Spool::File(BufWriter::with_capacity(1 << 20, f)),
            Err(_) => Spool::Memory(Vec::new()),
        };
        JsonStream {
            spool,
            keys: Vec::new(),
            counts: Counts::default(),
            failed: None,
        }
    }

    /// Why the spool could not be written (a full disk), if it could not; nothing pushed
    /// after that is kept, and `finish` refuses to write a report.
    pub fn spool_error(&self) -> Option<String> {
        self.failed.as_ref().map(|e| {
            format!(
                "cannot write the findings to a temporary file in {}: {e} (set TMPDIR to a folder with room)",
                std::env::temp_dir().display()
            )
        })
    }

    /// Append a part's findings; parts come in report order.
    pub fn push(&mut self, unit: RenderedUnit) {
        self.counts.add(&unit.counts);
        self.keys.extend(unit.keys);
        if self.failed.is_some() {
            return;
        }
        let written = match &mut self.spool {
            Spool::File(w) => w.write_all(&unit.bytes),
            Spool::Memory(v) => {
                v.extend_from_slice(&unit.bytes);
                Ok(())
            }
        };
        if let Err(e) = written {
            self.failed.get_or_insert(e);
        }
    }

    /// Count findings that `finish` merges in (`late_*`).
    pub fn count(&mut self, kept: &[Finding], suppressed: &[SuppressedFinding]) {
        self.counts.count(kept, suppressed);
    }

    /// The counts of everything pushed or counted so far.
    pub fn counts(&self) -> &Counts {
        &self.counts
    }

    /// Write the whole report to `out`: the spooled findings with `late` ones (sorted, on
    /// any path) merged in by position, then `rest` and the summary's counts. `paths` names
    /// the sources the pushed parts were numbered by. `late`'s findings must have been
    /// `count`ed.
    pub fn finish(
        mut self,
        late_kept: &[Finding],
        late_suppressed: &[SuppressedFinding],
        show_suppressed: bool,
        paths: &[&str],
        rest: Rest<'_>,
        out: &mut impl Write,
    ) -> io::Result<()> {
        if let Some(e) = self.failed.take() {
            // A report with findings missing must not pass for a whole one.
            return Err(io::Error::other(format!("the findings' spool failed: {e}")));
        }
        let fragments = RuleFragments::all();
        let late = listed(late_kept, late_suppressed, show_suppressed);
        out.write_all(b"{\n  \"version\": 1,\n  \"findings\": ")?;
        if self.keys.is_empty() && late.is_empty() {
            out.write_all(b"[]")?;
        } else {
            out.write_all(b"[")?;
            let mut reader: Box<dyn Read + '_> = match &mut self.spool {
                Spool::File(w) => {
                    w.flush()?;
                    let f = w.get_mut();
                    f.rewind()?;
                    Box::new(BufReader::with_capacity(1 << 20, f))
                }
                Spool::Memory(v) => Box::new(v.as_slice()),
            };
            let mut first = true;
            let mut buf = Vec::new();
            let mut late = late.into_iter().peekable();
            let mut separator = |out: &mut dyn Write| {
                let sep: &[u8] = if first { b"\n    " } else { b",\n    " };
                first = false;
                out.write_all(sep)
            };
            for key in &self.keys {
                while let Some((f, s)) = late.next_if(|(f, _)| before(f, key, paths)) {
                    separator(out)?;
                    buf.clear();
                    json_finding::write(&mut buf, f, s, &fragments);
                    out.write_all(&buf)?;
                }
                separator(out)?;
                buf.resize(key.len as usize, 0);
                reader.read_exact(&mut buf)?;
                out.write_all(&buf)?;
            }
            for (f, s) in late {
                separator(out)?;
                buf.clear();
                json_finding::write(&mut buf, f, s, &fragments);
                out.write_all(&buf)?;
            }
            out.write_all(b"\n  ]")?;
        }
        let suppressed: usize = self.counts.suppressed.values().sum();
        write_tail(
            &TailParts {
                errors: rest.errors,
                notes: rest.notes,
                summary: rest.summary,
                findings: self.counts.findings(),
                by_severity: self.counts.by_severity,
                suppressed: show_suppressed.then_some(suppressed),
            },
            out,
        )
    }
}

/// Whether late finding `f` sorts before the spooled one `key`. They never share a rule
/// (late findings come from cross-object and suppression rules only), so path, position
/// and rule decide.
fn before(f: &Finding, key: &Key, paths: &[&str]) -> bool {
    let path = paths.get(key.source as usize).copied().unwrap_or_default();
    let order = f
        .path()
        .cmp(path)
        .then(clamp(f.start.line).cmp(&key.line))
        .then(clamp(f.start.column).cmp(&key.column))
        .then(f.rule.id.cmp(key.rule.id));
    order == Ordering::Less
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unit(bytes: usize) -> RenderedUnit {
        RenderedUnit {
            bytes: vec![b'x'; bytes],
            keys: Vec::new(),
            counts: Counts::default(),
        }
    }

    #[test]
    fn a_spool_that_cannot_be_written_fails_the_report() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("spool");
        std::fs::write(&path, "").unwrap();
        // Opened for reading only: every write fails, as on a full disk.
        let file = std::fs::File::open(&path).unwrap();
        let mut stream = JsonStream {
            spool: Spool::File(BufWriter::with_capacity(1 << 10, file)),
            ..JsonStream::new()
        };
        assert!(stream.spool_error().is_none());
        stream.push(unit(4 << 10));
        let why = stream.spool_error().expect("the failed write is reported");
        assert!(why.contains("TMPDIR"), "{why}");
        let summary = crate::report::Summary::default();
        let rest = Rest {
            errors: &[],
            notes: &[],
            summary: &summary,
        };
        let mut out = Vec::new();
        assert!(stream.finish(&[], &[], false, &[], rest, &mut out).is_err());
        assert!(out.is_empty(), "nothing of a partial report is written");
    }
}
