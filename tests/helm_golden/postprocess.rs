//! The transformations an upstream pipeline applied to helm's output (postprocess.txt),
//! applied to ours before comparing.

use regex::Regex;

#[derive(Debug)]
pub enum Step {
    /// Trailing spaces and tabs stripped from every line.
    RstripLines,
    /// Lines matching were deleted (`grep -v`).
    DropLines(Regex),
    /// Per file: whitespace directly before `\n---\n` removed, trailing whitespace made one
    /// newline.
    CollapseBeforeSeparators,
    /// Lines matching are ignored on both sides (`diff -I`).
    IgnoreLines(Regex),
}

pub fn parse(text: &str) -> Result<Vec<Step>, String> {
    let mut out = Vec::new();
    for line in text.lines().flat_map(|l| l.split("; ")) {
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        let (word, rest) = line.split_once(' ').unwrap_or((line, ""));
        let re = || Regex::new(rest).map_err(|e| format!("bad regex {rest:?}: {e}"));
        out.push(match word {
            "rstrip-lines" => Step::RstripLines,
            "drop-lines-matching" => Step::DropLines(re()?),
            "collapse-whitespace-before-separators" => Step::CollapseBeforeSeparators,
            "ignore-lines-matching" => Step::IgnoreLines(re()?),
            other => return Err(format!("unknown postprocess directive {other:?}")),
        });
    }
    Ok(out)
}

fn map_lines(text: &str, f: impl Fn(&str) -> Option<String>) -> String {
    let mut out = String::new();
    for line in text.split_inclusive('\n') {
        let (body, nl) = match line.strip_suffix('\n') {
            Some(b) => (b, "\n"),
            None => (line, ""),
        };
        if let Some(l) = f(body) {
            out.push_str(&l);
            out.push_str(nl);
        }
    }
    out
}

fn collapse(text: &str) -> String {
    let re = Regex::new(r"[ \t\n]+\n---\n").expect("static regex");
    let s = re.replace_all(text, "\n---\n").into_owned();
    let trimmed = s.trim_end_matches([' ', '\t', '\n']);
    format!("{trimmed}\n")
}

/// Our output as the upstream pipeline would have stored it.
pub fn apply_to_output(steps: &[Step], text: &str) -> String {
    let mut t = text.to_string();
    for s in steps {
        t = match s {
            Step::RstripLines => map_lines(&t, |l| Some(l.trim_end_matches([' ', '\t']).into())),
            Step::DropLines(re) => map_lines(&t, |l| (!re.is_match(l)).then(|| l.to_string())),
            Step::CollapseBeforeSeparators => collapse(&t),
            Step::IgnoreLines(_) => t,
        };
    }
    ignore(steps, &t)
}

/// What is compared of an expected file: lines the upstream check ignores are left out.
pub fn ignore(steps: &[Step], text: &str) -> String {
    let mut t = text.to_string();
    for s in steps {
        if let Step::IgnoreLines(re) = s {
            t = map_lines(&t, |l| (!re.is_match(l)).then(|| l.to_string()));
        }
    }
    t
}

#[test]
fn directives_apply() {
    let steps = parse("collapse-whitespace-before-separators; ignore-lines-matching checksum/config|helm\\.sh/chart").unwrap();
    assert_eq!(
        apply_to_output(&steps, "a: 1\n\n---\nhelm.sh/chart: x\nb: 2  \n\n\n"),
        "a: 1\n---\nb: 2\n"
    );
    let steps = parse("rstrip-lines\ndrop-lines-matching x:|y:").unwrap();
    assert_eq!(apply_to_output(&steps, "a: 1 \nx: 2\nc\t\n"), "a: 1\nc\n");
}
