//! Numba-style signatures (`sig = "u64(f32[::1], u64, f32)"`, DSL.md §1): parsing, printing, and the
//! check against a function's declared parameter types.
//!
//! Scalar names are Rust's (`u64`, `f32`) or Numba's long ones (`uint64`, `float32`, `intp`,
//! `complex128`). Numba's byte-count shorthands mean something else in Rust (`u8` is Numba's uint64)
//! and are refused with a hint, except `i8`/`u8`, which are Rust's. Array layouts: `[:]` any,
//! `[::1]` C (on the last axis), `[::1, :]` F (on the first).

use crate::ty::{ArrayTy, Layout, Scalar, Ty};

/// A parsed signature. Arrays in it are read-only placeholders: mutability comes from the Rust
/// parameter types.
#[derive(Clone, Debug, PartialEq)]
pub struct Signature {
    pub ret: Option<Ty>,
    pub params: Vec<Ty>,
}

fn scalar(name: &str) -> Result<Scalar, String> {
    if let Some(s) = Scalar::from_rust_name(name) {
        return Ok(s);
    }
    let long = match name {
        "boolean" | "bool_" => Some(Scalar::Bool),
        "double" => Some(Scalar::F64),
        "float" => Some(Scalar::F64),
        other => Scalar::from_numpy_name(other),
    };
    if let Some(s) = long {
        return Ok(s);
    }
    let shorthand = match name {
        "f4" => Some("f32` or `float32"),
        "f8" => Some("f64` or `float64"),
        "i1" => Some("i8` or `int8"),
        "i2" => Some("i16` or `int16"),
        "i4" => Some("i32` or `int32"),
        "u1" => Some("u8` or `uint8"),
        "u2" => Some("u16` or `uint16"),
        "u4" => Some("u32` or `uint32"),
        "c8" => Some("Complex32` or `complex64"),
        "c16" => Some("Complex64` or `complex128"),
        "b1" => Some("bool` or `boolean"),
        _ => None,
    };
    Err(match shorthand {
        Some(instead) => format!(
            "`{name}` is Numba's byte-count shorthand, which rjit does not accept (in Rust `u8` is a byte, in Numba a uint64)\n\nhelp: write `{instead}`"
        ),
        None => format!("unknown type `{name}` in a signature\n\nhelp: write a Rust scalar name such as `f64` or `u64`, or Numba's long name such as `float64`"),
    })
}

struct P<'a> {
    s: &'a str,
}

impl<'a> P<'a> {
    fn ws(&mut self) {
        self.s = self.s.trim_start();
    }
    fn eat(&mut self, t: &str) -> bool {
        self.ws();
        if let Some(rest) = self.s.strip_prefix(t) {
            self.s = rest;
            true
        } else {
            false
        }
    }
    fn ident(&mut self) -> Option<&'a str> {
        self.ws();
        let end = self.s.find(|c: char| !(c.is_ascii_alphanumeric() || c == '_')).unwrap_or(self.s.len());
        if end == 0 {
            return None;
        }
        let (id, rest) = self.s.split_at(end);
        self.s = rest;
        Some(id)
    }

    fn ty(&mut self) -> Result<Ty, String> {
        if self.eat("(") {
            let items = self.list(")")?;
            return Ok(Ty::Tuple(items));
        }
        let name = self.ident().ok_or_else(|| format!("expected a type at `{}`", self.s.trim()))?;
        let s = scalar(name)?;
        if !self.eat("[") {
            return Ok(Ty::Scalar(s));
        }
        let mut axes = Vec::new();
        loop {
            if self.eat("::1") {
                axes.push(true);
            } else if self.eat(":") {
                axes.push(false);
            } else {
                return Err(format!("expected `:` or `::1` in the dimensions of `{name}[…]`"));
            }
            if self.eat("]") {
                break;
            }
            if !self.eat(",") {
                return Err("expected `,` or `]` in array dimensions".into());
            }
        }
        let n = axes.len();
        if n > 4 {
            return Err(format!("arrays have at most 4 dimensions, found {n}"));
        }
        let layout = match axes.iter().filter(|a| **a).count() {
            0 => Layout::Any,
            1 if axes[n - 1] => Layout::C,
            1 if axes[0] => Layout::F,
            _ => return Err("`::1` marks the contiguous axis: the last (C order) or the first (F order)".into()),
        };
        Ok(Ty::Array(ArrayTy { elem: s, ndim: n as u8, layout, mutable: false }))
    }

    fn list(&mut self, close: &str) -> Result<Vec<Ty>, String> {
        let mut items = Vec::new();
        if self.eat(close) {
            return Ok(items);
        }
        loop {
            items.push(self.ty()?);
            if self.eat(close) {
                return Ok(items);
            }
            if !self.eat(",") {
                return Err(format!("expected `,` or `{close}` at `{}`", self.s.trim()));
            }
        }
    }
}

/// Parses `ret(args…)` or `(args…)`.
pub fn parse(text: &str) -> Result<Signature, String> {
    let mut p = P { s: text };
    let ret = if p.s.trim_start().starts_with('(') {
        None
    } else if p.eat("void") || p.eat("none") {
        Some(Ty::Unit)
    } else {
        Some(p.ty()?)
    };
    if !p.eat("(") {
        return Err(format!("expected `(` and the argument types in `{text}`"));
    }
    let params = p.list(")")?;
    p.ws();
    if !p.s.is_empty() {
        return Err(format!("unexpected `{}` after the signature", p.s));
    }
    Ok(Signature { ret, params })
}

