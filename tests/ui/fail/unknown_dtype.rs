// Cause: `dtype = …` names a dtype the DSL does not have.
// Fix: Use one of `np.bool_ int8…int64 uint8…uint64 intp uintp float32 float64 complex64 complex128`.
use rjit::prelude::*;

#[njit]
fn f(n: usize) -> Array1<f64> {
    np.zeros(n, dtype = np.float16)
}

fn main() {}
