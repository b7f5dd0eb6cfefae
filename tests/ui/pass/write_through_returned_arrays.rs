use rjit::prelude::*;

#[njit]
fn fresh(n: usize) -> Array1<f64> {
    np.zeros(n)
}

#[njit]
fn first_row(m: ArrayViewMut2<f64>) -> Array1<f64> {
    m[0]
}

#[njit]
fn copied(m: ArrayView2<f64>) -> Array1<f64> {
    m[0].copy()
}

/// Fresh arrays, views of writable arguments and copies may be written by the caller.
#[njit]
fn f(m: ArrayViewMut2<f64>, r: ArrayView2<f64>) -> f64 {
    let a = fresh(3);
    a[0] = 1.0;
    let b = first_row(m);
    b += 1.0;
    let c = copied(r);
    c.fill(2.0);
    a.sum() + b.sum() + c.sum()
}

fn main() {
    let mut m = rjit::ndarray::Array2::<f64>::zeros((2, 2));
    let r = rjit::ndarray::Array2::<f64>::ones((2, 2));
    assert_eq!(f(m.view_mut(), r.view()), 1.0 + 2.0 + 4.0);
    assert_eq!(m[[0, 1]], 1.0);
    assert_eq!(r[[0, 0]], 1.0);
}
