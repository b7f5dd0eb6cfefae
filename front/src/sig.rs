//! Rust types at the boundary → DSL types (DSL.md §2): parameters, return types and `let x: T`.

use crate::diag::Diag;
use crate::ty::{ArrayTy, Layout, Scalar, Ty};


/// A scalar type: `f32`, `u64`, `Complex64`, `num_complex::Complex<f64>`.
pub fn scalar_of(t: &syn::Type) -> Option<Scalar> {
    let syn::Type::Path(p) = t else { return None };
    if p.qself.is_some() {
        return None;
    }
    let last = p.path.segments.last()?;
    let name = last.ident.to_string();
    if name == "Complex" {
        return match generic_args(last)?.as_slice() {
            [inner] => match scalar_of(inner)? {
                Scalar::F32 => Some(Scalar::C64),
                Scalar::F64 => Some(Scalar::C128),
                _ => None,
            },
            _ => None,
        };
    }
    if !last.arguments.is_none() {
        return None;
    }
    Scalar::from_rust_name(&name)
}

fn generic_args(seg: &syn::PathSegment) -> Option<Vec<&syn::Type>> {
    match &seg.arguments {
        syn::PathArguments::AngleBracketed(a) => a
            .args
            .iter()
            .map(|g| match g {
                syn::GenericArgument::Type(t) => Some(t),
                _ => None,
            })
            .collect(),
        _ => None,
    }
}

/// `ArrayView2<f32>` → (`ArrayView`, 2, f32).
fn ndarray_type(t: &syn::Type) -> Option<(String, u8, Scalar)> {
    let syn::Type::Path(p) = t else { return None };
    let last = p.path.segments.last()?;
    let name = last.ident.to_string();
    let (base, digit) = name.split_at(name.len().checked_sub(1)?);
    let ndim: u8 = digit.parse().ok()?;
    if !(1..=4).contains(&ndim) || !matches!(base, "Array" | "ArrayView" | "ArrayViewMut") {
        return None;
    }
    let args = generic_args(last)?;
    let [elem] = args.as_slice() else { return None };
    Some((base.to_string(), ndim, scalar_of(elem)?))
}

fn array(elem: Scalar, ndim: u8, mutable: bool) -> Ty {
    Ty::Array(ArrayTy { elem, ndim, layout: Layout::Any, mutable })
}

fn unsupported(t: &syn::Type, what: &str) -> Diag {
    Diag::spanned(t, format!("unsupported {what} type in an njit function")).help(
        "use a scalar (`f64`, `u64`, `bool`, `Complex64`, …), `&[T]`, `&mut [T]`, `ArrayView1..4<T>`, \
         `ArrayViewMut1..4<T>`, `&Array1..4<T>` or `&mut Array1..4<T>`",
    )
}

/// A parameter's type. The layout is `Any` until a call supplies the real one.
pub fn param_ty(t: &syn::Type) -> Result<Ty, Diag> {
    if let Some(s) = scalar_of(t) {
        return Ok(Ty::Scalar(s));
    }
    match t {
        syn::Type::Reference(r) => {
            let mutable = r.mutability.is_some();
            match &*r.elem {
                syn::Type::Slice(s) => match scalar_of(&s.elem) {
                    Some(e) => Ok(array(e, 1, mutable)),
                    None => Err(unsupported(t, "parameter")),
                },
                inner => match ndarray_type(inner) {
                    Some((base, n, e)) if base == "Array" => Ok(array(e, n, mutable)),
                    _ => Err(unsupported(t, "parameter")),
                },
            }
        }
        syn::Type::Infer(_) => Err(Diag::spanned(t, "`_` parameters are not supported yet").help("write the parameter's type")),
        _ => match ndarray_type(t) {
            Some((base, n, e)) if base == "ArrayView" => Ok(array(e, n, false)),
            Some((base, n, e)) if base == "ArrayViewMut" => Ok(array(e, n, true)),
            Some((_, n, e)) => Err(Diag::spanned(t, "an njit function cannot take an owned array").help(format!(
                "borrow it: `&Array{n}<{}>` or `ArrayView{n}<{}>`",
                e.rust_name(),
                e.rust_name()
            ))),
            None => Err(unsupported(t, "parameter")),
        },
    }
}

/// A return type: `()`, a scalar, `Array1..4<T>` (owned, C-contiguous) or a tuple of those.
pub fn ret_ty(t: &syn::Type) -> Result<Ty, Diag> {
    if let Some(s) = scalar_of(t) {
        return Ok(Ty::Scalar(s));
    }
    match t {
        syn::Type::Tuple(tup) => {
            let items = tup.elems.iter().map(ret_ty).collect::<Result<Vec<_>, _>>()?;
            Ok(if items.is_empty() { Ty::Unit } else { Ty::Tuple(items) })
        }
        syn::Type::Paren(p) => ret_ty(&p.elem),
        _ => match ndarray_type(t) {
            // Layout and mutability are those of the values the body returns (see `infer`).
            Some((base, n, e)) if base == "Array" => Ok(array(e, n, false)),
            Some(_) => Err(Diag::spanned(t, "an njit function cannot return a view").help(
                "return an owned array (`Array1<T>`), which the kernel allocates and Rust frees",
            )),
            None => Err(unsupported(t, "return")),
        },
    }
}

/// The type in `let x: T = …`: a scalar (arrays get their type from their value).
pub fn local_ty(t: &syn::Type) -> Result<Ty, Diag> {
    scalar_of(t).map(Ty::Scalar).ok_or_else(|| {
        Diag::spanned(t, "a `let` type annotation must be a scalar type").help("write `let x: f64 = …`, or leave the type out")
    })
}
