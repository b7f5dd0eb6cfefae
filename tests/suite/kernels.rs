//! Differential tests: each kernel is compiled by rjit and compared with plain Rust doing the same
//! work on the same (random) data, in the layouts a caller can hand over.

use rand::{rngs::StdRng, Rng, SeedableRng};
use rjit::ndarray::{s, Array1, Array2, ArrayView1, ArrayView2, ArrayViewMut1, ArrayViewMut2, ShapeBuilder};
use rjit::prelude::*;

mod arrays;

fn rng() -> StdRng {
    StdRng::seed_from_u64(0x5eed)
}

fn random_vec(n: usize) -> Vec<f64> {
    let mut r = rng();
    (0..n).map(|_| r.gen_range(-10.0..10.0)).collect()
}

// ---- scalars: Rust semantics on same-typed operands, promotion on mixed ones ----

#[njit]
fn wrap_u8(a: u8, b: u8) -> u8 {
    a + b * 3
}

#[njit]
fn int_div_rem(a: i64, b: i64) -> (i64, i64) {
    (a / b, a % b)
}

#[njit]
fn float_rem(a: f64, b: f64) -> f64 {
    a % b
}

#[njit]
fn shifts(x: u32, n: u32) -> (u32, u32) {
    (x << n, x >> n)
}

#[njit]
fn signed_shift(x: i16, n: u8) -> i16 {
    x >> n
}

#[njit]
fn mixed(a: i32, b: f64, c: u64, d: i64, e: u8, f: i8) -> (f64, i64, i16) {
    (a + b, c + d, e + f)
}

#[njit]
fn int_with_f32(a: i64, b: f32) -> f32 {
    a * b
}

#[njit]
fn casts(x: f64) -> (u8, i32, i64, f32, u64) {
    (x as u8, x as i32, x as i64, x as f32, x as u64)
}

#[njit]
fn bool_casts(a: bool, b: bool) -> (i64, f64, bool, bool) {
    (a as i64 + b as i64, (a & b) as f64, a | b, a ^ b)
}

#[njit]
fn literal_inference(n: i64) -> f64 {
    let mut s = 0;
    for i in range(n) {
        s += 0.5 * i;
    }
    s
}

#[njit]
fn literal_takes_unsigned(x: u64) -> u64 {
    let mut s = 0;
    s += x;
    s * 2 + 1
}

#[njit]
fn neg_and_not(a: i32, b: bool, c: u16) -> (i32, bool, u16) {
    (-a, !b, !c)
}

#[test]
fn integer_arithmetic_wraps_like_rust_release() {
    for (a, b) in [(200u8, 30u8), (255, 255), (0, 0), (17, 85)] {
        assert_eq!(wrap_u8(a, b), a.wrapping_add(b.wrapping_mul(3)));
    }
    for (a, b) in [(-7i64, 2i64), (7, -2), (-7, -2), (i64::MAX, 3), (0, 5)] {
        assert_eq!(int_div_rem(a, b), (a / b, a % b));
    }
    assert_eq!(float_rem(-7.5, 2.0), -1.5);
    assert_eq!(float_rem(7.5, -2.0), 7.5f64 % -2.0);
    for (x, n) in [(1u32, 3u32), (0xdead_beef, 33), (5, 31), (5, 64)] {
        assert_eq!(shifts(x, n), (x.wrapping_shl(n), x.wrapping_shr(n)));
    }
    assert_eq!(signed_shift(-256, 4), -16);
    assert_eq!(signed_shift(-256, 17), (-256i16).wrapping_shr(17));
    assert_eq!(neg_and_not(5, true, 0x00ff), (-5, false, 0xff00));
    assert_eq!(neg_and_not(i32::MIN, false, 0), (i32::MIN, true, u16::MAX));
}

#[test]
fn mixed_operands_promote() {
    assert_eq!(mixed(3, 0.25, 10, -4, 200, -100), (3.25, 6, 100));
    assert_eq!(mixed(-1, 1e300, u64::MAX, 1, 255, 127), (1e300, 0, 382));
    assert_eq!(int_with_f32(3, 0.5), 1.5f32);
    assert_eq!(literal_inference(10), (0..10).map(|i| 0.5 * i as f64).sum::<f64>());
    assert_eq!(literal_takes_unsigned(u64::MAX / 2), (u64::MAX / 2).wrapping_mul(2).wrapping_add(1));
}

#[test]
fn casts_follow_rust() {
    for x in [0.0, 1.9, -1.9, 300.7, -300.7, 1e20, -1e20, f64::NAN, f64::INFINITY, 2.5e9] {
        let (a, b, c, d, e) = casts(x);
        assert_eq!((a, b, c, e), (x as u8, x as i32, x as i64, x as u64), "x = {x}");
        assert_eq!(d.to_bits(), (x as f32).to_bits(), "x = {x}");
    }
    for (a, b) in [(true, true), (true, false), (false, false)] {
        assert_eq!(bool_casts(a, b), (a as i64 + b as i64, (a & b) as i64 as f64, a | b, a ^ b));
    }
}

