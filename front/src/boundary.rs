//! Rust types at the boundary → DSL types (DSL.md §2): parameters, return types and `let x: T`.
//!
//! Generic parameters (`T: rjit::Float`) are substituted before lowering: a `Subst` maps each type
//! parameter's name to the scalar it stands for in this instantiation.

use crate::diag::Diag;
use crate::ty::{ArrayTy, Layout, Scalar, Ty};
use std::collections::BTreeMap;

/// Type parameter name → the scalar it stands for.
pub type Subst = BTreeMap<String, Scalar>;

/// The bound of a type parameter: which scalars it admits.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Bound {
    Float,
    Int,
    Num,
}

impl Bound {
    pub fn from_name(name: &str) -> Option<Bound> {
        match name {
            "Float" => Some(Bound::Float),
            "Int" => Some(Bound::Int),
            "Num" => Some(Bound::Num),
            _ => None,
        }
    }
    pub fn scalars(self) -> Vec<Scalar> {
        let floats = [Scalar::F32, Scalar::F64];
        let ints = Scalar::ALL.into_iter().filter(|s| s.is_int());
        match self {
            Bound::Float => floats.to_vec(),
            Bound::Int => ints.collect(),
            Bound::Num => ints.chain(floats).collect(),
        }
    }
}

/// The function's type parameters and their bounds; anything else in `<…>` is an error.
pub fn generics(g: &syn::Generics) -> Result<Vec<(String, Bound)>, Diag> {
    let mut out = Vec::new();
    let help = "write `T: rjit::Float`, `T: rjit::Int` or `T: rjit::Num`";
    for p in &g.params {
        match p {
            syn::GenericParam::Lifetime(_) => {}
            syn::GenericParam::Const(c) => {
                return Err(Diag::spanned(c, "const generic parameters are not supported in njit functions"))
            }
            syn::GenericParam::Type(t) => {
                let mut bounds = t.bounds.iter().collect::<Vec<_>>();
                if let Some(w) = &g.where_clause {
                    for pred in &w.predicates {
                        if let syn::WherePredicate::Type(pt) = pred {
                            if matches!(&pt.bounded_ty, syn::Type::Path(p) if p.path.is_ident(&t.ident)) {
                                bounds.extend(pt.bounds.iter());
                            }
                        }
                    }
                }
                let found: Vec<Bound> = bounds
                    .iter()
                    .filter_map(|b| match b {
                        syn::TypeParamBound::Trait(tb) => {
                            tb.path.segments.last().and_then(|s| Bound::from_name(&s.ident.to_string()))
                        }
                        _ => None,
                    })
                    .collect();
                match found.as_slice() {
                    [b] => out.push((t.ident.to_string(), *b)),
                    [] => {
                        return Err(Diag::spanned(
                            t,
                            format!(
                                "the type parameter `{}` needs a bound saying which scalars it stands for",
                                t.ident
                            ),
                        )
                        .help(help))
                    }
                    _ => {
                        return Err(Diag::spanned(
                            t,
                            format!(
                                "the type parameter `{}` has more than one of the bounds `Float`, `Int`, `Num`",
                                t.ident
                            ),
                        )
                        .help(help))
                    }
                }
            }
        }
    }
    Ok(out)
}

/// Binds each type parameter from the types of the actual arguments (`a: ArrayView1<T>` called
/// with an `f32` array binds `T = f32`).
pub fn bind(item: &syn::ItemFn, args: &[Ty]) -> Subst {
    let names: Vec<String> = item
        .sig
        .generics
        .params
        .iter()
        .filter_map(|p| match p {
            syn::GenericParam::Type(t) => Some(t.ident.to_string()),
            _ => None,
        })
        .collect();
    let mut subst = Subst::new();
    let typed = item.sig.inputs.iter().filter_map(|i| match i {
        syn::FnArg::Typed(pt) => Some(&*pt.ty),
        _ => None,
    });
    for (t, arg) in typed.zip(args) {
        let scalar = match arg {
            Ty::Scalar(s) => *s,
            Ty::Array(a) => a.elem,
            _ => continue,
        };
        // The first argument that names a parameter binds it; a later mismatch is the checker's.
        if let Some(name) = elem_ident(t).filter(|n| names.contains(n)) {
            subst.entry(name).or_insert(scalar);
        }
    }
    subst
}

