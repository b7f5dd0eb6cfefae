use rjit::prelude::*;

#[njit]
fn f(a: Complex64, b: Complex64) -> bool {
    a < b
}

fn main() {}
