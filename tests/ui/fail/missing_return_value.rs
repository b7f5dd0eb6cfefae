use rjit::prelude::*;

#[njit]
fn f(a: &[f64]) -> f64 {
    for i in range(a.len()) {
        print(a[i]);
    }
}

fn main() {}
