//! engine-cases.tsv rows of mode `coalesce`: CoalesceValues over the row's chart tree and
//! user values, then the row's template executed on the result with kspm-gotmpl (plain
//! text/template, no functions); the keys the upstream test asserts removed must be absent.

mod common;

use kspm_helm_chart::{HelmCompat, coalesce_values, vals};

/// Rows passing today; only ever raised.
const FLOOR: usize = 12;

fn run(compat: HelmCompat) -> Option<(usize, usize, Vec<String>)> {
    let corpus = common::corpus()?;
    let table = std::fs::read_to_string(corpus.join("helm-golden/engine-cases.tsv")).ok()?;
    let (mut pass, mut total, mut failing) = (0, 0, Vec::new());
    for line in table.lines().skip(1) {
        let cols: Vec<&str> = line.split('\t').collect();
        if cols.len() < 7 || cols[1] != "coalesce" {
            continue;
        }
        total += 1;
        let (id, template, expected) = (
            cols[0],
            common::unescape(cols[2]),
            common::unescape(cols[4]),
        );
        let user: serde_json::Value =
            serde_json::from_str(cols[3]).unwrap_or(serde_json::Value::Null);
        let ctx: serde_json::Value =
            serde_json::from_str(cols[6]).unwrap_or(serde_json::Value::Null);
        let chart = common::chart_from_json(&ctx["chart"]);
        let result = match coalesce_values(&chart, &common::json_to_value(&user), compat) {
            Ok(v) => v,
            Err(e) => {
                failing.push(format!("{id}: error {e}"));
                continue;
            }
        };
        let mut t = kspm_gotmpl::Template::new("gotpl");
        let got = match t
            .parse(id, &template)
            .and_then(|_| t.execute(id, result.clone()))
        {
            Ok(out) => out,
            Err(e) => format!("error: {e}"),
        };
        let removed_ok = ctx["removed_keys_asserted"]
            .as_array()
            .map(|keys| {
                keys.iter().filter_map(|k| k.as_str()).all(|k| {
                    let (parent, key) = k.rsplit_once('.').unwrap_or(("", k));
                    let table = if parent.is_empty() {
                        Some(result.clone())
                    } else {
                        vals::table(&result, parent)
                    };
                    table.is_none_or(|t| vals::get(&t, key).is_none())
                })
            })
            .unwrap_or(true);
        if got == expected && removed_ok {
            pass += 1;
        } else {
            failing.push(format!(
                "{id}: got {got:?}, want {expected:?}, removed keys ok: {removed_ok}"
            ));
        }
    }
    Some((pass, total, failing))
}

#[test]
fn coalesce_rows() {
    for compat in [HelmCompat::V4, HelmCompat::V3] {
        let Some((pass, total, failing)) = run(compat) else {
            return;
        };
        println!("coalesce rows ({compat:?}): {pass}/{total} pass");
        for f in &failing {
            println!("  FAIL {f}");
        }
        assert!(total > 0, "no coalesce rows found");
        assert!(
            pass >= FLOOR,
            "coalesce rows ({compat:?}): {pass}/{total} pass, floor {FLOOR}"
        );
    }
}
