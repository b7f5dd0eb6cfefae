//! `fastmath` and `fastmath = "…"` put exactly those LLVM flags on floating-point operations; a sum
//! reassociated under `fastmath` vectorizes, a strict one keeps its order.

use rjit::prelude::*;

#[njit(fastmath)]
fn sum_fast(a: &[f32]) -> f32 {
    a.sum()
}

#[njit]
fn sum_strict(a: &[f32]) -> f32 {
    a.sum()
}

#[njit(fastmath = "nnan,ninf")]
fn no_nans(a: &[f64], k: f64) -> f64 {
    a[0] * k + np.sqrt(a[1])
}

#[test]
fn the_flags_reach_the_ir_and_only_where_asked() {
    let a: Vec<f32> = (0..1000).map(|i| (i % 17) as f32 * 0.25).collect();
    let want: f32 = a.iter().sum();
    assert!((sum_fast(&a) - want).abs() <= 1e-3 * want);
    assert_eq!(sum_strict(&a), a.iter().fold(0.0, |s, x| s + x), "strict: the sequential sum exactly");
    let fast = sum_fast::inspect_llvm();
    let strict = sum_strict::inspect_llvm();
    assert!(fast.contains("fadd fast <") || fast.contains("fadd reassoc"), "vectorized fast adds:\n{fast}");
    assert!(fast.contains(" x float>"), "the fast sum is vectorized:\n{fast}");
    assert!(!strict.contains(" fast ") && !strict.contains("reassoc"), "no flags without fastmath:\n{strict}");
    assert!(!strict.contains("fadd <"), "a strict sum is not reassociated into vectors:\n{strict}");
    assert_eq!(no_nans(&[2.0, 9.0], 1.5), 6.0);
    let some = no_nans::inspect_llvm();
    assert!(some.contains("nnan ninf"), "{some}");
    assert!(!some.contains("reassoc") && !some.contains(" fast "), "only the named flags:\n{some}");
}
