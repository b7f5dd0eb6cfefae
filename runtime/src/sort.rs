//! Sorting for `a.sort()`, `np.sort` and `np.argsort`: the standard library's stable sort over one
//! lane at a time (the elements along the last axis, at a stride), in NumPy's order: NaN after
//! every number. Compiled code calls the helpers once per lane; the interpreter sorts its values
//! with the same order and the same stable sort, so both give the same bits.

use rjit_front::Scalar;
use std::cmp::Ordering;

/// NumPy's order of floats: NaN after every number and equal to any NaN; `-0.0` equals `0.0`.
pub(crate) fn float_order(x: f64, y: f64) -> Ordering {
    match (x.is_nan(), y.is_nan()) {
        (true, true) => Ordering::Equal,
        (true, false) => Ordering::Greater,
        (false, true) => Ordering::Less,
        (false, false) => x.partial_cmp(&y).expect("neither is NaN"),
    }
}

/// An element type the helpers sort, with NumPy's order.
trait Elem: Copy {
    fn order(a: &Self, b: &Self) -> Ordering;
}

macro_rules! ordered {
    ($($t:ty),*) => {$(
        impl Elem for $t {
            fn order(a: &Self, b: &Self) -> Ordering {
                a.cmp(b)
            }
        }
    )*};
}
ordered!(u8, i8, i16, i32, i64, u16, u32, u64);

impl Elem for f32 {
    fn order(a: &Self, b: &Self) -> Ordering {
        float_order(f64::from(*a), f64::from(*b))
    }
}
impl Elem for f64 {
    fn order(a: &Self, b: &Self) -> Ordering {
        float_order(*a, *b)
    }
}

/// The code compiled code passes for an element type (its place in `Scalar::ALL`).
pub(crate) fn elem_code(s: Scalar) -> u32 {
    Scalar::ALL.iter().position(|x| *x == s).expect("a scalar") as u32
}

/// Calls `$f::<T>` for the element type `$code` names (`bool` sorts as its byte).
macro_rules! by_elem {
    ($code:expr, $f:ident($($arg:expr),*)) => {
        match Scalar::ALL.get($code as usize) {
            Some(Scalar::Bool | Scalar::U8) => $f::<u8>($($arg),*),
            Some(Scalar::I8) => $f::<i8>($($arg),*),
            Some(Scalar::I16) => $f::<i16>($($arg),*),
            Some(Scalar::I32) => $f::<i32>($($arg),*),
            Some(Scalar::I64 | Scalar::Isize) => $f::<i64>($($arg),*),
            Some(Scalar::U16) => $f::<u16>($($arg),*),
            Some(Scalar::U32) => $f::<u32>($($arg),*),
            Some(Scalar::U64 | Scalar::Usize) => $f::<u64>($($arg),*),
            Some(Scalar::F32) => $f::<f32>($($arg),*),
            Some(Scalar::F64) => $f::<f64>($($arg),*),
            other => unreachable!("checked: no order on {other:?}"),
        }
    };
}

/// # Safety
/// `data` points at `n` live elements of `T`, `stride` elements apart.
unsafe fn gather<T: Elem>(data: *mut u8, n: usize, stride: isize) -> Vec<T> {
    let p = data.cast::<T>();
    // SAFETY: in bounds, as the caller promises.
    (0..n).map(|k| unsafe { p.offset(k as isize * stride).read_unaligned() }).collect()
}

unsafe fn sort_lane<T: Elem>(data: *mut u8, n: usize, stride: isize) {
    if stride == 1 {
        // SAFETY: `n` contiguous live elements, aligned as the array's elements are.
        unsafe { std::slice::from_raw_parts_mut(data.cast::<T>(), n) }.sort_by(T::order);
        return;
    }
    // SAFETY: as the caller promises.
    let mut v = unsafe { gather::<T>(data, n, stride) };
    v.sort_by(T::order);
    let p = data.cast::<T>();
    for (k, x) in v.into_iter().enumerate() {
        // SAFETY: the element read above.
        unsafe { p.offset(k as isize * stride).write_unaligned(x) };
    }
}

unsafe fn argsort_lane<T: Elem>(data: *mut u8, n: usize, stride: isize, out: *mut u64, out_stride: isize) {
    // SAFETY: as the caller promises.
    let v = unsafe { gather::<T>(data, n, stride) };
    let mut idx: Vec<usize> = (0..n).collect();
    idx.sort_by(|i, j| T::order(&v[*i], &v[*j]));
    for (k, i) in idx.into_iter().enumerate() {
        // SAFETY: `out` holds `n` elements `out_stride` apart.
        unsafe { out.offset(k as isize * out_stride).write_unaligned(i as u64) };
    }
}

/// Sorts the lane of `n` elements of type `code` at `data`, `stride` elements apart, in place.
///
/// # Safety
/// The lane is live, writable memory of that element type.
pub(crate) unsafe extern "C" fn rjit_sort(data: *mut u8, n: i64, stride: i64, code: u32) {
    // SAFETY: as the caller promises.
    unsafe { by_elem!(code, sort_lane(data, n as usize, stride as isize)) }
}

/// Writes into `out` (`usize`s, `out_stride` apart) the indices that sort the lane at `data`.
///
/// # Safety
/// The lane is live memory of that element type; `out` holds `n` writable `usize`s.
pub(crate) unsafe extern "C" fn rjit_argsort(
    data: *mut u8,
    n: i64,
    stride: i64,
    code: u32,
    out: *mut u8,
    out_stride: i64,
) {
    // SAFETY: as the caller promises.
    unsafe { by_elem!(code, argsort_lane(data, n as usize, stride as isize, out.cast::<u64>(), out_stride as isize)) }
}
