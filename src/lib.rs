//! rjit: a Numba-style JIT compiler for numeric Rust kernels.
//!
//! Annotate a function with [`njit`] and write its body in a NumPy-like DSL (Rust syntax, NumPy
//! names, Rust operators). `cargo build` type-checks the body; the first call with a new tuple of
//! argument types (dtype, rank, memory layout, mutability) compiles it with LLVM for the host CPU;
//! later calls go straight to the machine code.
//!
//! ```
//! use rjit::prelude::*;
//!
//! #[njit]
//! fn get_spike(h: ArrayView1<f32>, n: u64, r: f32) -> u64 {
//!     let mut s = 0.0;
//!     for i in range(0, n - 1) {
//!         s += h[i];
//!         if r <= s {
//!             return i;
//!         }
//!     }
//!     n - 1
//! }
//!
//! fn main() {
//!     let h = rjit::ndarray::arr1(&[0.25f32, 0.25, 0.5]);
//!     assert_eq!(get_spike(h.view(), 3, 0.3), 1);
//! }
//! ```
//!
//! An njit function is an item of a module (not of a function body): the macro also emits a module
//! of the same name (`get_spike::try_call`, `get_spike::signatures`, …) beside it.
//!
//! The language is described in the repository's `DSL.md`; errors at run time (an index out of
//! bounds, a division by zero, a failed `assert!`) panic with the function, file, line and column,
//! or come back as [`Error`] values from `name::try_call`.

pub use ndarray;
pub use num_complex;
pub use rjit_macros::njit;
pub use rjit_runtime::bounds::{Float, Int, Num};
pub use rjit_runtime::{num_threads, set_num_threads, Error, Site, Stats};

/// The attribute and the types that appear in njit signatures.
pub mod prelude {
    pub use crate::njit;
    pub use crate::{Float, Int, Num};
    pub use ndarray::{Array1, Array2, Array3, Array4, ArrayView1, ArrayView2, ArrayView3, ArrayView4};
    pub use ndarray::{ArrayViewMut1, ArrayViewMut2, ArrayViewMut3, ArrayViewMut4};
    pub use num_complex::{Complex32, Complex64};
}

/// What the `#[njit]` macro's expansion refers to. Not a public API.
#[doc(hidden)]
pub mod __private {
    pub use rjit_runtime::abi::{AbiValue, Arg, Ret};
    pub use rjit_runtime::bounds::{
        declared_as, val, writes_through, ArraySharedByPrangeIterations, DeclaredAs, FromDsl, Literal, OwnedArray,
    };
    pub use rjit_runtime::bounds::{
        NotSharedByPrange, ReadOnlyArray, ReturnsReadOnly, ReturnsUnknown, ReturnsWritable, Unknown, WritableArray,
    };
    pub use rjit_runtime::Constant;
    pub use rjit_runtime::{fail, global, race_detector, Dispatcher, FnDesc, GlobalValues, Options};
}
