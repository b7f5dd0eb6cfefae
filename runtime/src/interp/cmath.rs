//! The C library's math functions the interpreter calls where compiled code calls them (`erf`,
//! `tgamma`, `asinh`, …), so both agree to the bit.

use rjit_front::Scalar;

// Rust's own `asinh`, `acosh` and `atanh` are other formulas than the C library's.
extern "C" {
    pub fn expm1(x: f64) -> f64;
    pub fn expm1f(x: f32) -> f32;
    pub fn log1p(x: f64) -> f64;
    pub fn log1pf(x: f32) -> f32;
    pub fn asinh(x: f64) -> f64;
    pub fn asinhf(x: f32) -> f32;
    pub fn acosh(x: f64) -> f64;
    pub fn acoshf(x: f32) -> f32;
    pub fn atanh(x: f64) -> f64;
    pub fn atanhf(x: f32) -> f32;
    pub fn erf(x: f64) -> f64;
    pub fn erff(x: f32) -> f32;
    pub fn erfc(x: f64) -> f64;
    pub fn erfcf(x: f32) -> f32;
    pub fn tgamma(x: f64) -> f64;
    pub fn tgammaf(x: f32) -> f32;
    pub fn lgamma(x: f64) -> f64;
    pub fn lgammaf(x: f32) -> f32;
    pub fn hypot(x: f64, y: f64) -> f64;
    pub fn hypotf(x: f32, y: f32) -> f32;
}

/// `f64` or `f32` of a C math function, as `s` says.
pub(crate) fn c_math(
    s: Scalar,
    x: f64,
    wide: unsafe extern "C" fn(f64) -> f64,
    narrow: unsafe extern "C" fn(f32) -> f32,
) -> f64 {
    // SAFETY: pure functions of a number.
    unsafe {
        if s == Scalar::F32 {
            f64::from(narrow(x as f32))
        } else {
            wide(x)
        }
    }
}
