//! The reference interpreter's values and the scalar semantics of the DSL, written the plain way:
//! integers as `i128` kept in their type's range (wrapping on overflow), floats as `f64` holding
//! an exact `f32` when the type is `f32` (every `f32` operation is done in `f32`), complex numbers
//! as two such parts, arrays as a pointer with shape and strides in elements.

use super::cmath::{self, c_math};
use crate::error::{Error, Site};
use rjit_front::builtins::{Math1, Math2, Test};
use rjit_front::hir::BinOp;
use rjit_front::ty::promote;
use rjit_front::{Scalar, Ty};
use std::alloc::Layout as MemLayout;
use std::rc::Rc;
use Scalar::*;

#[derive(Clone, Debug)]
pub(crate) enum Value {
    Unit,
    Bool(bool),
    Int(i128, Scalar),
    Float(f64, Scalar),
    Complex(f64, f64, Scalar),
    Array(Arr),
    Tuple(Vec<Value>),
}

/// Where an operation is in the source: made into a `Site` only when it fails (finding a span's
/// line is too slow for every operation).
#[derive(Clone, Copy)]
pub(crate) struct At {
    pub kernel: &'static crate::desc::FnDesc,
    pub span: proc_macro2::Span,
}

impl At {
    pub fn site(&self) -> Site {
        let p = self.span.start();
        let k = &self.kernel;
        Site {
            function: k.name.to_string(),
            file: k.file.to_string(),
            line: p.line as u32 + k.base_line.saturating_sub(1),
            column: p.column as u32,
        }
    }
}

/// Memory the interpreter allocated (zeroed), freed when the last array using it goes.
#[derive(Debug)]
pub(crate) struct Buf {
    ptr: *mut u8,
    layout: MemLayout,
}

impl Drop for Buf {
    fn drop(&mut self) {
        if self.layout.size() > 0 {
            // SAFETY: allocated in `Arr::alloc` with this layout.
            unsafe { std::alloc::dealloc(self.ptr, self.layout) };
        }
    }
}

/// An array: the caller's memory (`buf` is `None`) or the interpreter's.
#[derive(Clone, Debug)]
pub(crate) struct Arr {
    pub buf: Option<Rc<Buf>>,
    pub data: *mut u8,
    pub shape: Vec<usize>,
    pub strides: Vec<isize>,
    pub elem: Scalar,
}

/// The strides of a contiguous array of `shape`, in C or Fortran order.
pub(crate) fn contiguous_strides(shape: &[usize], fortran: bool) -> Vec<isize> {
    let n = shape.len();
    let mut s = vec![1isize; n];
    if fortran {
        for k in 1..n {
            s[k] = s[k - 1].wrapping_mul(shape[k - 1] as isize);
        }
    } else {
        for k in (0..n.saturating_sub(1)).rev() {
            s[k] = s[k + 1].wrapping_mul(shape[k + 1] as isize);
        }
    }
    s
}

/// Every index of `shape` in C order.
pub(crate) fn c_order(shape: &[usize]) -> impl Iterator<Item = Vec<usize>> + '_ {
    let total: usize = shape.iter().product();
    let mut idx = vec![0usize; shape.len()];
    (0..total).map(move |n| {
        if n > 0 {
            for k in (0..idx.len()).rev() {
                idx[k] += 1;
                if idx[k] < shape[k] {
                    break;
                }
                idx[k] = 0;
            }
        }
        idx.clone()
    })
}

impl Arr {
    /// A new C-contiguous, zeroed array; the error compiled code gives when the size overflows or
    /// memory runs out.
    pub fn alloc(elem: Scalar, shape: &[usize], at: &At) -> Result<Arr, Error> {
        // A dimension beyond `isize::MAX` counts as an overflow even beside a zero one.
        let count = shape
            .iter()
            .try_fold(1u64, |n, d| n.checked_mul(*d as u64).filter(|_| *d <= isize::MAX as usize))
            .unwrap_or(u64::MAX);
        let size = elem.size();
        let fail = || Error::AllocationFailed { site: at.site(), bytes: u128::from(count) * u128::from(size) };
        let bytes = count.checked_mul(size).filter(|b| *b <= isize::MAX as u64).ok_or_else(fail)?;
        let align = if elem.is_complex() { elem.real_part().size() } else { size };
        let layout = MemLayout::from_size_align(bytes as usize, align as usize).map_err(|_| fail())?;
        let ptr = if bytes == 0 {
            align as usize as *mut u8
        } else {
            // SAFETY: a non-zero size.
            let p = unsafe { std::alloc::alloc_zeroed(layout) };
            if p.is_null() {
                return Err(fail());
            }
            p
        };
        let buf = Rc::new(Buf { ptr, layout });
        super::race::allocated(Rc::as_ptr(&buf) as usize);
        Ok(Arr { buf: Some(buf), data: ptr, shape: shape.to_vec(), strides: contiguous_strides(shape, false), elem })
    }

