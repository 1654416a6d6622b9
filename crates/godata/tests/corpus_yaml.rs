//! Every chart YAML file in the shared corpus (values files, Chart.yaml, requirements.yaml)
//! must read as Helm reads it, and toYaml's output must read back to the same values.

use std::path::{Path, PathBuf};

use kspm_test_support::corpus;

fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            walk(&p, out);
        } else if let Some(name) = p.file_name().and_then(|n| n.to_str()) {
            let chart_yaml = name == "Chart.yaml" || name == "requirements.yaml";
            let values = name.starts_with("values") && name.ends_with(".yaml");
            if chart_yaml || values {
                out.push(p);
            }
        }
    }
}

#[test]
fn corpus_chart_yaml_reads_and_round_trips() {
    let Some(root) = corpus() else {
        eprintln!("corpus not found; skipping (set KSPM_CORPUS)");
        return;
    };
    let mut files = Vec::new();
    walk(&root, &mut files);
    files.sort();
    let mut ok = 0;
    let mut failures = Vec::new();
    for f in &files {
        let Ok(text) = std::fs::read_to_string(f) else {
            continue;
        };
        match kspm_godata::yaml::unmarshal_map(&text) {
            Ok(v) => {
                let again = kspm_godata::yaml::marshal(&v)
                    .and_then(|y| kspm_godata::yaml::unmarshal_map(&y));
                match again {
                    Ok(v2) if format!("{v:?}") == format!("{v2:?}") => ok += 1,
                    Ok(_) => failures.push(format!("{}: round trip differs", f.display())),
                    Err(e) => failures.push(format!("{}: round trip: {e}", f.display())),
                }
            }
            Err(e) => failures.push(format!("{}: {e}", f.display())),
        }
    }
    println!(
        "corpus chart yaml: {ok}/{} read and round-trip",
        files.len()
    );
    for f in &failures {
        println!("  FAIL {f}");
    }
    assert!(failures.is_empty(), "{} files failed", failures.len());
}
