// Cause: A signature marks more than one axis contiguous, or an axis in the middle.
// Fix: `[::1]` goes on the last axis (C order) or `[::1, :]` on the first (F order); `[:]` is any layout.
use rjit::prelude::*;

#[njit(sig = "f64(f64[::1, ::1])")]
fn f(a: ArrayView2<f64>) -> f64 {
    a[[0, 0]]
}

fn main() {}