    pub fn size(&self) -> usize {
        self.shape.iter().product()
    }

    /// The addresses the array spans, `lo..hi` (empty when it has no element), computed as
    /// compiled code computes them.
    pub fn extent(&self) -> (u64, u64) {
        let size = self.elem.size() as i64;
        let (mut lo, mut hi) = (0i64, 0i64);
        for (d, st) in self.shape.iter().zip(&self.strides) {
            let reach = (*d as i64).wrapping_sub(1).wrapping_mul(*st as i64);
            if *st < 0 {
                lo = lo.wrapping_add(reach);
            } else {
                hi = hi.wrapping_add(reach);
            }
        }
        let base = self.data as i64;
        let lo = base.wrapping_add(lo.wrapping_mul(size));
        let hi = base.wrapping_add(hi.wrapping_mul(size)).wrapping_add(size);
        if self.shape.contains(&0) {
            (lo as u64, lo as u64)
        } else {
            (lo as u64, hi as u64)
        }
    }

    fn ptr(&self, idx: &[usize]) -> *mut u8 {
        let off: isize =
            idx.iter().zip(&self.strides).map(|(i, s)| (*i as isize).wrapping_mul(*s)).fold(0, isize::wrapping_add);
        self.data.wrapping_offset(off.wrapping_mul(self.elem.size() as isize))
    }

    /// The element at `idx`, which the caller has checked against the shape.
    pub fn get(&self, idx: &[usize]) -> Value {
        debug_assert!(idx.iter().zip(&self.shape).all(|(i, n)| i < n));
        let p = self.ptr(idx);
        super::race::access(self.buf.as_ref().map(|b| Rc::as_ptr(b) as usize), p as usize, false);
        // SAFETY: an in-bounds index of an array whose memory is live (the caller's for the call,
        // or held by `buf`).
        unsafe { load(p, self.elem) }
    }

    pub fn set(&self, idx: &[usize], v: &Value) {
        debug_assert!(idx.iter().zip(&self.shape).all(|(i, n)| i < n));
        let p = self.ptr(idx);
        super::race::access(self.buf.as_ref().map(|b| Rc::as_ptr(b) as usize), p as usize, true);
        // SAFETY: as for `get`; the checker let the body write this array.
        unsafe { store(p, v, self.elem) }
    }

    /// Every element in C order.
    pub fn elements(&self) -> Vec<Value> {
        c_order(&self.shape).map(|i| self.get(&i)).collect()
    }

    /// The view with `shape`, starting at `start`, with `strides`.
    pub fn view(&self, start: &[usize], shape: Vec<usize>, strides: Vec<isize>) -> Arr {
        Arr { buf: self.buf.clone(), data: self.ptr(start), shape, strides, elem: self.elem }
    }
}

/// # Safety
/// `p` points at a live element of type `s`.
pub(crate) unsafe fn load(p: *const u8, s: Scalar) -> Value {
    unsafe {
        match s {
            Bool => Value::Bool(*p != 0),
            I8 => Value::Int(i128::from(*(p as *const i8)), s),
            I16 => Value::Int(i128::from(*(p as *const i16)), s),
            I32 => Value::Int(i128::from(*(p as *const i32)), s),
            I64 | Isize => Value::Int(i128::from(*(p as *const i64)), s),
            U8 => Value::Int(i128::from(*p), s),
            U16 => Value::Int(i128::from(*(p as *const u16)), s),
            U32 => Value::Int(i128::from(*(p as *const u32)), s),
            U64 | Usize => Value::Int(i128::from(*(p as *const u64)), s),
            F32 => Value::Float(f64::from(*(p as *const f32)), s),
            F64 => Value::Float(*(p as *const f64), s),
            C64 => {
                let q = p as *const f32;
                Value::Complex(f64::from(*q), f64::from(*q.add(1)), s)
            }
            C128 => {
                let q = p as *const f64;
                Value::Complex(*q, *q.add(1), s)
            }
        }
    }
}