// ---- control flow ----

#[njit]
fn collatz_steps(n: u64) -> u64 {
    let mut x = n;
    let mut steps = 0;
    while x != 1 {
        if x % 2 == 0 {
            x = x / 2;
        } else {
            x = 3 * x + 1;
        }
        steps += 1;
    }
    steps
}

#[njit]
fn loop_break_continue(n: i64) -> i64 {
    let mut i = 0;
    let mut total = 0;
    loop {
        i += 1;
        if i > n {
            break;
        }
        if i % 3 == 0 {
            continue;
        }
        total += i;
    }
    total
}

#[njit]
fn stepped_ranges(a: i64, b: i64, step: i64) -> i64 {
    let mut acc = 0;
    for i in range(a, b, step) {
        acc = acc * 31 + i;
    }
    acc
}

#[njit]
fn unsigned_step(a: u8, b: u8, step: u8) -> u64 {
    let mut n = 0;
    for _ in range(a, b, step) {
        n += 1;
    }
    n
}

#[njit]
fn rust_range(n: usize) -> usize {
    let mut t = 0;
    for i in 0..n {
        t += i * i;
    }
    t
}

#[njit]
fn if_expression(x: f64) -> f64 {
    let y = if x < 0.0 {
        -x
    } else if x < 1.0 {
        x * x
    } else {
        x.sqrt()
    };
    y + 1.0
}

#[njit]
fn first_index_over(a: &[f64], limit: f64) -> i64 {
    for i in range(a.len()) {
        if a[i] > limit {
            return i as i64;
        }
    }
    -1
}

#[njit]
fn nested_loops(n: i64) -> i64 {
    let mut c = 0;
    for i in range(n) {
        for j in range(i) {
            if (i + j) % 5 == 0 {
                c += 1;
            }
        }
    }
    c
}

#[test]
fn control_flow_matches_rust() {
    let collatz = |mut x: u64| {
        let mut s = 0;
        while x != 1 {
            x = if x.is_multiple_of(2) { x / 2 } else { 3 * x + 1 };
            s += 1;
        }
        s
    };
    for n in [1u64, 7, 27, 97, 871] {
        assert_eq!(collatz_steps(n), collatz(n));
    }
    assert_eq!(loop_break_continue(20), (1..=20).filter(|i| i % 3 != 0).sum::<i64>());
    let stepped = |a: i64, b: i64, step: i64| {
        let mut acc: i64 = 0;
        let mut i = a;
        while (step > 0 && i < b) || (step < 0 && i > b) {
            acc = acc.wrapping_mul(31).wrapping_add(i);
            i += step;
        }
        acc
    };
    for (a, b, s) in [(0, 10, 1), (0, 10, 3), (10, 0, -1), (10, -7, -4), (5, 5, 1), (5, 0, 1), (0, 5, -1)] {
        assert_eq!(stepped_ranges(a, b, s), stepped(a, b, s), "range({a}, {b}, {s})");
    }
    // The counter must stop, not wrap, near the type's maximum.
    assert_eq!(unsigned_step(250, 255, 2), 3);
    assert_eq!(unsigned_step(0, 255, 200), 2);
    let (i0, i1) = (i64::MAX - 5, i64::MAX - 1);
    assert_eq!(stepped_ranges(i0, i64::MAX, 4), i0.wrapping_mul(31).wrapping_add(i1));
    assert_eq!(rust_range(100), (0..100usize).map(|i| i * i).sum::<usize>());
    for x in [-2.0, 0.5, 9.0] {
        let want = if x < 0.0 {
            -x
        } else if x < 1.0 {
            x * x
        } else {
            f64::sqrt(x)
        } + 1.0;
        assert_eq!(if_expression(x), want);
    }
    let data = random_vec(100);
    for limit in [-11.0, 0.0, 9.5, 20.0] {
        let want = data.iter().position(|x| *x > limit).map_or(-1, |i| i as i64);
        assert_eq!(first_index_over(&data, limit), want);
    }
    let want: i64 = (0..40i64).map(|i| (0..i).filter(|j| (i + j) % 5 == 0).count() as i64).sum();
    assert_eq!(nested_loops(40), want);
}

// ---- math ----

#[njit]
fn math(x: f64) -> (f64, f64, f64, f64, f64, f64) {
    (np.sqrt(x), np.exp(-x), np.log(x), x.abs(), np.floor(x), (x * 2.0).ln())
}

