// Cause: `n // 2` is `n` followed by a comment in Rust; the next line then continues the statement.
// Fix: Integer division is `/` (`n / 2`); on floats, `np.floor(x / y)`.
use rjit::prelude::*;

#[njit]
fn f(n: i64) -> i64 {
    let h = n // 2
    h + 1
}

fn main() {}
