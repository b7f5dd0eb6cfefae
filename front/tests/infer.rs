//! Inference and checking as data: each case is a function's source and the expected types of its
//! variables, or the expected error messages. One `check` helper per boundary.

use rjit_front::{check, parse, NoCallees};

/// `name: type` for every variable, in declaration order.
fn locals(src: &str) -> String {
    let f = parse(src, 1).unwrap_or_else(|d| panic!("lowering failed: {}", d[0]));
    let typed = check(&f, None, &NoCallees).unwrap_or_else(|d| panic!("check failed: {}", d[0]));
    f.locals.iter().zip(&typed.locals).map(|(l, t)| format!("{}: {t}", l.name)).collect::<Vec<_>>().join(", ")
}

/// The messages of every diagnostic, lowering and checking.
fn errors(src: &str) -> Vec<String> {
    match parse(src, 1) {
        Err(d) => d.iter().map(|d| d.msg.clone()).collect(),
        Ok(f) => match check(&f, None, &NoCallees) {
            Ok(_) => Vec::new(),
            Err(d) => d.iter().map(|d| d.msg.clone()).collect(),
        },
    }
}

#[test]
fn literals_take_the_type_of_what_they_meet() {
    assert_eq!(
        locals("fn f(h: &[f32]) -> f32 { let mut s = 0.0; for i in range(h.len()) { s += h[i]; } s }"),
        "h: f32[:], s: f32, i: usize"
    );
    assert_eq!(locals("fn f() -> f64 { let mut s = 0; s += 0.5; s }"), "s: f64");
    assert_eq!(locals("fn f(x: u64) -> u64 { let mut s = 0; s += x; s }"), "x: u64, s: u64");
    assert_eq!(locals("fn f() { let a = 1; let b = 2.5; }"), "a: i64, b: f64");
    // A literal-only variable takes the type its value is expected to have.
    assert_eq!(locals("fn f(n: u64) -> u64 { let mut c = 0; for _ in range(n) { c += 1; } c }"), "n: u64, c: u64");
}

#[test]
fn mixed_operands_promote() {
    assert_eq!(locals("fn f(a: u64, b: i64) { let c = a + b; }"), "a: u64, b: i64, c: i64");
    assert_eq!(locals("fn f(a: i64, b: f32) { let c = a * b; }"), "a: i64, b: f32, c: f32");
    assert_eq!(locals("fn f(a: u8, b: i8) { let c = a - b; }"), "a: u8, b: i8, c: i16");
    assert_eq!(locals("fn f(a: f32, b: f64) { let c = a + b; }"), "a: f32, b: f64, c: f64");
}

#[test]
fn variables_join_their_assignments() {
    assert_eq!(locals("fn f(x: f32) { y = 0; y = x; }"), "x: f32, y: f32");
    assert_eq!(
        locals("fn f(m: ArrayViewMut2<f64>) { let r = m[0]; let (a, b) = m.shape(); }"),
        "m: mut f64[:, :], r: mut f64[:], a: usize, b: usize"
    );
    assert_eq!(locals("fn f() -> Array1<u8> { let z = np.zeros(3, dtype = np.uint8); z }"), "z: mut u8[::1]");
}

#[test]
fn mistakes_are_reported_once_each() {
    assert_eq!(errors("fn f(x: f64) -> u64 { x }"), ["mismatched types: the return type is `u64`, found `f64`"]);
    assert_eq!(errors("fn f(a: &[f64]) { a[0] = 1.0; }"), ["cannot assign through `a`: it is a read-only array"]);
    assert_eq!(errors("fn f(b: bool) -> f64 { b + 1.5 }"), ["cannot apply `+` to `bool` and `{float}`"]);
    assert_eq!(errors("fn f(x: f64) -> f64 { y + x }"), ["cannot find value `y` in this scope"]);
    assert_eq!(errors("fn f(x: u8) -> u8 { x + 256 }"), ["literal out of range for `u8`"]);
    assert_eq!(errors("fn f(a: &[f64]) -> f64 { a[1.5] }"), ["array indices must be integers, found `{float}`"]);
    assert_eq!(
        errors("fn f(x: f64) -> f64 { if x { 1.0 } else { 2.0 } }"),
        ["an `if` condition must be a `bool`, found `f64`"]
    );
    assert_eq!(
        errors("fn f(x: f64) -> f64 { let y = |z: f64| z; x }"),
        ["closures are not supported in njit functions"]
    );
    assert_eq!(errors("fn f(x: i64) -> i64 { break; x }"), ["`break` outside of a loop"]);
    // Two independent mistakes give two errors; a mistake does not cascade into its uses.
    assert_eq!(errors("fn f(x: f64) -> f64 { let a = nope; let b = a + 1.0; b + also_nope }").len(), 2);
}

#[test]
fn calls_to_unseen_njit_functions_are_deferred() {
    // The macro cannot see callees: their results take any type until the first call checks them.
    assert_eq!(errors("fn f(a: &mut [u64], h: &[f32]) { a[0] = g(h, 3); let x = g(h) + 1.0; }"), Vec::<String>::new());
}
