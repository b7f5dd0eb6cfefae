use rjit::prelude::*;

#[njit]
fn f(c: bool) -> f64 {
    if c { 1.0 }
}

fn main() {}
