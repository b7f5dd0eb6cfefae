// Cause: A wider value is stored into an array of a narrower element type.
// Fix: Convert it: `a[0] = x as f32`.
use rjit::prelude::*;

#[njit]
fn f(a: &mut [f32], x: f64) {
    a[0] = x;
}

fn main() {}
