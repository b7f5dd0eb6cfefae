use rjit::prelude::*;

#[njit(sig = "f64(f64[:])")]
fn f(a: &[f64], k: f64) -> f64 {
    a.sum() * k
}

fn main() {}
