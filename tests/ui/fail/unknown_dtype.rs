use rjit::prelude::*;

#[njit]
fn f(n: usize) -> Array1<f64> {
    np.zeros(n, dtype = np.float16)
}

fn main() {}
