//! The reference interpreter: `name::interpret` and `RJIT_DISABLE_JIT=1` give the results and the
//! errors compiled code gives, and compile nothing. (Every other suite also runs with
//! `RJIT_DIFFERENTIAL=1` in CI, comparing the two on every call: `scripts/differential.sh`.)

use rjit::ndarray::{arr1, Array1, Array2, ArrayView1, ArrayView2, ArrayViewMut2};
use rjit::prelude::*;

#[njit]
fn row_norms(a: ArrayView2<f64>) -> Array1<f64> {
    let mut out = np.zeros(a.shape().0);
    for i in range(a.shape().0) {
        out[i] = (a[i] * a[i]).sum().sqrt();
    }
    out
}

#[njit]
fn shift_rows(mut a: ArrayViewMut2<f32>, k: i32) {
    for i in range(a.len()) {
        let row = a[i];
        row[1..] = row[..row.len() - 1];
        a[[i, 0]] = k as f32;
    }
    a *= 2.0;
}

#[njit]
fn checked(x: ArrayView1<i64>, i: i64, d: i64) -> (i64, u8) {
    let q = x[i] / d;
    (q, (q & 255) as u8)
}

#[njit(parallel)]
fn chunked_sum(x: ArrayView1<f32>) -> (f32, f32) {
    let mut s = 0.0f32;
    for i in prange(x.len()) {
        s += x[i] * 0.5;
    }
    (s, x.sum())
}

#[njit(sig = ["(f64[:])"])]
fn declared(x: ArrayView1<f64>) -> f64 {
    np.max(np.abs(x))
}

#[njit]
fn chosen(x: i64) -> _ {
    x * 3
}

fn grid(n: usize, m: usize) -> Array2<f64> {
    Array2::from_shape_fn((n, m), |(i, j)| ((i * 7 + j * 3) % 11) as f64 - 4.5)
}

#[test]
fn interpreted_calls_match_compiled_ones() {
    let a = grid(5, 7);
    assert_eq!(row_norms::interpret(a.view()).unwrap(), row_norms(a.view()));
    assert_eq!(row_norms::interpret(a.t()).unwrap(), row_norms(a.t()));

    let base = Array2::from_shape_fn((4, 6), |(i, j)| (i * 10 + j) as f32);
    let (mut x, mut y) = (base.clone(), base.clone());
    shift_rows(x.view_mut(), -1);
    shift_rows::interpret(y.view_mut(), -1).unwrap();
    assert_eq!(x, y);
    assert_eq!(y[[2, 3]], 2.0 * 22.0);

    // A sum split into `prange` chunks associates as compiled code does: equal bits.
    let v: Array1<f32> = (0..100_000).map(|k| ((k * 7919) % 1000) as f32 * 1e-3 + 1e-7).collect();
    let (c, i) = (chunked_sum(v.view()), chunked_sum::interpret(v.view()).unwrap());
    assert_eq!((c.0.to_bits(), c.1.to_bits()), (i.0.to_bits(), i.1.to_bits()));

    let w = arr1(&[1.0, -7.5, 3.0]);
    assert_eq!(declared::interpret(w.view()).unwrap(), 7.5);
    assert_eq!(chosen::interpret::<i64>(5).unwrap(), 15);
}

#[test]
fn interpreted_errors_are_the_compiled_errors() {
    let x = arr1(&[10i64, -20, i64::MIN]);
    for (i, d) in [(3, 1), (-4, 1), (0, 0), (2, -1), (-1, 2)] {
        let compiled = checked::try_call(x.view(), i, d);
        let interpreted = checked::interpret(x.view(), i, d);
        assert_eq!(compiled, interpreted, "x[{i}] / {d}");
    }
    assert!(checked::interpret(x.view(), 3, 1)
        .unwrap_err()
        .to_string()
        .contains("index 3 is out of bounds for axis 0 with size 3"));
    // `-> _`: asking for another type fails as a compiled call does.
    let e = chosen::interpret::<f64>(5).unwrap_err();
    assert_eq!(e, chosen::try_call::<f64>(5).unwrap_err());
}

#[test]
#[ignore = "run by `disable_jit_interprets_every_call` in a child process"]
fn child_without_jit() {
    let a = grid(3, 4);
    let want: Vec<f64> = a.rows().into_iter().map(|r| r.dot(&r).sqrt()).collect();
    assert_eq!(row_norms(a.view()).to_vec(), want);
    assert!(checked::try_call(arr1(&[1i64]).view(), 0, 0).is_err());
    assert_eq!(row_norms::stats().specializations, 0);
    assert_eq!(checked::stats().specializations, 0);
    assert!(row_norms::signatures().is_empty());
    println!("interpreted: {} calls", row_norms::stats().calls + checked::stats().calls);
}

#[test]
fn disable_jit_interprets_every_call() {
    let out = std::process::Command::new(std::env::current_exe().expect("test binary"))
        .args([
            "--ignored",
            "--exact",
            crate::common::test_name(module_path!(), "child_without_jit").as_str(),
            "--nocapture",
            "--test-threads=1",
        ])
        .env("RJIT_DISABLE_JIT", "1")
        .output()
        .expect("child runs");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{text}{}", String::from_utf8_lossy(&out.stderr));
    assert!(text.contains("interpreted: 2 calls"), "{text}");
}
