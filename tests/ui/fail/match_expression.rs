// Cause: `match` in an njit body.
// Fix: Use `if … else if … else`.
use rjit::prelude::*;

#[njit]
fn f(x: i64) -> i64 {
    match x {
        0 => 1,
        _ => x,
    }
}

fn main() {}
