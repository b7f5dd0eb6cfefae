//! `prange` loops: which variables each iteration owns, which outer variables are reductions, and
//! whether any other write to outer state could race (DSL.md §6).
//!
//! Outer scalars may only be reductions (`s += e`, `s -= e`, `s *= e`, `s &= e`, `s |= e`,
//! `s ^= e`, `s = s.min(e)`, `s = s.max(e)`), never read otherwise inside the loop; an outer array
//! may be a reduction too (`hist += local`, with the operators that have an identity). Writes to
//! array memory must be proved disjoint by `crate::race`. Anything else is a compile error,
//! unless the loop is in an `unsafe { }` block.

use crate::builtins::{Builtin, Math2, Method};
use crate::diag::Diag;
use crate::hir::*;
use crate::infer::Typed;
use crate::race;
use crate::ty::Ty;
use std::collections::HashSet;

/// The fewest elements a whole-array expression or reduction of a `parallel` function needs to be
/// split across the pool (below it, the pool's overhead outweighs the work).
pub const MIN_SPLIT_ELEMS: i64 = 1 << 15;

/// How a reduction combines.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RedOp {
    Add,
    Sub,
    Mul,
    /// `s = s.min(e)`: Rust's, a NaN operand loses.
    Min,
    /// `s = s.max(e)`.
    Max,
    /// `s = np.minimum(s, e)`: NumPy's, a NaN operand wins.
    Minimum,
    /// `s = np.maximum(s, e)`.
    Maximum,
    And,
    Or,
    Xor,
}

impl RedOp {
    /// For the four minimum and maximum forms: whether it is a maximum, and whether a NaN
    /// propagates (NumPy's) rather than losing (Rust's).
    pub fn min_max(self) -> Option<(bool, bool)> {
        match self {
            RedOp::Min => Some((false, false)),
            RedOp::Max => Some((true, false)),
            RedOp::Minimum => Some((false, true)),
            RedOp::Maximum => Some((true, true)),
            _ => None,
        }
    }
}

/// What the analysis found for one `prange` loop.
#[derive(Debug, Default)]
pub struct Prange {
    /// Locals each iteration has its own copy of (declared in the body, and the loop variable).
    pub private: HashSet<LocalId>,
    /// Arguments of njit calls in the loop that pass memory other iterations share (a whole outer
    /// array, or a view of it not led by the loop variable): their callee may only read them, which
    /// rustc checks at the call (see the macro's `__rjit_check` markers).
    pub shared_args: Vec<ExprId>,
    /// Locals assigned anywhere in the loop (the others are invariant in it).
    pub written: HashSet<LocalId>,
    /// Outer variables the loop reduces into: scalars, or whole arrays updated with `+=` and the like
    /// (each chunk then reduces into a copy of its own, filled with the reduction's identity).
    pub reductions: Vec<(LocalId, RedOp)>,
}

/// Analyzes the `prange` loop `var in … { body }`: private locals and reductions; `diags` gets
/// the races of outer scalars (unless `checked` is off). Races on array memory are
/// [`crate::race`]'s proof, which [`check`] adds.
pub fn analyze(
    f: &Function,
    typed: &Typed,
    var: Option<LocalId>,
    body: &Block,
    checked: bool,
    diags: &mut Vec<Diag>,
) -> Prange {
    let mut p = Prange::default();
    p.private.extend(var);
    declared_in(f, body, &mut p.private);
    let written = assigned_in(f, body);
    p.written = written.clone();
    let mut cx = Check { f, typed, p, diags, checked };
    cx.block(body);
    // A reduction variable read anywhere else in the loop would see a partial value.
    if checked {
        let reds: Vec<LocalId> = cx.p.reductions.iter().map(|r| r.0).collect();
        let mut reads = Vec::new();
        reads_in_block(f, body, &mut reads, true);
        for (l, span) in reads {
            if reds.contains(&l) {
                let name = &f.local(l).name;
                cx.diags.push(
                    Diag::new(
                        span,
                        format!("`{name}` is a reduction of this `prange` loop and cannot be read inside it"),
                    )
                    .help("read it after the loop; inside, each iteration sees only part of the total"),
                );
            }
        }
    }
    cx.p
}

