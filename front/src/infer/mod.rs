//! Type inference and checking of a lowered function (DSL.md §3–4).
//!
//! Two passes over one walker. The first runs to a fixpoint, joining every assignment into its
//! variable's type (`s = 0.0; s += h[i]` makes `s` an `f32`), reporting nothing. Literals still
//! undecided in variables then default (`i64`, `f64`). The second pass checks every expression
//! against those types, reports mistakes, and settles each literal to the type its context gives.
//! The result is a side table: a type per expression and per local.

use crate::builtins::{Alloc, Builtin, Math1, Math2, Method, Reduce};
use crate::diag::{Diag, Diags};
use crate::hir::*;
use crate::ty::{converts_implicitly, join, ArrayTy, Layout, Scalar, Ty};
use std::collections::HashMap;

mod stmt;
mod expr;
mod builtin;
mod method;

/// A callee's signature as a call site sees it: parameter types with the caller's layouts filled in.
#[derive(Clone, Debug, PartialEq)]
pub struct CalleeSig {
    pub params: Vec<Ty>,
    pub ret: Ty,
}

/// How the checker learns about other njit functions. The macro cannot see them and answers
/// `None` (their results are `Deferred`); the runtime answers from their embedded source.
pub trait Callees {
    fn signature(&self, path: &str, args: &[Ty]) -> Option<Result<CalleeSig, String>>;
}

/// The checker's answer when no callee can be seen.
pub struct NoCallees;
impl Callees for NoCallees {
    fn signature(&self, _: &str, _: &[Ty]) -> Option<Result<CalleeSig, String>> {
        None
    }
}

/// The side table: the type of every expression and local, and each call's callee signature.
#[derive(Debug)]
pub struct Typed {
    pub exprs: Vec<Ty>,
    /// Whether each expression was an unsuffixed literal (or made only of them) before defaulting.
    pub literal: Vec<bool>,
    pub locals: Vec<Ty>,
    pub ret: Ty,
    pub calls: HashMap<ExprId, CalleeSig>,
}

impl Typed {
    pub fn expr(&self, id: ExprId) -> &Ty {
        &self.exprs[id.0 as usize]
    }
    pub fn local(&self, id: LocalId) -> &Ty {
        &self.locals[id.0 as usize]
    }
}

/// Checks `f` with the given parameter types (`None`: the declared ones).
pub fn check(f: &Function, params: Option<&[Ty]>, callees: &dyn Callees) -> Result<Typed, Vec<Diag>> {
    let mut locals: Vec<Ty> = f.locals.iter().map(|l| l.declared.clone().unwrap_or(Ty::Unknown)).collect();
    if let Some(ps) = params {
        for (p, t) in f.params.iter().zip(ps) {
            locals[p.local.0 as usize] = t.clone();
        }
    }
    let mut cx = Cx {
        f,
        callees,
        locals,
        exprs: vec![Ty::Unknown; f.exprs.len()],
        calls: HashMap::new(),
        diags: Diags::default(),
        report: false,
        changed: false,
        returned: Vec::new(),
        layouts_known: params.is_some(),
    };
    for _ in 0..32 {
        cx.changed = false;
        cx.body();
        if !cx.changed {
            break;
        }
    }
    for t in &mut cx.locals {
        *t = t.defaulted();
    }
    cx.report = true;
    cx.exprs.iter_mut().for_each(|t| *t = Ty::Unknown);
    cx.body();
    if !cx.diags.is_empty() {
        return Err(cx.diags.0);
    }
    let literal = cx.exprs.iter().map(Ty::is_literal).collect();
    let exprs = cx.exprs.iter().map(Ty::defaulted).collect();
    let ret = if f.ret == Ty::Unknown {
        // `-> _`: the join of every value returned.
        match cx.returned.iter().try_fold(Ty::Unknown, |a, t| join(&a, t)) {
            Some(Ty::Unknown) => Ty::Unit,
            Some(t) => t.defaulted(),
            None => {
                let d = Diag::new(f.ret_span, "the values this function returns have incompatible types")
                    .help("convert them to one type, or declare the return type");
                return Err(vec![d]);
            }
        }
    } else {
        cx.returned.iter().fold(f.ret.clone(), |r, t| returned_ty(&r, t))
    };
    Ok(Typed { exprs, literal, locals: cx.locals, ret, calls: cx.calls })
}

