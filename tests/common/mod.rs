//! Shared setup of the tests that run the kspm binary: the command (colour off), its
//! output as text or JSON, exit-code checks that show stderr, and throwaway repositories.

// Each test crate uses the part it needs.
#![allow(dead_code)]

use std::fs;
use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};

use serde_json::Value;

/// The kspm binary with colour off; `output()` closes its stdin.
pub fn kspm_cmd() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_kspm"));
    c.env("NO_COLOR", "1");
    c
}

/// Run a command to the end, capturing stdout and stderr.
pub fn capture(cmd: &mut Command) -> Output {
    cmd.output().expect("run kspm")
}

/// Run a command with `input` on its stdin.
pub fn run_with_stdin(cmd: &mut Command, input: &[u8]) -> Output {
    let mut child = cmd
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run kspm");
    child
        .stdin
        .take()
        .expect("stdin piped")
        .write_all(input)
        .expect("write stdin");
    child.wait_with_output().expect("wait for kspm")
}

/// `kspm ARGS` in the package folder.
pub fn kspm(args: &[&str]) -> Output {
    capture(kspm_cmd().args(args))
}

/// `kspm ARGS` in `dir`.
pub fn kspm_in(dir: &Path, args: &[&str]) -> Output {
    capture(kspm_cmd().args(args).current_dir(dir))
}

/// `kspm ARGS` in `dir` on the day `today` (`KSPM_TODAY`, for expiring suppressions).
pub fn kspm_dated(dir: &Path, args: &[&str], today: &str) -> Output {
    capture(
        kspm_cmd()
            .args(args)
            .current_dir(dir)
            .env("KSPM_TODAY", today),
    )
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// stdout as JSON; a panic shows both streams otherwise.
pub fn json_of(out: &Output) -> Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "not JSON ({e}): {}\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    })
}

/// The exit code is `code`; stderr explains a mismatch.
#[track_caller]
pub fn assert_exit(out: &Output, code: i32) {
    assert_eq!(out.status.code(), Some(code), "{}", stderr(out));
}

/// A repository (`.git` marks its root) in a temporary folder, holding `files`.
pub fn repo(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temporary folder");
    fs::create_dir(dir.path().join(".git")).expect("create .git");
    for (path, text) in files {
        let p = dir.path().join(path);
        if let Some(parent) = p.parent() {
            fs::create_dir_all(parent).expect("create folders");
        }
        fs::write(&p, text).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
    }
    dir
}
