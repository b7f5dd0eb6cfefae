use rjit::prelude::*;

#[njit]
fn f(b: bool) -> f64 {
    b + 1.5
}

fn main() {}
