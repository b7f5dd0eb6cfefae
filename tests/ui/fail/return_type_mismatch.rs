use rjit::prelude::*;

#[njit]
fn f(x: f64) -> u64 {
    x * 2.0
}

fn main() {}
