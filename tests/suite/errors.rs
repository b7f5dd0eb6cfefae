//! Run-time errors: each panics naming the function, file, line, column and values, and comes
//! back from `try_call` as a value; nothing stays broken for the next call.

use rjit::prelude::*;
use rjit::Error;

#[njit]
fn at(a: &[f64], i: i64) -> f64 {
    a[i]
}

#[njit]
fn at2(m: ArrayView2<i32>, i: usize, j: usize) -> i32 {
    m[[i, j]]
}

#[njit]
fn divide(a: i32, b: i32) -> i32 {
    a / b
}

#[njit]
fn remainder(a: u64, b: u64) -> u64 {
    a % b
}

#[njit]
fn checked(x: f64) -> f64 {
    assert!(x >= 0.0, "x must not be negative");
    assert!(x < 100.0);
    x.sqrt()
}

#[njit]
fn zero_step(n: i64, step: i64) -> i64 {
    let mut c = 0;
    for _ in range(0, n, step) {
        c += 1;
    }
    c
}

#[njit]
fn min_of(a: &[f64]) -> f64 {
    a.min()
}

#[njit]
fn inner(a: &[f64], i: usize) -> f64 {
    a[i] * 2.0
}

#[njit]
fn outer(a: &[f64]) -> f64 {
    let mut s = 0.0;
    for i in range(a.len() + 1) {
        s += inner(a, i);
    }
    s
}

#[njit]
fn huge(n: usize) -> Array1<f64> {
    np.zeros(n)
}

#[njit]
fn mismatched(a: &mut [f64], b: &[f64]) {
    a += b;
}

fn panic_message(f: impl FnOnce() + std::panic::UnwindSafe) -> String {
    let err = std::panic::catch_unwind(f).expect_err("the call should panic");
    err.downcast_ref::<String>().cloned().unwrap_or_default()
}

#[test]
fn out_of_bounds_names_function_place_and_values() {
    let a = [1.0, 2.0, 3.0];
    assert_eq!(at(&a, -1), 3.0);
    let msg = panic_message(|| {
        at(&[1.0, 2.0, 3.0], 3);
    });
    assert!(msg.contains("index 3 is out of bounds for axis 0 with size 3"), "{msg}");
    assert!(msg.contains("`at` at tests/suite/errors.rs:9:5"), "{msg}");
    let msg = panic_message(|| {
        at(&[1.0, 2.0, 3.0], -4);
    });
    assert!(msg.contains("index -4 is out of bounds for axis 0 with size 3"), "{msg}");

    let m = rjit::ndarray::Array2::<i32>::zeros((2, 3));
    match at2::try_call(m.view(), 1, 3) {
        Err(Error::IndexOutOfBounds { index: 3, axis: 1, size: 3, site }) => {
            assert_eq!((site.function.as_str(), site.line), ("at2", 14));
        }
        other => panic!("expected an index error, got {other:?}"),
    }
    assert_eq!(at2(m.view(), 1, 2), 0);
    // `usize` arithmetic that wraps below zero is caught, never read as "from the end".
    assert!(matches!(at2::try_call(m.view(), usize::MAX, 0), Err(Error::IndexOutOfBounds { .. })));
}

#[test]
fn integer_division_by_zero_and_overflow() {
    assert_eq!(divide(7, 2), 3);
    let e = divide::try_call(7, 0).unwrap_err();
    assert!(matches!(e, Error::DivisionByZero { .. }), "{e}");
    assert_eq!(e.to_string(), "rjit: attempt to divide by zero in `divide` at tests/suite/errors.rs:19:5");
    assert!(matches!(divide::try_call(i32::MIN, -1), Err(Error::Overflow { .. })));
    assert!(matches!(remainder::try_call(5, 0), Err(Error::DivisionByZero { .. })));
    assert_eq!(remainder(17, 5), 2);
}

#[test]
fn failed_asserts_carry_their_message() {
    assert_eq!(checked(16.0), 4.0);
    let e = checked::try_call(-1.0).unwrap_err();
    assert_eq!(
        e.to_string(),
        "rjit: assertion failed: x must not be negative in `checked` at tests/suite/errors.rs:29:5"
    );
    let e = checked::try_call(1000.0).unwrap_err();
    assert!(matches!(&e, Error::AssertionFailed { message: None, site } if site.line == 30), "{e}");
}

#[test]
fn other_runtime_errors() {
    assert_eq!(zero_step(10, 3), 4);
    assert!(matches!(zero_step::try_call(10, 0), Err(Error::ZeroStep { .. })));
    assert!(matches!(min_of::try_call(&[]), Err(Error::EmptyReduction { .. })));
    assert_eq!(min_of(&[3.0, -1.0]), -1.0);
    let e = huge::try_call(usize::MAX).unwrap_err();
    assert!(matches!(e, Error::AllocationFailed { .. }), "{e}");
    let mut a = [1.0, 2.0];
    let e = mismatched::try_call(&mut a, &[1.0, 2.0, 3.0]).unwrap_err();
    assert!(matches!(e, Error::ShapeMismatch { axis: 0, left: 2, right: 3, .. }), "{e}");
    assert_eq!(a, [1.0, 2.0], "nothing was written");
    mismatched(&mut a, &[1.0, 1.0]);
    assert_eq!(a, [2.0, 3.0]);
    // A length-1 array broadcasts, as in NumPy.
    mismatched(&mut a, &[0.5]);
    assert_eq!(a, [2.5, 3.5]);
}

#[test]
fn errors_in_callees_reach_the_caller() {
    let e = outer::try_call(&[1.0, 2.0]).unwrap_err();
    match e {
        Error::IndexOutOfBounds { index: 2, site, .. } => assert_eq!(site.function, "inner"),
        other => panic!("{other:?}"),
    }
    let msg = panic_message(|| {
        outer(&[1.0]);
    });
    assert!(msg.starts_with("rjit: index 1 is out of bounds"), "{msg}");
    // The failed call left nothing behind.
    assert_eq!(inner(&[1.0, 5.0], 1), 10.0);
}
