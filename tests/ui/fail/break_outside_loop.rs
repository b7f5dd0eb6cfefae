use rjit::prelude::*;

#[njit]
fn f(n: i64) -> i64 {
    break;
    n
}

fn main() {}
