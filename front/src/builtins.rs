//! The one table of NumPy names (`np.…`) and methods the DSL knows, with the arity each takes.
//! Their typing rules live in `infer::builtins`; their code in the runtime's `codegen::intrinsics`.

use crate::ty::Scalar;

/// Element-wise math functions of one float argument.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Math1 {
    Sqrt,
    Exp,
    Log,
    Log2,
    Log10,
    Sin,
    Cos,
    Tan,
    Arcsin,
    Arccos,
    Arctan,
    Sinh,
    Cosh,
    Tanh,
    Floor,
    Ceil,
    Trunc,
    /// Rounds halves to even, as NumPy does.
    Round,
    /// Rounds halves away from zero, as Rust's `f64::round` does.
    RoundAway,
    Expm1,
    Log1p,
    Arcsinh,
    Arccosh,
    Arctanh,
    /// `np.fabs`, `math.fabs`: the absolute value as a float, whatever the argument's type.
    Fabs,
    /// `math.erf`, `math.erfc`, `math.gamma`, `math.lgamma` (the math module's; NumPy has none).
    Erf,
    Erfc,
    Gamma,
    Lgamma,
}

/// Functions of two scalar arguments.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Math2 {
    Power,
    Arctan2,
    /// NumPy's: NaN wins.
    Minimum,
    Maximum,
    /// Python's `min(a, b)` / `max(a, b)`: `b` when it is strictly below (above) `a`, else `a`; so
    /// a NaN `a` stays and a NaN `b` loses, as in Python and Numba.
    PyMin,
    PyMax,
    Hypot,
    Copysign,
}

/// Reductions over every element of an array.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Reduce {
    Sum,
    Prod,
    Min,
    Max,
    Mean,
}

impl Reduce {
    /// The type a reduction accumulates in, for elements of `elem` and a result of type `out`:
    /// `mean` of integers or bools sums in f64, of floats in their own type; the others in the
    /// result's type (NumPy's: `sum` of narrow integers in i64 or u64).
    pub fn accumulator(self, elem: Scalar, out: Scalar) -> Scalar {
        match self {
            Reduce::Mean if elem.is_int() || elem == Scalar::Bool => Scalar::F64,
            Reduce::Mean => elem,
            _ => out,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Alloc {
    Zeros,
    Ones,
    Empty,
    Full,
}

/// Tests on a number giving a `bool`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Test {
    IsNan,
    IsInf,
    IsFinite,
}

/// `np.random.<name>`. Lowering gives each its canonical arguments (defaults filled in, `size`
/// last when present): `seed(s)`, `random([size])`, `uniform(low, high[, size])`,
/// `normal(loc, scale[, size])`, `randint(low, high[, size])`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Random {
    Seed,
    Random,
    Uniform,
    Normal,
    Randint,
    /// `permutation(n)`: `0..n` shuffled (int64); `permutation(a)`: a shuffled copy of `a`.
    Permutation,
    /// `choice(a[, size])`: elements of the 1-D `a` drawn uniformly with replacement;
    /// `choice(n[, size])` draws from `0..n`.
    Choice,
}

impl Random {
    pub fn lookup(name: &str) -> Option<Random> {
        Some(match name {
            "seed" => Random::Seed,
            "random" | "random_sample" => Random::Random,
            "uniform" => Random::Uniform,
            "normal" => Random::Normal,
            "randint" => Random::Randint,
            "permutation" => Random::Permutation,
            "choice" => Random::Choice,
            _ => return None,
        })
    }
    /// How many positional arguments come before `size`, when all are given.
    pub fn params(self) -> usize {
        match self {
            Random::Seed => 1,
            Random::Random => 0,
            Random::Permutation | Random::Choice => 1,
            Random::Uniform | Random::Normal | Random::Randint => 2,
        }
    }
}

/// A NumPy name called as a function.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Builtin {
    Random(Random),
    /// `np.argmin(a)` (`false`), `np.argmax(a)` (`true`).
    Arg(bool),
    Alloc(Alloc),
    /// `np.zeros_like(a)`, `np.ones_like(a)`, `np.empty_like(a)`, `np.full_like(a, v)`: an array of
    /// `a`'s shape, filled as the `Alloc` of the same name fills it.
    Like(Alloc),
    Arange,
    Linspace,
    Cumsum,
    Dot,
    /// `np.sort(a)`: a sorted copy; `np.argsort(a)` / `a.argsort()` (`arg`): the indices (`usize`)
    /// that sort it. Along the last axis, NaN last, stable.
    Sort {
        arg: bool,
    },
    Test(Test),
    /// `np.where(c, a, b)` on scalars.
    Where,
    Math1(Math1),
    Math2(Math2),
    Abs,
    /// `np.float32(x)` and friends: a cast.
    Dtype(Scalar),
    Reduce(Reduce),
    /// `np.pi`, `np.e`, `np.inf`, `np.nan`: not called, but resolved in the same table.
    Const(f64),
}

