//! The benchmark suite's kernels (`benches/kernels`) give the same results as their hand-written
//! twins on the benchmark data: what is timed is known to be right.

#[path = "../benches/kernels/mod.rs"]
mod kernels;

#[test]
fn every_benchmark_kernel_matches_hand_written_rust() {
    kernels::check();
}