/// # Safety
/// `p` points at a live, writable element of type `s`; `v` is a value of type `s`.
pub(crate) unsafe fn store(p: *mut u8, v: &Value, s: Scalar) {
    unsafe {
        match (v, s) {
            (Value::Bool(b), Bool) => *p = u8::from(*b),
            (Value::Int(x, _), I8 | U8) => *p = *x as u8,
            (Value::Int(x, _), I16 | U16) => *(p as *mut u16) = *x as u16,
            (Value::Int(x, _), I32 | U32) => *(p as *mut u32) = *x as u32,
            (Value::Int(x, _), _) => *(p as *mut u64) = *x as u64,
            (Value::Float(x, _), F32) => *(p as *mut f32) = *x as f32,
            (Value::Float(x, _), _) => *(p as *mut f64) = *x,
            (Value::Complex(re, im, _), C64) => {
                let q = p as *mut f32;
                *q = *re as f32;
                *q.add(1) = *im as f32;
            }
            (Value::Complex(re, im, _), _) => {
                let q = p as *mut f64;
                *q = *re;
                *q.add(1) = *im;
            }
            (v, s) => unreachable!("storing {v:?} as {s}"),
        }
    }
}

/// Wraps an integer into the range of `s` (two's complement, as the machine does).
pub(crate) fn wrap(v: i128, s: Scalar) -> i128 {
    let bits = s.bits();
    if s.is_signed() {
        let shift = 128 - bits;
        (v << shift) >> shift
    } else {
        v & ((1i128 << bits) - 1)
    }
}

/// Rounds to the precision of float type `s`.
fn round(x: f64, s: Scalar) -> f64 {
    if s == F32 {
        f64::from(x as f32)
    } else {
        x
    }
}

/// `$e` with each `$v` bound to `$x` in the precision of `$s` (`f32` or `f64`), as `f64`.
macro_rules! fl {
    ($s:expr, [$($v:ident = $x:expr),*] => $e:expr) => {
        if $s == Scalar::F32 {
            $(let $v = $x as f32;)*
            f64::from($e)
        } else {
            #[allow(clippy::redundant_locals)]
            {
                $(let $v = $x;)*
                $e
            }
        }
    };
}

impl Value {
    pub fn int(&self) -> i128 {
        match self {
            Value::Int(v, _) => *v,
            Value::Bool(b) => i128::from(*b),
            v => unreachable!("an integer, found {v:?}"),
        }
    }
    pub fn float(&self) -> f64 {
        match self {
            Value::Float(v, _) => *v,
            v => unreachable!("a float, found {v:?}"),
        }
    }
    pub fn bool(&self) -> bool {
        match self {
            Value::Bool(b) => *b,
            v => unreachable!("a bool, found {v:?}"),
        }
    }
    pub fn array(&self) -> &Arr {
        match self {
            Value::Array(a) => a,
            v => unreachable!("an array, found {v:?}"),
        }
    }
    fn parts(&self) -> (f64, f64) {
        match self {
            Value::Complex(re, im, _) => (*re, *im),
            v => unreachable!("a complex number, found {v:?}"),
        }
    }

    /// A number of type `s` from a literal (integers truncate to the width, as LLVM's constants do).
    pub fn literal(s: Scalar, v: f64, int: Option<u128>) -> Value {
        match s {
            Bool => Value::Bool(int.map_or(v != 0.0, |i| i != 0)),
            s if s.is_int() => Value::Int(wrap(int.map_or(v as u64 as i128, |i| i as u64 as i128), s), s),
            s if s.is_float() => Value::Float(round(v, s), s),
            s => Value::Complex(round(v, s.real_part()), 0.0, s),
        }
    }

