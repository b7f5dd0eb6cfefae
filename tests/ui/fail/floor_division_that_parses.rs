// Cause: `return n // 2` parses, as `return n` with a comment: it would silently return `n`.
// Fix: Integer division is `/` (`n / 2`); on floats, `np.floor(x / y)`.
use rjit::prelude::*;

#[njit]
fn f(n: i64) -> i64 {
    return n // 2
}

fn main() {}
