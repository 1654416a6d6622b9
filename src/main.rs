use std::process::ExitCode;

fn main() -> ExitCode {
    kspm::cli::run()
}
