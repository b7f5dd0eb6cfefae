//! The DSL's types and the promotion rules that combine them (DSL.md §2 and §4).
//!
//! `Ty` is what the checker gives every expression and variable. Besides real types it has three
//! inference-only members: `IntLit` and `FloatLit` (an unsuffixed literal whose type the context decides)
//! and `Deferred` (the result of a call whose callee the checker cannot see yet; only the macro meets it).

use std::fmt;

/// A scalar element type.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Scalar {
    Bool,
    I8,
    I16,
    I32,
    I64,
    Isize,
    U8,
    U16,
    U32,
    U64,
    Usize,
    F32,
    F64,
    C64,
    C128,
}

impl Scalar {
    pub const ALL: [Scalar; 15] = [
        Scalar::Bool,
        Scalar::I8,
        Scalar::I16,
        Scalar::I32,
        Scalar::I64,
        Scalar::Isize,
        Scalar::U8,
        Scalar::U16,
        Scalar::U32,
        Scalar::U64,
        Scalar::Usize,
        Scalar::F32,
        Scalar::F64,
        Scalar::C64,
        Scalar::C128,
    ];

    /// The Rust spelling (`Complex32` for the complex types).
    pub fn rust_name(self) -> &'static str {
        match self {
            Scalar::Bool => "bool",
            Scalar::I8 => "i8",
            Scalar::I16 => "i16",
            Scalar::I32 => "i32",
            Scalar::I64 => "i64",
            Scalar::Isize => "isize",
            Scalar::U8 => "u8",
            Scalar::U16 => "u16",
            Scalar::U32 => "u32",
            Scalar::U64 => "u64",
            Scalar::Usize => "usize",
            Scalar::F32 => "f32",
            Scalar::F64 => "f64",
            Scalar::C64 => "Complex32",
            Scalar::C128 => "Complex64",
        }
    }

    /// NumPy's dtype name (`np.<name>`).
    pub fn numpy_name(self) -> &'static str {
        match self {
            Scalar::Bool => "bool_",
            Scalar::I8 => "int8",
            Scalar::I16 => "int16",
            Scalar::I32 => "int32",
            Scalar::I64 => "int64",
            Scalar::Isize => "intp",
            Scalar::U8 => "uint8",
            Scalar::U16 => "uint16",
            Scalar::U32 => "uint32",
            Scalar::U64 => "uint64",
            Scalar::Usize => "uintp",
            Scalar::F32 => "float32",
            Scalar::F64 => "float64",
            Scalar::C64 => "complex64",
            Scalar::C128 => "complex128",
        }
    }

    pub fn from_rust_name(name: &str) -> Option<Scalar> {
        Scalar::ALL.into_iter().find(|s| s.rust_name() == name)
    }

    pub fn from_numpy_name(name: &str) -> Option<Scalar> {
        Scalar::ALL.into_iter().find(|s| s.numpy_name() == name)
    }

    /// A small dense code, used in dispatch keys and symbol names.
    pub fn code(self) -> u8 {
        self as u8
    }

    pub fn is_int(self) -> bool {
        self.is_signed() || self.is_unsigned()
    }
    pub fn is_signed(self) -> bool {
        matches!(self, Scalar::I8 | Scalar::I16 | Scalar::I32 | Scalar::I64 | Scalar::Isize)
    }
    pub fn is_unsigned(self) -> bool {
        matches!(self, Scalar::U8 | Scalar::U16 | Scalar::U32 | Scalar::U64 | Scalar::Usize)
    }
    pub fn is_float(self) -> bool {
        matches!(self, Scalar::F32 | Scalar::F64)
    }
    pub fn is_complex(self) -> bool {
        matches!(self, Scalar::C64 | Scalar::C128)
    }
    /// Ints, floats and complex numbers: everything but `bool`.
    pub fn is_numeric(self) -> bool {
        self != Scalar::Bool
    }

    /// Width in bits of an integer or a float (for complex: of one part).
    pub fn bits(self) -> u32 {
        match self {
            Scalar::Bool => 1,
            Scalar::I8 | Scalar::U8 => 8,
            Scalar::I16 | Scalar::U16 => 16,
            Scalar::I32 | Scalar::U32 | Scalar::F32 | Scalar::C64 => 32,
            Scalar::I64 | Scalar::U64 | Scalar::Isize | Scalar::Usize | Scalar::F64 | Scalar::C128 => 64,
        }
    }

    /// Size in bytes when stored in an array.
    pub fn size(self) -> u64 {
        match self {
            Scalar::Bool => 1,
            Scalar::C64 => 8,
            Scalar::C128 => 16,
            s => u64::from(s.bits() / 8),
        }
    }

    /// The real type of one part of a complex number; a real type is its own part.
    pub fn real_part(self) -> Scalar {
        match self {
            Scalar::C64 => Scalar::F32,
            Scalar::C128 => Scalar::F64,
            s => s,
        }
    }

    fn signed_of_bits(bits: u32) -> Scalar {
        match bits {
            8 => Scalar::I8,
            16 => Scalar::I16,
            32 => Scalar::I32,
            _ => Scalar::I64,
        }
    }

    fn complex_of(real: Scalar) -> Scalar {
        if real == Scalar::F64 {
            Scalar::C128
        } else {
            Scalar::C64
        }
    }
}