    /// What a fresh variable of type `t` holds (compiled code zeroes its slots).
    pub fn zero(t: &Ty) -> Value {
        match t {
            Ty::Scalar(s) => Value::literal(*s, 0.0, Some(0)),
            Ty::Array(a) => Value::Array(Arr {
                buf: None,
                data: std::ptr::null_mut(),
                shape: vec![0; usize::from(a.ndim)],
                strides: vec![0; usize::from(a.ndim)],
                elem: a.elem,
            }),
            Ty::Tuple(items) => Value::Tuple(items.iter().map(Value::zero).collect()),
            _ => Value::Unit,
        }
    }

    pub fn one(s: Scalar) -> Value {
        Value::literal(s, 1.0, Some(1))
    }
}

/// `v as to`, with Rust's semantics (float → int saturates, NaN → 0), as codegen's `convert`.
pub(crate) fn convert(v: &Value, from: Scalar, to: Scalar) -> Value {
    if from == to {
        return v.clone();
    }
    if to.is_complex() {
        let part = to.real_part();
        let (re, im) = if from.is_complex() {
            let (re, im) = v.parts();
            (
                convert(&Value::Float(re, from.real_part()), from.real_part(), part),
                convert(&Value::Float(im, from.real_part()), from.real_part(), part),
            )
        } else {
            (convert(v, from, part), Value::Float(0.0, part))
        };
        return Value::Complex(re.float(), im.float(), to);
    }
    if from.is_complex() {
        let (re, _) = v.parts();
        return convert(&Value::Float(re, from.real_part()), from.real_part(), to);
    }
    if to == Bool {
        return Value::Bool(if from.is_float() { v.float() != 0.0 } else { v.int() != 0 });
    }
    match (from.is_float(), to.is_float()) {
        (false, false) => Value::Int(wrap(v.int(), to), to),
        (false, true) => {
            let x = v.int();
            Value::Float(if to == F32 { f64::from(x as f32) } else { x as f64 }, to)
        }
        (true, false) => {
            let x = v.float();
            let i = match to {
                I8 => i128::from(x as i8),
                I16 => i128::from(x as i16),
                I32 => i128::from(x as i32),
                I64 | Isize => i128::from(x as i64),
                U8 => i128::from(x as u8),
                U16 => i128::from(x as u16),
                U32 => i128::from(x as u32),
                _ => i128::from(x as u64),
            };
            Value::Int(i, to)
        }
        (true, true) => Value::Float(round(v.float(), to), to),
    }
}

/// Converts between DSL types where the checker allowed it (promotion, or the same type).
pub(crate) fn coerce(v: Value, from: &Ty, to: &Ty) -> Value {
    match (from, to, v) {
        (Ty::Scalar(a), Ty::Scalar(b), v) => convert(&v, *a, *b),
        (Ty::Tuple(fs), Ty::Tuple(ts), Value::Tuple(items)) => {
            Value::Tuple(items.into_iter().zip(fs.iter().zip(ts)).map(|(v, (f, t))| coerce(v, f, t)).collect())
        }
        (_, _, v) => v,
    }
}

/// `l << r`, `l >> r` with the amount masked to the width (`l` already of type `s`).
pub(crate) fn shift(op: BinOp, l: i128, amount: i128, s: Scalar) -> Value {
    let amt = (amount & i128::from(s.bits() - 1)) as u32;
    let v = match op {
        BinOp::Shl => wrap(l << amt, s),
        _ => l >> amt,
    };
    Value::Int(v, s)
}

/// Where a scalar operation failed: division by zero and `MIN / -1`.
pub(crate) enum OpError {
    DivZero,
    Overflow,
    NegativePower,
}

impl OpError {
    pub fn at(self, site: Site) -> Error {
        match self {
            OpError::DivZero => Error::DivisionByZero { site },
            OpError::Overflow => Error::Overflow { site },
            OpError::NegativePower => Error::NegativePower { site },
        }
    }
}

