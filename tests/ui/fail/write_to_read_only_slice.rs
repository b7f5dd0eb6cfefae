use rjit::prelude::*;

#[njit]
fn f(a: &[f64]) {
    a[0] = 1.0;
}

fn main() {}