/// The whole analysis of one checked loop: scalar rules, then the proof over array memory.
fn analyze_checked(
    f: &Function,
    typed: &Typed,
    var: Option<LocalId>,
    range: &Range,
    body: &Block,
    diags: &mut Vec<Diag>,
) -> Prange {
    let mut p = analyze(f, typed, var, body, true, diags);
    let reductions: HashSet<LocalId> = p.reductions.iter().map(|r| r.0).collect();
    let lp =
        race::Loop { var, range: Some(range), body, private: &p.private, written: &p.written, reductions: &reductions };
    let footprint = race::prove(f, typed, &lp);
    diags.extend(footprint.diags);
    p.shared_args = footprint.shared_args;
    // Where the callees' signatures are known (at the first call), a shared array must go to a
    // parameter that only reads it; the macro has rustc check the same at each call.
    for a in &p.shared_args {
        let Some((call, k)) = call_of_arg(f, *a) else { continue };
        if let Some(sig) = typed.calls.get(&call) {
            if matches!(sig.params.get(k), Some(Ty::Array(at)) if at.mutable) {
                let ExprKind::Call { path, .. } = &f.expr(call).kind else { continue };
                diags.push(Diag::new(f.expr(*a).span, format!("possible data race in a `prange` loop: `{path}` may write this array, which other iterations reach too"))
                    .help("pass the row the iteration owns (`a[i]`), give the callee a read-only parameter, or put the loop in `unsafe { }` if its writes are disjoint"));
            }
        }
    }
    p
}

/// The call an argument belongs to, and its position.
fn call_of_arg(f: &Function, a: ExprId) -> Option<(ExprId, usize)> {
    f.exprs.iter().enumerate().find_map(|(i, e)| match &e.kind {
        ExprKind::Call { args, .. } => args.iter().position(|x| *x == a).map(|k| (ExprId(i as u32), k)),
        _ => None,
    })
}

/// Every `prange` loop of the function not inside an `unsafe { }` block, with its races.
pub fn check(f: &Function, typed: &Typed) -> Vec<Diag> {
    let mut diags = Vec::new();
    walk_loops(f, &f.body, false, &mut |var, range, body, unsafe_| {
        if !unsafe_ {
            analyze_checked(f, typed, var, range, body, &mut diags);
        }
    });
    diags
}

/// The call arguments of every checked `prange` loop that pass shared memory (see
/// [`Prange::shared_args`]).
pub fn shared_call_args(f: &Function, typed: &Typed) -> HashSet<ExprId> {
    let mut out = HashSet::new();
    walk_loops(f, &f.body, false, &mut |var, range, body, unsafe_| {
        if !unsafe_ {
            out.extend(analyze_checked(f, typed, var, range, body, &mut Vec::new()).shared_args);
        }
    });
    out
}

/// The locals declared in `b` or any block inside it (`let` bindings and loop variables): each
/// iteration has its own.
fn declared_in(f: &Function, b: &Block, out: &mut HashSet<LocalId>) {
    fn pat(p: &Pat, out: &mut HashSet<LocalId>) {
        match p {
            Pat::Bind(l) => {
                out.insert(*l);
            }
            Pat::Tuple(items, _) => items.iter().for_each(|i| pat(i, out)),
            Pat::Wild => {}
        }
    }
    for s in &b.stmts {
        match s {
            Stmt::Let { pat: p, .. } => pat(p, out),
            Stmt::For { var, .. } | Stmt::ForIn { var, .. } => out.extend(*var),
            _ => {}
        }
    }
    for inner in inner_blocks(f, b) {
        declared_in(f, inner, out);
    }
}

