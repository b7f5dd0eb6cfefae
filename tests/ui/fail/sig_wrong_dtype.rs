use rjit::prelude::*;

#[njit(sig = ["f64(f64[:])", "f64(f32[:])"])]
fn f(a: &[f64]) -> f64 {
    a.sum()
}

fn main() {}
