//! Run-time errors of njit functions, as values (`try_call`) and as panic messages.

use std::fmt;

/// Where in the user's source an error happened.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Site {
    pub function: String,
    pub file: String,
    pub line: u32,
    pub column: u32,
}

impl fmt::Display for Site {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Columns print 1-based, as rustc prints them.
        write!(f, "`{}` at {}:{}:{}", self.function, self.file, self.line, self.column + 1)
    }
}

/// What went wrong in a call to an njit function.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub enum Error {
    /// An index outside `-size..size` (signed) or `0..size` (unsigned).
    IndexOutOfBounds { site: Site, index: i128, axis: u32, size: u64 },
    /// Integer division or remainder by zero.
    DivisionByZero { site: Site },
    /// `MIN / -1` or `MIN % -1` on a signed integer.
    Overflow { site: Site },
    /// `assert!` failed.
    AssertionFailed { site: Site, message: Option<String> },
    /// An array too large to allocate.
    AllocationFailed { site: Site, bytes: u128 },
    /// `range(…, …, 0)`.
    ZeroStep { site: Site },
    /// Arrays of different shapes combined element-wise.
    ShapeMismatch { site: Site, axis: u32, left: u64, right: u64 },
    /// `min`/`max` of an empty array, which has no value.
    EmptyReduction { site: Site },
    /// A negative exponent in an integer power.
    NegativePower { site: Site },
    /// `np.random.randint(low, high)` with `low >= high`.
    EmptyRange { site: Site, low: i64, high: i64 },
    /// `np.random.choice` of an empty array or a count below 1 (the count, or the array's length).
    EmptyChoice { site: Site, count: i64 },
    /// `reshape` to a shape whose size is not the array's (`into`: the product of the axes given,
    /// `-1` counting as 1), or with an axis below -1 or two `-1`s (`bad_axes`).
    Reshape { site: Site, size: i64, into: i64, bad_axes: bool },
    /// `np.arange` with a NaN bound or step, whose length cannot be computed.
    NanLength { site: Site },
    /// The function has `sig = …` and none of its signatures accepts these arguments.
    NoMatchingSignature { function: String, given: String, accepted: Vec<String> },
    /// Under `-> _`, the caller asked for another type than the body returns.
    ReturnTypeMismatch { function: String, expected: String, found: String },
    /// A signature given to `name::compile` does not parse or does not fit the function.
    InvalidSignature { function: String, message: String },
    /// The body could not be compiled for these argument types (only mistakes that depend on the
    /// types of a call, which the macro cannot see, get this far).
    Compile { function: String, message: String },
    /// A writable array argument of a `parallel` function overlaps another array argument in
    /// memory (possible only in a call from another njit function): its `prange` loops were
    /// proved race-free on the promise that they are apart.
    OverlappingArguments { site: Site, first: String, second: String },
    /// The threads `prange` loops run on could not be started (a thread limit, or a thread count
    /// rjit refuses).
    ThreadPool { message: String },
}

impl Error {
    /// Where the error happened, when it happened while running.
    pub fn site(&self) -> Option<&Site> {
        use Error::*;
        match self {
            IndexOutOfBounds { site, .. }
            | DivisionByZero { site }
            | Overflow { site }
            | AssertionFailed { site, .. }
            | AllocationFailed { site, .. }
            | ZeroStep { site }
            | ShapeMismatch { site, .. }
            | EmptyReduction { site }
            | NegativePower { site }
            | EmptyRange { site, .. }
            | EmptyChoice { site, .. }
            | Reshape { site, .. }
            | NanLength { site }
            | OverlappingArguments { site, .. } => Some(site),
            Compile { .. }
            | NoMatchingSignature { .. }
            | InvalidSignature { .. }
            | ReturnTypeMismatch { .. }
            | ThreadPool { .. } => None,
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use Error::*;
        let what = match self {
            IndexOutOfBounds { index, axis, size, .. } => {
                format!("index {index} is out of bounds for axis {axis} with size {size}")
            }
            DivisionByZero { .. } => "attempt to divide by zero".to_string(),
            Overflow { .. } => "attempt to divide with overflow".to_string(),
            AssertionFailed { message: Some(m), .. } => format!("assertion failed: {m}"),
            AssertionFailed { message: None, .. } => "assertion failed".to_string(),
            AllocationFailed { bytes, .. } => format!("cannot allocate an array of {bytes} bytes"),
            ZeroStep { .. } => "range step must not be zero".to_string(),
            ShapeMismatch { axis, left, right, .. } => {
                format!("shapes differ on axis {axis}: {left} and {right}")
            }
            EmptyReduction { .. } => "zero-size array has no minimum or maximum".to_string(),
            NegativePower { .. } => "integers cannot be raised to negative integer powers".to_string(),
            EmptyRange { low, high, .. } => format!("randint needs low < high, found {low} and {high}"),
            Reshape { bad_axes: true, .. } => {
                "reshape takes axes of size 0 or more, and at most one -1 (the size that fits)".to_string()
            }
            Reshape { size, into, .. } => {
                format!("cannot reshape an array of size {size} into a shape whose axes make {into}")
            }
            EmptyChoice { count, .. } => {
                format!("choice needs a non-empty array or a count of at least 1 to draw from, found {count}")
            }
            NanLength { .. } => "arange cannot compute its length: a bound or the step is NaN".to_string(),
            OverlappingArguments { first, second, .. } => {
                format!("the arguments `{first}` and `{second}` overlap in memory, and the `prange` loops of a `parallel` function need a writable array apart from the others (pass a copy)")
            }
            Compile { function, message } => return write!(f, "rjit: cannot compile `{function}`: {message}"),
            NoMatchingSignature { function, given, accepted } => {
                return write!(
                    f,
                    "rjit: no signature of `{function}` accepts {given}; its signatures are {}",
                    accepted.join(", ")
                )
            }
            ReturnTypeMismatch { function, expected, found } => {
                return write!(
                    f,
                    "rjit: `{function}` returns `{found}`, but the caller expects `{expected}` (nothing is converted)"
                )
            }
            InvalidSignature { function, message } => {
                return write!(f, "rjit: invalid signature for `{function}`: {message}")
            }
            ThreadPool { message } => {
                return write!(f, "rjit: cannot start the threads `prange` loops run on: {message}")
            }
        };
        let site = self.site().expect("run-time errors have a site");
        write!(f, "rjit: {what} in {site}")
    }
}

impl std::error::Error for Error {}