#[njit]
fn math32(x: f32, y: f32) -> (f32, f32, f32, f32, f32, f32) {
    (x.sqrt(), x.min(y), x.max(y), x.powi(3), x.powf(y), np.sin(x) + np.cos(y))
}

#[njit]
fn rounding(x: f64) -> (f64, f64, f64, f64) {
    (np.round(x), x.round(), np.ceil(x), np.trunc(x))
}

#[njit]
fn int_math(a: i64, b: i64) -> (i64, i64, i64, f64) {
    (np.abs(a), a.min(b), np.maximum(a, b), np.sqrt(a))
}

#[test]
fn math_functions_match_rust() {
    for x in [0.5f64, 1.0, 2.25, 10.0] {
        let want = (x.sqrt(), (-x).exp(), x.ln(), x.abs(), x.floor(), (x * 2.0).ln());
        assert_eq!(math(x), want);
    }
    for (x, y) in [(1.5f32, 2.0f32), (3.0, 0.5), (0.25, 4.0)] {
        let (a, b, c, d, e, f) = math32(x, y);
        assert_eq!((a, b, c), (x.sqrt(), x.min(y), x.max(y)));
        assert!((d - x.powi(3)).abs() <= 1e-6 * d.abs());
        assert!((e - x.powf(y)).abs() <= 1e-6 * e.abs());
        assert!((f - (x.sin() + y.cos())).abs() <= 1e-6);
    }
    // NumPy rounds halves to even; Rust's `round` away from zero.
    for x in [0.5f64, 1.5, 2.5, -0.5, -2.5, 2.4] {
        assert_eq!(rounding(x), (x.round_ties_even(), x.round(), x.ceil(), x.trunc()));
    }
    let (a, b, c, d) = int_math(-9, 4);
    assert_eq!((a, b, c), (9, -9, 4));
    assert!(d.is_nan());
    assert_eq!(int_math(16, 4).3, 4.0);
}

// ---- calls between njit functions ----

#[njit]
fn square(x: f64) -> f64 {
    x * x
}

#[njit]
fn sum_of_squares(a: &[f64]) -> f64 {
    let mut s = 0.0;
    for i in range(a.len()) {
        s += square(a[i]);
    }
    s
}

mod helpers {
    use rjit::prelude::*;

    #[njit]
    pub fn fib(n: i64) -> i64 {
        if n < 2 {
            return n;
        }
        fib(n - 1) + fib(n - 2)
    }

    #[njit]
    pub fn clamp_all(a: &mut [f64], lo: f64, hi: f64) -> i64 {
        let mut changed = 0;
        for i in range(a.len()) {
            let v = a[i].max(lo).min(hi);
            if v != a[i] {
                changed += 1;
            }
            a[i] = v;
        }
        changed
    }
}

#[njit]
fn uses_paths(n: i64, a: &mut [f64]) -> i64 {
    helpers::fib(n) + helpers::clamp_all(a, -1.0, 1.0)
}

#[test]
fn njit_functions_call_each_other() {
    let v = random_vec(50);
    assert_eq!(sum_of_squares(&v), v.iter().fold(0.0, |s, x| s + x * x));
    fn fib(n: i64) -> i64 {
        if n < 2 {
            n
        } else {
            fib(n - 1) + fib(n - 2)
        }
    }
    assert_eq!(helpers::fib(20), fib(20));
    let mut a = random_vec(40);
    let want_changed = a.iter().filter(|x| x.abs() > 1.0).count() as i64;
    let mut want = a.clone();
    want.iter_mut().for_each(|x| *x = x.clamp(-1.0, 1.0));
    assert_eq!(uses_paths(15, &mut a), fib(15) + want_changed);
    assert_eq!(a, want);
}

// ---- dispatch ----

#[njit]
fn poly(a: &[f64], x: f64) -> f64 {
    let mut acc = 0.0;
    for i in range(a.len()) {
        acc = acc * x + a[i];
    }
    acc
}

#[test]
fn concurrent_first_calls_compile_once() {
    let coeffs = random_vec(16);
    let want = coeffs.iter().fold(0.0, |acc, c| acc * 0.5 + c);
    std::thread::scope(|s| {
        for _ in 0..16 {
            s.spawn(|| {
                for _ in 0..100 {
                    assert_eq!(poly(&coeffs, 0.5), want);
                }
            });
        }
    });
    assert_eq!(poly::stats().specializations, 1);
}

// ---- every scalar type of DSL.md §2 ----

#[njit]
fn complex_ops(a: Complex64, b: Complex64, k: f64) -> (Complex64, Complex64, f64, bool) {
    let c = a * b + a / b - k;
    (c, -a, np.abs(b), a == b)
}

#[njit]
fn complex32_ops(a: Complex32, b: f32) -> Complex32 {
    a * b + a
}

