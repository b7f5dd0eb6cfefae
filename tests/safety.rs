//! What safe code must never do (DSL.md §5–§7, docs/SAFETY.md): read memory as another type or
//! rank, reach code compiled for other arguments, or abort instead of returning an error. Each
//! test here failed before the fix it guards.

use rjit::ndarray::{array, s, Array1, Array2};
use rjit::prelude::*;

#[njit]
fn total(a: _) -> f64 {
    a.sum()
}

#[njit]
fn add_one(a: _) {
    a += 1.0;
}

#[njit]
fn total_as(a: _) -> _ {
    a.sum()
}

/// A `_` parameter takes arrays of any rank: each rank (and layout) gets its own code, so the
/// second call does not run the first's 1-D code on a 2-D view's descriptor.
#[test]
fn inferred_parameters_dispatch_on_rank() {
    let v = Array1::from(vec![1.0, 2.0, 3.0]);
    let m = Array2::from_shape_vec((3, 4), (0..12).map(f64::from).collect()).unwrap();
    assert_eq!(total(v.view()), 6.0);
    assert_eq!(total(m.view()), 66.0);
    assert_eq!(total(m.slice(s![.., ..;2])), 30.0);
    assert_eq!(total(m.t()), 66.0);
    let cube = rjit::ndarray::Array3::from_shape_fn((2, 3, 4), |(i, j, k)| (i * 12 + j * 4 + k) as f64);
    assert_eq!(total(cube.view()), 276.0);
    assert_eq!(total(cube.slice(s![.., ..;-1, ..;2])), cube.slice(s![.., ..;-1, ..;2]).sum());
    assert_eq!(total(v.slice(s![..;-1])), 6.0);
    // Scalars and arrays of each rank through one `-> _` function.
    let r: f64 = total_as(v.view());
    assert_eq!(r, 6.0);
    let r: f64 = total_as(m.view());
    assert_eq!(r, 66.0);
    assert_eq!(total::signatures().len(), 7, "{:?}", total::signatures());
}

#[test]
fn inferred_writable_parameters_dispatch_on_rank() {
    let mut v = Array1::from(vec![1.0, 2.0, 3.0]);
    let mut m = Array2::<f64>::zeros((4, 5));
    add_one(v.view_mut());
    add_one(m.view_mut());
    add_one(m.slice_mut(s![..;2, 1..]));
    assert_eq!(v, array![2.0, 3.0, 4.0]);
    let mut expect = Array2::<f64>::ones((4, 5));
    expect.slice_mut(s![..;2, 1..]).map_inplace(|x| *x += 1.0);
    assert_eq!(m, expect);
}
