//! Traits the macro's expansion uses at compile time.
//!
//! - `Float`, `Int`, `Num`: the bounds of generic njit functions' type parameters.
//! - `FromDsl<M>`: "a parameter of this Rust type accepts an argument of DSL type `M`". Each call
//!   from one njit function to another becomes, in dead code, a call of the callee's `__rjit_check`
//!   (which has the callee's real parameter types) with markers of the arguments' DSL types, so
//!   rustc checks arity and types against the callee's signature and points at the call.

use crate::abi::{Arg, Element, Ret};
use ndarray::{Array, ArrayView, ArrayViewMut, Dim, Ix};
use num_complex::{Complex32, Complex64};
use std::marker::PhantomData;

mod sealed {
    pub trait Sealed {}
}

/// `f32` and `f64`.
pub trait Float: Element + Arg + Ret + sealed::Sealed {}
/// The integer types.
pub trait Int: Element + Arg + Ret + sealed::Sealed {}
/// Integers and floats.
pub trait Num: Element + Arg + Ret + sealed::Sealed {}

macro_rules! bound {
    ($tr:ident: $($t:ty),*) => {$( impl $tr for $t {} )*};
}
macro_rules! sealed {
    ($($t:ty),*) => {$( impl sealed::Sealed for $t {} )*};
}
sealed!(i8, i16, i32, i64, isize, u8, u16, u32, u64, usize, f32, f64);
bound!(Float: f32, f64);
bound!(Int: i8, i16, i32, i64, isize, u8, u16, u32, u64, usize);
bound!(Num: i8, i16, i32, i64, isize, u8, u16, u32, u64, usize, f32, f64);

/// A parameter of type `Self` accepts an argument whose DSL type is `M`.
#[diagnostic::on_unimplemented(
    message = "an njit function's parameter of type `{Self}` cannot take an argument of type `{M}`",
    label = "this argument is a `{M}`",
    note = "numbers convert only by widening (an `i32` passes as an `i64`, an integer as a float); write `x as T` otherwise; a read-only array cannot be passed where a writable one is expected",
    note = "an array the iterations of a `prange` loop share can be passed only where it is read: pass a row `a[i]` led by the loop variable, or put the loop in `unsafe {{ }}` if the callee's writes are disjoint"
)]
pub trait FromDsl<M> {}

/// An unsuffixed literal: any number accepts it.
pub struct Literal;
/// A value whose type the macro cannot know yet (the result of another njit call): checked at the
/// first call instead.
pub struct Unknown;
/// A read-only array of `T` with `N` axes.
pub struct ReadOnlyArray<T, const N: usize>(PhantomData<T>);
/// A writable array of `T` with `N` axes.
pub struct WritableArray<T, const N: usize>(PhantomData<T>);
/// A writable array of `T` with `N` axes that every iteration of a `prange` loop reaches: only
/// read-only parameters take it, so a callee cannot race on it.
pub struct ArraySharedByPrangeIterations<T, const N: usize>(PhantomData<T>);

/// A value of any type, for dead code that only rustc sees.
pub fn val<T>() -> T {
    unreachable!("only used in code that never runs")
}

impl<P> FromDsl<Unknown> for P {}

macro_rules! same {
    ($($t:ty),*) => {$(
        impl FromDsl<$t> for $t {}
        impl FromDsl<Literal> for $t {}
    )*};
}
same!(i8, i16, i32, i64, isize, u8, u16, u32, u64, usize, f32, f64, Complex32, Complex64);
impl FromDsl<bool> for bool {}

