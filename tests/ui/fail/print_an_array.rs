use rjit::prelude::*;

#[njit]
fn f(a: &[f64]) {
    print(a);
}

fn main() {}
