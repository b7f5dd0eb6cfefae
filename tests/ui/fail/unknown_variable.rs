// Cause: A name that is neither a parameter nor a variable assigned earlier.
// Fix: Assign it first (`let y = …;` or `y = …;`), or fix the spelling.
use rjit::prelude::*;

#[njit]
fn f(x: f64) -> f64 {
    x + y
}

fn main() {}
