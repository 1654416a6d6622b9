//! Render errors as Helm prints them: `parse error at (<loc>): <msg>`, `execution error at
//! (<loc>): <msg>` for `required`/`fail`, otherwise the execution trace Helm 4 shows, with
//! the template position kept so kspm can point at the template line.

use std::sync::LazyLock;

use regex::Regex;

/// Markers around a `required`/`fail` message, so the render error shows the message alone.
pub const WARN_START: &str = "HELM_ERR_START";
pub const WARN_END: &str = "HELM_ERR_END";

/// A template position from an error (`chart/templates/x.yaml:3:4`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Position {
    /// The template path with chart names (`chart/templates/x.yaml`).
    pub template: String,
    pub line: usize,
    /// 0 when the error gives none (parse errors give lines only).
    pub column: usize,
}

/// A failed `helm template`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TemplateError {
    /// What Helm prints after `Error: `.
    pub message: String,
    pub position: Option<Position>,
    /// The chart file at that position, when the chart is a folder.
    pub file: Option<std::path::PathBuf>,
    /// With `--debug`: what Helm prints before failing (the rendered manifests).
    pub output: Option<String>,
}

impl TemplateError {
    pub fn new(message: impl Into<String>) -> TemplateError {
        TemplateError {
            message: message.into(),
            position: None,
            file: None,
            output: None,
        }
    }
}

static WARN: LazyLock<Option<Regex>> =
    LazyLock::new(|| Regex::new(&format!("{WARN_START}((?s).*){WARN_END}")).ok());

static LOCATION: LazyLock<Option<Regex>> =
    LazyLock::new(|| Regex::new(r"^(.*?):(\d+)(?::(\d+))?$").ok());

/// The position a location token (`name:line` or `name:line:col`) names.
pub fn position(location: &str) -> Option<Position> {
    let c = LOCATION.as_ref()?.captures(location)?;
    Some(Position {
        template: c.get(1)?.as_str().to_string(),
        line: c.get(2)?.as_str().parse().ok()?,
        column: c.get(3).and_then(|m| m.as_str().parse().ok()).unwrap_or(0),
    })
}

/// Helm's `cleanupParseError`: Go's `template: <loc>: <...>: <msg>` shortened to the
/// location and the last part.
pub fn parse_error(filename: &str, err: &str) -> (String, Option<Position>) {
    let tokens: Vec<&str> = err.split(": ").collect();
    if tokens.len() == 1 {
        return (format!("parse error in ({filename}): {err}"), None);
    }
    let location = tokens[1];
    let msg = tokens[tokens.len() - 1];
    (
        format!("parse error at ({location}): {msg}"),
        position(location),
    )
}

/// Helm's reformatting of an execution error: the `required`/`fail` message at its
/// location, else the chain of executions (`<loc>\n  executing ... at <...>:\n    error
/// calling include:\n<innermost error>`).
pub fn exec_error(filename: &str, err: &str) -> (String, Option<Position>) {
    let tokens: Vec<&str> = err.splitn(3, ": ").collect();
    if tokens.len() != 3 || tokens[0] != "template" {
        return (format!("execution error in ({filename}): {err}"), None);
    }
    let location = tokens[1];
    if let Some(m) = WARN
        .as_ref()
        .and_then(|re| re.captures(tokens[2]))
        .and_then(|c| c.get(1))
    {
        // The innermost position is the one of the `required`/`fail` call.
        let inner = innermost_location(err).unwrap_or(location);
        return (
            format!("execution error at ({location}): {}", m.as_str()),
            position(inner),
        );
    }
    let mut out = String::new();
    let mut rest = err;
    let mut inner = None;
    while let Some((loc, executing, after)) = split_exec(rest) {
        inner = Some(loc);
        out.push_str(loc);
        out.push_str("\n  ");
        out.push_str(executing);
        out.push_str("\n    ");
        match after
            .strip_prefix("error calling ")
            .and_then(|r| r.split_once(": "))
        {
            Some((func, more)) => {
                out.push_str(&format!("error calling {func}:\n"));
                rest = more;
            }
            None => {
                out.push_str(after);
                out.push('\n');
                rest = "";
                break;
            }
        }
    }
    out.push_str(rest);
    (
        out.trim().to_string(),
        inner.and_then(position).or_else(|| position(location)),
    )
}

/// `template: <loc>: executing "<name>" at <<action>>: <rest>` split into its parts.
fn split_exec(s: &str) -> Option<(&str, &str, &str)> {
    let body = s.strip_prefix("template: ")?;
    let at = body.find(": executing \"")?;
    let loc = &body[..at];
    let exec_start = at + 2;
    let close = body[exec_start..].find(">: ")? + exec_start;
    Some((loc, &body[exec_start..close + 2], &body[close + 3..]))
}

/// The last `template: <loc>: executing` location of a chain.
fn innermost_location(err: &str) -> Option<&str> {
    let mut rest = err;
    let mut last = None;
    while let Some(i) = rest.find("template: ") {
        let s = &rest[i..];
        match split_exec(s) {
            Some((loc, _, after)) => {
                last = Some(loc);
                rest = after;
            }
            None => rest = &s["template: ".len()..],
        }
    }
    last
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn required_and_fail_show_their_message() {
        let (m, p) = exec_error(
            "c/templates/x.yaml",
            "template: c/templates/x.yaml:3:4: executing \"c/templates/x.yaml\" at <required \"a\" .Values.a>: error calling required: HELM_ERR_STARTneed a\nmoreHELM_ERR_END",
        );
        assert_eq!(
            m,
            "execution error at (c/templates/x.yaml:3:4): need a\nmore"
        );
        assert_eq!(
            p,
            Some(Position {
                template: "c/templates/x.yaml".into(),
                line: 3,
                column: 4
            })
        );
    }

    #[test]
    fn other_execution_errors_show_the_trace() {
        let (m, _) = exec_error(
            "multiline/templates/svc.yaml",
            "template: multiline/templates/svc.yaml:1:9: executing \"multiline/templates/svc.yaml\" at <include \"nested_helper.name\" .>: error calling include: template: no template \"nested_helper.name\" associated with template \"gotpl\"",
        );
        assert_eq!(
            m,
            "multiline/templates/svc.yaml:1:9\n  executing \"multiline/templates/svc.yaml\" at <include \"nested_helper.name\" .>:\n    error calling include:\ntemplate: no template \"nested_helper.name\" associated with template \"gotpl\""
        );
    }

    #[test]
    fn parse_errors_keep_location_and_last_part() {
        let (m, p) = parse_error(
            "c/templates/x.yaml",
            "template: c/templates/x.yaml:7: function \"nope\" not defined",
        );
        assert_eq!(
            m,
            "parse error at (c/templates/x.yaml:7): function \"nope\" not defined"
        );
        assert_eq!(p.map(|p| p.line), Some(7));
    }
}