#[njit]
fn small_ints(a: i8, b: i16, c: u16, d: isize, e: usize, f: u32) -> (i16, i32, i64, u64) {
    (a + b, b + c, d + e, e as u64 + f)
}

#[test]
fn complex_and_small_integer_scalars() {
    use rjit::num_complex::{Complex32, Complex64};
    let (a, b) = (Complex64::new(1.5, -2.0), Complex64::new(0.25, 3.0));
    let (c, n, m, eq) = complex_ops(a, b, 2.0);
    let want = a * b + a / b - 2.0;
    assert!((c - want).norm() < 1e-12, "{c} vs {want}");
    assert_eq!((n, eq), (-a, false));
    assert!((m - b.norm()).abs() < 1e-12);
    let z = Complex32::new(1.0, 2.0);
    assert_eq!(complex32_ops(z, 2.0), z * 2.0 + z);
    assert_eq!(small_ints(-100, 30_000, 60_000, -5, 7, 9), (29_900, 90_000, 2, 16));
}

// ---- options, libm, print ----

/// Without index checks: allowed only on an `unsafe fn`, whose callers promise valid indices.
#[njit(boundscheck = false)]
unsafe fn unchecked_sum(a: &[f64], n: usize) -> f64 {
    let mut s = 0.0;
    for i in range(n) {
        s += a[i];
    }
    s + a[-1]
}

#[njit(inline)]
fn twice(x: f64) -> f64 {
    2.0 * x
}

#[njit]
fn uses_inline(a: &[f64]) -> f64 {
    let mut s = 0.0;
    for i in range(a.len()) {
        s += twice(a[i]);
    }
    s
}

#[njit]
fn libm_functions(x: f64, y: f32) -> (f64, f64, f64, f32, f32) {
    (np.tan(x), np.arcsin(x), np.sinh(x), np.arctan2(y, 2.0), np.tanh(y))
}

#[njit]
fn prints(n: i64, x: f64, flag: bool) {
    print(n, x, flag, n as f32 * 0.5, 7u8);
}

#[test]
fn options_and_library_calls() {
    let a = random_vec(64);
    let want = a.iter().fold(0.0, |s, x| s + x) + a[63];
    assert_eq!(unsafe { unchecked_sum(&a, 64) }, want);
    assert_eq!(uses_inline(&a), a.iter().fold(0.0, |s, x| s + 2.0 * x));
    let (t, s, h, at, th) = libm_functions(0.5, 1.5);
    assert_eq!((t, s, h), (0.5f64.tan(), 0.5f64.asin(), 0.5f64.sinh()));
    assert_eq!((at, th), (1.5f32.atan2(2.0), 1.5f32.tanh()));
    prints(3, 0.25, true);
}

/// Python's shape of a branch that returns from both arms: the `if` has no value (every arm
/// leaves), at the end of a body and inside a loop.
#[njit]
fn returns_from_both_arms(k: i64) -> f64 {
    let mut s = 0.0;
    for i in range(k) {
        if i > 3 {
            if i % 2 == 0 {
                return s;
            } else {
                return -s;
            }
        }
        s += 1.5;
    }
    if k < 0 {
        return 0.5;
    } else if k == 0 {
        return 1.5;
    } else {
        return s;
    }
}

#[test]
fn an_if_that_returns_from_every_arm() {
    fn plain(k: i64) -> f64 {
        let mut s = 0.0;
        for i in 0..k.max(0) {
            if i > 3 {
                return if i % 2 == 0 { s } else { -s };
            }
            s += 1.5;
        }
        if k < 0 {
            0.5
        } else if k == 0 {
            1.5
        } else {
            s
        }
    }
    for k in [-3, -1, 0, 1, 2, 3, 4, 5, 6, 9] {
        assert_eq!(returns_from_both_arms(k), plain(k), "k = {k}");
    }
}

#[njit]
fn prints_text(s: f64, n: i64) {
    print("sum", s, "and", n, n > 2);
    print(s, "ends with text");
    print("only text");
}

#[test]
#[ignore = "run by print_writes_strings_and_values in a child process"]
fn child_prints() {
    prints_text(2.5, 3);
    prints_text::interpret(-0.5, 1).expect("interpreted");
}

/// `print` takes string literals anywhere among its arguments, separated by spaces as in Python.
#[test]
fn print_writes_strings_and_values() {
    let out = std::process::Command::new(std::env::current_exe().expect("test binary"))
        .args([
            "--ignored",
            "--exact",
            crate::common::test_name(module_path!(), "child_prints").as_str(),
            "--nocapture",
            "--test-threads=1",
        ])
        .output()
        .expect("child runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{stdout}");
    let want =
        "sum 2.5 and 3 True\n2.5 ends with text\nonly text\nsum -0.5 and 1 False\n-0.5 ends with text\nonly text\n";
    assert!(stdout.contains(want), "{stdout}");
}
