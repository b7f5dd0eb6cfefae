//! `prange` loops: which variables each iteration owns, which outer variables are reductions, and
//! whether any other write to outer state could race (DSL.md §6).
//!
//! A write to state shared across iterations must be provably disjoint: an element or a view of an
//! outer array whose first index is the loop variable plus an invariant offset (`out[i] = …`,
//! `let h = hs[i]; h /= h.sum();`). Outer scalars may only be reductions (`s += e`, `s -= e`,
//! `s *= e`, `s &= e`, `s |= e`, `s ^= e`, `s = s.min(e)`, `s = s.max(e)`), never read otherwise
//! inside the loop; an outer array may be a reduction too (`hist += local`, with the operators
//! that have an identity). Anything else is a compile error, unless the loop is in an `unsafe { }` block.

use crate::builtins::{Builtin, Math2, Method};
use crate::diag::Diag;
use crate::hir::*;
use crate::infer::Typed;
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

/// Analyzes the `prange` loop `var in … { body }`; `diags` gets its races (unless `checked` is off).
pub fn analyze(f: &Function, typed: &Typed, var: Option<LocalId>, body: &Block, checked: bool, diags: &mut Vec<Diag>) -> Prange {
    let mut p = Prange::default();
    p.private.extend(var);
    declared_in(f, body, &mut p.private);
    let written = assigned_in(f, body);
    p.written = written.clone();
    let mut cx = Check { f, typed, var, p, diags, checked, disjoint: HashSet::new(), fresh: HashSet::new(), written };
    cx.block(body);
    let mut calls = Vec::new();
    walk_exprs(f, body, &mut |e| {
        if let ExprKind::Call { args, .. } = &f.expr(e).kind {
            calls.extend(args.iter().copied());
        }
    });
    for a in calls {
        if cx.shares_memory(a) {
            cx.p.shared_args.push(a);
        }
    }
    // A reduction variable read anywhere else in the loop would see a partial value.
    if checked {
        let reds: Vec<LocalId> = cx.p.reductions.iter().map(|r| r.0).collect();
        let mut reads = Vec::new();
        reads_in_block(f, body, &mut reads, true);
        for (l, span) in reads {
            if reds.contains(&l) {
                let name = &f.local(l).name;
                cx.diags.push(Diag::new(span, format!("`{name}` is a reduction of this `prange` loop and cannot be read inside it"))
                    .help("read it after the loop; inside, each iteration sees only part of the total"));
            }
        }
    }
    cx.p
}

/// Every `prange` loop of the function not inside an `unsafe { }` block, with its races.
pub fn check(f: &Function, typed: &Typed) -> Vec<Diag> {
    let mut diags = Vec::new();
    walk_loops(f, &f.body, false, &mut |var, body, unsafe_| {
        let mut d = Vec::new();
        analyze(f, typed, var, body, !unsafe_, &mut d);
        diags.extend(d);
    });
    diags
}

/// The call arguments of every checked `prange` loop that pass shared memory (see
/// [`Prange::shared_args`]).
pub fn shared_call_args(f: &Function, typed: &Typed) -> HashSet<ExprId> {
    let mut out = HashSet::new();
    walk_loops(f, &f.body, false, &mut |var, body, unsafe_| {
        if !unsafe_ {
            out.extend(analyze(f, typed, var, body, false, &mut Vec::new()).shared_args);
        }
    });
    out
}

/// Calls `visit` on each outermost `prange` loop (nested ones run serially and are not separate).
pub fn walk_loops(f: &Function, b: &Block, unsafe_: bool, visit: &mut dyn FnMut(Option<LocalId>, &Block, bool)) {
    let unsafe_ = unsafe_ || b.is_unsafe;
    for s in &b.stmts {
        match s {
            Stmt::For { var, body, parallel: true, .. } => visit(*var, body, unsafe_),
            Stmt::For { body, .. } | Stmt::ForIn { body, .. } | Stmt::While { body, .. } | Stmt::Loop { body } => walk_loops(f, body, unsafe_, visit),
            _ => {}
        }
    }
    for inner in expr_blocks(f, b) {
        walk_loops(f, inner, unsafe_, visit);
    }
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
            Stmt::Assign { place: Place::Local(l, _), value } if skip_reductions && is_min_max_of(f, *l, *value).is_some() => {
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
        ExprKind::Tuple(items) | ExprKind::Call { args: items, .. } | ExprKind::Builtin { args: items, .. } => items.iter().for_each(|x| sub(*x)),
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
        ExprKind::Builtin { op: Builtin::Math2(Math2::Minimum), args, .. } if is_l(args[0]) => Some((RedOp::Minimum, args[1])),
        ExprKind::Builtin { op: Builtin::Math2(Math2::Maximum), args, .. } if is_l(args[0]) => Some((RedOp::Maximum, args[1])),
        _ => None,
    }
}