impl fmt::Display for Scalar {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.rust_name())
    }
}

/// Memory layout of an array, found per call from its strides.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Layout {
    /// Row-major contiguous (`[::1]` on the last axis).
    C,
    /// Column-major contiguous (`[::1, :]`).
    F,
    /// Any strides: non-contiguous, reversed or broadcast axes.
    Any,
}

impl Layout {
    pub fn join(self, other: Layout) -> Layout {
        if self == other {
            self
        } else {
            Layout::Any
        }
    }
    pub fn code(self) -> u8 {
        self as u8
    }
    pub fn from_code(code: u8) -> Layout {
        match code {
            0 => Layout::C,
            1 => Layout::F,
            _ => Layout::Any,
        }
    }
}

/// An array type: element, rank, layout and whether the body may write through it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct ArrayTy {
    pub elem: Scalar,
    pub ndim: u8,
    pub layout: Layout,
    pub mutable: bool,
}

impl ArrayTy {
    /// The type of `a[i]` on an n-D array with n > 1: one axis fewer, the same element.
    pub fn row(self) -> ArrayTy {
        let layout = match self.layout {
            Layout::C => Layout::C,
            _ => Layout::Any,
        };
        ArrayTy { ndim: self.ndim - 1, layout, ..self }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Ty {
    /// Nothing known yet (inference only).
    Unknown,
    /// An unsuffixed integer literal not yet given a type by its context.
    IntLit,
    /// An unsuffixed float literal not yet given a type by its context.
    FloatLit,
    /// The result of a call to an njit function the macro cannot see; checked at first call.
    Deferred,
    Unit,
    Scalar(Scalar),
    Array(ArrayTy),
    Tuple(Vec<Ty>),
}

impl Ty {
    pub fn scalar(&self) -> Option<Scalar> {
        match self {
            Ty::Scalar(s) => Some(*s),
            _ => None,
        }
    }
    pub fn array(&self) -> Option<ArrayTy> {
        match self {
            Ty::Array(a) => Some(*a),
            _ => None,
        }
    }
    pub fn is_literal(&self) -> bool {
        matches!(self, Ty::IntLit | Ty::FloatLit)
    }
    /// True when checks against this type must wait for the first call.
    pub fn is_open(&self) -> bool {
        matches!(self, Ty::Unknown | Ty::Deferred)
    }
    /// A scalar or a literal that will become one.
    pub fn is_scalar_like(&self) -> bool {
        matches!(self, Ty::Scalar(_) | Ty::IntLit | Ty::FloatLit)
    }

    /// Replace any literal left over by its default type (`i64`, `f64`).
    pub fn defaulted(&self) -> Ty {
        match self {
            Ty::IntLit => Ty::Scalar(Scalar::I64),
            Ty::FloatLit => Ty::Scalar(Scalar::F64),
            Ty::Tuple(items) => Ty::Tuple(items.iter().map(Ty::defaulted).collect()),
            t => t.clone(),
        }
    }
}

impl fmt::Display for Ty {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Ty::Unknown => f.write_str("_"),
            Ty::IntLit => f.write_str("{integer}"),
            Ty::FloatLit => f.write_str("{float}"),
            Ty::Deferred => f.write_str("_"),
            Ty::Unit => f.write_str("()"),
            Ty::Scalar(s) => f.write_str(s.rust_name()),
            Ty::Array(a) => write!(f, "{a}"),
            Ty::Tuple(items) => {
                f.write_str("(")?;
                for (i, t) in items.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "{t}")?;
                }
                if items.len() == 1 {
                    f.write_str(",")?;
                }
                f.write_str(")")
            }
        }
    }
}