/// `l op r` on two values of type `s` (comparisons give `bool`), as codegen's `scalar_op`.
pub(crate) fn scalar_op(op: BinOp, l: &Value, r: &Value, s: Scalar) -> Result<Value, OpError> {
    if s.is_complex() {
        return Ok(complex_op(op, l, r, s));
    }
    if s.is_float() {
        let (a, b) = (l.float(), r.float());
        let f = |x: f64| Ok(Value::Float(x, s));
        return match op {
            BinOp::Add => f(fl!(s, [x = a, y = b] => x + y)),
            BinOp::Sub => f(fl!(s, [x = a, y = b] => x - y)),
            BinOp::Mul => f(fl!(s, [x = a, y = b] => x * y)),
            BinOp::Div => f(fl!(s, [x = a, y = b] => x / y)),
            BinOp::Rem => f(fl!(s, [x = a, y = b] => x % y)),
            cmp => Ok(Value::Bool(compare(cmp, a.partial_cmp(&b)))),
        };
    }
    if s == Bool {
        let (a, b) = (l.bool(), r.bool());
        return Ok(Value::Bool(match op {
            BinOp::BitAnd => a & b,
            BinOp::BitOr => a | b,
            BinOp::BitXor => a ^ b,
            cmp => compare(cmp, Some(a.cmp(&b))),
        }));
    }
    let (a, b) = (l.int(), r.int());
    let signed = s.is_signed();
    if matches!(op, BinOp::Div | BinOp::Rem) {
        if b == 0 {
            return Err(OpError::DivZero);
        }
        if signed && b == -1 && a == wrap(1i128 << (s.bits() - 1), s) {
            return Err(OpError::Overflow);
        }
    }
    let v = match op {
        BinOp::Add => a.wrapping_add(b),
        BinOp::Sub => a.wrapping_sub(b),
        BinOp::Mul => a.wrapping_mul(b),
        BinOp::Div => a / b,
        BinOp::Rem => a % b,
        BinOp::BitAnd => a & b,
        BinOp::BitOr => a | b,
        BinOp::BitXor => a ^ b,
        cmp => return Ok(Value::Bool(compare(cmp, Some(a.cmp(&b))))),
    };
    Ok(Value::Int(wrap(v, s), s))
}

/// A comparison's outcome from an ordering (`None`: a NaN was involved; only `!=` holds).
fn compare(op: BinOp, ord: Option<std::cmp::Ordering>) -> bool {
    use std::cmp::Ordering::*;
    match (op, ord) {
        (BinOp::Ne, None) => true,
        (_, None) => false,
        (BinOp::Eq, Some(o)) => o == Equal,
        (BinOp::Ne, Some(o)) => o != Equal,
        (BinOp::Lt, Some(o)) => o == Less,
        (BinOp::Le, Some(o)) => o != Greater,
        (BinOp::Gt, Some(o)) => o == Greater,
        (BinOp::Ge, Some(o)) => o != Less,
        (op, _) => unreachable!("`{}` is not a comparison", op.symbol()),
    }
}

fn complex_op(op: BinOp, l: &Value, r: &Value, s: Scalar) -> Value {
    let p = s.real_part();
    let ((a, b), (c, d)) = (l.parts(), r.parts());
    let add = |x: f64, y: f64| fl!(p, [x = x, y = y] => x + y);
    let sub = |x: f64, y: f64| fl!(p, [x = x, y = y] => x - y);
    let mul = |x: f64, y: f64| fl!(p, [x = x, y = y] => x * y);
    let div = |x: f64, y: f64| fl!(p, [x = x, y = y] => x / y);
    let (re, im) = match op {
        BinOp::Add => (add(a, c), add(b, d)),
        BinOp::Sub => (sub(a, c), sub(b, d)),
        BinOp::Mul => (sub(mul(a, c), mul(b, d)), add(mul(a, d), mul(b, c))),
        BinOp::Div => {
            let den = add(mul(c, c), mul(d, d));
            (div(add(mul(a, c), mul(b, d)), den), div(sub(mul(b, c), mul(a, d)), den))
        }
        BinOp::Eq => return Value::Bool(a == c && b == d),
        BinOp::Ne => return Value::Bool(a != c || b != d),
        other => unreachable!("`{}` on complex numbers", other.symbol()),
    };
    Value::Complex(re, im, s)
}

