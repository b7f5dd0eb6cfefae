//! Arrays a kernel allocates are freed as soon as nothing refers to them: a loop that allocates a
//! temporary in each of 10^6 iterations runs in flat memory. Each scenario runs in a child process
//! (this binary's ignored `child` test) that reports its own peak memory (`VmHWM`).

use rjit::ndarray::ArrayView1;
use rjit::prelude::*;
use std::process::Command;

/// 10^6 iterations × 8 KB: 8 GB if any temporary were kept until the call ends.
#[njit]
fn temporaries(n: i64, m: usize) -> f64 {
    let mut s = 0.0;
    for i in range(n) {
        let t = np.ones(m);
        s += t.sum();
        np.zeros(m);
        s += np.full(m, 2.0).sum();
    }
    s
}

#[njit]
fn make(m: usize, x: f64) -> Array1<f64> {
    np.full(m, x)
}

/// Arrays returned by callees, reassigned, viewed, iterated and put in tuples, in a loop.
#[njit]
fn churn(n: i64, m: usize) -> f64 {
    let mut a = np.zeros(m);
    let mut s = 0.0;
    for i in range(n) {
        a = make(m, 1.0);
        let v = a[1..];
        let pair = (make(m, 0.5), v);
        s += pair.0.sum() + pair.1.sum();
        for x in make(3, 1.0) {
            s += x;
        }
        s += a.t().sum();
    }
    s
}

/// Every operator and `np.` function on arrays allocates its result: 4 temporaries per iteration.
#[njit]
fn expressions(n: i64, a: ArrayView1<f64>) -> f64 {
    let mut s = 0.0;
    for i in range(n) {
        let b = a * 2.0 + a;
        s += (np.sqrt(np.abs(b)) - 1.0).sum();
    }
    s
}

/// A view keeps its array alive after the variable that held it is reassigned.
#[njit]
fn view_outlives_its_variable() -> Array1<f64> {
    let mut a = np.arange(10.0);
    let v = a[2..5];
    a = np.zeros(3);
    a[0] = 1.0;
    v
}

/// One specialization per element-type pair and layout: 12 × 12 × 2 = 288.
#[njit]
fn mix<T: Num, U: Num>(a: &[T], b: ArrayView1<U>) -> f64 {
    a.sum() as f64 + b.sum() as f64
}

/// Calls `mix` once with every pair of element types, `b` contiguous and strided; returns the sum.
fn all_specializations() -> f64 {
    let mut total = 0.0;
    macro_rules! with_b {
        ($a:ty; $($b:ty),*) => {$(
            let a: Vec<$a> = vec![1 as $a, 2 as $a];
            let b: Vec<$b> = vec![1 as $b, 2 as $b, 3 as $b, 4 as $b];
            let v = ArrayView1::from(&b[..]);
            total += mix(&a, v);
            total += mix(&a, v.slice(rjit::ndarray::s![..;2]));
        )*};
    }
    macro_rules! with_a {
        ($($a:ty),*) => {$( with_b!($a; i8, i16, i32, i64, isize, u8, u16, u32, u64, usize, f32, f64); )*};
    }
    with_a!(i8, i16, i32, i64, isize, u8, u16, u32, u64, usize, f32, f64);
    total
}

fn peak_kb() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0)
}

