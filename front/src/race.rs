//! The `prange` race proof (DSL.md §6, docs/SAFETY.md): which elements of outer memory each
//! iteration may read and write, and whether two iterations can meet.
//!
//! Every array value in the loop body gets an *origin*, the set of places its memory may be:
//! - `Fresh`: allocated by this iteration (`np.zeros`, arithmetic, `copy`), reached by no other;
//! - `Slot(l, k)`: the part of outer array local `l` at first index `i + k`, where `i` is the loop
//!   variable (never assigned in the body) and the index provably never wraps onto another
//!   iteration's (no narrowing cast, no negative value counting from the end);
//! - `Whole(b)`: any element of outer buffer `b` (a parameter or an allocation site, as
//!   `alias::Roots` sees through views), or of a buffer nothing can name (`Unknown`).
//!
//! Origins flow through locals (a fixpoint over the body's assignments, so a rebinding joins),
//! views (`a[j]`, `a[1..]`, `t()`, rows of a `for`) and `if`/blocks; only an outer local indexed
//! directly by the loop variable narrows to a slot, since a view of it (`a.t()[i]`, `a[1..][i]`)
//! has other elements at the same index. Calls may return views of their arguments.
//!
//! The proof then asks, per outer buffer that anything writes: is every access to it, read or
//! write, in the slot of one local at one offset? If so, distinct iterations touch distinct
//! elements and none reads what another writes. Anything else is a race: a write to `Whole`,
//! two offsets (`out[i]` and `out[i + 1]`), a read of the whole buffer while slots are written, a
//! read through a buffer nothing can name while anything is written.

use crate::alias::{Root, Roots};
use crate::builtins::Method;
use crate::diag::Diag;
use crate::hir::*;
use crate::infer::Typed;
use crate::ty::Ty;
use proc_macro2::Span;
use std::collections::{BTreeSet, HashMap, HashSet};

/// An outer buffer.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Buf {
    Root(RootKey),
    /// An outer local whose buffer the alias analysis cannot name.
    Unknown,
}

/// `Root` made orderable.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum RootKey {
    Param(usize),
    Alloc(u32),
}

impl From<Root> for RootKey {
    fn from(r: Root) -> RootKey {
        match r {
            Root::Param(n) => RootKey::Param(n),
            Root::Alloc(e) => RootKey::Alloc(e.0),
        }
    }
}

/// Where an array value's memory may be.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Mem {
    Fresh,
    /// Outer local `LocalId` of buffer `Buf`, at first index `i + key`.
    Slot(Buf, LocalId, String),
    Whole(Buf),
}

pub type Origin = BTreeSet<Mem>;

/// One access to outer memory.
struct Access {
    mem: Mem,
    write: bool,
    span: Span,
    /// Why an index by the loop variable did not give a slot.
    why: Option<&'static str>,
}

/// What the proof found for one loop.
#[derive(Debug, Default)]
pub struct Footprint {
    pub diags: Vec<Diag>,
    /// Call arguments that reach memory other iterations may touch (`Whole`): only a parameter
    /// that reads may take them.
    pub shared_args: Vec<ExprId>,
}

/// The loop the proof is about.
pub struct Loop<'a> {
    pub var: Option<LocalId>,
    pub range: Option<&'a Range>,
    pub body: &'a Block,
    /// Locals each iteration has its own of (declared in the body, and the loop variable).
    pub private: &'a HashSet<LocalId>,
    /// Locals assigned anywhere in the body.
    pub written: &'a HashSet<LocalId>,
    /// Outer locals the loop reduces into (`s += e`, `hist += local`): combined per chunk, never
    /// shared memory while the loop runs.
    pub reductions: &'a HashSet<LocalId>,
}

pub fn prove(f: &Function, typed: &Typed, lp: &Loop) -> Footprint {
    let roots = Roots::of(f, typed, false);
    let mut cx = Cx {
        f,
        typed,
        lp,
        roots,
        origins: HashMap::new(),
        accesses: Vec::new(),
        shared_args: Vec::new(),
        checked: true,
        why: None,
    };
    // Origins of private locals: a fixpoint (origins only grow, and are finite); the accesses
    // are those of the last pass, with every origin complete.
    loop {
        let before = cx.origins.clone();
        cx.accesses.clear();
        cx.shared_args.clear();
        cx.block(lp.body, false);
        if cx.origins == before {
            break;
        }
    }
    let mut out = Footprint { diags: cx.verdict(), shared_args: cx.shared_args };
    out.shared_args.sort_by_key(|e| e.0);
    out.shared_args.dedup();
    out
}