/// Arrays print in Numba's signature syntax: `f32[:, ::1]`, with `mut` in front when writable.
impl fmt::Display for ArrayTy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.mutable {
            f.write_str("mut ")?;
        }
        write!(f, "{}[", self.elem.rust_name())?;
        let n = usize::from(self.ndim);
        for axis in 0..n {
            if axis > 0 {
                f.write_str(", ")?;
            }
            let contiguous = match self.layout {
                Layout::C => axis == n - 1,
                Layout::F => axis == 0,
                Layout::Any => false,
            };
            f.write_str(if contiguous { "::1" } else { ":" })?;
        }
        f.write_str("]")
    }
}

/// The type two scalar operands are converted to (DSL.md §4, "Mixed operands promote").
/// `None` when they do not combine (`bool` with a number).
pub fn promote(a: Scalar, b: Scalar) -> Option<Scalar> {
    use Scalar::*;
    if a == b {
        return Some(a);
    }
    if a == Bool || b == Bool {
        return None;
    }
    if a.is_complex() || b.is_complex() {
        let real = promote_real(a.real_part(), b.real_part());
        return Some(Scalar::complex_of(real));
    }
    Some(promote_real(a, b))
}

fn promote_real(a: Scalar, b: Scalar) -> Scalar {
    use Scalar::*;
    if a == b {
        return a;
    }
    match (a.is_float(), b.is_float()) {
        (true, true) => F64,
        (true, false) => a,
        (false, true) => b,
        (false, false) => {
            if a.is_signed() == b.is_signed() {
                // The wider wins; between a pointer-sized and a fixed 64-bit type, the fixed one.
                match a.bits().cmp(&b.bits()) {
                    std::cmp::Ordering::Greater => a,
                    std::cmp::Ordering::Less => b,
                    std::cmp::Ordering::Equal => {
                        if matches!(a, Isize | Usize) {
                            b
                        } else {
                            a
                        }
                    }
                }
            } else {
                let (s, u) = if a.is_signed() { (a, b) } else { (b, a) };
                let bits = s.bits().max((u.bits() * 2).min(64));
                Scalar::signed_of_bits(bits)
            }
        }
    }
}

/// Whether a value of type `from` may be stored where `to` is expected without an `as`: the
/// promotion of the two is `to` itself (a widening, or an int into a float).
pub fn converts_implicitly(from: Scalar, to: Scalar) -> bool {
    promote(from, to) == Some(to)
}

