// Cause: A method the DSL does not have.
// Fix: See DSL.md §4 for array and scalar methods.
use rjit::prelude::*;

#[njit]
fn f(a: &[f64]) -> f64 {
    a.median()
}

fn main() {}