/// `min`/`max` of two values of type `s`: NumPy's (a NaN wins) when `nan_propagates`, else
/// Rust's `f64::min`/`max` (the number wins).
pub(crate) fn min_max(max: bool, a: &Value, b: &Value, s: Scalar, nan_propagates: bool) -> Value {
    if s.is_float() {
        let (x, y) = (a.float(), b.float());
        if !nan_propagates {
            return Value::Float(
                if max { fl!(s, [x = x, y = y] => x.max(y)) } else { fl!(s, [x = x, y = y] => x.min(y)) },
                s,
            );
        }
        let pick = if max { x > y } else { x < y };
        let r = if x.is_nan() || pick { x } else { y };
        return Value::Float(r, s);
    }
    let (x, y) = (a.int(), b.int());
    let pick = if max { x > y } else { x < y };
    if s == Bool {
        return Value::Bool(if pick { x } else { y } != 0);
    }
    Value::Int(if pick { x } else { y }, s)
}

pub(crate) fn abs(v: &Value, s: Scalar) -> Value {
    if s.is_complex() {
        let (re, im) = v.parts();
        let p = s.real_part();
        return Value::Float(fl!(p, [x = re, y = im] => x.hypot(y)), p);
    }
    if s.is_float() {
        return Value::Float(v.float().abs(), s);
    }
    if s.is_unsigned() || s == Bool {
        return v.clone();
    }
    let x = v.int();
    Value::Int(if x < 0 { wrap(x.wrapping_neg(), s) } else { x }, s)
}

pub(crate) fn math1(m: Math1, v: &Value, s: Scalar) -> Value {
    let x = v.float();
    let r = match m {
        Math1::Sqrt => fl!(s, [x = x] => x.sqrt()),
        Math1::Exp => fl!(s, [x = x] => x.exp()),
        Math1::Log => fl!(s, [x = x] => x.ln()),
        Math1::Log2 => fl!(s, [x = x] => x.log2()),
        Math1::Log10 => fl!(s, [x = x] => x.log10()),
        Math1::Sin => fl!(s, [x = x] => x.sin()),
        Math1::Cos => fl!(s, [x = x] => x.cos()),
        Math1::Tan => fl!(s, [x = x] => x.tan()),
        Math1::Arcsin => fl!(s, [x = x] => x.asin()),
        Math1::Arccos => fl!(s, [x = x] => x.acos()),
        Math1::Arctan => fl!(s, [x = x] => x.atan()),
        Math1::Sinh => fl!(s, [x = x] => x.sinh()),
        Math1::Cosh => fl!(s, [x = x] => x.cosh()),
        Math1::Tanh => fl!(s, [x = x] => x.tanh()),
        Math1::Floor => fl!(s, [x = x] => x.floor()),
        Math1::Ceil => fl!(s, [x = x] => x.ceil()),
        Math1::Trunc => fl!(s, [x = x] => x.trunc()),
        Math1::Round => fl!(s, [x = x] => x.round_ties_even()),
        Math1::RoundAway => fl!(s, [x = x] => x.round()),
        Math1::Fabs => fl!(s, [x = x] => x.abs()),
        Math1::Expm1 => c_math(s, x, cmath::expm1, cmath::expm1f),
        Math1::Log1p => c_math(s, x, cmath::log1p, cmath::log1pf),
        Math1::Arcsinh => c_math(s, x, cmath::asinh, cmath::asinhf),
        Math1::Arccosh => c_math(s, x, cmath::acosh, cmath::acoshf),
        Math1::Arctanh => c_math(s, x, cmath::atanh, cmath::atanhf),
        Math1::Erf => c_math(s, x, cmath::erf, cmath::erff),
        Math1::Erfc => c_math(s, x, cmath::erfc, cmath::erfcf),
        Math1::Gamma => c_math(s, x, cmath::tgamma, cmath::tgammaf),
        Math1::Lgamma => c_math(s, x, cmath::lgamma, cmath::lgammaf),
    };
    Value::Float(r, s)
}

pub(crate) fn test(t: Test, v: &Value, s: Scalar) -> Value {
    if !s.is_float() {
        return Value::Bool(t == Test::IsFinite);
    }
    let x = v.float();
    Value::Bool(match t {
        Test::IsNan => x.is_nan(),
        Test::IsInf => x.is_infinite(),
        Test::IsFinite => x.is_finite(),
    })
}

