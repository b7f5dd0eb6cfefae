// Cause: `j >= 0` on an unsigned `j` is always true: Python code counting down with a size never stops.
// Fix: Compare a signed value (`int(j) >= 0`), or count down with `range(n - 1, -1, -1)`.
use rjit::prelude::*;

#[njit]
fn f(a: &[f64]) -> f64 {
    let mut s = 0.0;
    let mut j = a.shape[0] - 1;
    while j >= 0 {
        s += a[j];
        j -= 1;
    }
    s
}

fn main() {}
