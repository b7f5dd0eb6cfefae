// Cause: A loop label (`'outer:`).
// Fix: Restructure with a flag variable, or move the inner loop into a function and `return`.
use rjit::prelude::*;

#[njit]
fn f(n: i64) -> i64 {
    'outer: for i in range(n) {
        break 'outer;
    }
    n
}

fn main() {}