/// The return type refined by one returned value: arrays take the join of the returned values'
/// layouts and mutability (a declared `Array1<T>` may be a fresh array or a view of an argument).
fn returned_ty(declared: &Ty, value: &Ty) -> Ty {
    match (declared, value) {
        (Ty::Array(d), Ty::Array(v)) => {
            let (layout, mutable) = if d.layout == Layout::Any && !d.mutable {
                (v.layout, v.mutable)
            } else {
                (d.layout.join(v.layout), d.mutable && v.mutable)
            };
            Ty::Array(ArrayTy { layout, mutable, ..*d })
        }
        (Ty::Tuple(ds), Ty::Tuple(vs)) if ds.len() == vs.len() => {
            Ty::Tuple(ds.iter().zip(vs).map(|(d, v)| returned_ty(d, v)).collect())
        }
        (d, _) => d.clone(),
    }
}

struct Cx<'a> {
    f: &'a Function,
    callees: &'a dyn Callees,
    locals: Vec<Ty>,
    exprs: Vec<Ty>,
    calls: HashMap<ExprId, CalleeSig>,
    diags: Diags,
    /// Second pass: report mistakes (the first pass only infers).
    report: bool,
    /// Second pass: the types of every value returned.
    returned: Vec<Ty>,
    changed: bool,
    /// Whether array layouts are the arguments' (at a call), not the declared ones (the macro's
    /// check, where a view's layout is not known yet).
    layouts_known: bool,
}

fn int_ty(t: &Ty) -> bool {
    matches!(t, Ty::IntLit) || t.scalar().is_some_and(Scalar::is_int)
}
fn bool_ty(t: &Ty) -> bool {
    *t == Ty::Scalar(Scalar::Bool)
}
fn numeric(t: &Ty) -> bool {
    t.is_literal() || t.scalar().is_some_and(Scalar::is_numeric)
}

/// Whether a literal's value fits the integer type it settles to.
fn int_fits(v: u128, s: Scalar) -> bool {
    match s {
        Scalar::I8 => v <= i8::MAX as u128 + 1,
        Scalar::I16 => v <= i16::MAX as u128 + 1,
        Scalar::I32 => v <= i32::MAX as u128 + 1,
        Scalar::I64 | Scalar::Isize => v <= i64::MAX as u128 + 1,
        Scalar::U8 => v <= u8::MAX as u128,
        Scalar::U16 => v <= u16::MAX as u128,
        Scalar::U32 => v <= u32::MAX as u128,
        Scalar::U64 | Scalar::Usize => v <= u64::MAX as u128,
        _ => true,
    }
}

impl<'a> Cx<'a> {
    fn error(&mut self, d: Diag) {
        if self.report {
            self.diags.push(d);
        }
    }

    fn at(&self, id: ExprId) -> Diag {
        let e = self.f.expr(id);
        Diag::range(e.span, e.end, String::new())
    }

    fn err_at(&mut self, id: ExprId, msg: impl Into<String>, help: Option<String>) {
        let mut d = self.at(id);
        d.msg = msg.into();
        d.help = help;
        self.error(d);
    }

    /// Checks that the value of `e` may be stored where `target` is expected; settles literals.
    fn coerce(&mut self, e: ExprId, target: &Ty, what: &str) {
        if !self.report {
            self.refine_literal_local(e, target);
            return;
        }
        if what == "the return type" {
            self.returned.push(self.exprs[e.0 as usize].clone());
        }
        let src = self.exprs[e.0 as usize].clone();
        if src.is_open() || target.is_open() {
            return;
        }
        let fail = |cx: &mut Self, help: Option<String>| {
            cx.err_at(e, format!("mismatched types: {what} is `{target}`, found `{src}`"), help);
        };
        match (&src, target) {
            (Ty::IntLit, Ty::Scalar(t)) if t.is_numeric() => self.settle(e, target),
            (Ty::FloatLit, Ty::Scalar(t)) if t.is_float() || t.is_complex() => self.settle(e, target),
            (Ty::FloatLit, Ty::Scalar(t)) if t.is_int() => {
                fail(self, Some(format!("write an integer, or convert with `as {}`", t.rust_name())))
            }
            (Ty::Scalar(s), Ty::Scalar(t)) => {
                if !converts_implicitly(*s, *t) {
                    let help = if *s == Scalar::Bool || *t == Scalar::Bool {
                        None
                    } else {
                        Some(format!("convert explicitly: `… as {}`", t.rust_name()))
                    };
                    fail(self, help);
                }
            }
            (Ty::Array(s), Ty::Array(t)) => {
                if s.elem != t.elem || s.ndim != t.ndim {
                    fail(self, None);
                } else if t.mutable && !s.mutable {
                    self.err_at(e, format!("{what} needs a writable array, but this one is read-only"), None);
                }
            }
            (Ty::Tuple(items), Ty::Tuple(targets)) if items.len() == targets.len() => {
                if let ExprKind::Tuple(parts) = &self.f.expr(e).kind {
                    for (p, t) in parts.iter().zip(targets) {
                        self.coerce(*p, t, what);
                    }
                } else if !items.iter().zip(targets).all(|(a, b)| join(a, b).as_ref() == Some(b)) {
                    fail(self, None);
                }
            }
            (Ty::Unit, Ty::Unit) => {}
            _ => fail(self, None),
        }
    }

