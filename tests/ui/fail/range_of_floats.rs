use rjit::prelude::*;

#[njit]
fn f(x: f64) -> i64 {
    let mut n = 0;
    for i in range(x) {
        n += 1;
    }
    n
}

fn main() {}