struct Cx<'a> {
    f: &'a Function,
    typed: &'a Typed,
    lp: &'a Loop<'a>,
    roots: Roots,
    origins: HashMap<LocalId, Origin>,
    accesses: Vec<Access>,
    shared_args: Vec<ExprId>,
    /// Outside `unsafe { }` blocks (inside them the user vouches for the accesses).
    checked: bool,
    /// Why the last index by the loop variable gave no slot, for the next access recorded.
    why: Option<&'static str>,
}

impl Cx<'_> {
    fn is_array(&self, e: ExprId) -> bool {
        holds_array(self.typed.expr(e))
    }

    fn private(&self, l: LocalId) -> bool {
        self.lp.private.contains(&l)
    }

    fn buf(&self, l: LocalId) -> Buf {
        match self.roots.root(l) {
            Some(r) => Buf::Root(r.into()),
            None => Buf::Unknown,
        }
    }

    fn record(&mut self, origin: &Origin, write: bool, span: Span) {
        if !self.checked {
            return;
        }
        for m in origin {
            if *m != Mem::Fresh {
                self.accesses.push(Access { mem: m.clone(), write, span, why: self.why });
            }
        }
    }

    fn assign(&mut self, l: LocalId, o: Origin) {
        if self.private(l) {
            self.origins.entry(l).or_default().extend(o);
        }
    }

    /// The origin of an array (or tuple) value, recording the reads its evaluation makes.
    fn origin(&mut self, e: ExprId) -> Origin {
        let f = self.f;
        let ex = f.expr(e);
        let array = self.is_array(e);
        match &ex.kind {
            ExprKind::Local(l) if self.private(*l) => self.origins.get(l).cloned().unwrap_or_default(),
            ExprKind::Local(l) if holds_array(self.typed.local(*l)) && !self.lp.reductions.contains(l) => {
                [Mem::Whole(self.buf(*l))].into()
            }
            ExprKind::Local(_) => Origin::new(),
            ExprKind::Index(base, args) => {
                for a in args {
                    match a {
                        IndexArg::At(x) => self.read(*x),
                        IndexArg::Range(lo, hi) => [lo, hi].into_iter().flatten().for_each(|x| self.read(*x)),
                    }
                }
                let narrowed = self.narrow(*base, args);
                if !array {
                    self.record(&narrowed, false, ex.span);
                }
                self.why = None;
                if !array {
                    return Origin::new();
                }
                narrowed
            }
            ExprKind::Method { method: Method::T | Method::Reshape, recv, .. } => self.origin(*recv),
            ExprKind::Method { method: Method::Fill | Method::Shuffle | Method::Sort, recv, args } => {
                args.iter().for_each(|a| self.read(*a));
                let o = self.origin(*recv);
                self.record(&o, true, ex.span);
                Origin::new()
            }
            ExprKind::Method { recv, args, .. } => {
                self.read(*recv);
                args.iter().for_each(|a| self.read(*a));
                fresh_if(array)
            }
            ExprKind::Field(x, _) => self.origin(*x),
            ExprKind::Tuple(items) => {
                let mut o = Origin::new();
                for i in items {
                    o.extend(self.origin(*i));
                }
                o
            }
            ExprKind::Call { args, .. } => {
                // The callee may read every array it gets, write those passed writable, and
                // return a view of any of them.
                let mut out = fresh_if(array || matches!(self.typed.expr(e), Ty::Unknown));
                for a in args {
                    let o = self.origin(*a);
                    if o.iter().any(|m| matches!(m, Mem::Whole(_))) {
                        self.shared_args.push(*a);
                        self.record(&o, false, f.expr(*a).span);
                    } else {
                        let writable = matches!(self.typed.expr(*a), Ty::Array(at) if at.mutable);
                        self.record(&o, false, f.expr(*a).span);
                        self.record(&o, writable, f.expr(*a).span);
                    }
                    out.extend(o);
                }
                out
            }
            ExprKind::If { cond, then, els } => {
                self.read(*cond);
                let mut o = self.block(then, true).unwrap_or_default();
                if let Some(x) = els {
                    o.extend(self.origin(*x));
                }
                o
            }
            ExprKind::Block(b) => {
                let was = self.checked;
                self.checked = was && !b.is_unsafe;
                let o = self.block(b, true).unwrap_or_default();
                self.checked = was;
                o
            }
            // Operators, builtins and casts read their operands and make a new array.
            _ => {
                walk_children(f, e, &mut |c| self.read(c));
                fresh_if(array)
            }
        }
    }

    /// Evaluates `e` for its value: an array it yields is read whole.
    fn read(&mut self, e: ExprId) {
        let o = self.origin(e);
        let span = self.f.expr(e).span;
        self.record(&o, false, span);
    }

    /// The memory `base[args]` reaches.
    fn narrow(&mut self, base: ExprId, args: &[IndexArg]) -> Origin {
        if let ExprKind::Local(l) = self.f.expr(base).kind {
            if !self.private(l) && holds_array(self.typed.local(l)) && !self.lp.reductions.contains(&l) {
                if let Some(IndexArg::At(x)) = args.first() {
                    if let Some(key) = self.slot_key(*x) {
                        return [Mem::Slot(self.buf(l), l, key)].into();
                    }
                    self.why = self.why_not(*x);
                }
            }
        }
        self.origin(base)
    }

    /// Statements of a block; with `value`, the origin of its tail.
    fn block(&mut self, b: &Block, value: bool) -> Option<Origin> {
        for s in &b.stmts {
            self.stmt(s);
        }
        match (b.tail, value) {
            (Some(t), true) => Some(self.origin(t)),
            (Some(t), false) => {
                self.read(t);
                None
            }
            _ => None,
        }
    }

    fn stmt(&mut self, s: &Stmt) {
        let f = self.f;
        match s {
            Stmt::Let { pat, init } => {
                let o = self.origin(*init);
                self.bind(pat, o);
            }
            Stmt::Assign { place, value } => {
                let o = self.origin(*value);
                self.store(place, o, false);
            }
            Stmt::OpAssign { place, value, .. } => {
                self.read(*value);
                self.store(place, Origin::new(), true);
            }
            Stmt::Expr(e) => self.read(*e),
            Stmt::Assert { cond: e, .. } | Stmt::Return(Some(e), _) => self.read(*e),
            Stmt::Print { args, .. } => args.iter().for_each(|a| self.read(*a)),
            Stmt::While { cond, body } => {
                self.read(*cond);
                self.block(body, false);
            }
            Stmt::Loop { body } => {
                self.block(body, false);
            }
            Stmt::For { range, body, var, .. } => {
                for e in [range.start, Some(range.stop), range.step].into_iter().flatten() {
                    self.read(e);
                }
                let _ = var;
                self.block(body, false);
            }
            Stmt::ForIn { var, array, body } => {
                // Elements or rows of the array: read, and a row is a view of it.
                let o = self.origin(*array);
                self.record(&o, false, f.expr(*array).span);
                if let Some(v) = var {
                    if holds_array(self.typed.local(*v)) {
                        self.assign(*v, o);
                    }
                }
                self.block(body, false);
            }
            Stmt::Break(_) | Stmt::Continue(_) | Stmt::Return(None, _) => {}
        }
    }

    fn bind(&mut self, p: &Pat, o: Origin) {
        match p {
            Pat::Bind(l) => self.assign(*l, o),
            // Which part went where is not followed: each binding may be any of them.
            Pat::Tuple(items, _) => items.iter().for_each(|i| self.bind(i, o.clone())),
            Pat::Wild => {}
        }
    }

    /// A store of a value of origin `o` into `place` (`update`: a compound assignment, which
    /// also reads the place).
    fn store(&mut self, place: &Place, o: Origin, update: bool) {
        match place {
            Place::Local(l, span) => {
                if self.private(*l) {
                    if update && holds_array(self.typed.local(*l)) {
                        // In place: through whatever the local holds.
                        let held = self.origins.get(l).cloned().unwrap_or_default();
                        self.record(&held, false, *span);
                        self.record(&held, true, *span);
                    } else {
                        self.assign(*l, o);
                    }
                }
                // Outer locals: reductions, or a race the scalar rules report.
            }
            Place::Index(ix) => {
                let span = self.f.expr(*ix).span;
                if let ExprKind::Index(base, args) = &self.f.expr(*ix).kind {
                    for a in args {
                        match a {
                            IndexArg::At(x) => self.read(*x),
                            IndexArg::Range(lo, hi) => [lo, hi].into_iter().flatten().for_each(|x| self.read(*x)),
                        }
                    }
                    let target = self.narrow(*base, args);
                    if update {
                        self.record(&target, false, span);
                    }
                    self.record(&target, true, span);
                    self.why = None;
                }
            }
            Place::Tuple(items, _) => items.iter().for_each(|p| self.store(p, o.clone(), update)),
        }
    }

    /// `Some(offset)` when the index `x` is `i + offset` for the loop variable `i`, and distinct
    /// iterations can never reach one element through it.
    fn slot_key(&self, x: ExprId) -> Option<String> {
        let var = self.lp.var?;
        if self.lp.written.contains(&var) {
            return None;
        }
        let (key, nonneg) = self.injective(x, var)?;
        nonneg.then_some(key)
    }

    /// Why an index that uses the loop variable is no slot.
    fn why_not(&self, x: ExprId) -> Option<&'static str> {
        let var = self.lp.var?;
        let mut uses = false;
        walk_expr(self.f, x, &mut |e| uses |= matches!(self.f.expr(e).kind, ExprKind::Local(l) if l == var));
        if !uses {
            return None;
        }
        if self.lp.written.contains(&var) {
            return Some("the loop variable is assigned in the body");
        }
        if let ExprKind::Cast(y, to) = &self.f.expr(x).kind {
            if self.typed.expr(*y).scalar().is_some_and(|from| to.bits() < from.bits()) {
                return Some("the cast narrows the index, so several iterations' indices meet");
            }
        }
        match self.injective(x, var) {
            None => Some("the index is not the loop variable plus a loop-invariant offset (or a widening cast of it)"),
            Some((_, false)) => Some(
                "the index can be negative, and a negative index counts from the end, onto another iteration's element",
            ),
            Some(_) => None,
        }
    }

    /// `x` as an injective function of the loop variable: its offset, and whether its value is
    /// never negative (a negative index counts from the end, onto another iteration's element).
    fn injective(&self, x: ExprId, var: LocalId) -> Option<(String, bool)> {
        let ty = self.typed.expr(x).scalar()?;
        if !ty.is_int() {
            return None;
        }
        let is_var = |e: ExprId| matches!(self.f.expr(e).kind, ExprKind::Local(l) if l == var);
        let var_ty = self.typed.local(var).scalar()?;
        // The loop variable's value in type `ty` is never negative.
        let var_nonneg = ty.is_unsigned()
            || (var_ty.is_unsigned() && var_ty.bits() < ty.bits())
            || (var_ty.is_signed() && self.range_nonneg().is_some());
        match &self.f.expr(x).kind {
            ExprKind::Local(l) if *l == var => Some(("+0".into(), var_nonneg)),
            ExprKind::Binary(op @ (BinOp::Add | BinOp::Sub), a, b) => {
                let (v, c, sub) = match op {
                    BinOp::Add if is_var(*a) => (*a, *b, false),
                    BinOp::Add if is_var(*b) => (*b, *a, false),
                    BinOp::Sub if is_var(*a) => (*a, *b, true),
                    _ => return None,
                };
                let _ = v;
                if !self.invariant(c) {
                    return None;
                }
                let lit = self.int_literal(c);
                let key = match (lit, sub) {
                    (Some(0), _) => "+0".to_string(),
                    (Some(n), false) => format!("+{n}"),
                    (Some(n), true) => format!("-{n}"),
                    (None, false) => format!("+{}", self.canon(c)),
                    (None, true) => format!("-{}", self.canon(c)),
                };
                // Unsigned arithmetic wraps modulo 2^bits: still one element per iteration. A
                // signed index must stay non-negative: a 64-bit sum of a non-negative variable
                // and literal cannot wrap onto an element in bounds; a difference must not go
                // below zero.
                let nonneg = ty.is_unsigned()
                    || match (lit, sub) {
                        (Some(n), false) => var_nonneg && ty.bits() == 64 && n <= i64::MAX as u128,
                        (Some(n), true) => var_nonneg && self.range_nonneg().is_some_and(|start| start >= n),
                        (None, _) => false,
                    };
                Some((key, nonneg))
            }
            ExprKind::Cast(y, to) => {
                let from = self.typed.expr(*y).scalar()?;
                if !from.is_int() || !to.is_int() || to.bits() < from.bits() {
                    return None;
                }
                let (key, nonneg) = self.injective(*y, var)?;
                // Same width, unsigned to signed: the top half turns negative.
                let keeps = to.is_unsigned() || (nonneg && (from.is_signed() || to.bits() > from.bits()));
                Some((key, keeps))
            }
            _ => None,
        }
    }

    /// The first value of the loop variable when the range provably yields no negative value (a
    /// non-negative literal start, or none, and a positive step or none).
    fn range_nonneg(&self) -> Option<u128> {
        let r = self.lp.range?;
        let start = match r.start {
            None => 0,
            Some(s) => self.int_literal(s)?,
        };
        match r.step {
            None => Some(start),
            Some(st) => matches!(self.f.expr(st).kind, ExprKind::Int(n, _) if n > 0).then_some(start),
        }
    }

    fn int_literal(&self, e: ExprId) -> Option<u128> {
        match self.f.expr(e).kind {
            ExprKind::Int(n, _) => Some(n),
            _ => None,
        }
    }

    /// Literals and outer locals the loop never assigns.
    fn invariant(&self, e: ExprId) -> bool {
        match &self.f.expr(e).kind {
            ExprKind::Int(..) | ExprKind::Float(..) | ExprKind::Bool(_) => true,
            ExprKind::Local(l) => !self.private(*l) && !self.lp.written.contains(l),
            ExprKind::Cast(x, _) | ExprKind::Unary(_, x) => self.invariant(*x),
            ExprKind::Binary(_, a, b) => self.invariant(*a) && self.invariant(*b),
            _ => false,
        }
    }

    /// A loop-invariant expression as text: equal texts, equal values.
    fn canon(&self, e: ExprId) -> String {
        match &self.f.expr(e).kind {
            ExprKind::Int(n, _) => n.to_string(),
            ExprKind::Float(x, _) => format!("{x:?}"),
            ExprKind::Bool(b) => b.to_string(),
            ExprKind::Local(l) => format!("l{}", l.0),
            ExprKind::Cast(x, s) => format!("({} as {})", self.canon(*x), s.rust_name()),
            ExprKind::Unary(op, x) => format!("({op:?} {})", self.canon(*x)),
            ExprKind::Binary(op, a, b) => format!("({} {} {})", self.canon(*a), op.symbol(), self.canon(*b)),
            _ => "?".into(),
        }
    }

    /// The races among the recorded accesses, one diagnostic per buffer.
    fn verdict(&self) -> Vec<Diag> {
        let mut diags = Vec::new();
        let written: BTreeSet<Buf> = self.accesses.iter().filter(|a| a.write).map(|a| buf_of(&a.mem)).collect();
        let mut reported: HashSet<Buf> = HashSet::new();
        let name = |m: &Mem| -> String {
            match m {
                Mem::Slot(_, l, _) => format!("`{}`", self.f.local(*l).name),
                Mem::Whole(b) => self.buf_name(*b),
                Mem::Fresh => "a new array".into(),
            }
        };
        for a in self.accesses.iter().filter(|a| a.write) {
            let b = buf_of(&a.mem);
            if reported.contains(&b) {
                continue;
            }
            let race = |why: String, span: Span| Some((why, span));
            let found = match &a.mem {
                Mem::Whole(Buf::Unknown) => race(
                    format!("{} is written, and which array it is depends on the path taken", name(&a.mem)),
                    a.span,
                ),
                Mem::Whole(_) => {
                    let why = a.why.map(|w| format!(" ({w})")).unwrap_or_default();
                    race(
                        format!("{} is written at an element other iterations may write too{why}", name(&a.mem)),
                        a.span,
                    )
                }
                Mem::Slot(_, l, k) => self
                    .accesses
                    .iter()
                    // What a buffer nothing names may be: any of them.
                    .filter(|o| b == Buf::Unknown || buf_of(&o.mem) == b || buf_of(&o.mem) == Buf::Unknown)
                    .find(|o| !matches!(&o.mem, Mem::Slot(_, l2, k2) if l2 == l && k2 == k))
                    .and_then(|o| {
                        let what = if o.write { "written" } else { "read" };
                        let other = match &o.mem {
                            Mem::Slot(_, l2, _) if l2 == l => {
                                format!("{} is also {what} at another offset from the loop variable", name(&o.mem))
                            }
                            Mem::Slot(..) => {
                                format!("{} is {what} too, and views the same memory at other elements", name(&o.mem))
                            }
                            Mem::Whole(Buf::Unknown) => {
                                format!("{} is {what} too, and may be the same array", name(&o.mem))
                            }
                            _ => format!("{} is {what} whole (at any element) too", name(&o.mem)),
                        };
                        race(
                            format!("{} is written by each iteration at its own element, but {other}", name(&a.mem)),
                            o.span,
                        )
                    }),
                Mem::Fresh => None,
            };
            if let Some((why, span)) = found {
                reported.insert(b);
                diags.push(race_diag(span, why));
            }
        }
        // A read through a buffer nothing can name, while anything is written: it may be it.
        if !written.is_empty() && !reported.contains(&Buf::Unknown) {
            if let Some(o) = self.accesses.iter().find(|o| !o.write && buf_of(&o.mem) == Buf::Unknown) {
                if diags.is_empty() {
                    diags.push(race_diag(
                        o.span,
                        format!("{} is read, and may be the array this loop writes", name(&o.mem)),
                    ));
                }
            }
        }
        diags
    }

    fn buf_name(&self, b: Buf) -> String {
        match b {
            Buf::Root(RootKey::Param(n)) => format!("`{}`", self.f.local(self.f.params[n].local).name),
            Buf::Root(RootKey::Alloc(_)) => "an outer array".into(),
            Buf::Unknown => "an outer array".into(),
        }
    }
}