/// The join of two types assigned to one variable: the least type holding both.
pub fn join(a: &Ty, b: &Ty) -> Option<Ty> {
    use Ty::*;
    Some(match (a, b) {
        (Unknown, t) | (t, Unknown) => t.clone(),
        (Deferred, _) | (_, Deferred) => Deferred,
        (IntLit, IntLit) => IntLit,
        (IntLit | FloatLit, FloatLit) | (FloatLit, IntLit) => FloatLit,
        (IntLit, Scalar(s)) | (Scalar(s), IntLit) if s.is_numeric() => Scalar(*s),
        (FloatLit, Scalar(s)) | (Scalar(s), FloatLit) if s.is_numeric() => {
            if s.is_int() {
                Scalar(self::Scalar::F64)
            } else {
                Scalar(*s)
            }
        }
        (Scalar(x), Scalar(y)) => Scalar(promote(*x, *y)?),
        (Array(x), Array(y)) if x.elem == y.elem && x.ndim == y.ndim => Array(ArrayTy {
            elem: x.elem,
            ndim: x.ndim,
            layout: x.layout.join(y.layout),
            mutable: x.mutable && y.mutable,
        }),
        (Tuple(x), Tuple(y)) if x.len() == y.len() => {
            let items: Option<Vec<Ty>> = x.iter().zip(y).map(|(p, q)| join(p, q)).collect();
            Tuple(items?)
        }
        (Unit, Unit) => Unit,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::Scalar::*;
    use super::*;

    #[test]
    fn promotion_follows_the_dsl_table() {
        assert_eq!(promote(I32, I64), Some(I64));
        assert_eq!(promote(U8, U32), Some(U32));
        assert_eq!(promote(U64, I64), Some(I64));
        assert_eq!(promote(U8, I8), Some(I16));
        assert_eq!(promote(U32, I16), Some(I64));
        assert_eq!(promote(I64, F32), Some(F32));
        assert_eq!(promote(F32, F64), Some(F64));
        assert_eq!(promote(F64, C64), Some(C128));
        assert_eq!(promote(I32, C64), Some(C64));
        assert_eq!(promote(Usize, U64), Some(U64));
        assert_eq!(promote(Bool, F64), None);
        assert_eq!(promote(Bool, Bool), Some(Bool));
    }

    #[test]
    fn literals_take_the_type_they_meet() {
        assert_eq!(join(&Ty::FloatLit, &Ty::Scalar(F32)), Some(Ty::Scalar(F32)));
        assert_eq!(join(&Ty::IntLit, &Ty::Scalar(U64)), Some(Ty::Scalar(U64)));
        assert_eq!(join(&Ty::IntLit, &Ty::FloatLit), Some(Ty::FloatLit));
        assert_eq!(join(&Ty::FloatLit, &Ty::Scalar(I64)), Some(Ty::Scalar(F64)));
        assert_eq!(join(&Ty::IntLit, &Ty::Scalar(Bool)), None);
    }

    #[test]
    fn arrays_print_in_signature_syntax() {
        let a = ArrayTy { elem: F32, ndim: 2, layout: Layout::C, mutable: false };
        assert_eq!(a.to_string(), "f32[:, ::1]");
        let b = ArrayTy { elem: U64, ndim: 1, layout: Layout::Any, mutable: true };
        assert_eq!(b.to_string(), "mut u64[:]");
    }
}

/// The value of a module-level `const` or `static` item, frozen at a kernel's first call.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Constant {
    Bool(bool),
    /// An integer of the given type.
    Int(i128, Scalar),
    /// A float of the given type.
    Float(f64, Scalar),
    /// A complex number (real, imaginary) of the given type.
    Complex(f64, f64, Scalar),
}

impl Constant {
    pub fn scalar(&self) -> Scalar {
        match *self {
            Constant::Bool(_) => Scalar::Bool,
            Constant::Int(_, s) | Constant::Float(_, s) | Constant::Complex(_, _, s) => s,
        }
    }
}

impl std::fmt::Display for Constant {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Constant::Bool(b) => write!(f, "{b}"),
            Constant::Int(v, s) => write!(f, "{v}{}", s.rust_name()),
            Constant::Float(v, s) => write!(f, "{v:?}{}", s.rust_name()),
            Constant::Complex(re, im, s) => write!(f, "({re:?}, {im:?}){}", s.rust_name()),
        }
    }
}

/// What a name that is neither a local nor a parameter means when lowering.
#[derive(Clone, Copy, Debug)]
pub enum Globals<'a> {
    /// Nothing: the name is unknown.
    None,
    /// A module-level constant whose type and value rustc and the first call will give (the
    /// macro's check).
    Open,
    /// The values frozen at the first call, by name.
    Frozen(&'a [(&'a str, Constant)]),
}
