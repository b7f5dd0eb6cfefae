// Cause: An integer literal does not fit the type its context gives it.
// Fix: Use a wider type (`x as u16 + 300`), or a literal in range.
use rjit::prelude::*;

#[njit]
fn f(x: u8) -> u8 {
    x + 300
}

fn main() {}
