//! Generic kernels (`T: rjit::Float`, `Int`, `Num`), checked at compile time for every type the
//! bound admits and specialized per concrete type at the first call; `_` parameters and `-> _`,
//! inferred at the first call with the caller's expected return type checked.

use rjit::ndarray::{s, Array1};
use rjit::prelude::*;

#[njit]
fn mean<T: Float>(a: ArrayView1<T>) -> T {
    let mut s = 0.0;
    for i in range(a.len()) {
        s += a[i];
    }
    s / a.len() as T
}

#[njit]
fn clamp_sum<T: Num>(a: &[T], lo: T, hi: T) -> T {
    let mut s = 0;
    for i in range(a.len()) {
        s += a[i].max(lo).min(hi);
    }
    s
}

#[njit]
fn count_odd<T: Int>(a: &[T]) -> usize {
    let mut n = 0;
    for i in range(a.len()) {
        if a[i] % 2 != 0 {
            n += 1;
        }
    }
    n
}

#[njit]
fn scale_by<T: Float>(a: &mut [T], k: T) {
    a *= k;
}

#[njit]
fn generic_caller(a: &[f32], b: &[i16]) -> (f32, i16) {
    (clamp_sum(a, 0.0, 1.0), clamp_sum(b, -5, 5))
}

#[njit]
fn inferred(a: _, k: _) -> _ {
    let mut s = 0.0;
    for i in range(a.len()) {
        s += a[i] * k;
    }
    s
}

#[njit]
fn halves(n: _) -> _ {
    let out = np.zeros(n);
    for i in range(n) {
        out[i] = i as f64 / 2.0;
    }
    out
}

#[test]
fn float_kernels_specialize_per_type() {
    let a32 = Array1::from(vec![1.0f32, 2.0, 4.5]);
    let a64 = Array1::from(vec![1.0f64, 2.0, 4.5, 0.5]);
    assert_eq!(mean(a32.view()), 7.5f32 / 3.0);
    assert_eq!(mean(a64.view()), 2.0f64);
    assert_eq!(mean(a64.slice(s![..;2])), 2.75f64);
    assert_eq!(mean::stats().specializations, 3);
    let mut v = vec![1.0f32, -2.0];
    scale_by(&mut v, 3.0);
    assert_eq!(v, vec![3.0, -6.0]);
}

#[test]
fn integer_and_numeric_kernels_match_rust() {
    let ints: Vec<i32> = vec![-7, 3, 12, 0, 5, 9];
    let want: i32 = ints.iter().map(|x| *x.clamp(&-2, &8)).sum();
    assert_eq!(clamp_sum(&ints, -2, 8), want);
    let u: Vec<u8> = vec![200, 3, 17, 250];
    assert_eq!(clamp_sum(&u, 10, 220), u.iter().map(|x| (*x).clamp(10, 220)).fold(0u8, |a, b| a.wrapping_add(b)));
    let f: Vec<f64> = vec![0.25, 7.0, -1.0];
    assert_eq!(clamp_sum(&f, 0.0, 1.0), 1.25);
    assert_eq!(count_odd(&ints), ints.iter().filter(|x| *x % 2 != 0).count());
    assert_eq!(count_odd(&[1u64, 2, 3, u64::MAX]), 3);
    assert_eq!(generic_caller(&[0.5, 2.0, -1.0], &[7, -9, 2]), (1.5, 2));
}

#[test]
fn inferred_parameters_and_return_types() {
    let a = Array1::from(vec![1.0f32, 2.0, 3.0]);
    let s: f32 = inferred(a.view(), 2.0f32);
    assert_eq!(s, 12.0);
    let t: f64 = inferred(&[1.0f64, 0.5][..], 4.0f64);
    assert_eq!(t, 6.0);
    let h: Array1<f64> = halves(4usize);
    assert_eq!(h, Array1::from(vec![0.0, 0.5, 1.0, 1.5]));
    // The caller's expected type is checked, never converted.
    let e = inferred::try_call::<ArrayView1<f32>, f32, f64>(a.view(), 2.0).unwrap_err();
    assert_eq!(e.to_string(), "rjit: `inferred` returns `f32`, but the caller expects `f64` (nothing is converted)");
    let msg = std::panic::catch_unwind(|| {
        let _: i64 = halves(3usize);
    })
    .expect_err("a mismatch panics");
    let msg = msg.downcast_ref::<String>().cloned().unwrap_or_default();
    assert!(msg.contains("returns `f64[::1]`, but the caller expects `i64`"), "{msg}");
}