// Widening conversions (DSL.md §4: the promotion of the two is the parameter's type).
macro_rules! widen {
    ($($from:ty => $to:ty),* $(,)?) => {$( impl FromDsl<$from> for $to {} )*};
}
widen!(i8=>i16, i8=>i32, i8=>i64, i8=>isize, i8=>f32, i8=>f64, i8=>Complex32, i8=>Complex64, i16=>i32,
    i16=>i64, i16=>isize, i16=>f32, i16=>f64, i16=>Complex32, i16=>Complex64, i32=>i64, i32=>isize,
    i32=>f32, i32=>f64, i32=>Complex32, i32=>Complex64, i64=>f32, i64=>f64, i64=>Complex32,
    i64=>Complex64, isize=>i64, isize=>f32, isize=>f64, isize=>Complex32, isize=>Complex64, u8=>i16,
    u8=>i32, u8=>i64, u8=>u16, u8=>u32, u8=>u64, u8=>usize, u8=>f32, u8=>f64, u8=>Complex32,
    u8=>Complex64, u16=>i32, u16=>i64, u16=>u32, u16=>u64, u16=>usize, u16=>f32, u16=>f64,
    u16=>Complex32, u16=>Complex64, u32=>i64, u32=>u64, u32=>usize, u32=>f32, u32=>f64,
    u32=>Complex32, u32=>Complex64, u64=>i64, u64=>f32, u64=>f64, u64=>Complex32, u64=>Complex64,
    usize=>i64, usize=>u64, usize=>f32, usize=>f64, usize=>Complex32, usize=>Complex64, f32=>f64,
    f32=>Complex32, f32=>Complex64, f64=>Complex64, Complex32=>Complex64);

macro_rules! arrays {
    ($($n:literal),*) => {$(
        impl<'a, T: Element> FromDsl<ReadOnlyArray<T, $n>> for ArrayView<'a, T, Dim<[Ix; $n]>> {}
        impl<'a, T: Element> FromDsl<WritableArray<T, $n>> for ArrayView<'a, T, Dim<[Ix; $n]>> {}
        impl<'a, T: Element> FromDsl<WritableArray<T, $n>> for ArrayViewMut<'a, T, Dim<[Ix; $n]>> {}
        impl<'a, T: Element> FromDsl<ReadOnlyArray<T, $n>> for &'a Array<T, Dim<[Ix; $n]>> {}
        impl<'a, T: Element> FromDsl<ArraySharedByPrangeIterations<T, $n>> for ArrayView<'a, T, Dim<[Ix; $n]>> {}
        impl<'a, T: Element> FromDsl<ArraySharedByPrangeIterations<T, $n>> for &'a Array<T, Dim<[Ix; $n]>> {}
        impl<'a, T: Element> FromDsl<WritableArray<T, $n>> for &'a Array<T, Dim<[Ix; $n]>> {}
        impl<'a, T: Element> FromDsl<WritableArray<T, $n>> for &'a mut Array<T, Dim<[Ix; $n]>> {}
    )*};
}
arrays!(1, 2, 3, 4);
impl<T: Element> FromDsl<ReadOnlyArray<T, 1>> for &[T] {}
impl<T: Element> FromDsl<WritableArray<T, 1>> for &[T] {}
impl<T: Element> FromDsl<ArraySharedByPrangeIterations<T, 1>> for &[T] {}
impl<T: Element> FromDsl<WritableArray<T, 1>> for &mut [T] {}

/// An owned array of `T` with `N` axes, as a function returns it.
pub struct OwnedArray<T, const N: usize>(PhantomData<T>);

/// "The Rust type `Self` is exactly the DSL type `M`": the macro asks it of each parameter and
/// of the return type, so that rustc, which resolves the spelling where the function is defined,
/// confirms what the body was checked with.
#[diagnostic::on_unimplemented(
    message = "this type is `{Self}` where the function is defined, not the `{M}` its spelling names",
    label = "rjit reads this as `{M}`",
    note = "a type alias or a shadowed name gives this spelling another meaning here; write the type by its real name (`f64`, `ArrayView1<f64>`, …)"
)]
pub trait DeclaredAs<M> {}

/// Dead code for rustc: compiles only when `T` is exactly the DSL type `M`.
pub fn declared_as<T: DeclaredAs<M> + ?Sized, M>() {}

macro_rules! exact {
    ($($t:ty),*) => {$( impl DeclaredAs<$t> for $t {} )*};
}
exact!(bool, i8, i16, i32, i64, isize, u8, u16, u32, u64, usize, f32, f64, Complex32, Complex64, ());

