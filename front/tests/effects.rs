//! `effects::may_fail`: a caller skips the status check only after functions that cannot fail.

fn fails(src: &str) -> bool {
    let f = rjit_front::parse(src, 1).expect("parses");
    let typed = rjit_front::check(&f, None, &rjit_front::NoCallees).expect("checks");
    rjit_front::effects::may_fail(&f, &typed)
}

#[test]
fn scalar_math_cannot_fail() {
    assert!(!fails("fn cnd(d: f64) -> f64 { let k = 1.0 / (1.0 + 0.23 * d.abs()); let r = np.exp(-0.5 * d * d) * k; if d > 0.0 { 1.0 - r } else { r } }"));
    assert!(!fails(
        "fn g(a: i64, b: i64) -> i64 { let mut s = 0; for i in range(a) { s += i * b; } while s > 100 { s -= 7; } s }"
    ));
    assert!(!fails("fn h(x: f32) -> u8 { (x * 2.5) as u8 }"));
}

#[test]
fn anything_that_can_fail_is_seen() {
    for src in [
        "fn f(a: &[f64]) -> f64 { a[0] }",
        "fn f(a: i64, b: i64) -> i64 { a / b }",
        "fn f(a: u32, b: u32) -> u32 { a % b }",
        "fn f(a: i64) -> i64 { if a > 0 { assert!(a < 10); } a }",
        "fn f(a: i64) -> i64 { let mut s = 0; for i in range(0, a, 2) { s += i; } s }",
        "fn f(n: usize) -> f64 { np.zeros(n).sum() }",
        "fn f(a: i64, b: i64) -> i64 { np.power(a, b) }",
        "fn f(a: &[f64]) -> f64 { a.sum() }",
        "fn f(a: i64) -> i64 { other(a) }",
    ] {
        let f = rjit_front::parse(src, 1).expect("parses");
        match rjit_front::check(&f, None, &rjit_front::NoCallees) {
            Ok(typed) => assert!(rjit_front::effects::may_fail(&f, &typed), "{src}"),
            // Calls to other functions are deferred at this stage; the runtime checks them.
            Err(_) => assert!(src.contains("other(")),
        }
    }
}
