// Cause: A compound assignment would store a wider type into a narrower variable.
// Fix: Convert the right side: `t += x as f32`.
use rjit::prelude::*;

#[njit]
fn f(s: f32, x: f64) -> f32 {
    let mut t: f32 = s;
    t += x;
    t
}

fn main() {}
