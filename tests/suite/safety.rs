//! What safe code must never do (DSL.md §5–§7, docs/SAFETY.md): read memory as another type or
//! rank, reach code compiled for other arguments, or abort instead of returning an error. Each
//! test here failed before the fix it guards.

use rjit::ndarray::{array, s, Array1, Array2};
use rjit::prelude::*;

#[njit]
fn total(a: _) -> f64 {
    a.sum()
}

#[njit]
fn add_one(a: _) {
    a += 1.0;
}

#[njit]
fn total_as(a: _) -> _ {
    a.sum()
}

/// A `_` parameter takes arrays of any rank: each rank (and layout) gets its own code, so the
/// second call does not run the first's 1-D code on a 2-D view's descriptor.
#[test]
fn inferred_parameters_dispatch_on_rank() {
    let v = Array1::from(vec![1.0, 2.0, 3.0]);
    let m = Array2::from_shape_vec((3, 4), (0..12).map(f64::from).collect()).unwrap();
    assert_eq!(total(v.view()), 6.0);
    assert_eq!(total(m.view()), 66.0);
    assert_eq!(total(m.slice(s![.., ..;2])), 30.0);
    assert_eq!(total(m.t()), 66.0);
    let cube = rjit::ndarray::Array3::from_shape_fn((2, 3, 4), |(i, j, k)| (i * 12 + j * 4 + k) as f64);
    assert_eq!(total(cube.view()), 276.0);
    assert_eq!(total(cube.slice(s![.., ..;-1, ..;2])), cube.slice(s![.., ..;-1, ..;2]).sum());
    assert_eq!(total(v.slice(s![..;-1])), 6.0);
    // Scalars and arrays of each rank through one `-> _` function.
    let r: f64 = total_as(v.view());
    assert_eq!(r, 6.0);
    let r: f64 = total_as(m.view());
    assert_eq!(r, 66.0);
    assert_eq!(total::signatures().len(), 7, "{:?}", total::signatures());
}

#[test]
fn inferred_writable_parameters_dispatch_on_rank() {
    let mut v = Array1::from(vec![1.0, 2.0, 3.0]);
    let mut m = Array2::<f64>::zeros((4, 5));
    add_one(v.view_mut());
    add_one(m.view_mut());
    add_one(m.slice_mut(s![..;2, 1..]));
    assert_eq!(v, array![2.0, 3.0, 4.0]);
    let mut expect = Array2::<f64>::ones((4, 5));
    expect.slice_mut(s![..;2, 1..]).map_inplace(|x| *x += 1.0);
    assert_eq!(m, expect);
}

#[njit]
fn small_stack_kernel(a: &[f64]) -> f64 {
    let mut s = 0.0;
    for i in range(a.len()) {
        s += ((a[i] * 2.0 + 1.0) * (a[i] - 3.0) / (a[i] * a[i] + 1.0)).sqrt().abs();
    }
    s
}

/// Compilation runs on a thread of its own: a first call from a thread with a 32 KiB stack does
/// not overflow inside the parser or LLVM.
#[test]
fn a_first_call_from_a_small_stack() {
    // The interpreter (RJIT_DISABLE_JIT, RJIT_DIFFERENTIAL) runs on the caller's thread, with its
    // generator and race detector: it is a testing mode and needs an ordinary stack.
    if ["RJIT_DISABLE_JIT", "RJIT_DIFFERENTIAL"].iter().any(|v| std::env::var_os(v).is_some_and(|x| x == "1")) {
        eprintln!("skipped: the interpreter runs calls on the caller's stack");
        return;
    }
    let v: Vec<f64> = (0..10).map(f64::from).collect();
    let want: f64 =
        v.iter().map(|x| ((x * 2.0 + 1.0) * (x - 3.0) / (x * x + 1.0)).sqrt().abs()).fold(0.0, |s, x| s + x);
    let got = std::thread::Builder::new()
        .stack_size(32 * 1024)
        .spawn(move || small_stack_kernel(&v))
        .expect("spawn")
        .join()
        .expect("no overflow");
    assert_eq!(got.to_bits(), want.to_bits());
}

#[njit(parallel)]
fn doubled(a: &[f64]) -> Array1<f64> {
    let out = np.empty(a.len());
    for i in prange(a.len()) {
        out[i] = a[i] * 2.0;
    }
    out
}

/// What a child process reports: the `try_call` error and the plain call's panic.
#[test]
#[ignore = "run by the other tests of this file in child processes"]
fn child_pool() {
    let v: Vec<f64> = (0..1000).map(f64::from).collect();
    if std::env::var_os("RJIT_CHILD_NO_THREADS").is_some() {
        // Compiled first (compilation starts a thread), then no thread may start.
        doubled::compile("(f64[::1])").expect("compiles");
        no_more_threads();
    }
    let err = doubled::try_call(&v).expect_err("the pool cannot start");
    assert!(matches!(err, rjit::Error::ThreadPool { .. }), "{err:?}");
    println!("ERROR {err}");
    let panic = std::panic::catch_unwind(|| doubled(&v)).expect_err("the plain call panics");
    let msg = panic.downcast_ref::<String>().cloned().unwrap_or_default();
    println!("PANIC {msg}");
}

