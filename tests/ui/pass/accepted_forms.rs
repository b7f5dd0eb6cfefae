//! Forms that look unusual but are part of the DSL.
use rjit::prelude::*;

#[njit]
fn forms(a: &[f64], n: u64) -> (f64, u64, i64) {
    // A bare assignment declares a variable, as in Python.
    total = 0.0;
    for i in range(a.len()) {
        total += a[i];
    }
    // A literal takes its type from what it meets: `count` becomes a `u64` from the return type.
    let mut count = 0;
    for _ in range(n) {
        count += 1;
    }
    // Tuples destructure; a second `let` shadows.
    let (x, y) = (1, 2);
    let x = x + y;
    (total, count, x)
}

fn main() {
    assert_eq!(forms(&[1.0, 2.5], 4), (3.5, 4, 3));
}
