use rjit::prelude::*;

#[njit]
fn f(x: u8) -> u8 {
    x + 300
}

fn main() {}
