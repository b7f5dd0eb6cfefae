// Cause: `first_row` returns a row of its read-only argument; the caller then writes through that row, which would write into memory it may only read.
// Fix: Return a copy from the callee (`m[0].copy()`), or give it a writable parameter and pass it a writable array.
use rjit::prelude::*;

#[njit]
fn first_row(m: ArrayView2<f64>) -> Array1<f64> {
    m[0]
}

#[njit]
fn bump(m: ArrayView2<f64>) -> f64 {
    let r = first_row(m);
    r[0] = 5.0;
    r.sum()
}

fn main() {}