/// Parses one type in signature syntax (`()` is the unit type).
pub fn parse_ty(text: &str) -> Result<Ty, String> {
    let mut p = P { s: text };
    let t = p.ty()?;
    p.ws();
    if !p.s.is_empty() {
        return Err(format!("unexpected `{}` after the type", p.s));
    }
    Ok(if t == Ty::Tuple(Vec::new()) { Ty::Unit } else { t })
}

/// Whether a value of DSL type `actual` can be returned as the Rust type whose DSL type is
/// `expected` (layouts and mutability aside: returned arrays are always copied or handed over).
pub fn ret_matches(expected: &Ty, actual: &Ty) -> bool {
    match (expected, actual) {
        (Ty::Array(a), Ty::Array(b)) => a.elem == b.elem && a.ndim == b.ndim,
        (Ty::Tuple(a), Ty::Tuple(b)) => a.len() == b.len() && a.iter().zip(b).all(|(x, y)| ret_matches(x, y)),
        (Ty::Unit, Ty::Tuple(v)) | (Ty::Tuple(v), Ty::Unit) => v.is_empty(),
        (a, b) => a == b,
    }
}

/// A type in signature syntax (no mutability).
pub fn print(t: &Ty) -> String {
    match t {
        Ty::Array(a) => ArrayTy { mutable: false, ..*a }.to_string(),
        Ty::Tuple(items) => format!("({})", items.iter().map(print).collect::<Vec<_>>().join(", ")),
        t => t.to_string(),
    }
}

/// The argument types in signature syntax: `(f32[::1], u64, f32)`.
pub fn print_args(tys: &[Ty]) -> String {
    format!("({})", tys.iter().map(print).collect::<Vec<_>>().join(", "))
}

/// Checks a signature against the declared parameter and return types; returns the parameter
/// types to compile, with the declared mutability.
pub fn apply(sig: &Signature, declared: &[Ty], ret: &Ty) -> Result<Vec<Ty>, String> {
    if sig.params.len() != declared.len() {
        return Err(format!(
            "this signature has {} argument(s), the function takes {}",
            sig.params.len(),
            declared.len()
        ));
    }
    let mut out = Vec::new();
    for (i, (s, d)) in sig.params.iter().zip(declared).enumerate() {
        let fits = match (s, d) {
            (Ty::Array(a), Ty::Array(b)) => a.elem == b.elem && a.ndim == b.ndim,
            (a, b) => a == b,
        };
        if !fits {
            return Err(format!(
                "argument {} is `{}` in the signature but `{}` in the function",
                i + 1,
                print(s),
                print(d)
            ));
        }
        out.push(match (s, d) {
            (Ty::Array(a), Ty::Array(b)) => Ty::Array(ArrayTy { mutable: b.mutable, ..*a }),
            _ => d.clone(),
        });
    }
    if let Some(r) = &sig.ret {
        let fits = match (r, ret) {
            (Ty::Array(a), Ty::Array(b)) => a.elem == b.elem && a.ndim == b.ndim,
            (a, b) => a == b,
        };
        if !fits {
            return Err(format!("the signature returns `{}` but the function returns `{}`", print(r), print(ret)));
        }
    }
    Ok(out)
}

/// Whether arguments of types `given` may call code compiled for `sig` (a C or F array fits `[:]`).
pub fn accepts(sig: &[Ty], given: &[Ty]) -> bool {
    sig.len() == given.len()
        && sig.iter().zip(given).all(|(s, g)| match (s, g) {
            (Ty::Array(a), Ty::Array(b)) => {
                a.elem == b.elem && a.ndim == b.ndim && (a.layout == Layout::Any || a.layout == b.layout)
            }
            (a, b) => a == b,
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numba_signatures_parse() {
        let s = parse("u64(f32[::1], u64, float32)").unwrap();
        assert_eq!(s.ret, Some(Ty::Scalar(Scalar::U64)));
        assert_eq!(print_args(&s.params), "(f32[::1], u64, f32)");
        let s = parse("float64[:, ::1](float64[::1, :], intp[:,:,:], complex128)").unwrap();
        assert_eq!(print(s.ret.as_ref().unwrap()), "f64[:, ::1]");
        assert_eq!(print_args(&s.params), "(f64[::1, :], isize[:, :, :], Complex64)");
        assert_eq!(parse("(i8, u8)").unwrap().params, vec![Ty::Scalar(Scalar::I8), Ty::Scalar(Scalar::U8)]);
        assert_eq!(parse("void()").unwrap().ret, Some(Ty::Unit));
    }

    #[test]
    fn shorthands_and_mistakes_are_refused() {
        assert!(parse("f4(f4)").unwrap_err().contains("write `f32` or `float32`"));
        assert!(parse("u64(c16)").unwrap_err().contains("Complex64"));
        assert!(parse("u64(f32[:, ::1, :])").is_err());
        assert!(parse("u64(f32[:]").is_err());
        assert!(parse("u64(quux)").unwrap_err().contains("unknown type `quux`"));
    }

    #[test]
    fn layouts_accept_what_fits() {
        let any = parse("(f32[:])").unwrap().params;
        let c = parse("(f32[::1])").unwrap().params;
        assert!(accepts(&any, &c));
        assert!(!accepts(&c, &any));
    }
}
