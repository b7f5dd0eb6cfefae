//! `sig = …`: the listed signatures are compiled together at first use and are the only ones
//! accepted; `name::compile` adds one ahead of time; `name::signatures` lists what exists.

use rjit::ndarray::{s, Array1};
use rjit::prelude::*;
use rjit::Error;

#[njit(sig = "f64(f64[::1])")]
fn total_c(a: ArrayView1<f64>) -> f64 {
    a.sum()
}

#[njit(sig = ["f64(float64[::1], f64)", "float64(f64[:], double)"])]
fn weighted(a: ArrayView1<f64>, w: f64) -> f64 {
    let mut s = 0.0;
    for i in range(a.len()) {
        s += a[i] * w;
    }
    s
}

#[njit]
fn plain(a: &[f32], k: f32) -> f32 {
    a.sum() * k
}

#[test]
fn only_declared_signatures_are_accepted() {
    let a = Array1::from(vec![1.0, 2.0, 3.0, 4.0]);
    assert_eq!(total_c(a.view()), 10.0);
    let e = total_c::try_call(a.slice(s![..;2])).unwrap_err();
    assert!(matches!(&e, Error::NoMatchingSignature { given, .. } if given == "(f64[:])"), "{e}");
    assert_eq!(e.to_string(), "rjit: no signature of `total_c` accepts (f64[:]); its signatures are f64(f64[::1])");
    assert_eq!(total_c::signatures(), vec!["(f64[::1])".to_string()]);
}

#[test]
fn every_signature_compiles_at_first_use_and_the_closest_is_chosen() {
    let a = Array1::from(vec![1.0, 2.0, 3.0, 4.0]);
    assert_eq!(weighted(a.view(), 0.5), 5.0);
    assert_eq!(weighted::stats().specializations, 2, "both signatures, eagerly");
    // A strided view takes the `[:]` signature; a reversed one too; nothing new is compiled.
    assert_eq!(weighted(a.slice(s![..;2]), 2.0), 8.0);
    assert_eq!(weighted(a.slice(s![..;-1]), 1.0), 10.0);
    assert_eq!(weighted::stats().specializations, 2);
    let mut sigs = weighted::signatures();
    sigs.sort();
    assert_eq!(sigs, vec!["(f64[::1], f64)".to_string(), "(f64[:], f64)".to_string()]);
}

#[test]
fn compile_adds_a_specialization_ahead_of_time() {
    plain::compile("f32(f32[::1], f32)").expect("compiles");
    assert_eq!(plain::stats().specializations, 1);
    assert_eq!(plain(&[1.0, 2.0], 2.0), 6.0);
    assert_eq!(plain::stats().specializations, 1, "the call used the precompiled code");
    let e = plain::compile("f32(f64[::1], f32)").unwrap_err();
    assert!(e.to_string().contains("argument 1 is `f64[::1]` in the signature but `f32[:]` in the function"), "{e}");
    assert!(matches!(plain::compile("f32(f4[:], f32)"), Err(Error::InvalidSignature { .. })));
}