fn buf_of(m: &Mem) -> Buf {
    match m {
        Mem::Slot(b, ..) | Mem::Whole(b) => *b,
        Mem::Fresh => Buf::Unknown,
    }
}

/// The diagnostic of a possible race: why, and what to write instead.
pub fn race_diag(span: Span, why: String) -> Diag {
    Diag::new(span, format!("possible data race in a `prange` loop: {why}")).help(
        "let each iteration write only its own element `a[i]` (or `a[i + k]`, one offset throughout) and read no element \
         another iteration writes; accumulate with `+=`, `-=`, `*=`, `&=`, `|=`, `^=`, `s = s.min(x)` or `s = s.max(x)`; \
         put the loop in `unsafe { }` if you know better (docs/SAFETY.md)",
    )
}

fn fresh_if(array: bool) -> Origin {
    if array {
        [Mem::Fresh].into()
    } else {
        Origin::new()
    }
}

/// Arrays, and tuples that may hold one.
fn holds_array(t: &Ty) -> bool {
    match t {
        Ty::Array(_) => true,
        Ty::Tuple(items) => items.iter().any(holds_array),
        _ => false,
    }
}

/// Calls `visit` on each expression `e` directly contains (blocks' statements excluded: the
/// kinds handled here hold none).
fn walk_children(f: &Function, e: ExprId, visit: &mut dyn FnMut(ExprId)) {
    match &f.expr(e).kind {
        ExprKind::Unary(_, a) | ExprKind::Cast(a, _) => visit(*a),
        ExprKind::Binary(_, l, r) => {
            visit(*l);
            visit(*r);
        }
        ExprKind::Builtin { args, .. } => args.iter().for_each(|a| visit(*a)),
        _ => {}
    }
}

/// The pairs of array parameters (a writable one first) that must not overlap in memory when a
/// `parallel` function runs: its checked `prange` loops were proved race-free on the promise that
/// distinct parameters are distinct buffers where one of them is writable. Rust's borrows keep
/// that promise at the boundary; another njit function could break it (`f(a, a)`), so the
/// function checks it on entry. Empty when no loop relies on it.
pub fn params_kept_apart(f: &Function, typed: &Typed) -> Vec<(usize, usize)> {
    let mut checked_loop = false;
    walk_loops(f, &f.body, false, &mut |_, _, _, unsafe_| checked_loop |= !unsafe_);
    if !checked_loop {
        return Vec::new();
    }
    let arrays: Vec<(usize, bool)> = f
        .params
        .iter()
        .enumerate()
        .filter_map(|(i, p)| match typed.local(p.local) {
            Ty::Array(a) => Some((i, a.mutable)),
            _ => None,
        })
        .collect();
    let mut out = Vec::new();
    for &(p, writable) in &arrays {
        if writable {
            out.extend(arrays.iter().filter(|(q, w)| *q != p && !(*w && *q < p)).map(|(q, _)| (p, *q)));
        }
    }
    out
}
