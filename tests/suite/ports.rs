//! Real Numba kernels from public projects, ported to rjit as written as Rust's tokens allow, each
//! run against the NumPy results `tests/ports/make_fixtures.py` computed on the same inputs (stored
//! with them in `tests/ports/fixtures/`). Each port names its origin and what had to change.

mod arrays;
mod grids;
mod loops;
mod numbagg;

use rjit::ndarray::{Array1, Array2, ArrayD, IxDyn};
use serde_json::Value;

/// The fixture `name`: `{"inputs": {…}, "outputs": {…}}`.
pub fn fixture(name: &str) -> Value {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("tests/ports/fixtures/{name}.json"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).expect("a fixture")
}

/// A number; NaN and infinities are stored as strings (JSON has none).
pub fn num(v: &Value) -> f64 {
    match v {
        Value::String(s) if s == "nan" => f64::NAN,
        Value::String(s) if s == "inf" => f64::INFINITY,
        Value::String(s) if s == "-inf" => f64::NEG_INFINITY,
        Value::Bool(b) => f64::from(u8::from(*b)),
        other => other.as_f64().unwrap_or_else(|| panic!("a number, found {other}")),
    }
}

pub fn vec_f64(v: &Value) -> Vec<f64> {
    v.as_array().expect("a list").iter().map(num).collect()
}

pub fn arr1(v: &Value) -> Array1<f64> {
    Array1::from_vec(vec_f64(v))
}

pub fn arr1_i64(v: &Value) -> Array1<i64> {
    v.as_array().expect("a list").iter().map(|x| x.as_i64().expect("an integer")).collect()
}

pub fn arr2(v: &Value) -> Array2<f64> {
    let rows: Vec<Vec<f64>> = v.as_array().expect("rows").iter().map(vec_f64).collect();
    let (r, c) = (rows.len(), rows.first().map_or(0, Vec::len));
    Array2::from_shape_vec((r, c), rows.concat()).expect("rectangular")
}

pub fn arr2_bool(v: &Value) -> Array2<bool> {
    arr2(v).mapv(|x| x != 0.0)
}

/// A flat list with its shape beside it.
pub fn arr_dyn(v: &Value, shape: &Value) -> ArrayD<f64> {
    let shape: Vec<usize> =
        shape.as_array().expect("a shape").iter().map(|d| d.as_u64().expect("a size") as usize).collect();
    ArrayD::from_shape_vec(IxDyn(&shape), vec_f64(v)).expect("the shape fits")
}

/// Element-wise closeness, NaN equal to NaN: `|got - want| <= rtol * max(|want|, 1)`.
pub fn assert_close<'a>(
    got: impl IntoIterator<Item = &'a f64>,
    want: impl IntoIterator<Item = &'a f64>,
    rtol: f64,
    what: &str,
) {
    let (got, want): (Vec<f64>, Vec<f64>) = (got.into_iter().copied().collect(), want.into_iter().copied().collect());
    assert_eq!(got.len(), want.len(), "{what}: lengths");
    for (k, (g, w)) in got.iter().zip(&want).enumerate() {
        let same = (g.is_nan() && w.is_nan()) || g == w || (g - w).abs() <= rtol * w.abs().max(1.0);
        assert!(same, "{what}[{k}]: rjit {g}, NumPy {w}");
    }
}