/// A method called on a value: `a.sum()`, `x.sqrt()`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Method {
    /// `t()`: the transposed view.
    T,
    Copy,
    Fill,
    Argmin,
    Argmax,
    Dot,
    /// `z.re`, `z.im` (written as fields), `z.conj()`.
    Re,
    Im,
    Conj,
    Len,
    Shape,
    Ndim,
    Size,
    Reduce(Reduce),
    Math1(Math1),
    Abs,
    /// `x.min(y)`, `x.max(y)`: on scalars. On arrays, `min()`/`max()` are reductions.
    MinWith,
    MaxWith,
    Powi,
    Powf,
    /// `a.ravel()`, `a.flat`: the elements in C order as a 1-D array, read-only (the array itself
    /// when it is 1-D, else a copy; NumPy's view or copy, which writes could tell apart, so none
    /// are allowed).
    Ravel,
    /// `a.flatten()`: a fresh C-contiguous 1-D copy.
    Flatten,
    /// `np.random.shuffle(a)`: shuffles `a` in place along its first axis (Fisher–Yates from the
    /// end, as NumPy). Written as a NumPy function only; a method because it writes its receiver.
    Shuffle,
    /// `a.sort()`: sorts `a` in place along its last axis (NaN last, stable).
    Sort,
    /// `a.reshape(shape)`, `np.reshape(a, shape)`: a C-contiguous array's elements under another
    /// shape (one axis may be `-1`): a view of a C-contiguous array; otherwise a read-only copy,
    /// so no write can tell NumPy's view and copy apart.
    Reshape,
}

impl Builtin {
    /// Looks up `np.<name>`.
    pub fn lookup(name: &str) -> Option<Builtin> {
        use Builtin::*;
        Some(match name {
            "zeros" => Alloc(self::Alloc::Zeros),
            "ones" => Alloc(self::Alloc::Ones),
            "empty" => Alloc(self::Alloc::Empty),
            "full" => Alloc(self::Alloc::Full),
            "abs" | "absolute" => Abs,
            "power" => Math2(self::Math2::Power),
            "arctan2" => Math2(self::Math2::Arctan2),
            "minimum" => Math2(self::Math2::Minimum),
            "maximum" => Math2(self::Math2::Maximum),
            "hypot" => Math2(self::Math2::Hypot),
            "copysign" => Math2(self::Math2::Copysign),
            "sum" => Reduce(self::Reduce::Sum),
            "prod" => Reduce(self::Reduce::Prod),
            "min" | "amin" => Reduce(self::Reduce::Min),
            "max" | "amax" => Reduce(self::Reduce::Max),
            "mean" => Reduce(self::Reduce::Mean),
            "argmin" => Arg(false),
            "argmax" => Arg(true),
            "zeros_like" => Like(self::Alloc::Zeros),
            "ones_like" => Like(self::Alloc::Ones),
            "empty_like" => Like(self::Alloc::Empty),
            "full_like" => Like(self::Alloc::Full),
            "arange" => Arange,
            "linspace" => Linspace,
            "cumsum" => Cumsum,
            "dot" => Dot,
            "sort" => Sort { arg: false },
            "argsort" => Sort { arg: true },
            "isnan" => Test(self::Test::IsNan),
            "isinf" => Test(self::Test::IsInf),
            "isfinite" => Test(self::Test::IsFinite),
            "where" | "r#where" | "where_" => Where,
            "pi" => Const(std::f64::consts::PI),
            "e" => Const(std::f64::consts::E),
            "inf" => Const(f64::INFINITY),
            "nan" => Const(f64::NAN),
            other => {
                if let Some(m) = math1(other) {
                    Math1(m)
                } else {
                    Dtype(Scalar::from_numpy_name(other)?)
                }
            }
        })
    }