pub(crate) fn math2(m: Math2, a: &Value, b: &Value, s: Scalar) -> Result<Value, OpError> {
    Ok(match m {
        Math2::PyMin | Math2::PyMax => {
            let max = m == Math2::PyMax;
            let pick_b = if s.is_float() {
                let (x, y) = (a.float(), b.float());
                if max {
                    y > x
                } else {
                    y < x
                }
            } else {
                let (x, y) = (a.int(), b.int());
                if max {
                    y > x
                } else {
                    y < x
                }
            };
            if pick_b {
                b.clone()
            } else {
                a.clone()
            }
        }
        Math2::Hypot => {
            let (x, y) = (a.float(), b.float());
            // SAFETY: pure functions of numbers.
            let r = unsafe {
                if s == F32 {
                    f64::from(cmath::hypotf(x as f32, y as f32))
                } else {
                    cmath::hypot(x, y)
                }
            };
            Value::Float(r, s)
        }
        Math2::Copysign => Value::Float(fl!(s, [x = a.float(), y = b.float()] => x.copysign(y)), s),
        Math2::Minimum => min_max(false, a, b, s, true),
        Math2::Maximum => min_max(true, a, b, s, true),
        Math2::Arctan2 => Value::Float(fl!(s, [x = a.float(), y = b.float()] => x.atan2(y)), s),
        Math2::Power if s.is_float() => Value::Float(fl!(s, [x = a.float(), y = b.float()] => x.powf(y)), s),
        Math2::Power => {
            // As the runtime's `rjit_ipow`: in 64 bits, wrapping; a negative signed exponent fails.
            let wide = if s.is_signed() { I64 } else { U64 };
            let base = convert(a, s, wide).int() as i64;
            let exp = convert(b, s, wide).int() as i64;
            if s.is_signed() && exp < 0 {
                return Err(OpError::NegativePower);
            }
            let r = base.wrapping_pow(exp.min(u32::MAX as i64) as u32);
            let r = if s.is_signed() { i128::from(r) } else { i128::from(r as u64) };
            convert(&Value::Int(r, wide), wide, s)
        }
    })
}

pub(crate) fn powi(a: &Value, n: i32, s: Scalar) -> Value {
    Value::Float(fl!(s, [x = a.float()] => x.powi(n)), s)
}

pub(crate) fn neg(v: &Value, s: Scalar) -> Value {
    match v {
        Value::Int(x, _) => Value::Int(wrap(x.wrapping_neg(), s), s),
        Value::Float(x, _) => Value::Float(-x, s),
        Value::Complex(re, im, _) => Value::Complex(-re, -im, s),
        v => unreachable!("negating {v:?}"),
    }
}

pub(crate) fn not(v: &Value, s: Scalar) -> Value {
    match v {
        Value::Bool(b) => Value::Bool(!b),
        Value::Int(x, _) => Value::Int(wrap(!x, s), s),
        v => unreachable!("`!` on {v:?}"),
    }
}

/// The value a reduction starts from (`+`: 0, `*`: 1, `&`: all ones, `min`: the largest value…).
pub(crate) fn identity(op: rjit_front::prange::RedOp, s: Scalar) -> Value {
    use rjit_front::prange::RedOp;
    let Some((max, _)) = op.min_max() else {
        return match op {
            RedOp::Mul => Value::one(s),
            RedOp::And if s == Bool => Value::Bool(true),
            RedOp::And => Value::Int(wrap(-1, s), s),
            _ => Value::literal(s, 0.0, Some(0)),
        };
    };
    if s.is_float() {
        return Value::Float(if max { f64::NEG_INFINITY } else { f64::INFINITY }, s);
    }
    if s == Bool {
        return Value::Bool(!max);
    }
    let bits = s.bits();
    let v = match (max, s.is_signed()) {
        (false, true) => (1i128 << (bits - 1)) - 1,
        (false, false) => (1i128 << bits) - 1,
        (true, true) => -(1i128 << (bits - 1)),
        (true, false) => 0,
    };
    Value::Int(v, s)
}

/// The element type of an element-wise operand.
pub(crate) fn elem_of(t: &Ty) -> Scalar {
    match t {
        Ty::Array(a) => a.elem,
        t => t.scalar().unwrap_or_else(|| unreachable!("an element-wise operand of type `{t}`")),
    }
}

/// The type two operands of a comparison are compared in.
pub(crate) fn common(a: Scalar, b: Scalar) -> Scalar {
    promote(a, b).expect("checked: the operands combine")
}