/// Every read of a local in the block, with its span (the reduction statements themselves excluded
/// when `skip_reductions`).
fn reads_in_block(f: &Function, b: &Block, out: &mut Vec<(LocalId, proc_macro2::Span)>, skip_reductions: bool) {
    for s in &b.stmts {
        match s {
            Stmt::OpAssign { value, .. } => reads_in_expr(f, *value, out),
            Stmt::Assign { place: Place::Local(l, _), value }
                if skip_reductions && is_min_max_of(f, *l, *value).is_some() =>
            {
                if let Some(other) = is_min_max_of(f, *l, *value).map(|(_, e)| e) {
                    reads_in_expr(f, other, out);
                }
            }
            Stmt::Assign { value, place } => {
                reads_in_expr(f, *value, out);
                if let Place::Index(ix) = place {
                    reads_in_expr(f, *ix, out);
                }
            }
            Stmt::Let { init, .. } | Stmt::Expr(init) => reads_in_expr(f, *init, out),
            Stmt::While { cond, body } => {
                reads_in_expr(f, *cond, out);
                reads_in_block(f, body, out, skip_reductions);
            }
            Stmt::Loop { body } => reads_in_block(f, body, out, skip_reductions),
            Stmt::For { range, body, .. } => {
                for e in [range.start, Some(range.stop), range.step].into_iter().flatten() {
                    reads_in_expr(f, e, out);
                }
                reads_in_block(f, body, out, skip_reductions);
            }
            Stmt::ForIn { array, body, .. } => {
                reads_in_expr(f, *array, out);
                reads_in_block(f, body, out, skip_reductions);
            }
            Stmt::Return(Some(e), _) | Stmt::Assert { cond: e, .. } => reads_in_expr(f, *e, out),
            Stmt::Print { args, .. } => args.iter().for_each(|a| reads_in_expr(f, *a, out)),
            _ => {}
        }
    }
    if let Some(t) = b.tail {
        reads_in_expr(f, t, out);
    }
}

fn reads_in_expr(f: &Function, e: ExprId, out: &mut Vec<(LocalId, proc_macro2::Span)>) {
    let ex = f.expr(e);
    let mut sub = |x: ExprId| reads_in_expr(f, x, out);
    match &ex.kind {
        ExprKind::Local(l) => out.push((*l, ex.span)),
        ExprKind::Unary(_, x) | ExprKind::Cast(x, _) | ExprKind::Field(x, _) => sub(*x),
        ExprKind::Binary(_, l, r) => {
            sub(*l);
            sub(*r);
        }
        ExprKind::Index(b, args) => {
            sub(*b);
            for a in args {
                match a {
                    IndexArg::At(x) => sub(*x),
                    IndexArg::Range(lo, hi) => [lo, hi].into_iter().flatten().for_each(|x| sub(*x)),
                }
            }
        }
        ExprKind::Tuple(items) | ExprKind::Call { args: items, .. } | ExprKind::Builtin { args: items, .. } => {
            items.iter().for_each(|x| sub(*x))
        }
        ExprKind::Method { recv, args, .. } => {
            sub(*recv);
            args.iter().for_each(|x| sub(*x));
        }
        ExprKind::If { cond, then, els } => {
            sub(*cond);
            reads_in_block(f, then, out, false);
            if let Some(x) = els {
                reads_in_expr(f, *x, out);
            }
        }
        ExprKind::Block(b) => reads_in_block(f, b, out, false),
        _ => {}
    }
}

/// `l = l.min(e)`, `l = l.max(e)`, `l = np.minimum(l, e)`, `l = np.maximum(l, e)`: the reduction
/// and the other operand.
fn is_min_max_of(f: &Function, l: LocalId, value: ExprId) -> Option<(RedOp, ExprId)> {
    let is_l = |x: ExprId| matches!(f.expr(x).kind, ExprKind::Local(y) if y == l);
    match &f.expr(value).kind {
        ExprKind::Method { method: Method::MinWith, recv, args } if is_l(*recv) => Some((RedOp::Min, args[0])),
        ExprKind::Method { method: Method::MaxWith, recv, args } if is_l(*recv) => Some((RedOp::Max, args[0])),
        ExprKind::Builtin { op: Builtin::Math2(Math2::Minimum), args, .. } if is_l(args[0]) => {
            Some((RedOp::Minimum, args[1]))
        }
        ExprKind::Builtin { op: Builtin::Math2(Math2::Maximum), args, .. } if is_l(args[0]) => {
            Some((RedOp::Maximum, args[1]))
        }
        _ => None,
    }
}

struct Check<'a> {
    f: &'a Function,
    typed: &'a Typed,
    p: Prange,
    diags: &'a mut Vec<Diag>,
    checked: bool,
}

