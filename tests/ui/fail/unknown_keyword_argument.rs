use rjit::prelude::*;

#[njit]
fn f(n: usize) -> Array1<f64> {
    np.zeros(n, order = 1)
}

fn main() {}
