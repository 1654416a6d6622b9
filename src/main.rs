use std::process::ExitCode;

// A run allocates and frees millions of small strings and trees from several threads;
// mimalloc does that several times faster than the system allocators (glibc, and musl in
// the static image). Measured with scripts/bench.sh, see docs/benchmarks.md.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// `mi_option_purge_delay` (its position in mimalloc's option enum, the same in v2 and v3;
/// the Rust bindings have no constant for it).
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

fn main() -> ExitCode {
    // mimalloc returns freed memory to the OS after 10 ms and faults it back in on the next
    // allocation: a lint that writes findings as it goes frees and reuses the same memory
    // window after window, and the kernel zeroed each (huge) page again every time — 14%
    // of the CPU time of a 5 MB `--pack all` run (docs/benchmarks.md). A run is short;
    // keep what it freed.
    // SAFETY: called before any other thread exists; mi_option_set only stores the value.
    unsafe { libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, -1) };
    kspm::cli::run()
}
