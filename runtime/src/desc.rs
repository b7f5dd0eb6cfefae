//! What the macro embeds for one njit function: its source text, options and callees. A function's
//! identity in every stage after this one (the frontend's parse cache, codegen's worklist, the
//! cache key, the interpreter) is the address of its `FnDesc`; the dispatcher that holds it comes
//! last.

use num_complex::{Complex32, Complex64};
use rjit_front::{Constant, Scalar};
use std::sync::OnceLock;

/// The module-level `const` and `static` items a body names, read once, at the first call that
/// needs them (Numba freezes globals the same way): later changes to a `static` are not seen.
pub struct GlobalValues {
    read: fn() -> Vec<(&'static str, Constant)>,
    frozen: OnceLock<Vec<(&'static str, Constant)>>,
}

impl GlobalValues {
    /// `read` gives each name with its value; the macro writes it where the function is defined,
    /// so the names resolve as in the function's own scope.
    pub const fn new(read: fn() -> Vec<(&'static str, Constant)>) -> Self {
        GlobalValues { read, frozen: OnceLock::new() }
    }

    pub fn get(&self) -> &[(&'static str, Constant)] {
        self.frozen.get_or_init(self.read)
    }
}

/// A type whose values can be a module-level constant of an njit function: the DSL's scalars.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be a module-level constant of an njit function",
    label = "named in an njit function's body",
    note = "a name that is not a local must be a `const` or `static` of a scalar type: `bool`, an integer, `f32`, `f64`, `Complex32` or `Complex64`",
    note = "pass anything else as a parameter"
)]
pub trait Global {
    fn constant(&self) -> Constant;
}

macro_rules! global_ints {
    ($($t:ty => $s:ident),*) => {$(
        impl Global for $t {
            fn constant(&self) -> Constant {
                Constant::Int(*self as i128, Scalar::$s)
            }
        }
    )*};
}
global_ints!(i8 => I8, i16 => I16, i32 => I32, i64 => I64, isize => Isize,
    u8 => U8, u16 => U16, u32 => U32, u64 => U64, usize => Usize);

impl Global for bool {
    fn constant(&self) -> Constant {
        Constant::Bool(*self)
    }
}
impl Global for f32 {
    fn constant(&self) -> Constant {
        Constant::Float(f64::from(*self), Scalar::F32)
    }
}
impl Global for f64 {
    fn constant(&self) -> Constant {
        Constant::Float(*self, Scalar::F64)
    }
}
impl Global for Complex32 {
    fn constant(&self) -> Constant {
        Constant::Complex(f64::from(self.re), f64::from(self.im), Scalar::C64)
    }
}
impl Global for Complex64 {
    fn constant(&self) -> Constant {
        Constant::Complex(self.re, self.im, Scalar::C128)
    }
}

/// What the macro writes for each module-level constant a body names.
pub fn global<T: Global>(value: &T) -> Constant {
    value.constant()
}

/// The options of `#[njit(...)]` as the runtime needs them.
#[derive(Clone, Copy, Debug)]
pub struct Options {
    pub parallel: bool,
    /// Fast-math flags, comma-separated; empty when off.
    pub fastmath: &'static str,
    pub cache: bool,
    pub boundscheck: bool,
    pub inline: bool,
}

/// What the macro embeds for one njit function.
pub struct FnDesc {
    pub name: &'static str,
    /// The function's tokens, printed keeping lines and columns (see `rjit_front::source`).
    pub source: &'static str,
    /// The user-file line of `source`'s first line.
    pub base_line: u32,
    pub file: &'static str,
    pub options: Options,
    /// The njit functions the body calls, by the path written in the body.
    pub callees: &'static [(&'static str, &'static &'static FnDesc)],
    /// `sig = …`: when present, the only signatures accepted, compiled together at first use.
    pub sigs: &'static [&'static str],
    /// `-> _`: the caller chooses the return type; the argument codes and types end with it, and
    /// it is checked against the type the body returns.
    pub ret_inferred: bool,
    /// The module-level constants the body names.
    pub globals: GlobalValues,
}

impl FnDesc {
    /// How lowering resolves the body's module-level constants: to their frozen values.
    pub fn frozen_globals(&self) -> rjit_front::Globals<'_> {
        rjit_front::Globals::Frozen(self.globals.get())
    }
}

impl std::fmt::Debug for FnDesc {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FnDesc").field("name", &self.name).finish_non_exhaustive()
    }
}
