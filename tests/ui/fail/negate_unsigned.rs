use rjit::prelude::*;

#[njit]
fn f(x: u32) -> u32 {
    -x
}

fn main() {}
