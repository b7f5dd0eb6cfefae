//! Which array locals are known to reach different memory.
//!
//! Each array local gets the buffer it always refers to, its *root*, when every assignment to it
//! agrees: a parameter, or one allocation site (`np.zeros(…)`, `a.copy()`, …), seen through views
//! (`a[i]`, `a[1..]`, `a.t()`) and plain copies of other locals; an in-place operator (`a += b`)
//! keeps it. A local assigned from anything else (a call, an `if`, a tuple) has no root and no
//! claim is made for it.
//!
//! Two roots are disjoint when one is an allocation (fresh memory, made inside this invocation, is
//! none of its parameters' and no other site's), or when both are parameters of the function Rust
//! calls, one of them writable: the boundary takes `&mut` borrows (`ArrayViewMut`, `&mut [T]`,
//! owned arrays), so Rust's own rules keep a writable argument apart from every other one. Between
//! njit functions nothing guarantees that (`f(a, a)` is allowed), so callers pass
//! `exclusive_params = false` for every function but the root, and for the root too when it can be
//! called again from inside (recursion).
//!
//! Codegen turns disjoint roots into LLVM's scoped `noalias` metadata on element loads and stores,
//! so loops that write one array while reading another need no run-time overlap test.

use crate::builtins::{Builtin, Method};
use crate::hir::*;
use crate::infer::Typed;
use crate::ty::Ty;

/// The buffer an array local always refers to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Root {
    /// The function's `n`-th parameter.
    Param(usize),
    /// The array made by this allocating expression (each evaluation a new one).
    Alloc(ExprId),
}

#[derive(Clone, Copy, Debug, PartialEq)]
enum State {
    /// No assignment seen yet.
    Unset,
    Is(Root),
    /// Assignments disagree, or one has no root.
    Unknown,
}

impl State {
    fn join(self, other: State) -> State {
        match (self, other) {
            (State::Unset, x) | (x, State::Unset) => x,
            (State::Is(a), State::Is(b)) if a == b => State::Is(a),
            _ => State::Unknown,
        }
    }
}

#[derive(Debug)]
pub struct Roots {
    of: Vec<Option<Root>>,
    /// Per parameter: an array the function may write.
    writable: Vec<bool>,
    exclusive_params: bool,
}

impl Roots {
    pub fn of(f: &Function, typed: &Typed, exclusive_params: bool) -> Roots {
        let is_array = |l: LocalId| matches!(typed.local(l), Ty::Array(_));
        let mut defs: Vec<(LocalId, Option<ExprId>)> = Vec::new();
        collect_defs(f, &f.body, &mut defs);
        defs.retain(|(l, _)| is_array(*l));
        let mut state = vec![State::Unset; f.locals.len()];
        for (i, p) in f.params.iter().enumerate() {
            if is_array(p.local) {
                state[p.local.0 as usize] = State::Is(Root::Param(i));
            }
        }
        loop {
            let mut changed = false;
            for (l, e) in &defs {
                let r = match e {
                    Some(e) => expr_root(f, typed, *e, &|m| state[m.0 as usize]),
                    None => State::Unknown,
                };
                let slot = &mut state[l.0 as usize];
                let joined = slot.join(r);
                if joined != *slot {
                    *slot = joined;
                    changed = true;
                }
            }
            if !changed {
                break;
            }
        }
        let of = state.into_iter().map(|s| if let State::Is(r) = s { Some(r) } else { None }).collect();
        let writable = f.params.iter().map(|p| matches!(typed.local(p.local), Ty::Array(a) if a.mutable)).collect();
        Roots { of, writable, exclusive_params }
    }

    /// The buffer `l` always refers to, when known.
    pub fn root(&self, l: LocalId) -> Option<Root> {
        self.of.get(l.0 as usize).copied().flatten()
    }

    /// The buffer the array `base` of `base[…]` reaches: a local's, through views.
    pub fn of_base(&self, f: &Function, typed: &Typed, base: ExprId) -> Option<Root> {
        let local = |l: LocalId| self.root(l).map_or(State::Unknown, State::Is);
        match expr_root(f, typed, base, &local) {
            // A fresh array indexed where it is made is reached by nothing else.
            State::Is(Root::Alloc(e)) if e == base => None,
            State::Is(r) => Some(r),
            _ => None,
        }
    }

    /// Every root some local has, in a fixed order.
    pub fn all(&self) -> Vec<Root> {
        let mut out: Vec<Root> = Vec::new();
        for r in self.of.iter().flatten() {
            if !out.contains(r) {
                out.push(*r);
            }
        }
        out
    }

    /// Whether no element reached through `a` is ever reached through `b` in one invocation.
    pub fn disjoint(&self, a: Root, b: Root) -> bool {
        match (a, b) {
            _ if a == b => false,
            (Root::Alloc(_), _) | (_, Root::Alloc(_)) => true,
            (Root::Param(i), Root::Param(j)) => self.exclusive_params && (self.writable[i] || self.writable[j]),
        }
    }
}

/// Every assignment of a local in `b` and the blocks inside it: the value's expression, or `None`
/// when the local is bound some other way (a tuple pattern, a `for` over rows, an operator).
fn collect_defs(f: &Function, b: &Block, out: &mut Vec<(LocalId, Option<ExprId>)>) {
    fn opaque_pat(p: &Pat, out: &mut Vec<(LocalId, Option<ExprId>)>) {
        match p {
            Pat::Bind(l) => out.push((*l, None)),
            Pat::Tuple(items, _) => items.iter().for_each(|i| opaque_pat(i, out)),
            Pat::Wild => {}
        }
    }
    fn opaque_place(p: &Place, out: &mut Vec<(LocalId, Option<ExprId>)>) {
        match p {
            Place::Local(l, _) => out.push((*l, None)),
            Place::Tuple(items, _) => items.iter().for_each(|i| opaque_place(i, out)),
            Place::Index(_) => {}
        }
    }
    for s in &b.stmts {
        match s {
            Stmt::Let { pat: Pat::Bind(l), init } => out.push((*l, Some(*init))),
            Stmt::Let { pat, .. } => opaque_pat(pat, out),
            Stmt::Assign { place: Place::Local(l, _), value } => out.push((*l, Some(*value))),
            // `a += b` on an array local updates its buffer in place: the local keeps its root.
            Stmt::OpAssign { place: Place::Local(..), .. } => {}
            Stmt::Assign { place, .. } | Stmt::OpAssign { place, .. } => opaque_place(place, out),
            Stmt::For { var: Some(l), .. } | Stmt::ForIn { var: Some(l), .. } => out.push((*l, None)),
            _ => {}
        }
    }
    for inner in inner_blocks(f, b) {
        collect_defs(f, inner, out);
    }
}

/// The root of an array-valued expression, given each local's.
fn expr_root(f: &Function, typed: &Typed, e: ExprId, local: &dyn Fn(LocalId) -> State) -> State {
    match &f.expr(e).kind {
        ExprKind::Local(l) => local(*l),
        // A view of its base (an element would not be an array).
        ExprKind::Index(base, _) if matches!(typed.expr(e), Ty::Array(_)) => expr_root(f, typed, *base, local),
        ExprKind::Method { method: Method::T | Method::Reshape, recv, .. } => expr_root(f, typed, *recv, local),
        // Each evaluation allocates a new array.
        ExprKind::Builtin {
            op: Builtin::Alloc(_) | Builtin::Like(_) | Builtin::Arange | Builtin::Linspace, ..
        }
        | ExprKind::Method { method: Method::Copy, .. } => State::Is(Root::Alloc(e)),
        _ => State::Unknown,
    }
}
