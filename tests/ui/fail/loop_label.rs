use rjit::prelude::*;

#[njit]
fn f(n: i64) -> i64 {
    'outer: for i in range(n) {
        break 'outer;
    }
    n
}

fn main() {}
