//! What a checked function can do at run time that its callers must know about.

use crate::builtins::{Builtin, Math2, Method};
use crate::hir::*;
use crate::infer::Typed;
use crate::ty::Ty;

/// Whether a call of `f` can end in a run-time error (conservatively: `false` only for functions
/// made of scalar arithmetic, comparisons, casts, math and control flow, with no indexing, no
/// integer division, no arrays, no calls and no `assert!`). A caller skips checking the status
/// after calling a function that cannot fail, which leaves loops around such calls free of exits
/// (so LLVM can vectorize them once the call is inlined).
pub fn may_fail(f: &Function, typed: &Typed) -> bool {
    let mut fails = stmts_fail(&f.body) || !crate::race::params_kept_apart(f, typed).is_empty();
    walk_exprs(f, &f.body, &mut |e| {
        if matches!(typed.expr(e), Ty::Array(_)) {
            fails = true;
            return;
        }
        let int = |x: &ExprId| typed.expr(*x).scalar().is_some_and(|s| s.is_int());
        fails |= match &f.expr(e).kind {
            ExprKind::Index(..) | ExprKind::Call { .. } => true,
            ExprKind::Binary(BinOp::Div | BinOp::Rem, l, _) => int(l),
            ExprKind::Builtin { op: Builtin::Math2(Math2::Power), args, .. } => args.iter().any(int),
            ExprKind::Method { method: Method::Powi, recv, .. } => int(recv),
            ExprKind::Method { recv, .. } => matches!(typed.expr(*recv), Ty::Array(_)),
            ExprKind::Builtin { args, .. } => args.iter().any(|a| matches!(typed.expr(*a), Ty::Array(_))),
            // The statements of `if` branches and blocks (their expressions are walked anyway).
            ExprKind::If { then, .. } => stmts_fail(then),
            ExprKind::Block(b) => stmts_fail(b),
            _ => false,
        };
    });
    fails
}

/// Whether a block (with its loops' bodies) has a statement that can fail by itself: `assert!`,
/// or a range with a step (a zero step fails).
fn stmts_fail(b: &Block) -> bool {
    b.stmts.iter().any(|s| match s {
        Stmt::Assert { .. } | Stmt::For { range: Range { step: Some(_), .. }, .. } => true,
        Stmt::For { body, .. } | Stmt::ForIn { body, .. } | Stmt::While { body, .. } | Stmt::Loop { body } => {
            stmts_fail(body)
        }
        _ => false,
    })
}
