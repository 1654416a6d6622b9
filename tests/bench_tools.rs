//! The measuring tools: `lint --timings` and the benchmark floor `debug parse-only`.

mod common;

use common::{json_of, kspm, stderr};

const INPUT: &str = "testdata/examples";

#[test]
fn timings_go_to_stderr_and_list_every_rule_once_in_code_order() {
    let plain = kspm(&["lint", "--pack", "all", "--format", "json", INPUT]);
    let timed = kspm(&[
        "lint",
        "--pack",
        "all",
        "--format",
        "json",
        "--timings",
        INPUT,
    ]);
    assert_eq!(plain.stdout, timed.stdout, "--timings changed the report");
    assert_eq!(plain.status.code(), timed.status.code());
    let stderr = stderr(&timed);
    for phase in ["find and read inputs", "load and lint objects", "total"] {
        assert!(stderr.contains(phase), "no phase `{phase}` in:\n{stderr}");
    }
    // Rows are `seconds percent findings CODE id`.
    let rows: Vec<(String, usize)> = stderr
        .lines()
        .filter_map(|l| {
            let f: Vec<&str> = l.split_whitespace().collect();
            let code = f.get(3).filter(|c| c.starts_with("KSPM"))?;
            Some(((*code).to_string(), f.get(2)?.parse().ok()?))
        })
        .collect();
    let listed = kspm(&["rules", "--pack", "all", "--format", "json"]);
    let codes: Vec<String> = json_of(&listed)
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["code"].as_str().unwrap().to_string())
        .collect();
    let timed_codes: Vec<String> = rows.iter().map(|(c, _)| c.clone()).collect();
    assert_eq!(
        timed_codes, codes,
        "every selected rule once, in code order"
    );
    // Nothing in the input is suppressed, so the rules' counts are the report's findings.
    let counted: usize = rows.iter().map(|(_, n)| n).sum();
    let reported = json_of(&plain)["findings"].as_array().unwrap().len();
    assert!(reported > 0);
    assert_eq!(counted, reported);
}

#[test]
fn parse_only_floor_loads_the_documents_lint_loads() {
    for input in [INPUT, "testdata/cli/list.yaml", "testdata/cli/broken.yaml"] {
        let floor = kspm(&["debug", "parse-only", "-j", "2", input]);
        assert_eq!(floor.status.code(), Some(0), "{input}");
        let f = json_of(&floor);
        let lint = json_of(&kspm(&["lint", "--format", "json", input]));
        let loaded = f["documents"].as_u64().unwrap() + f["load_errors"].as_u64().unwrap();
        assert_eq!(
            loaded,
            lint["summary"]["documents"].as_u64().unwrap(),
            "{input}: {f}"
        );
        assert!(f["bytes"].as_u64().unwrap() > 0, "{input}");
    }
}