#[test]
#[ignore = "run by the other tests of this file in a child process"]
fn child() {
    let which = std::env::var("RJIT_MEMORY_CASE").unwrap_or_default();
    if which == "specializations" {
        // 288 specializations, then 10^6 more calls of them: memory grows with the first (machine
        // code and kept IR, per specialization) and not at all with the second.
        let start = peak_kb();
        assert_eq!(all_specializations(), 144.0 * (3.0 + 10.0 + 3.0 + 4.0));
        assert_eq!(mix::stats().specializations, 288);
        let compiled = peak_kb();
        let mut s = 0.0;
        for _ in 0..1_000_000 / 288 {
            s += all_specializations();
        }
        println!(
            "SPECIALIZATION_KB {} PEAK_GROWTH_KB {} RESULT {s}",
            compiled.saturating_sub(start),
            peak_kb().saturating_sub(compiled)
        );
        return;
    }
    // Compile first, so the peak below measures the running kernel only.
    let ones = rjit::ndarray::Array1::from_elem(1000, 1.0 / 3.0);
    match which.as_str() {
        "temporaries" => assert_eq!(temporaries(1, 1000), 3000.0),
        "expressions" => assert_eq!(expressions(1, ones.view()), 0.0),
        _ => assert_eq!(churn(1, 1000), 1000.0 * 0.5 + 999.0 + 3.0 + 1000.0),
    }
    let before = peak_kb();
    let n = 1_000_000;
    let got = match which.as_str() {
        "temporaries" => temporaries(n, 1000),
        "expressions" => expressions(n / 10, ones.view()),
        _ => churn(n / 10, 1000),
    };
    let after = peak_kb();
    println!("PEAK_GROWTH_KB {} RESULT {got}", after.saturating_sub(before));
}

fn growth(case: &str) -> (u64, f64) {
    let out = Command::new(std::env::current_exe().expect("test binary"))
        .args([
            "--ignored",
            "--exact",
            crate::common::test_name(module_path!(), "child").as_str(),
            "--nocapture",
            "--test-threads=1",
        ])
        .env("RJIT_MEMORY_CASE", case)
        .output()
        .expect("child runs");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{text}{}", String::from_utf8_lossy(&out.stderr));
    let line = text.lines().find_map(|l| l.find("PEAK_GROWTH_KB").map(|i| &l[i..])).expect("a report");
    let mut words = line.split_whitespace();
    let kb = words.nth(1).and_then(|v| v.parse().ok()).expect("kB");
    let result = words.nth(1).and_then(|v| v.parse().ok()).expect("result");
    (kb, result)
}

#[test]
fn a_temporary_per_iteration_keeps_memory_flat() {
    let (kb, result) = growth("temporaries");
    assert_eq!(result, 3000.0 * 1e6);
    assert!(kb < 64 * 1024, "peak memory grew by {kb} kB over 10^6 iterations");
}

#[test]
fn returned_reassigned_viewed_and_tupled_arrays_are_freed() {
    let (kb, result) = growth("churn");
    assert_eq!(result, (1000.0 * 0.5 + 999.0 + 3.0 + 1000.0) * 1e5);
    assert!(kb < 64 * 1024, "peak memory grew by {kb} kB over 10^5 iterations");
}

#[test]
fn array_expression_temporaries_are_freed() {
    let (kb, result) = growth("expressions");
    assert_eq!(result, 0.0);
    assert!(kb < 64 * 1024, "peak memory grew by {kb} kB over 10^5 iterations");
}

#[test]
fn views_keep_their_arrays_alive() {
    assert_eq!(view_outlives_its_variable(), rjit::ndarray::arr1(&[2.0, 3.0, 4.0]));
}

#[test]
fn hundreds_of_specializations_and_a_million_calls_keep_memory_bounded() {
    let out = Command::new(std::env::current_exe().expect("test binary"))
        .args([
            "--ignored",
            "--exact",
            crate::common::test_name(module_path!(), "child").as_str(),
            "--nocapture",
            "--test-threads=1",
        ])
        .env("RJIT_MEMORY_CASE", "specializations")
        .output()
        .expect("child runs");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{text}{}", String::from_utf8_lossy(&out.stderr));
    let line = text.lines().find_map(|l| l.find("SPECIALIZATION_KB").map(|i| &l[i..])).expect("a report");
    let words: Vec<&str> = line.split_whitespace().collect();
    let (per_spec, calls): (u64, u64) = (words[1].parse::<u64>().expect("kB") / 288, words[3].parse().expect("kB"));
    assert!(per_spec < 512, "each specialization costs {per_spec} kB");
    assert!(calls < 4 * 1024, "10^6 calls grew peak memory by {calls} kB");
    let result: f64 = words[5].parse().expect("result");
    assert_eq!(result, (1_000_000 / 288) as f64 * 144.0 * 20.0);
}