struct Check<'a> {
    f: &'a Function,
    typed: &'a Typed,
    var: Option<LocalId>,
    p: Prange,
    diags: &'a mut Vec<Diag>,
    checked: bool,
    /// Private locals holding a view of outer memory led by the loop variable.
    disjoint: HashSet<LocalId>,
    /// Private locals holding memory of their own (allocated in the body).
    fresh: HashSet<LocalId>,
    /// Locals written anywhere in the body (not loop-invariant).
    written: HashSet<LocalId>,
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

    /// `i`, `i + c`, `i - c`, `c + i` with `c` invariant in the loop.
    fn led_by_var(&self, e: ExprId) -> bool {
        let Some(var) = self.var else { return false };
        let is_var = |x: ExprId| matches!(self.f.expr(x).kind, ExprKind::Local(l) if l == var);
        match &self.f.expr(e).kind {
            ExprKind::Local(l) => *l == var,
            ExprKind::Binary(BinOp::Add, a, b) => (is_var(*a) && self.invariant(*b)) || (is_var(*b) && self.invariant(*a)),
            ExprKind::Binary(BinOp::Sub, a, b) => is_var(*a) && self.invariant(*b),
            ExprKind::Cast(x, _) => self.led_by_var(*x),
            _ => false,
        }
    }

    fn invariant(&self, e: ExprId) -> bool {
        match &self.f.expr(e).kind {
            ExprKind::Int(..) | ExprKind::Float(..) | ExprKind::Bool(_) => true,
            ExprKind::Local(l) => self.shared(*l) && !self.written.contains(l),
            ExprKind::Cast(x, _) | ExprKind::Unary(_, x) => self.invariant(*x),
            ExprKind::Binary(_, a, b) => self.invariant(*a) && self.invariant(*b),
            _ => false,
        }
    }

    /// Whether writing through the array expression `base` (indexed by `args`) is disjoint.
    fn write_target_ok(&self, base: ExprId, args: &[IndexArg]) -> bool {
        match &self.f.expr(base).kind {
            ExprKind::Local(l) if !self.shared(*l) => self.fresh.contains(l) || self.disjoint.contains(l),
            ExprKind::Local(_) => matches!(args.first(), Some(IndexArg::At(x)) if self.led_by_var(*x)),
            _ => false,
        }
    }

    fn race(&mut self, span: proc_macro2::Span, what: String) {
        self.error(Diag::new(span, format!("{what} in a `prange` loop: iterations running at once could race")).help(
            "write only to `a[i]` (the loop variable leading the index), or accumulate into an outer variable with `+=`, \
             `-=`, `*=`, `&=`, `|=`, `^=`, `s = s.min(x)` or `s = s.max(x)`; put the loop in `unsafe { }` if you know better",
        ));
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

    fn stmt(&mut self, s: &Stmt) {
        let f = self.f;
        match s {
            Stmt::Let { pat: Pat::Bind(l), init } => self.classify(*l, *init),
            Stmt::Assign { place: Place::Local(l, span), value } if self.shared(*l) => match is_min_max_of(f, *l, *value) {
                Some(_) if self.is_array(*l) => {
                    let name = f.local(*l).name.clone();
                    self.error(Diag::new(*span, format!("`{name}` is an outer array, and element-wise minimum and maximum are not reductions of a `prange` loop"))
                        .help("reduce arrays with `+=`, `-=`, `*=`, `&=`, `|=` or `^=`, or write `a[i]` rows by the loop variable"));
                }
                Some((op, _)) => self.reduction(*l, op),
                None => {
                    let name = f.local(*l).name.clone();
                    self.race(*span, format!("`{name}` is assigned"));
                }
            },
            Stmt::Assign { place: Place::Local(l, _), value } => self.classify(*l, *value),
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
                        self.race(*span, format!("`{name}` is updated with `{}=`, which is not a reduction", op.symbol()));
                    }
                }
            }
            Stmt::OpAssign { place: Place::Local(l, _), span, .. } if self.is_array(*l) => {
                // In place on a private array: fine when it owns its memory or is a disjoint view.
                if !self.fresh.contains(l) && !self.disjoint.contains(l) {
                    let name = f.local(*l).name.clone();
                    self.race(*span, format!("`{name}` is updated in place, and it views memory other iterations share"));
                }
            }
            Stmt::Assign { place: Place::Index(ix), .. } | Stmt::OpAssign { place: Place::Index(ix), .. } => {
                if let ExprKind::Index(base, args) = &f.expr(*ix).kind {
                    if !self.write_target_ok(*base, args) {
                        let name = match &f.expr(*base).kind {
                            ExprKind::Local(l) => format!("`{}`", f.local(*l).name),
                            _ => "an array".to_string(),
                        };
                        self.race(f.expr(*ix).span, format!("{name} is written at an index not led by the loop variable"));
                    }
                }
            }
            Stmt::Assign { place: Place::Tuple(items, span), .. } => {
                for p in items {
                    if let Place::Local(l, _) = p {
                        if self.shared(*l) {
                            let name = f.local(*l).name.clone();
                            self.race(*span, format!("`{name}` is assigned"));
                        }
                    }
                }
            }
            Stmt::Break(span) => self.error(Diag::new(*span, "`break` cannot leave a `prange` loop").help("iterations run in any order; use `range` to stop early")),
            Stmt::Return(_, span) => self.error(Diag::new(*span, "`return` cannot leave a `prange` loop").help("iterations run in any order; use `range` to stop early")),
            Stmt::For { body, .. } | Stmt::ForIn { body, .. } | Stmt::While { body, .. } | Stmt::Loop { body } => self.block(body),
            _ => {}
        }
    }

    /// Whether the array expression `e` reaches memory other iterations share: an outer array or
    /// a view of one not led by the loop variable, or a private alias of such.
    fn shares_memory(&self, e: ExprId) -> bool {
        if !matches!(self.typed.expr(e), Ty::Array(_)) {
            return false;
        }
        match &self.f.expr(e).kind {
            ExprKind::Local(l) => self.shared(*l) || !(self.fresh.contains(l) || self.disjoint.contains(l)),
            ExprKind::Index(base, args) => match &self.f.expr(*base).kind {
                ExprKind::Local(b) if self.shared(*b) => !matches!(args.first(), Some(IndexArg::At(x)) if self.led_by_var(*x)),
                _ => self.shares_memory(*base),
            },
            _ => false,
        }
    }

    fn is_array(&self, l: LocalId) -> bool {
        matches!(self.typed.local(l), Ty::Array(_))
    }

    /// What a private local holds: its own memory, a disjoint view of shared memory, or neither.
    fn classify(&mut self, l: LocalId, init: ExprId) {
        match &self.f.expr(init).kind {
            ExprKind::Index(base, args) => {
                let base_shared = matches!(self.f.expr(*base).kind, ExprKind::Local(b) if self.shared(b));
                if base_shared && matches!(args.first(), Some(IndexArg::At(x)) if self.led_by_var(*x)) {
                    self.disjoint.insert(l);
                } else if matches!(self.f.expr(*base).kind, ExprKind::Local(b) if self.disjoint.contains(&b) || self.fresh.contains(&b)) {
                    self.disjoint.insert(l);
                }
            }
            ExprKind::Local(src) if self.fresh.contains(src) || self.disjoint.contains(src) => {
                self.disjoint.insert(l);
            }
            ExprKind::Local(_) => {}
            // Anything else that makes an array makes a new one.
            _ => {
                self.fresh.insert(l);
            }
        }
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