macro_rules! exact_arrays {
    ($($n:literal),*) => {$(
        impl<'a, T: Element> DeclaredAs<ReadOnlyArray<T, $n>> for ArrayView<'a, T, Dim<[Ix; $n]>> {}
        impl<'a, T: Element> DeclaredAs<WritableArray<T, $n>> for ArrayViewMut<'a, T, Dim<[Ix; $n]>> {}
        impl<'a, T: Element> DeclaredAs<ReadOnlyArray<T, $n>> for &'a Array<T, Dim<[Ix; $n]>> {}
        impl<'a, T: Element> DeclaredAs<WritableArray<T, $n>> for &'a mut Array<T, Dim<[Ix; $n]>> {}
        impl<T: Element> DeclaredAs<OwnedArray<T, $n>> for Array<T, Dim<[Ix; $n]>> {}
    )*};
}
exact_arrays!(1, 2, 3, 4);
impl<T: Element> DeclaredAs<ReadOnlyArray<T, 1>> for &[T] {}
impl<T: Element> DeclaredAs<WritableArray<T, 1>> for &mut [T] {}

macro_rules! exact_tuples {
    ($(($($t:ident $m:ident),*))*) => {$(
        impl<$($t: DeclaredAs<$m>, $m),*> DeclaredAs<($($m,)*)> for ($($t,)*) {}
    )*};
}
exact_tuples! {
    (A MA)
    (A MA, B MB)
    (A MA, B MB, C MC)
    (A MA, B MB, C MC, D MD)
    (A MA, B MB, C MC, D MD, E ME)
    (A MA, B MB, C MC, D MD, E ME, F MF)
    (A MA, B MB, C MC, D MD, E ME, F MF, G MG)
    (A MA, B MB, C MC, D MD, E ME, F MF, G MG, H MH)
    (A MA, B MB, C MC, D MD, E ME, F MF, G MG, H MH, I MI)
    (A MA, B MB, C MC, D MD, E ME, F MF, G MG, H MH, I MI, J MJ)
    (A MA, B MB, C MC, D MD, E ME, F MF, G MG, H MH, I MI, J MJ, K MK)
    (A MA, B MB, C MC, D MD, E ME, F MF, G MG, H MH, I MI, J MJ, K MK, L ML)
}

/// What an njit function returns, as its macro saw it: arrays a caller may write
/// (`ReturnsWritable`), read-only memory (a view of a read-only argument: `ReturnsReadOnly`), or
/// not known before the first call (`ReturnsUnknown`, checked then).
pub struct ReturnsWritable;
/// See [`ReturnsWritable`].
pub struct ReturnsReadOnly;
/// See [`ReturnsWritable`].
pub struct ReturnsUnknown;

/// A caller writes through what an njit function returned: only writable memory may come back.
#[diagnostic::on_unimplemented(
    message = "this writes through an array that an njit function returned as read-only memory (a view of a read-only argument)",
    label = "written here",
    note = "return a copy from the callee (`a.copy()`), or give the callee a writable parameter and pass it a writable array"
)]
pub trait WritableResult {}
impl WritableResult for ReturnsWritable {}
impl WritableResult for ReturnsUnknown {}

/// Dead code for rustc: compiles only when `R` says the returned memory is writable.
pub fn writes_through<R: WritableResult>() {}

/// Every argument marker but [`ArraySharedByPrangeIterations`]: what a `_` or generic parameter
/// may take, since it might write it.
#[diagnostic::on_unimplemented(
    message = "an array the iterations of a `prange` loop share cannot be passed to a `_` or generic parameter",
    label = "every iteration reaches this array",
    note = "such a parameter takes the array as it is, writable, and the callee might write it: declare the parameter read-only (`ArrayView1<T>`, `&[T]`), pass the row the iteration owns (`a[i]`), or put the loop in `unsafe {{ }}` if the callee's writes are disjoint"
)]
pub trait NotSharedByPrange {}
impl NotSharedByPrange for Literal {}
impl NotSharedByPrange for Unknown {}
impl<T, const N: usize> NotSharedByPrange for ReadOnlyArray<T, N> {}
impl<T, const N: usize> NotSharedByPrange for WritableArray<T, N> {}
macro_rules! not_shared {
    ($($t:ty),*) => {$( impl NotSharedByPrange for $t {} )*};
}
not_shared!(bool, i8, i16, i32, i64, isize, u8, u16, u32, u64, usize, f32, f64, Complex32, Complex64);
