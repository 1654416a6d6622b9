//! `securityContext.capabilities.add` findings, shared by the rules that forbid added
//! capabilities (all of them, or those outside an allowed set).

use super::container::ContainerView;
use crate::fix::Fix;
use crate::rule::Sink;

/// Report each capability the container adds that `allowed` refuses, as
/// `<container> adds capability "<name>"<why>`, at its item. Every finding carries the
/// same fix, removing all the refused items at once (so it applies once).
pub fn report_added_capabilities(
    c: &ContainerView<'_>,
    out: &mut Sink,
    allowed: impl Fn(&str) -> bool,
    why: &str,
) {
    let Some(add) = c.sc("capabilities").and_then(|caps| caps.get("add")) else {
        return;
    };
    let path = c.field_path("securityContext.capabilities.add");
    let refused: Vec<(usize, &str)> = add
        .items()
        .iter()
        .map(|item| item.scalar_text().unwrap_or(""))
        .enumerate()
        .filter(|(_, name)| !allowed(name))
        .collect();
    if refused.is_empty() {
        return;
    }
    let key = c
        .sc("capabilities")
        .and_then(|caps| caps.entry("add"))
        .map(|e| &e.key);
    let indices: Vec<usize> = refused.iter().map(|(i, _)| *i).collect();
    let fix = Fix::unsafe_("remove the added capabilities").remove_items(add, key, &path, &indices);
    for (i, name) in refused {
        out.report(
            path.index(i),
            format!("{} adds capability \"{name}\"{why}", c.describe()),
        );
        out.with_fix(fix.clone());
    }
}

#[cfg(test)]
mod tests {
    use crate::engine::{Engine, lint_source};
    use crate::fix::run::fix_source;
    use crate::registry;
    use crate::rule::RuleContext;
    use crate::source::SourceFile;

    const POD: &str = "apiVersion: v1
kind: Pod
metadata:
  name: p
spec:
  containers:
    - name: app
      image: registry.example/app:1.2
      securityContext:
        capabilities:
          add: [CHOWN, NET_BIND_SERVICE, SYS_ADMIN]
";

    /// Each rule's messages and paths, and the text its fixes leave.
    fn run(id: &str) -> (Vec<(String, String)>, String) {
        let rule = registry::find(id).unwrap();
        let cx = RuleContext::default();
        let report = lint_source(SourceFile::new("p.yaml", POD), &[rule], &cx);
        let found = (report.findings.iter())
            .map(|f| (f.yaml_path.clone(), f.message.clone()))
            .collect();
        let fixed = fix_source(&Engine::new(vec![rule], cx), "p.yaml", POD, &|_| true);
        (found, fixed.text)
    }

    fn add_line(text: &str) -> &str {
        text.lines().find(|l| l.contains("add:")).unwrap().trim()
    }

    #[test]
    fn each_rule_reports_what_it_refuses_and_removes_it_once() {
        let path = |i: usize| format!("spec.containers[0].securityContext.capabilities.add[{i}]");
        let msg =
            |name: &str, why: &str| format!("container \"app\" adds capability \"{name}\"{why}");

        let (found, fixed) = run("caps-added");
        let all = ["CHOWN", "NET_BIND_SERVICE", "SYS_ADMIN"];
        let want: Vec<_> = (0..3).map(|i| (path(i), msg(all[i], ""))).collect();
        assert_eq!(found, want);
        assert_eq!(add_line(&fixed), "add: []");

        let (found, fixed) = run("caps-add-restricted");
        let why = "; the restricted policy allows only NET_BIND_SERVICE";
        assert_eq!(
            found,
            vec![
                (path(0), msg("CHOWN", why)),
                (path(2), msg("SYS_ADMIN", why))
            ]
        );
        assert_eq!(add_line(&fixed), "add: [NET_BIND_SERVICE]");

        let (found, fixed) = run("caps-baseline");
        let why = ", which is outside the baseline default set";
        assert_eq!(found, vec![(path(2), msg("SYS_ADMIN", why))]);
        assert_eq!(add_line(&fixed), "add: [CHOWN, NET_BIND_SERVICE]");
    }
}
