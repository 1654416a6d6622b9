//! `helm template`'s output: the manifest stream (`---\n# Source: <path>\n<doc>\n` per
//! document: CRDs, manifests in install order, then hooks), `--show-only` filtering and the
//! `--output-dir` tree. Each document keeps where it came from (template path and byte
//! offset in the rendered file) so findings can be mapped back.

use std::path::{Path, PathBuf};
use std::sync::LazyLock;

use regex::Regex;

use crate::glob;
use crate::manifest::{Hook, Manifest, split_manifests};
use crate::options::{Compat, TemplateOptions};

/// A CRD file of the chart tree (`crds/`), copied verbatim.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Crd {
    /// `chart/crds/x.yaml` (`chart/charts/sub/crds/x.yaml` for a subchart).
    pub path: String,
    pub content: String,
}

/// Where a stretch of the output came from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Origin {
    /// Byte range in the output text.
    pub start: usize,
    pub end: usize,
    /// `# Source:` path (template path or CRD path).
    pub path: String,
    /// Byte offset, in the rendered template file (or the CRD file), of `start`.
    pub offset: usize,
    /// A CRD copied from `crds/` (not rendered).
    pub crd: bool,
}

/// Text with the origins of its documents.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Traced {
    pub text: String,
    pub origins: Vec<Origin>,
}

impl Traced {
    fn push(&mut self, s: &str) {
        self.text.push_str(s);
    }

    fn push_doc(&mut self, path: &str, content: &str, offset: usize, crd: bool) {
        self.text.push_str("---\n# Source: ");
        self.text.push_str(path);
        self.text.push('\n');
        let start = self.text.len();
        self.text.push_str(content);
        self.origins.push(Origin {
            start,
            end: self.text.len(),
            path: path.to_string(),
            offset,
            crd,
        });
        self.text.push('\n');
    }

    /// Append `other[start..end]`, carrying its origins.
    fn push_slice(&mut self, other: &Traced, start: usize, end: usize) {
        let base = self.text.len();
        self.text.push_str(&other.text[start..end]);
        for o in &other.origins {
            let (s, e) = (o.start.max(start), o.end.min(end));
            if s < e || (s == e && o.start == o.end && s >= start && s <= end) {
                self.origins.push(Origin {
                    start: base + s - start,
                    end: base + e - start,
                    path: o.path.clone(),
                    offset: o.offset + (s - o.start),
                    crd: o.crd,
                });
            }
        }
    }
}

/// The release manifest Helm builds (`renderResources` without an output dir): CRDs when
/// asked for, then the manifests.
pub fn release_manifest(crds: &[Crd], manifests: &[Manifest], include_crds: bool) -> Traced {
    let mut t = Traced::default();
    if include_crds {
        for c in crds {
            t.push_doc(&c.path, &c.content, 0, true);
        }
    }
    for m in manifests {
        t.push_doc(&m.path, &m.content, m.offset, false);
    }
    t
}

fn is_go_space(c: char) -> bool {
    c.is_whitespace()
}

/// What `helm template` prints to stdout (no output dir): the trimmed release manifest,
/// then the hooks (tests unless skipped), then `--show-only` filtering.
pub fn stdout_stream(
    manifest: &Traced,
    hooks: &[Hook],
    opts: &TemplateOptions,
) -> Result<Traced, String> {
    let mut all = Traced::default();
    let lead = manifest.text.len() - manifest.text.trim_start_matches(is_go_space).len();
    let end = manifest.text.trim_end_matches(is_go_space).len().max(lead);
    all.push_slice(manifest, lead, end);
    all.push("\n");
    if !opts.no_hooks {
        for h in hooks {
            if opts.skip_tests && h.is_test() {
                continue;
            }
            all.push_doc(&h.path, &h.content, h.offset, false);
        }
    }
    if opts.show_only.is_empty() {
        return Ok(all);
    }
    show_only(&all, &opts.show_only, opts.compat)
}

static SOURCE_NAME: LazyLock<Option<Regex>> =
    LazyLock::new(|| Regex::new("# Source: [^/]+/(.+)").ok());

/// `--show-only`: the documents whose template path (without the chart name) matches one
/// of the globs, in stream order per glob; a glob that matches nothing is an error.
fn show_only(all: &Traced, globs: &[String], compat: Compat) -> Result<Traced, String> {
    let pieces = split_manifests(&all.text, compat);
    let mut out = Traced::default();
    let mut chosen = Vec::new();
    for g in globs {
        let g = g.replace('\\', "/");
        let mut missing = true;
        for p in &pieces {
            let Some(name) = SOURCE_NAME
                .as_ref()
                .and_then(|re| re.captures(&p.text))
                .and_then(|c| c.get(1))
            else {
                continue;
            };
            if glob::matches(&g, name.as_str()) {
                chosen.push(p);
                missing = false;
            }
        }
        if missing {
            return Err(format!("could not find template {g} in chart"));
        }
    }
    for p in chosen {
        out.push("---\n");
        out.push_slice(all, p.offset, p.offset + p.text.len());
        out.push("\n");
    }
    Ok(out)
}

/// A file of the `--output-dir` tree, in write order; `append` when Helm appends to it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Written {
    pub path: PathBuf,
    pub text: Traced,
}