    /// How many positional arguments it takes (min, max).
    pub fn arity(self) -> (usize, usize) {
        match self {
            Builtin::Alloc(self::Alloc::Full) | Builtin::Like(self::Alloc::Full) => (2, 2),
            Builtin::Alloc(_) => (1, 1),
            Builtin::Math1(_) | Builtin::Abs | Builtin::Reduce(_) => (1, 1),
            // `np.complex128(re, im)` builds a complex number.
            Builtin::Dtype(s) if s.is_complex() => (1, 2),
            Builtin::Dtype(_) => (1, 1),
            Builtin::Like(_) | Builtin::Cumsum | Builtin::Test(_) | Builtin::Arg(_) | Builtin::Sort { .. } => (1, 1),
            Builtin::Random(r) => (r.params(), r.params() + usize::from(r != Random::Seed)),
            Builtin::Arange => (1, 3),
            Builtin::Linspace | Builtin::Where => (3, 3),
            Builtin::Dot => (2, 2),
            Builtin::Math2(_) => (2, 2),
            Builtin::Const(_) => (0, 0),
        }
    }
}

fn math1(name: &str) -> Option<Math1> {
    use Math1::*;
    Some(match name {
        "sqrt" => Sqrt,
        "exp" => Exp,
        "log" => Log,
        "log2" => Log2,
        "log10" => Log10,
        "sin" => Sin,
        "cos" => Cos,
        "tan" => Tan,
        "arcsin" => Arcsin,
        "arccos" => Arccos,
        "arctan" => Arctan,
        "sinh" => Sinh,
        "cosh" => Cosh,
        "tanh" => Tanh,
        "floor" => Floor,
        "ceil" => Ceil,
        "trunc" => Trunc,
        "round" | "round_" | "rint" => Round,
        "expm1" => Expm1,
        "log1p" => Log1p,
        "arcsinh" => Arcsinh,
        "arccosh" => Arccosh,
        "arctanh" => Arctanh,
        "fabs" => Fabs,
        _ => return None,
    })
}

impl Method {
    /// Looks up `.name(…)`; the receiver's type decides later whether it applies.
    pub fn lookup(name: &str) -> Option<Method> {
        use Method::*;
        Some(match name {
            "t" => T,
            "copy" => Copy,
            "fill" => Fill,
            "sort" => Sort,
            "reshape" => Reshape,
            "argmin" => Argmin,
            "argmax" => Argmax,
            "dot" => Dot,
            "conj" => Conj,
            "len" => Len,
            "shape" => Shape,
            "ndim" => Ndim,
            "size" => Size,
            "sum" => Reduce(self::Reduce::Sum),
            "prod" => Reduce(self::Reduce::Prod),
            "mean" => Reduce(self::Reduce::Mean),
            "min" => MinWith,
            "max" => MaxWith,
            "abs" => Abs,
            "powi" => Powi,
            "powf" => Powf,
            "ravel" => Ravel,
            "flatten" => Flatten,
            // Rust's names for the float methods.
            "ln" => Math1(self::Math1::Log),
            "asin" => Math1(self::Math1::Arcsin),
            "acos" => Math1(self::Math1::Arccos),
            "atan" => Math1(self::Math1::Arctan),
            "round_ties_even" => Math1(self::Math1::Round),
            "round" => Math1(self::Math1::RoundAway),
            "exp_m1" => Math1(self::Math1::Expm1),
            "ln_1p" => Math1(self::Math1::Log1p),
            "asinh" => Math1(self::Math1::Arcsinh),
            "acosh" => Math1(self::Math1::Arccosh),
            "atanh" => Math1(self::Math1::Arctanh),
            other => Math1(math1(other)?),
        })
    }

