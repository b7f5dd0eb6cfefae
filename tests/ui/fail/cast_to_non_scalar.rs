// Cause: `as` casts to something other than a scalar type.
// Fix: Cast to a scalar (`x as f32`); arrays are not cast.
use rjit::prelude::*;

#[njit]
fn f(x: f64) -> f64 {
    let y = x as Vec<f64>;
    x
}

fn main() {}