/// The identifier naming the scalar of a parameter type: `T` in `T`, `&[T]`, `ArrayView1<T>`.
fn elem_ident(t: &syn::Type) -> Option<String> {
    match t {
        syn::Type::Reference(r) => elem_ident(&r.elem),
        syn::Type::Slice(s) => elem_ident(&s.elem),
        syn::Type::Paren(p) => elem_ident(&p.elem),
        syn::Type::Path(p) => {
            let last = p.path.segments.last()?;
            match generic_args(last) {
                Some(args) if !args.is_empty() => elem_ident(args[args.len() - 1]),
                _ => p.path.get_ident().map(|i| i.to_string()),
            }
        }
        _ => None,
    }
}

/// A scalar type: `f32`, `u64`, `Complex64`, `num_complex::Complex<f64>`, or a type parameter.
pub fn scalar_of(t: &syn::Type, subst: &Subst) -> Option<Scalar> {
    let syn::Type::Path(p) = t else { return None };
    if p.qself.is_some() {
        return None;
    }
    let last = p.path.segments.last()?;
    let name = last.ident.to_string();
    if let (Some(s), true) = (subst.get(&name), p.path.segments.len() == 1) {
        return Some(*s);
    }
    if name == "Complex" {
        return match generic_args(last)?.as_slice() {
            [inner] => match scalar_of(inner, subst)? {
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
fn ndarray_type(t: &syn::Type, subst: &Subst) -> Option<(String, u8, Scalar)> {
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
    Some((base.to_string(), ndim, scalar_of(elem, subst)?))
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
pub fn param_ty(t: &syn::Type, subst: &Subst) -> Result<Ty, Diag> {
    if let Some(s) = scalar_of(t, subst) {
        return Ok(Ty::Scalar(s));
    }
    match t {
        syn::Type::Reference(r) => {
            let mutable = r.mutability.is_some();
            match &*r.elem {
                syn::Type::Slice(s) => match scalar_of(&s.elem, subst) {
                    Some(e) => Ok(array(e, 1, mutable)),
                    None => Err(unsupported(t, "parameter")),
                },
                inner => match ndarray_type(inner, subst) {
                    Some((base, n, e)) if base == "Array" => Ok(array(e, n, mutable)),
                    _ => Err(unsupported(t, "parameter")),
                },
            }
        }
        // Inferred entirely at the first call.
        syn::Type::Infer(_) => Ok(Ty::Unknown),
        _ => match ndarray_type(t, subst) {
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
pub fn ret_ty(t: &syn::Type, subst: &Subst) -> Result<Ty, Diag> {
    if let Some(s) = scalar_of(t, subst) {
        return Ok(Ty::Scalar(s));
    }
    match t {
        syn::Type::Tuple(tup) => {
            let items = tup.elems.iter().map(|e| ret_ty(e, subst)).collect::<Result<Vec<_>, _>>()?;
            Ok(if items.is_empty() { Ty::Unit } else { Ty::Tuple(items) })
        }
        syn::Type::Paren(p) => ret_ty(&p.elem, subst),
        // Inferred from the body at the first call.
        syn::Type::Infer(_) => Ok(Ty::Unknown),
        _ => match ndarray_type(t, subst) {
            // Layout and mutability are those of the values the body returns (see `infer`).
            Some((base, n, e)) if base == "Array" => Ok(array(e, n, false)),
            Some(_) => Err(Diag::spanned(t, "an njit function cannot return a view")
                .help("return an owned array (`Array1<T>`), which the kernel allocates and Rust frees")),
            None => Err(unsupported(t, "return")),
        },
    }
}

/// The type in `let x: T = …`: a scalar (arrays get their type from their value).
pub fn local_ty(t: &syn::Type, subst: &Subst) -> Result<Ty, Diag> {
    scalar_of(t, subst).map(Ty::Scalar).ok_or_else(|| {
        Diag::spanned(t, "a `let` type annotation must be a scalar type")
            .help("write `let x: f64 = …`, or leave the type out")
    })
}
