//! The benchmark suite's kernels (`benches/kernels`) give the same results as their hand-written
//! twins on the benchmark data: what is timed is known to be right. Under `RJIT_DIFFERENTIAL=1`
//! (every call also interpreted) they run at smaller sizes.

#[path = "../../benches/kernels/mod.rs"]
mod kernels;

#[test]
fn every_benchmark_kernel_matches_hand_written_rust() {
    if std::env::var_os("RJIT_DIFFERENTIAL").is_some_and(|v| v != "0" && !v.is_empty()) {
        kernels::check_at(&kernels::Sizes::SMALL);
    } else {
        kernels::check();
    }
}
