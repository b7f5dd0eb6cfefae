use rjit::prelude::*;

#[njit(boundscheck = false)]
fn f(a: &[f64], i: usize) -> f64 {
    a[i]
}

fn main() {}
