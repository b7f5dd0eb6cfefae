//! Snapshots of what codegen reviewers read: the typed IR (`inspect_types`) and the LLVM IR at
//! `RJIT_OPT=0` of small fixtures, compared with `tests/snapshots/*.txt`. A change to the frontend
//! or to codegen shows up as a diff of these files in review. `RJIT_BLESS=1` rewrites them.
//!
//! The LLVM IR comes from a child process run with `RJIT_OPT=0` (the level is read once per
//! process), which compiles only the fixtures, in a fixed order.

use rjit::prelude::*;
use std::path::Path;
use std::process::Command;

#[njit]
fn axpy(a: f32, x: &[f32], y: &mut [f32]) {
    for i in range(x.len()) {
        y[i] += a * x[i];
    }
}

#[njit]
fn clipped_mean(v: ArrayView1<f64>, lo: f64, hi: f64) -> f64 {
    let c = np.minimum(np.maximum(v, lo), hi);
    c.mean()
}

#[njit]
fn first_above(v: &[i64], t: i64) -> i64 {
    let mut i = 0;
    while i < v.len() {
        if v[i] > t {
            return i as i64;
        }
        i += 1;
    }
    -1
}

fn run_fixtures() {
    let mut y = vec![1.0f32; 4];
    axpy(2.0, &[1.0, 2.0, 3.0, 4.0], &mut y);
    assert_eq!(y, vec![3.0, 5.0, 7.0, 9.0]);
    let v = rjit::ndarray::arr1(&[-1.0, 0.5, 2.0, 9.0]);
    assert_eq!(clipped_mean(v.view(), 0.0, 1.0), (0.0 + 0.5 + 1.0 + 1.0) / 4.0);
    assert_eq!(first_above(&[1, 5, 9], 4), 1);
    assert_eq!(first_above(&[1, 5, 9], 10), -1);
}

/// Compares `text` with the snapshot `name`, or rewrites it under `RJIT_BLESS=1`.
fn check(name: &str, text: &str) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/snapshots").join(name);
    if std::env::var_os("RJIT_BLESS").is_some() {
        std::fs::write(&path, text).expect("snapshot written");
        return;
    }
    let want = std::fs::read_to_string(&path)
        .unwrap_or_else(|_| panic!("no snapshot {} (run with RJIT_BLESS=1)", path.display()));
    if want != text {
        let first = want
            .lines()
            .zip(text.lines())
            .position(|(a, b)| a != b)
            .unwrap_or(want.lines().count().min(text.lines().count()));
        panic!(
            "{name} changed (first difference at line {}): review it and run with RJIT_BLESS=1 to accept\n--- snapshot\n{}\n+++ now\n{}",
            first + 1,
            want.lines().nth(first).unwrap_or("<end>"),
            text.lines().nth(first).unwrap_or("<end>")
        );
    }
}

#[test]
fn typed_ir() {
    run_fixtures();
    check("axpy.types.txt", &axpy::inspect_types());
    check("clipped_mean.types.txt", &clipped_mean::inspect_types());
    check("first_above.types.txt", &first_above::inspect_types());
}

#[test]
#[ignore = "run by `llvm_ir_at_o0` in a child process with RJIT_OPT=0"]
fn child_prints_llvm() {
    run_fixtures();
    for (name, ir) in [
        ("axpy", axpy::inspect_llvm()),
        ("clipped_mean", clipped_mean::inspect_llvm()),
        ("first_above", first_above::inspect_llvm()),
    ] {
        println!("BEGIN {name}\n{ir}END {name}");
    }
}

#[test]
fn llvm_ir_at_o0() {
    let out = Command::new(std::env::current_exe().expect("test binary"))
        .args([
            "--ignored",
            "--exact",
            crate::common::test_name(module_path!(), "child_prints_llvm").as_str(),
            "--nocapture",
            "--test-threads=1",
        ])
        .env("RJIT_OPT", "0")
        .env_remove("RJIT_CPU")
        .output()
        .expect("child runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{stdout}\n{}", String::from_utf8_lossy(&out.stderr));
    for name in ["axpy", "clipped_mean", "first_above"] {
        let begin = format!("BEGIN {name}\n");
        let start = stdout.find(&begin).expect("begin") + begin.len();
        let end = stdout.find(&format!("END {name}")).expect("end");
        check(&format!("{name}.o0.ll"), &stdout[start..end]);
    }
}