/// Write the `--output-dir` tree as Helm does and return the files written and what
/// Helm prints (`wrote <path>` per write, then the empty manifest line).
pub fn write_output_dir(
    dir: &Path,
    release: &str,
    crds: &[Crd],
    manifests: &[Manifest],
    hooks: &[Hook],
    opts: &TemplateOptions,
) -> Result<(Vec<Written>, String), String> {
    let mut files: Vec<Written> = Vec::new();
    let mut stdout = String::new();
    let base = if opts.use_release_name {
        dir.join(release)
    } else {
        dir.to_path_buf()
    };
    let mut write = |root: &Path,
                     name: &str,
                     content: &str,
                     offset: usize,
                     crd: bool,
                     append: bool|
     -> Result<(), String> {
        let file = PathBuf::from(format!("{}/{name}", root.display()));
        if let Some(parent) = file.parent() {
            std::fs::create_dir_all(parent)
                .map_err(|e| format!("mkdir {}: {e}", parent.display()))?;
        }
        let mut doc = Traced::default();
        doc.push_doc(name, content, offset, crd);
        let result = if append {
            use std::io::Write;
            std::fs::OpenOptions::new()
                .append(true)
                .open(&file)
                .and_then(|mut f| f.write_all(doc.text.as_bytes()))
        } else {
            std::fs::write(&file, &doc.text)
        };
        result.map_err(|e| format!("open {}: {e}", file.display()))?;
        stdout.push_str(&format!("wrote {}\n", file.display()));
        match files.iter_mut().find(|w| w.path == file) {
            Some(w) if append => {
                let len = w.text.text.len();
                w.text.push_slice(&doc, 0, doc.text.len());
                debug_assert!(w.text.text.len() > len);
            }
            Some(w) => w.text = doc,
            None => files.push(Written {
                path: file,
                text: doc,
            }),
        }
        Ok(())
    };
    let mut written: Vec<String> = Vec::new();
    if opts.include_crds {
        for c in crds {
            let again = written.contains(&c.path);
            write(dir, &c.path, &c.content, 0, true, again)?;
            written.push(c.path.clone());
        }
    }
    for m in manifests {
        let again = written.contains(&m.path);
        write(&base, &m.path, &m.content, m.offset, false, again)?;
        written.push(m.path.clone());
    }
    if !opts.no_hooks {
        for h in hooks {
            if opts.skip_tests && h.is_test() {
                continue;
            }
            // Helm appends a hook to a file that already exists on disk.
            let exists = Path::new(&format!("{}/{}", base.display(), h.path)).exists();
            write(&base, &h.path, &h.content, h.offset, false, exists)?;
        }
    }
    // The release manifest is empty: Helm prints its trimmed form and a newline.
    stdout.push('\n');
    Ok((files, stdout))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::manifest::Head;

    fn manifest(path: &str, content: &str, offset: usize) -> Manifest {
        Manifest {
            path: path.into(),
            content: content.into(),
            head: Head::default(),
            offset,
        }
    }

    fn hook(path: &str, content: &str, test: bool) -> Hook {
        Hook {
            path: path.into(),
            content: content.into(),
            kind: "Pod".into(),
            name: "t".into(),
            events: vec![if test { "test" } else { "pre-install" }.into()],
            weight: 0,
            offset: 0,
        }
    }

    #[test]
    fn the_stream_is_trimmed_and_hooks_follow() {
        let m = vec![
            manifest("c/templates/a.yaml", "kind: A", 3),
            manifest("c/templates/b.yaml", "kind: B\n", 0),
        ];
        let rel = release_manifest(&[], &m, false);
        let opts = TemplateOptions::default();
        let out = stdout_stream(
            &rel,
            &[hook("c/templates/t.yaml", "kind: T\n", true)],
            &opts,
        )
        .unwrap();
        assert_eq!(
            out.text,
            "---\n# Source: c/templates/a.yaml\nkind: A\n---\n# Source: c/templates/b.yaml\nkind: B\n---\n# Source: c/templates/t.yaml\nkind: T\n\n"
        );
        assert_eq!(
            &out.text[out.origins[0].start..out.origins[0].end],
            "kind: A"
        );
        assert_eq!(out.origins[0].offset, 3);
        let skip = TemplateOptions {
            skip_tests: true,
            ..TemplateOptions::default()
        };
        let out = stdout_stream(&rel, &[hook("c/templates/t.yaml", "x", true)], &skip).unwrap();
        assert!(out.text.ends_with("kind: B\n"));
        let empty = stdout_stream(&Traced::default(), &[], &opts).unwrap();
        assert_eq!(empty.text, "\n");
    }

    #[test]
    fn show_only_filters_by_glob_and_fails_on_no_match() {
        let m = vec![
            manifest("c/templates/sub/role.yaml", "kind: Role", 0),
            manifest("c/templates/svc.yaml", "kind: Service", 0),
        ];
        let rel = release_manifest(&[], &m, false);
        let opts = TemplateOptions {
            show_only: vec!["templates/sub/r*".into()],
            ..TemplateOptions::default()
        };
        let out = stdout_stream(&rel, &[], &opts).unwrap();
        assert_eq!(
            out.text,
            "---\n# Source: c/templates/sub/role.yaml\nkind: Role\n"
        );
        assert_eq!(out.origins.len(), 1);
        assert_eq!(
            &out.text[out.origins[0].start..out.origins[0].end],
            "kind: Role"
        );
        let bad = TemplateOptions {
            show_only: vec!["templates/none.yaml".into()],
            ..TemplateOptions::default()
        };
        assert_eq!(
            stdout_stream(&rel, &[], &bad).unwrap_err(),
            "could not find template templates/none.yaml in chart"
        );
    }
}
