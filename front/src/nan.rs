//! Which floating-point values can never be NaN.
//!
//! Rust's `x.max(y)` and `x.min(y)` (LLVM's `maxnum`/`minnum`) return the other operand when one is
//! NaN, which takes three instructions on x86 and, in a loop-carried reduction such as
//! `change = change.max(d)`, triples the loop's critical path. When one operand is known never to
//! be NaN the same result is a single compare-and-select (one `maxsd`). A float local is never NaN
//! when every value assigned to it is never NaN: the greatest fixpoint over the function's
//! assignments, starting from "every local", so `let mut m = 0.0; … m = m.max(d);` qualifies.

use crate::builtins::{Builtin, Math2, Method};
use crate::hir::*;
use crate::infer::Typed;
use crate::ty::Ty;

/// The float locals of one function that never hold NaN.
#[derive(Clone, Debug, Default)]
pub struct NeverNan {
    locals: Vec<bool>,
}

impl NeverNan {
    pub fn of(f: &Function, typed: &Typed) -> NeverNan {
        let is_float = |l: LocalId| typed.local(l).scalar().is_some_and(|s| s.is_float());
        let mut sources: Vec<Vec<Source>> = vec![Vec::new(); f.locals.len()];
        for p in &f.params {
            sources[p.local.0 as usize].push(Source::Unknown);
        }
        assignments(f, &f.body, &mut sources);
        let mut set = NeverNan { locals: (0..f.locals.len() as u32).map(|l| is_float(LocalId(l))).collect() };
        // Drop every local with a possibly-NaN source until nothing changes.
        loop {
            let mut changed = false;
            for (l, srcs) in sources.iter().enumerate() {
                if set.locals[l] && !srcs.iter().all(|s| matches!(s, Source::Expr(e) if set.expr(f, typed, *e))) {
                    set.locals[l] = false;
                    changed = true;
                }
            }
            if !changed {
                return set;
            }
        }
    }

    pub fn local(&self, l: LocalId) -> bool {
        self.locals.get(l.0 as usize).copied().unwrap_or(false)
    }

    /// Whether the float expression `e` is never NaN (conservatively: `false` when unsure).
    pub fn expr(&self, f: &Function, typed: &Typed, e: ExprId) -> bool {
        let int = |x: ExprId| typed.expr(x).scalar().is_some_and(|s| !s.is_float() && !s.is_complex());
        match &f.expr(e).kind {
            ExprKind::Float(v, _) => !v.is_nan(),
            ExprKind::Int(..) | ExprKind::Bool(_) => true,
            ExprKind::Local(l) => self.local(*l),
            ExprKind::Cast(x, _) => int(*x) || self.expr(f, typed, *x),
            ExprKind::Unary(UnOp::Neg, x) => self.expr(f, typed, *x),
            ExprKind::Method { method: Method::Abs, recv, .. } => self.expr(f, typed, *recv),
            ExprKind::Builtin { op: Builtin::Abs, args, .. } => args.iter().all(|a| self.expr(f, typed, *a)),
            // `maxnum` is NaN only when both operands are.
            ExprKind::Method { method: Method::MinWith | Method::MaxWith, recv, args } => {
                self.expr(f, typed, *recv) || args.iter().any(|a| self.expr(f, typed, *a))
            }
            // NumPy's `minimum`/`maximum` propagate NaN.
            ExprKind::Builtin { op: Builtin::Math2(Math2::Minimum | Math2::Maximum), args, .. } => {
                args.iter().all(|a| self.expr(f, typed, *a))
            }
            ExprKind::If { then, els: Some(els), .. } => {
                then.tail.is_some_and(|t| self.expr(f, typed, t)) && self.expr(f, typed, *els)
            }
            ExprKind::Block(b) => b.tail.is_some_and(|t| self.expr(f, typed, t)),
            ExprKind::Builtin { op: Builtin::Where, args, .. } if args.len() == 3 => {
                self.expr(f, typed, args[1]) && self.expr(f, typed, args[2])
            }
            _ => matches!(typed.expr(e), Ty::Scalar(s) if !s.is_float() && !s.is_complex()),
        }
    }
}

/// What a local may be assigned.
#[derive(Clone, Copy, Debug)]
enum Source {
    Expr(ExprId),
    /// A parameter, an element of an array, a part of a call's result, a compound update.
    Unknown,
}

/// The `i`-th of `n` parts of a value being destructured: its element when it is a tuple
/// expression of that many, else unknown.
fn part(f: &Function, value: Option<ExprId>, n: usize, i: usize) -> Option<ExprId> {
    match &f.expr(value?).kind {
        ExprKind::Tuple(xs) if xs.len() == n => Some(xs[i]),
        _ => None,
    }
}

fn bind(p: &Pat, init: Option<ExprId>, f: &Function, sources: &mut [Vec<Source>]) {
    match p {
        Pat::Bind(l) => sources[l.0 as usize].push(init.map_or(Source::Unknown, Source::Expr)),
        Pat::Wild => {}
        Pat::Tuple(items, _) => {
            items.iter().enumerate().for_each(|(i, item)| bind(item, part(f, init, items.len(), i), f, sources))
        }
    }
}

fn assign(p: &Place, value: Option<ExprId>, f: &Function, sources: &mut [Vec<Source>]) {
    match p {
        Place::Local(l, _) => sources[l.0 as usize].push(value.map_or(Source::Unknown, Source::Expr)),
        Place::Index(_) => {}
        Place::Tuple(items, _) => {
            items.iter().enumerate().for_each(|(i, item)| assign(item, part(f, value, items.len(), i), f, sources))
        }
    }
}

/// Records every assignment in `b` and in every block inside it (loop bodies, `if` arms, block
/// expressions).
fn assignments(f: &Function, b: &Block, sources: &mut [Vec<Source>]) {
    for s in &b.stmts {
        match s {
            Stmt::Let { pat, init } => bind(pat, Some(*init), f, sources),
            Stmt::Assign { place, value } => assign(place, Some(*value), f, sources),
            // `s += x` can make NaN of non-NaN values (`inf - inf`).
            Stmt::OpAssign { place, .. } => assign(place, None, f, sources),
            Stmt::ForIn { var: Some(v), .. } => sources[v.0 as usize].push(Source::Unknown),
            _ => {}
        }
    }
    for inner in inner_blocks(f, b) {
        assignments(f, inner, sources);
    }
}