    /// First pass: a variable that so far holds only literals takes the type its value is expected
    /// to have (`let mut n = 0; … n` in a function returning `u64` makes `n` a `u64`), as in Rust.
    fn refine_literal_local(&mut self, e: ExprId, target: &Ty) {
        if let (ExprKind::Tuple(parts), Ty::Tuple(ts)) = (&self.f.expr(e).kind, target) {
            for (p, t) in parts.iter().zip(ts) {
                self.refine_literal_local(*p, t);
            }
            return;
        }
        let ExprKind::Local(l) = self.f.expr(e).kind else { return };
        let i = l.0 as usize;
        let Some(s) = target.scalar() else { return };
        let fits = match self.locals[i] {
            Ty::IntLit => s.is_numeric(),
            Ty::FloatLit => s.is_float() || s.is_complex(),
            _ => false,
        };
        if fits && self.f.local(l).declared.is_none() {
            self.locals[i] = target.clone();
            self.changed = true;
        }
    }

    /// Gives undecided literals inside `e` the concrete type `target`.
    fn settle(&mut self, e: ExprId, target: &Ty) {
        let cur = self.exprs[e.0 as usize].clone();
        if !cur.is_literal() {
            return;
        }
        let Some(s) = target.scalar() else { return };
        if matches!(cur, Ty::FloatLit) && s.is_int() {
            return;
        }
        if !s.is_numeric() {
            return;
        }
        self.exprs[e.0 as usize] = target.clone();
        let f = self.f;
        match &f.expr(e).kind {
            ExprKind::Int(v, None) if s.is_int() && !int_fits(*v, s) => {
                self.err_at(e, format!("literal out of range for `{}`", s.rust_name()), None);
            }
            ExprKind::Unary(UnOp::Neg, inner) => {
                if s.is_unsigned() {
                    self.err_at(e, format!("cannot apply unary operator `-` to type `{}`", s.rust_name()), None);
                }
                self.settle(*inner, target)
            }
            ExprKind::Unary(_, inner) => self.settle(*inner, target),
            ExprKind::Binary(op, l, r) if !op.is_comparison() && !op.is_logical() => {
                self.settle(*l, target);
                if !op.is_shift() {
                    self.settle(*r, target);
                }
            }
            ExprKind::If { then, els, .. } => {
                if let Some(t) = then.tail {
                    self.settle(t, target);
                }
                if let Some(x) = els {
                    self.settle(*x, target);
                }
            }
            ExprKind::Block(b) => {
                if let Some(t) = b.tail {
                    self.settle(t, target);
                }
            }
            ExprKind::Method { recv, args, method: Method::Abs | Method::MinWith | Method::MaxWith } => {
                self.settle(*recv, target);
                for a in args {
                    self.settle(*a, target);
                }
            }
            _ => {}
        }
    }
}

/// The element type of an array, or a scalar's own type.
fn elem_of(t: &Ty) -> Ty {
    match t {
        Ty::Array(a) => Ty::Scalar(a.elem),
        t => t.clone(),
    }
}

/// The type of an element-wise result: a fresh C array with the most axes of its operands.
fn elementwise(elem: Scalar, operands: &[&Ty]) -> Ty {
    let ndim = operands.iter().filter_map(|t| t.array()).map(|a| a.ndim).max().unwrap_or(1);
    Ty::Array(ArrayTy { elem, ndim, layout: Layout::C, mutable: true })
}

/// The layout of `a[indices]`: a view of a C array stays C while, after its first range, every axis
/// is taken whole (`a[i]`, `a[lo..hi]`, `a[(i, lo..hi)]`, `a[(lo..hi, ..)]`); anything else is strided.
fn view_layout(a: ArrayTy, indices: &[IndexArg]) -> Layout {
    if a.layout != Layout::C {
        return Layout::Any;
    }
    let mut ranged = false;
    for arg in indices {
        match arg {
            IndexArg::At(_) if ranged => return Layout::Any,
            IndexArg::At(_) => {}
            IndexArg::Range(None, None) => ranged = true,
            IndexArg::Range(..) if ranged => return Layout::Any,
            IndexArg::Range(..) => ranged = true,
        }
    }
    Layout::C
}

/// Whether control never leaves the end of the block (it ends in `return`, `break` or `continue`).
pub fn block_diverges(b: &Block) -> bool {
    b.tail.is_none() && matches!(b.stmts.last(), Some(Stmt::Return(..) | Stmt::Break(_) | Stmt::Continue(_)))
}
