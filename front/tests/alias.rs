//! `alias::Roots`: which buffer each array local reaches, and which buffers are apart.

use rjit_front::alias::{Root, Roots};
use rjit_front::hir::Function;

fn roots(src: &str, exclusive: bool) -> (Function, Roots) {
    let f = rjit_front::parse(src, 1).expect("parses");
    let typed = rjit_front::check(&f, None, &rjit_front::NoCallees).expect("checks");
    let r = Roots::of(&f, &typed, exclusive);
    (f, r)
}

/// The root of the local named `name` (the first local so named).
fn of(f: &Function, r: &Roots, name: &str) -> Option<Root> {
    let i = f.locals.iter().position(|l| l.name == name).unwrap_or_else(|| panic!("no local {name}"));
    r.root(rjit_front::hir::LocalId(i as u32))
}

#[test]
fn views_and_copies_of_locals_keep_their_root() {
    let src = "fn k(a: ArrayView2<f64>, out: ArrayViewMut1<f64>) { let row = a[0]; let t = a.t(); let col = t[1]; let tail = out[1..]; let same = tail; same[0] = row[0] + col[0]; }";
    let (f, r) = roots(src, true);
    for name in ["a", "row", "t", "col"] {
        assert_eq!(of(&f, &r, name), Some(Root::Param(0)), "{name}");
    }
    for name in ["out", "tail", "same"] {
        assert_eq!(of(&f, &r, name), Some(Root::Param(1)), "{name}");
    }
}

#[test]
fn allocations_are_their_own_roots() {
    let src = "fn k(a: ArrayView1<f64>) -> f64 { let z = np.zeros(3); let c = a.copy(); let l = np.empty_like(a); let r = np.arange(4.0); z[0] + c[0] + l[0] + r[0] }";
    let (f, r) = roots(src, false);
    let [z, c, l, ar] = ["z", "c", "l", "r"].map(|n| of(&f, &r, n).unwrap_or_else(|| panic!("{n} has a root")));
    for x in [z, c, l, ar] {
        assert!(matches!(x, Root::Alloc(_)));
        // Apart from the parameter even when parameters may overlap each other.
        assert!(r.disjoint(x, Root::Param(0)) && r.disjoint(Root::Param(0), x));
    }
    assert!(r.disjoint(z, c) && r.disjoint(l, ar));
    assert!(!r.disjoint(z, z));
}

#[test]
fn disagreeing_or_opaque_assignments_have_no_root() {
    for (src, name) in [
        // Two buffers over the function's life (the loop runs the second assignment again).
        (
            "fn k(a: ArrayView1<f64>, b: ArrayView1<f64>) -> f64 { let mut x = a; for i in range(3) { x = b; } x[0] }",
            "x",
        ),
        ("fn k(a: ArrayView1<f64>) -> f64 { let mut x = np.zeros(3); x = a; x[0] }", "x"),
        // Ways of binding the analysis does not follow.
        ("fn k(a: ArrayView1<f64>, b: ArrayView1<f64>, c: bool) -> f64 { let x = if c { a } else { b }; x[0] }", "x"),
        ("fn k(a: ArrayView1<f64>, b: ArrayView1<f64>) -> f64 { let (x, y) = (a, b); x[0] + y[0] }", "x"),
        ("fn k(a: ArrayView2<f64>) -> f64 { let mut s = 0.0; for row in a { s += row[0]; } s }", "row"),
        ("fn k(a: ArrayView1<f64>) -> f64 { let x = a * 2.0; x[0] }", "x"),
    ] {
        let (f, r) = roots(src, true);
        assert_eq!(of(&f, &r, name), None, "{src}");
    }
}

#[test]
fn parameters_are_apart_only_when_exclusive_and_one_is_writable() {
    let src = "fn k(a: ArrayView1<f64>, b: ArrayView1<f64>, out: ArrayViewMut1<f64>) { out[0] = a[0] + b[0]; }";
    let (_, r) = roots(src, true);
    let [a, b, out] = [0, 1, 2].map(Root::Param);
    assert!(r.disjoint(a, out) && r.disjoint(out, b));
    // Two read-only views may overlap (harmless, but nothing to claim).
    assert!(!r.disjoint(a, b));
    // Between njit functions any two arguments may be the same array.
    let (_, r) = roots(src, false);
    assert!(!r.disjoint(a, out) && !r.disjoint(out, b) && !r.disjoint(a, b));
}
