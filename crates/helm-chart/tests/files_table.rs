//! engine-cases.tsv `chart` rows whose template only reads `.Files`: the target chart's
//! `.Files` object executed with kspm-gotmpl (Go builtins only).

mod common;

use std::collections::BTreeMap;
use std::rc::Rc;

use kspm_gotmpl::Value;
use kspm_helm_chart::{Chart, Files};

/// Rows passing today; only ever raised.
const FLOOR: usize = 5;

/// The chart a `<root>/charts/<sub>/templates/x` target names.
fn target_chart<'a>(root: &'a Chart, target: &str) -> Option<&'a Chart> {
    let mut parts = target.split('/');
    if parts.next()? != root.name() {
        return None;
    }
    let mut cur = root;
    while let Some(p) = parts.next() {
        if p != "charts" {
            break;
        }
        let name = parts.next()?;
        cur = cur.dependencies.iter().find(|d| d.name() == name)?;
    }
    Some(cur)
}

#[test]
fn files_rows() {
    let Some(corpus) = common::corpus() else {
        return;
    };
    let Ok(table) = std::fs::read_to_string(corpus.join("helm-golden/engine-cases.tsv")) else {
        return;
    };
    let (mut pass, mut total, mut failing) = (0, 0, Vec::new());
    for line in table.lines().skip(1) {
        let cols: Vec<&str> = line.split('\t').collect();
        if cols.len() < 7 || cols[1] != "chart" || cols[5] != "exact" {
            continue;
        }
        let template = common::unescape(cols[2]);
        let other_roots = [
            ".Values",
            ".Release",
            ".Chart",
            ".Template",
            ".Capabilities",
            ".Subcharts",
        ];
        if !template.contains(".Files") || other_roots.iter().any(|r| template.contains(r)) {
            continue;
        }
        total += 1;
        let id = cols[0];
        let ctx: serde_json::Value =
            serde_json::from_str(cols[6]).unwrap_or(serde_json::Value::Null);
        let root = common::chart_from_json(&ctx["chart"]);
        let Some(chart) = target_chart(&root, ctx["target"].as_str().unwrap_or_default()) else {
            failing.push(format!("{id}: no target chart"));
            continue;
        };
        let mut dot = BTreeMap::new();
        dot.insert(
            "Files".to_string(),
            Value::Object(Rc::new(Files::new(chart))),
        );
        let mut t = kspm_gotmpl::Template::new("gotpl");
        let got = match t
            .parse(id, &template)
            .and_then(|_| t.execute(id, Value::map(dot)))
        {
            Ok(out) => out,
            Err(e) => format!("error: {e}"),
        };
        let expected = common::unescape(cols[4]);
        if got == expected {
            pass += 1;
        } else {
            failing.push(format!("{id}: got {got:?}, want {expected:?}"));
        }
    }
    println!("files rows: {pass}/{total} pass");
    for f in &failing {
        println!("  FAIL {f}");
    }
    assert!(pass >= FLOOR, "files rows: {pass}/{total}, floor {FLOOR}");
}
