//! `checks::hoistable`: which index checks of an innermost loop move before it, and in what form.

use rjit_front::hir::{Block, Stmt};
use rjit_front::loop_facts::{hoistable, Form};

/// The forms found in the first `for … in range` loop of `src` (its body's statements only).
fn forms(src: &str) -> Vec<&'static str> {
    let f = rjit_front::parse(src, 1).expect("parses");
    let typed = rjit_front::check(&f, None, &rjit_front::NoCallees).expect("checks");
    fn first_for(b: &Block) -> Option<&Stmt> {
        b.stmts.iter().find(|s| matches!(s, Stmt::For { .. }))
    }
    let Some(Stmt::For { var: Some(v), range, body, .. }) = first_for(&f.body) else { panic!("a loop in {src}") };
    hoistable(&f, &typed, *v, range, body)
        .iter()
        .map(|s| match s.form {
            Form::Shifted { offset: None, .. } => "var",
            Form::Shifted { minus: false, .. } => "plus",
            Form::Shifted { minus: true, .. } => "minus",
            Form::AtMost { .. } => "at most",
        })
        .collect()
}

#[test]
fn unsigned_clamps_are_bounded_by_their_clamp() {
    let hist = "fn h(x: &[f64], hist: &mut [i64], bins: usize) { for i in range(x.len()) { let b = (x[i] * 2.0) as usize; hist[b.min(bins - 1)] += 1; } }";
    assert_eq!(forms(hist), ["var", "at most"]);
    let flipped = "fn h(x: &[f64], hist: &mut [i64], bins: usize) { for i in range(x.len()) { let b = x[i] as usize; hist[(2 * bins - 1).min(b)] += 1; } }";
    assert_eq!(forms(flipped), ["var", "at most"]);
}

#[test]
fn clamps_that_prove_nothing_stay_checked() {
    for src in [
        // Signed: the clamp bounds it from above only; a negative index counts from the end.
        "fn h(x: &[f64], hist: &mut [i64], bins: i64) { for i in range(x.len()) { let b = x[i] as i64; hist[b.min(bins - 1)] += 1; } }",
        // The bound changes in the loop.
        "fn h(x: &[f64], hist: &mut [i64], bins: usize) { let mut k = bins; for i in range(x.len()) { k -= 1; hist[(x[i] as usize).min(k)] += 1; } }",
        // A bound that could fail before the loop (a division) is not computed there.
        "fn h(x: &[f64], hist: &mut [i64], bins: usize, d: usize) { for i in range(x.len()) { hist[(x[i] as usize).min(bins / d)] += 1; } }",
        // `max` bounds from below only.
        "fn h(x: &[f64], hist: &mut [i64], bins: usize) { for i in range(x.len()) { hist[(x[i] as usize).max(bins - 1)] += 1; } }",
    ] {
        assert_eq!(forms(src), ["var"], "{src}");
    }
}

#[test]
fn shifted_indices() {
    let src = "fn s(a: &[f64], out: &mut [f64], lo: usize, hi: usize) { for j in range(lo, hi) { out[j] = a[j - 1] + a[j + 1] + a[2 + j]; } }";
    assert_eq!(forms(src), ["var", "minus", "plus", "plus"]);
}

/// Whether the first `for … in range` loop of `src` (or the innermost loop nested in it)
/// adds into computed positions.
fn scatter(src: &str) -> bool {
    let f = rjit_front::parse(src, 1).expect("parses");
    let mut b = &f.body;
    loop {
        let Some(Stmt::For { var: Some(v), body, .. }) = b.stmts.iter().find(|s| matches!(s, Stmt::For { .. })) else {
            panic!("a loop in {src}")
        };
        if body.stmts.iter().any(|s| matches!(s, Stmt::For { .. })) {
            b = body;
            continue;
        }
        return rjit_front::loop_facts::scatters(&f, *v, body);
    }
}

#[test]
fn loops_adding_into_computed_positions_scatter() {
    for src in [
        "fn h(x: &[f64], hist: &mut [i64], bins: usize) { for i in range(x.len()) { let b = (x[i] * 2.0) as usize; hist[b.min(bins - 1)] += 1; } }",
        "fn h(k: &[usize], w: &[f64], out: &mut [f64]) { for i in range(k.len()) { out[k[i]] += w[i]; } }",
        "fn h(k: &[usize], out: &mut [f64]) { for i in range(k.len()) { if k[i] > 2 { out[k[i] - 2] += 1.0; } } }",
    ] {
        assert!(scatter(src), "{src}");
    }
    for src in [
        // Positions the loop does not compute: these vectorize.
        "fn m(a: &[f64], out: &mut [f64]) { for j in range(a.len()) { out[j] += a[j]; } }",
        "fn m(a: ArrayView2<f64>, b: ArrayView2<f64>, out: ArrayViewMut2<f64>) { for i in range(4) { for k in range(4) { let aik = a[[i, k]]; for j in range(4) { out[[i, j]] += aik * b[[k, j]]; } } } }",
        // A plain store, not an update.
        "fn h(k: &[usize], out: &mut [f64]) { for i in range(k.len()) { out[k[i]] = 1.0; } }",
    ] {
        assert!(!scatter(src), "{src}");
    }
}
