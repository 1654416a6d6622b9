//! Measure the loader alone: `cargo run --release --example load_bench -- FILE...`.
//!
//! Loads every file (each document is dropped as soon as it is built, as the engine does),
//! `RUNS` times (default 1), and prints documents, errors and the best and median MB/s.
//! `VERBOSE=1` prints each load error. Run under `/usr/bin/time -v` for peak RSS.
//! A 50 MB stream: `for i in $(seq 124); do cat ../shared/corpus/big/public.yaml; echo;
//! echo ---; done > /tmp/big50.yaml`.

use std::time::{Duration, Instant};

use kspm::source::SourceFile;
use kspm::yaml::load::load_stream;

fn main() -> std::process::ExitCode {
    let paths: Vec<String> = std::env::args().skip(1).collect();
    if paths.is_empty() {
        eprintln!("usage: load_bench FILE...");
        return std::process::ExitCode::from(2);
    }
    let verbose = std::env::var_os("VERBOSE").is_some();
    let runs: usize = std::env::var("RUNS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(1)
        .max(1);
    let mut sources = Vec::new();
    for path in &paths {
        match std::fs::read_to_string(path) {
            Ok(text) => sources.push(SourceFile::new(path.as_str(), text)),
            Err(e) => eprintln!("{path}: {e}"),
        }
    }
    let bytes: usize = sources.iter().map(|s| s.text.len()).sum();
    let mut times = Vec::with_capacity(runs);
    let (mut docs, mut errors) = (0usize, 0usize);
    for run in 0..runs {
        let (mut d, mut e) = (0usize, 0usize);
        let t = Instant::now();
        for src in &sources {
            load_stream(src, |res| match res {
                // The tree is dropped here, as the engine drops it after linting.
                Ok(_doc) => d += 1,
                Err(err) => {
                    e += 1;
                    if verbose && run == 0 {
                        let p = src.position(err.span.start);
                        println!("{}:{}:{}: {}", src.path, p.line, p.column, err.message);
                    }
                }
            });
        }
        times.push(t.elapsed());
        (docs, errors) = (d, e);
    }
    times.sort();
    let mbps = |t: Duration| bytes as f64 / 1e6 / t.as_secs_f64();
    println!(
        "{} files, {:.1} MB, {docs} documents, {errors} errors; {runs} runs: best {:.3} s \
         ({:.1} MB/s), median {:.3} s ({:.1} MB/s)",
        sources.len(),
        bytes as f64 / 1e6,
        times[0].as_secs_f64(),
        mbps(times[0]),
        times[runs / 2].as_secs_f64(),
        mbps(times[runs / 2]),
    );
    std::process::ExitCode::SUCCESS
}
