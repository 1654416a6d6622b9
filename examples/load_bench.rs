//! Measure the loader alone: `cargo run --release --example load_bench -- FILE...`.
//! Prints documents, errors and MB/s; run under `/usr/bin/time -v` for peak RSS.

use std::time::Instant;

use kspm::source::SourceFile;
use kspm::yaml::load::load_stream;

fn main() -> std::process::ExitCode {
    let paths: Vec<String> = std::env::args().skip(1).collect();
    if paths.is_empty() {
        eprintln!("usage: load_bench FILE...");
        return std::process::ExitCode::from(2);
    }
    let verbose = std::env::var_os("VERBOSE").is_some();
    let (mut bytes, mut docs, mut errors) = (0usize, 0usize, 0usize);
    let mut elapsed = std::time::Duration::ZERO;
    for path in &paths {
        let text = match std::fs::read_to_string(path) {
            Ok(t) => t,
            Err(e) => {
                eprintln!("{path}: {e}");
                continue;
            }
        };
        bytes += text.len();
        let src = SourceFile::new(path.as_str(), text);
        let t = Instant::now();
        load_stream(&src, |d| match d {
            // The tree is dropped here, as the engine drops it after linting.
            Ok(_doc) => docs += 1,
            Err(e) => {
                errors += 1;
                if verbose {
                    let p = src.position(e.span.start);
                    println!("{path}:{}:{}: {}", p.line, p.column, e.message);
                }
            }
        });
        elapsed += t.elapsed();
    }
    let secs = elapsed.as_secs_f64();
    println!(
        "{} files, {:.1} MB, {docs} documents, {errors} errors, {:.3} s, {:.1} MB/s",
        paths.len(),
        bytes as f64 / 1e6,
        secs,
        bytes as f64 / 1e6 / secs
    );
    std::process::ExitCode::SUCCESS
}
