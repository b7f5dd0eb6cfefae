use rjit::prelude::*;

#[njit]
fn f(n: i64) -> i64 {
    let s = "text";
    n
}

fn main() {}
