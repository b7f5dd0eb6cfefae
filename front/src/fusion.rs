//! The rule of what fuses: which array expressions are computed element by element (and so run
//! inside their parent's loop instead of making an array of their own), and which reduce a whole
//! array to a number. Codegen and the interpreter fuse by it; the parallel plan reports it.

use crate::builtins::{Builtin, Method};
use crate::hir::*;
use crate::infer::Typed;
use crate::ty::Ty;

/// Whether an array expression is computed element by element, and so fuses into its parent's loop
/// (the rule codegen fuses by).
pub fn is_elementwise(f: &Function, typed: &Typed, id: ExprId) -> bool {
    if !matches!(typed.expr(id), Ty::Array(_)) {
        return false;
    }
    match &f.expr(id).kind {
        ExprKind::Binary(op, ..) => !op.is_logical(),
        ExprKind::Unary(..) => true,
        ExprKind::Builtin { op, .. } => matches!(
            op,
            Builtin::Math1(_)
                | Builtin::Abs
                | Builtin::Math2(_)
                | Builtin::Test(_)
                | Builtin::Where
                | Builtin::Dtype(_)
        ),
        _ => false,
    }
}

/// Whether `id` reduces a whole array to a number (`a.sum()`, `np.max(a)`, `a.min()`).
pub fn is_array_reduction(f: &Function, typed: &Typed, id: ExprId) -> bool {
    let array = |x: &ExprId| matches!(typed.expr(*x), Ty::Array(_));
    match &f.expr(id).kind {
        ExprKind::Method { method: Method::Reduce(_), recv, .. } => array(recv),
        ExprKind::Method { method: Method::MinWith | Method::MaxWith, recv, args } => args.is_empty() && array(recv),
        ExprKind::Builtin { op: Builtin::Reduce(_), args, .. } => args.first().is_some_and(array),
        _ => false,
    }
}

/// The array a reduction reduces.
pub fn reduced(f: &Function, id: ExprId) -> ExprId {
    match &f.expr(id).kind {
        ExprKind::Method { recv, .. } => *recv,
        ExprKind::Builtin { args, .. } => args[0],
        _ => unreachable!("a reduction"),
    }
}
