// Cause: A write to shared state hides in a block inside an expression (an `if` in a `let`, a `{ }` value): iterations running at once race on it all the same.
// Fix: Accumulate with a reduction statement (`s += …`), or write `out[i] = …` indexed by the loop variable.
use rjit::prelude::*;

#[njit(parallel)]
fn f(a: &[f64], out: &mut [f64]) -> i64 {
    let mut seen = 0;
    for i in prange(a.len()) {
        let t = if a[i] > 0.5 {
            seen = 1;
            1.0
        } else {
            0.0
        };
        out[i] = t;
    }
    seen
}

#[njit(parallel)]
fn g(a: &[f64], out: &mut [f64]) {
    for i in prange(a.len()) {
        let t = if a[i] > 0.5 {
            out[0] = 1.0;
            1.0
        } else {
            0.0
        };
        out[i] = t;
    }
}

fn main() {}
