use std::process::ExitCode;

// A run allocates and frees millions of small strings and trees from several threads;
// mimalloc does that several times faster than the system allocators (glibc, and musl in
// the static image). Measured with scripts/bench.sh, see docs/benchmarks.md.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    kspm::cli::run()
}