impl Check<'_> {
    fn error(&mut self, d: Diag) {
        if self.checked {
            self.diags.push(d);
        }
    }

    fn shared(&self, l: LocalId) -> bool {
        !self.p.private.contains(&l)
    }

    fn race(&mut self, span: proc_macro2::Span, what: String) {
        self.error(race::race_diag(span, what));
    }

    fn block(&mut self, b: &Block) {
        for s in &b.stmts {
            if !matches!(s, Stmt::Expr(_)) {
                self.stmt(s);
            }
        }
        // `if` branches and blocks, wherever they sit (a statement, a `let`'s initializer, an
        // argument, the tail): the same rules (except inside an `unsafe { }` block).
        for inner in expr_blocks(self.f, b) {
            let was = self.checked;
            self.checked = was && !inner.is_unsafe;
            self.block(inner);
            self.checked = was;
        }
    }

    /// Outer locals: reductions, or races. Array memory is the proof's (`crate::race`).
    fn stmt(&mut self, s: &Stmt) {
        let f = self.f;
        match s {
            Stmt::Assign { place: Place::Local(l, span), value } if self.shared(*l) => {
                match is_min_max_of(f, *l, *value) {
                    Some(_) if self.is_array(*l) => {
                        let name = f.local(*l).name.clone();
                        self.error(Diag::new(*span, format!("`{name}` is an outer array, and element-wise minimum and maximum are not reductions of a `prange` loop"))
                        .help("reduce arrays with `+=`, `-=`, `*=`, `&=`, `|=` or `^=`, or write `a[i]` rows by the loop variable"));
                    }
                    Some((op, _)) => self.reduction(*l, op),
                    None => {
                        let name = f.local(*l).name.clone();
                        self.race(*span, format!("`{name}` is an outer variable assigned by every iteration"));
                    }
                }
            }
            Stmt::OpAssign { op, place: Place::Local(l, _), span, .. } if self.shared(*l) => {
                let red = match op {
                    BinOp::Add => Some(RedOp::Add),
                    BinOp::Sub => Some(RedOp::Sub),
                    BinOp::Mul => Some(RedOp::Mul),
                    BinOp::BitAnd => Some(RedOp::And),
                    BinOp::BitOr => Some(RedOp::Or),
                    BinOp::BitXor => Some(RedOp::Xor),
                    _ => None,
                };
                match red {
                    Some(r) => self.reduction(*l, r),
                    None => {
                        let name = f.local(*l).name.clone();
                        self.race(
                            *span,
                            format!(
                                "`{name}` is an outer variable updated with `{}=`, which is not a reduction",
                                op.symbol()
                            ),
                        );
                    }
                }
            }
            Stmt::Assign { place: Place::Tuple(items, span), .. } => self.tuple_place(items, *span),
            Stmt::Break(span) => self.error(
                Diag::new(*span, "`break` cannot leave a `prange` loop")
                    .help("iterations run in any order; use `range` to stop early"),
            ),
            Stmt::Return(_, span) => self.error(
                Diag::new(*span, "`return` cannot leave a `prange` loop")
                    .help("iterations run in any order; use `range` to stop early"),
            ),
            Stmt::For { body, .. } | Stmt::ForIn { body, .. } | Stmt::While { body, .. } | Stmt::Loop { body } => {
                self.block(body)
            }
            _ => {}
        }
    }

    fn tuple_place(&mut self, items: &[Place], span: proc_macro2::Span) {
        for p in items {
            match p {
                Place::Local(l, _) if self.shared(*l) => {
                    let name = self.f.local(*l).name.clone();
                    self.race(span, format!("`{name}` is an outer variable assigned by every iteration"));
                }
                Place::Tuple(inner, _) => self.tuple_place(inner, span),
                _ => {}
            }
        }
    }

    fn is_array(&self, l: LocalId) -> bool {
        matches!(self.typed.local(l), Ty::Array(_))
    }

    fn reduction(&mut self, l: LocalId, op: RedOp) {
        match self.p.reductions.iter().find(|r| r.0 == l) {
            Some((_, existing)) if *existing != op => {
                let name = self.f.local(l).name.clone();
                let span = self.f.local(l).span;
                self.error(Diag::new(span, format!("`{name}` is reduced in two different ways in one `prange` loop")));
            }
            Some(_) => {}
            None => self.p.reductions.push((l, op)),
        }
    }
}