    /// How many arguments it takes besides the receiver.
    pub fn arity(self) -> usize {
        match self {
            Method::MinWith
            | Method::MaxWith
            | Method::Powi
            | Method::Powf
            | Method::Fill
            | Method::Dot
            | Method::Reshape => 1,
            _ => 0,
        }
    }
}

/// `math.<name>` called as a function: what it lowers to. Python's `floor`, `ceil` and `trunc`
/// return integers (`Int`), `pow` and the one-argument functions floats.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum MathFn {
    Math1(Math1),
    Math2(Math2),
    Test(Test),
    /// `math.floor/ceil/trunc(x)`: the float function, then a cast to `i64`.
    Int(Math1),
    /// `math.pow(x, y)`: `np.power` on floats.
    Pow,
}

impl MathFn {
    /// Looks up `math.<name>`.
    pub fn lookup(name: &str) -> Option<MathFn> {
        use self::Math1::*;
        Some(match name {
            "floor" => MathFn::Int(Floor),
            "ceil" => MathFn::Int(Ceil),
            "trunc" => MathFn::Int(Trunc),
            "pow" => MathFn::Pow,
            "atan2" => MathFn::Math2(self::Math2::Arctan2),
            "hypot" => MathFn::Math2(self::Math2::Hypot),
            "copysign" => MathFn::Math2(self::Math2::Copysign),
            "isnan" => MathFn::Test(self::Test::IsNan),
            "isinf" => MathFn::Test(self::Test::IsInf),
            "isfinite" => MathFn::Test(self::Test::IsFinite),
            "sqrt" => MathFn::Math1(Sqrt),
            "exp" => MathFn::Math1(Exp),
            "expm1" => MathFn::Math1(Expm1),
            "log" => MathFn::Math1(Log),
            "log1p" => MathFn::Math1(Log1p),
            "log2" => MathFn::Math1(Log2),
            "log10" => MathFn::Math1(Log10),
            "sin" => MathFn::Math1(Sin),
            "cos" => MathFn::Math1(Cos),
            "tan" => MathFn::Math1(Tan),
            "asin" => MathFn::Math1(Arcsin),
            "acos" => MathFn::Math1(Arccos),
            "atan" => MathFn::Math1(Arctan),
            "sinh" => MathFn::Math1(Sinh),
            "cosh" => MathFn::Math1(Cosh),
            "tanh" => MathFn::Math1(Tanh),
            "asinh" => MathFn::Math1(Arcsinh),
            "acosh" => MathFn::Math1(Arccosh),
            "atanh" => MathFn::Math1(Arctanh),
            "fabs" => MathFn::Math1(Fabs),
            "erf" => MathFn::Math1(Erf),
            "erfc" => MathFn::Math1(Erfc),
            "gamma" => MathFn::Math1(Gamma),
            "lgamma" => MathFn::Math1(Lgamma),
            _ => return None,
        })
    }

    /// How many arguments it takes.
    pub fn arity(self) -> usize {
        match self {
            MathFn::Math2(_) | MathFn::Pow => 2,
            _ => 1,
        }
    }
}

/// `math.pi`, `math.e`, `math.tau`, `math.inf`, `math.nan`.
pub fn math_const(name: &str) -> Option<f64> {
    Some(match name {
        "pi" => std::f64::consts::PI,
        "e" => std::f64::consts::E,
        "tau" => std::f64::consts::TAU,
        "inf" => f64::INFINITY,
        "nan" => f64::NAN,
        _ => return None,
    })
}