/// Drops root to `nobody` and limits its threads, so that no thread can start.
fn no_more_threads() {
    #[repr(C)]
    struct Rlimit {
        cur: u64,
        max: u64,
    }
    extern "C" {
        fn setuid(uid: u32) -> i32;
        fn setrlimit(resource: i32, limit: *const Rlimit) -> i32;
    }
    const RLIMIT_NPROC: i32 = 6;
    // SAFETY: plain system calls on valid arguments.
    unsafe {
        assert_eq!(setrlimit(RLIMIT_NPROC, &Rlimit { cur: 1, max: 1 }), 0, "setrlimit");
        assert_eq!(setuid(65534), 0, "setuid");
    }
}

fn child(env: &[(&str, &str)]) -> (bool, String, String) {
    let mut c = std::process::Command::new(std::env::current_exe().expect("test binary"));
    c.args([
        "--ignored",
        "--exact",
        crate::common::test_name(module_path!(), "child_pool").as_str(),
        "--nocapture",
        "--test-threads=1",
    ]);
    // The pool is compiled code's: the interpreter runs `prange` chunks itself.
    c.env_remove("RJIT_DIFFERENTIAL").env_remove("RJIT_DISABLE_JIT");
    for (k, v) in env {
        c.env(k, v);
    }
    let out = c.output().expect("child runs");
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// An absurd `RJIT_NUM_THREADS` is refused with a message, as an error from `try_call` and a
/// panic from the plain call (it used to start threads for minutes, or abort).
#[test]
fn absurd_thread_counts_are_errors() {
    for (value, says) in [
        ("200000", "RJIT_NUM_THREADS=200000 is not a thread count from 1 to 1024"),
        ("0", "RJIT_NUM_THREADS=0 is not"),
        ("many", "RJIT_NUM_THREADS=many is not"),
    ] {
        let (ok, out, err) = child(&[("RJIT_NUM_THREADS", value)]);
        assert!(ok, "{value}: {out}\n{err}");
        assert!(
            out.contains(&format!("ERROR rjit: cannot start the threads `prange` loops run on: {says}")),
            "{value}: {out}"
        );
        assert!(out.contains("PANIC rjit: cannot start the threads"), "{value}: {out}");
    }
    let r = std::panic::catch_unwind(|| rjit::set_num_threads(5000));
    assert!(r.is_err(), "set_num_threads(5000) is refused");
}

/// A pool whose threads cannot start (the user's thread limit reached) is an error, not an abort.
/// Needs root to drop to `nobody` under a thread limit (root's own limit is not enforced).
#[cfg(target_os = "linux")]
#[test]
fn a_pool_that_cannot_start_is_an_error() {
    extern "C" {
        fn geteuid() -> u32;
    }
    // SAFETY: no preconditions.
    if unsafe { geteuid() } != 0 {
        eprintln!("skipped: needs root to run a child under another user's thread limit");
        return;
    }
    let (ok, out, err) = child(&[("RJIT_CHILD_NO_THREADS", "1"), ("RJIT_NUM_THREADS", "4")]);
    assert!(ok, "the child aborted or failed:\n{out}\n{err}");
    assert!(
        out.contains("ERROR rjit: cannot start the threads `prange` loops run on: 3 worker threads:"),
        "{out}\n{err}"
    );
    assert!(out.contains("PANIC rjit: cannot start the threads"), "{out}");
}

#[njit(parallel)]
fn shift_into(out: ArrayViewMut1<f64>, a: ArrayView1<f64>) {
    for i in prange(out.len()) {
        out[i] = a[i + 1] * 2.0;
    }
}

#[njit]
fn shift_halves(v: ArrayViewMut1<f64>, overlap: bool) {
    let n = v.len();
    if overlap {
        shift_into(v[..n - 1], v);
    } else {
        shift_into(v[..n / 2 - 1], v[n / 2..]);
    }
}

/// A `parallel` function's race proof takes a writable array argument apart from the others.
/// Rust's borrows guarantee it at the boundary; a call from another njit function that passes
/// overlapping arrays is an error, not a race.
#[test]
fn overlapping_arguments_of_a_parallel_function_are_an_error() {
    let mut v = Array1::from_shape_fn(10, |i| i as f64);
    let err = shift_halves::try_call(v.view_mut(), true).expect_err("overlapping arguments");
    match &err {
        rjit::Error::OverlappingArguments { first, second, site } => {
            assert_eq!((first.as_str(), second.as_str()), ("out", "a"));
            assert_eq!(site.function, "shift_into");
        }
        e => panic!("{e:?}"),
    }
    assert_eq!(v, Array1::from_shape_fn(10, |i| i as f64), "nothing was written");
    shift_halves(v.view_mut(), false);
    let want: Vec<f64> = (0..10).map(|i| if i < 4 { (i + 6) as f64 * 2.0 } else { i as f64 }).collect();
    assert_eq!(v.to_vec(), want);
    // Interpreted: the same error.
    let mut w = Array1::from_shape_fn(10, |i| i as f64);
    assert_eq!(shift_halves::interpret(w.view_mut(), true).expect_err("overlap"), err);
}
