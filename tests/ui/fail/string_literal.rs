// Cause: A string literal outside `assert!` and `print`.
// Fix: njit code computes with numbers and arrays; keep strings in Rust code.
use rjit::prelude::*;

#[njit]
fn f(n: i64) -> i64 {
    let s = "text";
    n
}

fn main() {}
