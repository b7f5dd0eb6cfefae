//! Running a typed function: statements, expressions, arrays, reductions and `prange`, one step
//! at a time, with the semantics codegen gives them (the module's docs say where the two must agree
//! and why).

use super::value::*;
use crate::error::Error;
use crate::kernel::Kernel;
use crate::specialize::{check_with_types, find_callee, param_types, ParseCache};
use proc_macro2::Span;
use rjit_front::builtins::{Alloc, Builtin, Method, Random, Reduce};
use rjit_front::hir::{BinOp, Block, ExprId, ExprKind, IndexArg, LocalId, Pat, Place, Stmt, UnOp};
use rjit_front::parallel::RedOp;
use rjit_front::{Function, Layout, Scalar, Ty, Typed};
use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

/// One function checked for one tuple of parameter types.
pub(crate) struct Fun {
    pub kernel: &'static Kernel,
    pub f: Rc<Function>,
    pub typed: Typed,
}

/// A kernel (by address) and the parameter types it was checked with.
type FunKey = (usize, Vec<Ty>);

/// The state of one interpreted call: the functions parsed and checked so far.
#[derive(Default)]
pub(crate) struct Interp {
    cache: ParseCache,
    fns: RefCell<HashMap<FunKey, Rc<Fun>>>,
    /// Whether `np.random` was drawn from inside a parallel `prange` chunk: compiled code draws
    /// those numbers from the pool threads' generators, so they are not the interpreter's.
    pub parallel_random: std::cell::Cell<bool>,
}

/// Why evaluation stopped before reaching the end of an expression or block.
pub(crate) enum Stop {
    Fail(Error),
    Return(Value),
    Break,
    Continue,
}

impl From<Error> for Stop {
    fn from(e: Error) -> Stop {
        Stop::Fail(e)
    }
}

type R<T> = Result<T, Stop>;

impl Interp {
    /// `kernel` parsed, lowered and checked for arguments of types `args` (the declared types, with
    /// the arguments' layouts), exactly as codegen gets it.
    pub fn function(&self, kernel: &'static Kernel, args: &[Ty]) -> Result<Rc<Fun>, Error> {
        let key = (kernel as *const Kernel as usize, args.to_vec());
        if let Some(f) = self.fns.borrow().get(&key) {
            return Ok(f.clone());
        }
        let f = self.cache.get(kernel, args)?;
        let declared: Vec<Ty> = f.params.iter().map(|p| p.ty.clone()).collect();
        let params = param_types(&declared, args);
        let typed = check_with_types(kernel, &f, &params, &self.cache)?;
        let fun = Rc::new(Fun { kernel, f, typed });
        self.fns.borrow_mut().insert(key, fun.clone());
        Ok(fun)
    }

    /// Runs `fun` on arguments already of its parameter types.
    pub fn call(&self, fun: &Fun, args: Vec<Value>) -> Result<Value, Error> {
        if fun.kernel.desc.options.parallel {
            for (a, b) in rjit_front::race::params_kept_apart(&fun.f, &fun.typed) {
                if let (Value::Array(x), Value::Array(y)) = (&args[a], &args[b]) {
                    let ((xlo, xhi), (ylo, yhi)) = (x.extent(), y.extent());
                    if xlo < yhi && ylo < xhi {
                        let local = |i: usize| fun.f.local(fun.f.params[i].local).name.clone();
                        let site = super::value::At { kernel: fun.kernel, span: fun.f.name_span }.site();
                        return Err(Error::OverlappingArguments { site, first: local(a), second: local(b) });
                    }
                }
            }
        }
        let mut frame =
            Frame { it: self, fun, locals: fun.typed.locals.iter().map(Value::zero).collect(), in_prange: false };
        for (p, v) in fun.f.params.iter().zip(args) {
            frame.locals[p.local.0 as usize] = v;
        }
        let ret = fun.typed.ret.clone();
        match frame.block(&fun.f.body) {
            Ok(Some((v, t))) if ret != Ty::Unit => Ok(coerce(v, &t, &ret)),
            Ok(_) => Ok(Value::Unit),
            Err(Stop::Return(v)) => Ok(v),
            Err(Stop::Fail(e)) => Err(e),
            Err(Stop::Break | Stop::Continue) => unreachable!("checked: `break` and `continue` are inside loops"),
        }
    }
}

/// One position of `a[…]`: an index (drops the axis) or a range's start and length.
#[derive(Clone, Copy)]
enum Part {
    At(usize),
    Range(usize, usize),
}

/// The shape of a fused element-wise tree: operations, and leaves by their index.
enum Node {
    Leaf(usize),
    Op(ExprId, Vec<Node>),
}

struct Frame<'i> {
    it: &'i Interp,
    fun: &'i Fun,
    locals: Vec<Value>,
    /// Running a `prange` body's chunk: nested `prange` loops and whole-array work run serially.
    in_prange: bool,
}

impl Frame<'_> {
    fn f(&self) -> &Function {
        &self.fun.f
    }

    fn ty(&self, id: ExprId) -> Ty {
        self.fun.typed.expr(id).clone()
    }

    fn site(&self, span: Span) -> At {
        At { kernel: self.fun.kernel, span }
    }

    fn expr_site(&self, id: ExprId) -> At {
        self.site(self.f().expr(id).span)
    }

    /// Whether array work here is split across the pool in compiled code (which changes how
    /// reductions associate).
    fn may_split(&self) -> bool {
        self.fun.kernel.desc.options.parallel && !self.in_prange
    }

    fn block(&mut self, b: &Block) -> R<Option<(Value, Ty)>> {
        for s in &b.stmts {
            self.stmt(s)?;
        }
        match b.tail {
            Some(t) => Ok(Some((self.expr(t)?, self.ty(t)))),
            None => Ok(None),
        }
    }

    fn store_local(&mut self, l: LocalId, v: Value, from: &Ty) {
        let to = self.fun.typed.local(l).clone();
        self.locals[l.0 as usize] = coerce(v, from, &to);
    }

    fn bind(&mut self, pat: &Pat, v: Value, t: &Ty) {
        match (pat, v) {
            (Pat::Wild, _) => {}
            (Pat::Bind(l), v) => self.store_local(*l, v, t),
            (Pat::Tuple(items, _), Value::Tuple(vs)) => {
                let Ty::Tuple(ts) = t else { unreachable!("a tuple pattern on `{t}`") };
                for ((p, v), it) in items.iter().zip(vs).zip(ts) {
                    self.bind(p, v, it);
                }
            }
            (_, v) => unreachable!("a tuple pattern on {v:?}"),
        }
    }

    fn assign(&mut self, place: &Place, v: Value, t: &Ty) -> R<()> {
        match place {
            Place::Local(l, _) => self.store_local(*l, v, t),
            Place::Index(ix) if matches!(self.ty(*ix), Ty::Array(_)) => {
                let (a, parts) = self.index_parts(*ix)?;
                let view = self.view(&a, &parts);
                let site = self.expr_site(*ix);
                self.assign_into(&view, v, t, &site)?;
            }
            Place::Index(ix) => {
                let (a, parts) = self.index_parts(*ix)?;
                let idx: Vec<usize> = parts.iter().map(start).collect();
                a.set(&idx, &coerce(v, t, &Ty::Scalar(a.elem)));
            }
            Place::Tuple(items, _) => {
                if let (Ty::Tuple(ts), Value::Tuple(vs)) = (t, v) {
                    for ((p, v), it) in items.iter().zip(vs).zip(ts) {
                        self.assign(p, v, it)?;
                    }
                }
            }
        }
        Ok(())
    }

    /// `view = value`: a scalar fills it; an array (broadcast to its shape) is copied in, read
    /// whole first, so overlapping source and target behave as in NumPy.
    fn assign_into(&mut self, view: &Arr, v: Value, vt: &Ty, site: &At) -> R<()> {
        match v {
            Value::Array(b) => {
                let b = broadcast_to(&b, &view.shape, site)?;
                let vals = b.elements();
                let from = b.elem;
                for (idx, x) in c_order(&view.shape).zip(vals) {
                    view.set(&idx, &convert(&x, from, view.elem));
                }
            }
            v => {
                let x = coerce(v, vt, &Ty::Scalar(view.elem));
                for idx in c_order(&view.shape) {
                    view.set(&idx, &x);
                }
            }
        }
        Ok(())
    }

    fn stmt(&mut self, s: &Stmt) -> R<()> {
        match s {
            Stmt::Let { pat, init } => {
                let v = self.expr(*init)?;
                let t = self.ty(*init);
                self.bind(pat, v, &t);
            }
            Stmt::Assign { place, value } => {
                let v = self.expr(*value)?;
                let t = self.ty(*value);
                self.assign(place, v, &t)?;
            }
            Stmt::OpAssign { op, place, value, span } => self.op_assign(*op, place, *value, *span)?,
            Stmt::Expr(e) => {
                self.expr(*e)?;
            }
            Stmt::While { cond, body } => {
                while self.expr(*cond)?.bool() {
                    if !self.iteration(body)? {
                        break;
                    }
                }
            }
            Stmt::Loop { body } => while self.iteration(body)? {},
            Stmt::For { var, range, body, parallel, span } => {
                if *parallel && self.fun.kernel.desc.options.parallel && !self.in_prange {
                    self.prange(*var, range, body, *span)?;
                } else {
                    self.for_range(*var, range, body, *span)?;
                }
            }
            Stmt::ForIn { var, array, body } => {
                let a = self.expr(*array)?;
                let a = a.array().clone();
                for i in 0..a.shape.first().copied().unwrap_or(0) {
                    if let Some(v) = var {
                        let item_t = self.fun.typed.local(*v).clone();
                        let item = if a.shape.len() > 1 {
                            Value::Array(a.view(&[i], a.shape[1..].to_vec(), a.strides[1..].to_vec()))
                        } else {
                            a.get(&[i])
                        };
                        self.store_local(*v, item, &item_t);
                    }
                    if !self.iteration(body)? {
                        break;
                    }
                }
            }
            Stmt::Break(_) => return Err(Stop::Break),
            Stmt::Continue(_) => return Err(Stop::Continue),
            Stmt::Return(value, _) => {
                let ret = self.fun.typed.ret.clone();
                let v = match value {
                    Some(v) => {
                        let x = self.expr(*v)?;
                        if ret == Ty::Unit {
                            Value::Unit
                        } else {
                            coerce(x, &self.ty(*v), &ret)
                        }
                    }
                    None => Value::Unit,
                };
                return Err(Stop::Return(v));
            }
            Stmt::Assert { cond, msg, span } => {
                if !self.expr(*cond)?.bool() {
                    let message = msg.clone().filter(|m| !m.is_empty());
                    return Err(Error::AssertionFailed { site: self.site(*span).site(), message }.into());
                }
            }
            Stmt::Print { args, texts, .. } => {
                for (i, item) in rjit_front::hir::print_items(args, texts).into_iter().enumerate() {
                    if i > 0 {
                        crate::env::rjit_print_char(' ' as u32);
                    }
                    match item {
                        rjit_front::hir::PrintItem::Text(s) => {
                            s.chars().for_each(|c| crate::env::rjit_print_char(c as u32))
                        }
                        rjit_front::hir::PrintItem::Value(a) => {
                            let v = self.expr(a)?;
                            print_value(&v);
                        }
                    }
                }
                crate::env::rjit_print_char('\n' as u32);
            }
        }
        Ok(())
    }

    /// Runs a loop body once: `false` when it broke out of the loop.
    fn iteration(&mut self, body: &Block) -> R<bool> {
        match self.block(body) {
            Ok(_) | Err(Stop::Continue) => Ok(true),
            Err(Stop::Break) => Ok(false),
            Err(e) => Err(e),
        }
    }

    /// A range's start, stop and step in its integer type, after the zero-step check.
    fn range_values(&mut self, r: &rjit_front::hir::Range, span: Span) -> R<(Scalar, [i128; 3])> {
        let t = self.ty(r.stop);
        let s = t.scalar().expect("checked: an integer range");
        let get = |cx: &mut Self, id: Option<ExprId>, default: i128| -> R<i128> {
            match id {
                Some(id) => {
                    let v = cx.expr(id)?;
                    Ok(coerce(v, &cx.ty(id), &t).int())
                }
                None => Ok(default),
            }
        };
        let start = get(self, r.start, 0)?;
        let stop = get(self, Some(r.stop), 0)?;
        let step = get(self, r.step, 1)?;
        if step == 0 {
            return Err(Error::ZeroStep { site: self.site(span).site() }.into());
        }
        Ok((s, [start, stop, step]))
    }

    /// `for var in range(…)`: the step's sign picks the direction; the loop ends when the next
    /// value would leave the type's range.
    fn for_range(&mut self, var: Option<LocalId>, r: &rjit_front::hir::Range, body: &Block, span: Span) -> R<()> {
        let (s, [start, stop, step]) = self.range_values(r, span)?;
        let mut i = start;
        loop {
            let more = if !s.is_signed() || step > 0 { i < stop } else { i > stop };
            if !more {
                break;
            }
            if let Some(v) = var {
                self.store_local(v, Value::Int(i, s), &Ty::Scalar(s));
            }
            if !self.iteration(body)? {
                break;
            }
            let next = i + step;
            if wrap(next, s) != next {
                break;
            }
            i = next;
        }
        Ok(())
    }

    /// A `prange` loop of a `parallel` function, run as compiled code runs it: the same fixed
    /// chunks, each reducing into accumulators that start at the identity, combined in chunk order;
    /// the variables private to the body are the chunk's own.
    fn prange(&mut self, var: Option<LocalId>, r: &rjit_front::hir::Range, body: &Block, span: Span) -> R<()> {
        let (s, [start, stop, step]) = self.range_values(r, span)?;
        let trip = range_count(start, stop, step) as u64;
        if trip == 0 {
            return Ok(());
        }
        let info = rjit_front::parallel::analyze(self.f(), &self.fun.typed, var, body, false, &mut Vec::new());
        let array_reductions = info.reductions.iter().any(|(l, _)| matches!(self.fun.typed.local(*l), Ty::Array(_)));
        let max =
            if array_reductions { crate::parallel::MAX_ARRAY_REDUCTION_CHUNKS } else { crate::parallel::MAX_CHUNKS };
        let chunks = trip.min(max as u64);
        let private: Vec<(LocalId, Value)> =
            info.private.iter().map(|l| (*l, self.locals[l.0 as usize].clone())).collect();
        let outer: Vec<Value> = info.reductions.iter().map(|(l, _)| self.locals[l.0 as usize].clone()).collect();
        let mut partials: Vec<Vec<Value>> = Vec::new();
        let was = std::mem::replace(&mut self.in_prange, true);
        let site = self.site(span);
        let watched = super::race::begin(|| {
            let s = site.site();
            format!("`{}` at {}:{}", s.function, s.file, s.line)
        });
        let mut run = |cx: &mut Self| -> R<()> {
            for ch in 0..chunks {
                let lo = (u128::from(ch) * u128::from(trip) / u128::from(chunks)) as u64;
                let hi = (u128::from(ch + 1) * u128::from(trip) / u128::from(chunks)) as u64;
                for ((l, op), o) in info.reductions.iter().zip(&outer) {
                    let acc = match (cx.fun.typed.local(*l).clone(), o) {
                        (Ty::Array(at), Value::Array(a)) => {
                            let mut copy = Arr::alloc(at.elem, &a.shape, &site)?;
                            copy.strides = contiguous_strides(&a.shape, at.layout == Layout::F);
                            let id = identity(*op, at.elem);
                            for idx in c_order(&a.shape) {
                                copy.set(&idx, &id);
                            }
                            Value::Array(copy)
                        }
                        (t, _) => identity(*op, t.scalar().expect("checked: a scalar or array reduction")),
                    };
                    cx.locals[l.0 as usize] = acc;
                }
                for k in lo..hi {
                    super::race::iteration(k);
                    if let Some(v) = var {
                        let i = wrap(start + i128::from(k) * step, s);
                        cx.store_local(v, Value::Int(i, s), &Ty::Scalar(s));
                    }
                    // `break` leaves the chunk's loop, as in the outlined body.
                    if !cx.iteration(body)? {
                        break;
                    }
                }
                partials.push(info.reductions.iter().map(|(l, _)| cx.locals[l.0 as usize].clone()).collect());
            }
            Ok(())
        };
        let result = run(self);
        if watched {
            super::race::end();
        }
        self.in_prange = was;
        for (l, v) in private {
            self.locals[l.0 as usize] = v;
        }
        for ((l, _), o) in info.reductions.iter().zip(&outer) {
            self.locals[l.0 as usize] = o.clone();
        }
        result?;
        for part in partials {
            for (((l, op), p), o) in info.reductions.iter().zip(part).zip(&outer) {
                match (o, p) {
                    (Value::Array(a), Value::Array(copy)) => {
                        let bin = match op {
                            RedOp::Add | RedOp::Sub => BinOp::Add,
                            RedOp::Mul => BinOp::Mul,
                            RedOp::And => BinOp::BitAnd,
                            RedOp::Or => BinOp::BitOr,
                            RedOp::Xor => BinOp::BitXor,
                            RedOp::Min | RedOp::Max | RedOp::Minimum | RedOp::Maximum => {
                                unreachable!("checked: arrays reduce with operators only")
                            }
                        };
                        for idx in c_order(&a.shape) {
                            let r = combine(bin, &a.get(&idx), a.elem, &copy.get(&idx), a.elem, &site)?;
                            a.set(&idx, &r);
                        }
                    }
                    (_, p) => {
                        let st = self.fun.typed.local(*l).scalar().expect("a scalar reduction");
                        let cur = self.locals[l.0 as usize].clone();
                        let next = match op {
                            RedOp::Add | RedOp::Sub => scalar_op(BinOp::Add, &cur, &p, st),
                            RedOp::Mul => scalar_op(BinOp::Mul, &cur, &p, st),
                            RedOp::And => scalar_op(BinOp::BitAnd, &cur, &p, st),
                            RedOp::Or => scalar_op(BinOp::BitOr, &cur, &p, st),
                            RedOp::Xor => scalar_op(BinOp::BitXor, &cur, &p, st),
                            RedOp::Min | RedOp::Max | RedOp::Minimum | RedOp::Maximum => {
                                let (max, nan_propagates) = op.min_max().expect("a minimum or maximum");
                                Ok(min_max(max, &cur, &p, st, nan_propagates))
                            }
                        };
                        self.locals[l.0 as usize] = next.map_err(|e| e.at(site.site()))?;
                    }
                }
            }
        }
        Ok(())
    }

    fn op_assign(&mut self, op: BinOp, place: &Place, value: ExprId, span: Span) -> R<()> {
        let site = self.site(span);
        match place {
            Place::Local(l, _) if matches!(self.fun.typed.local(*l), Ty::Array(_)) => {
                let a = self.locals[l.0 as usize].array().clone();
                return self.fused_in_place(op, &a, value, &site);
            }
            Place::Index(ix) if matches!(self.ty(*ix), Ty::Array(_)) => {
                let (a, parts) = self.index_parts(*ix)?;
                let view = self.view(&a, &parts);
                return self.fused_in_place(op, &view, value, &site);
            }
            _ => {}
        }
        let v = self.expr(value)?;
        let vs = self.ty(value).scalar().expect("checked: a scalar");
        match place {
            Place::Local(l, _) => {
                let ls = self.fun.typed.local(*l).scalar().expect("checked: a scalar");
                let cur = self.locals[l.0 as usize].clone();
                self.locals[l.0 as usize] = combine(op, &cur, ls, &v, vs, &site)?;
            }
            Place::Index(ix) => {
                let (a, parts) = self.index_parts(*ix)?;
                let idx: Vec<usize> = parts.iter().map(start).collect();
                let r = combine(op, &a.get(&idx), a.elem, &v, vs, &site)?;
                a.set(&idx, &r);
            }
            Place::Tuple(..) => unreachable!("checked: no compound assignment to a tuple"),
        }
        Ok(())
    }

    // ----- expressions -----

    fn expr(&mut self, id: ExprId) -> R<Value> {
        let t = self.ty(id);
        let e = self.fun.f.clone();
        let e = e.expr(id);
        Ok(match &e.kind {
            ExprKind::Int(v, _) => Value::literal(t.scalar().expect("a number"), *v as f64, Some(*v)),
            ExprKind::Float(v, _) | ExprKind::Builtin { op: Builtin::Const(v), .. } => {
                Value::literal(t.scalar().expect("a number"), *v, None)
            }
            ExprKind::Bool(b) => Value::Bool(*b),
            ExprKind::Local(l) => self.locals[l.0 as usize].clone(),
            ExprKind::Binary(op, l, r) if op.is_logical() => {
                let lv = self.expr(*l)?.bool();
                if lv == (*op == BinOp::And) {
                    Value::Bool(self.expr(*r)?.bool())
                } else {
                    Value::Bool(lv)
                }
            }
            ExprKind::Unary(..) | ExprKind::Binary(..) if matches!(t, Ty::Array(_)) => self.elementwise(id)?,
            ExprKind::Unary(_, x) => {
                let v = self.expr(*x)?;
                self.scalar_node(id, &[v])?
            }
            ExprKind::Binary(_, l, r) => {
                let a = self.expr(*l)?;
                let b = self.expr(*r)?;
                self.scalar_node(id, &[a, b])?
            }
            ExprKind::Cast(x, to) => {
                let v = self.expr(*x)?;
                convert(&v, self.ty(*x).scalar().expect("checked: a cast of a number"), *to)
            }
            ExprKind::Index(..) => {
                let (a, parts) = self.index_parts(id)?;
                match t {
                    Ty::Array(_) => Value::Array(self.view(&a, &parts)),
                    _ => a.get(&parts.iter().map(start).collect::<Vec<_>>()),
                }
            }
            ExprKind::Tuple(items) => {
                let Ty::Tuple(tys) = &t else { unreachable!("a tuple of type `{t}`") };
                let mut vs = Vec::new();
                for (x, it) in items.iter().zip(tys) {
                    let v = self.expr(*x)?;
                    vs.push(coerce(v, &self.ty(*x), it));
                }
                Value::Tuple(vs)
            }
            ExprKind::Field(x, n) => match self.expr(*x)? {
                Value::Tuple(mut vs) => vs.swap_remove(*n as usize),
                v => unreachable!("a field of {v:?}"),
            },
            ExprKind::Call { path, args } => {
                let sig = self
                    .fun
                    .typed
                    .calls
                    .get(&id)
                    .cloned()
                    .unwrap_or_else(|| unreachable!("a call to `{path}` without a signature"));
                let mut vals = Vec::new();
                for (a, p) in args.iter().zip(&sig.params) {
                    let v = self.expr(*a)?;
                    vals.push(coerce(v, &self.ty(*a), p));
                }
                let callee = find_callee(self.fun.kernel, path);
                let fun = self.it.function(callee, &sig.params)?;
                self.it.call(&fun, vals)?
            }
            ExprKind::Builtin { op, args, .. } => self.builtin(id, *op, args)?,
            ExprKind::Method { method, recv, args } => self.method(id, *method, *recv, args)?,
            ExprKind::If { cond, then, els } => {
                if self.expr(*cond)?.bool() {
                    match self.block(then)? {
                        Some((v, vt)) if t != Ty::Unit => coerce(v, &vt, &t),
                        _ => Value::Unit,
                    }
                } else {
                    match els {
                        Some(x) => {
                            let v = self.expr(*x)?;
                            if t == Ty::Unit {
                                Value::Unit
                            } else {
                                coerce(v, &self.ty(*x), &t)
                            }
                        }
                        None => Value::Unit,
                    }
                }
            }
            ExprKind::Block(b) => match self.block(b)? {
                Some((v, vt)) => coerce(v, &vt, &t),
                None => Value::Unit,
            },
            ExprKind::Error => unreachable!("an erroneous expression reached the interpreter"),
        })
    }

    /// An element-wise node applied to scalars (a scalar expression, or one element of an array
    /// expression): `x` are its operands' values, each of its operand's own (element) type.
    fn scalar_node(&self, id: ExprId, x: &[Value]) -> Result<Value, Error> {
        let f = self.f();
        let out = elem_of(&self.ty(id));
        let operands: Vec<ExprId> = match &f.expr(id).kind {
            ExprKind::Binary(_, l, r) => vec![*l, *r],
            ExprKind::Unary(_, x) => vec![*x],
            ExprKind::Builtin { args, .. } => args.clone(),
            _ => unreachable!("not element-wise"),
        };
        let elems: Vec<Scalar> = operands.iter().map(|c| elem_of(&self.ty(*c))).collect();
        let fail = |e: OpError| e.at(self.expr_site(id).site());
        Ok(match &f.expr(id).kind {
            ExprKind::Binary(op, ..) if op.is_shift() => {
                let l = convert(&x[0], elems[0], out).int();
                shift(*op, l, x[1].int(), out)
            }
            ExprKind::Binary(op, ..) => {
                let operand = if op.is_comparison() { common(elems[0], elems[1]) } else { out };
                let a = convert(&x[0], elems[0], operand);
                let b = convert(&x[1], elems[1], operand);
                scalar_op(*op, &a, &b, operand).map_err(fail)?
            }
            ExprKind::Unary(op, _) => {
                let v = convert(&x[0], elems[0], out);
                match op {
                    UnOp::Neg => neg(&v, out),
                    UnOp::Not => not(&v, out),
                }
            }
            ExprKind::Builtin { op, .. } => match *op {
                Builtin::Math1(m) => math1(m, &convert(&x[0], elems[0], out), out),
                Builtin::Abs => abs(&x[0], elems[0]),
                Builtin::Math2(m) => {
                    math2(m, &convert(&x[0], elems[0], out), &convert(&x[1], elems[1], out), out).map_err(fail)?
                }
                Builtin::Test(test_kind) => test(test_kind, &x[0], elems[0]),
                Builtin::Where => {
                    if x[0].bool() {
                        convert(&x[1], elems[1], out)
                    } else {
                        convert(&x[2], elems[2], out)
                    }
                }
                Builtin::Dtype(to) if x.len() == 2 => {
                    let p = to.real_part();
                    let re = convert(&x[0], elems[0], p).float();
                    let im = convert(&x[1], elems[1], p).float();
                    Value::Complex(re, im, to)
                }
                Builtin::Dtype(to) => convert(&x[0], elems[0], to),
                other => unreachable!("{other:?} is not element-wise"),
            },
            _ => unreachable!("not element-wise"),
        })
    }

    fn is_elementwise(&self, id: ExprId) -> bool {
        rjit_front::report::is_elementwise(self.f(), &self.fun.typed, id)
    }

    /// Walks the element-wise tree under `id`, evaluating its leaves once, in order.
    fn fuse_tree(&mut self, id: ExprId, leaves: &mut Vec<Value>) -> R<Node> {
        if !self.is_elementwise(id) {
            leaves.push(self.expr(id)?);
            return Ok(Node::Leaf(leaves.len() - 1));
        }
        let kids: Vec<ExprId> = match &self.f().expr(id).kind {
            ExprKind::Binary(_, l, r) => vec![*l, *r],
            ExprKind::Unary(_, x) => vec![*x],
            ExprKind::Builtin { args, .. } => args.clone(),
            _ => unreachable!("not element-wise"),
        };
        let mut nodes = Vec::new();
        for c in kids {
            nodes.push(self.fuse_tree(c, leaves)?);
        }
        Ok(Node::Op(id, nodes))
    }

    fn eval_node(&self, node: &Node, xs: &[Value]) -> Result<Value, Error> {
        match node {
            Node::Leaf(i) => Ok(xs[*i].clone()),
            Node::Op(id, kids) => {
                let vals = kids.iter().map(|k| self.eval_node(k, xs)).collect::<Result<Vec<_>, _>>()?;
                self.scalar_node(*id, &vals)
            }
        }
    }

    /// The tree's value at every index of `shape`, in C order, its array leaves broadcast to it.
    fn tree_values(&self, tree: &Node, leaves: &[Value], shape: &[usize], site: &At) -> Result<Vec<Value>, Error> {
        let views: Vec<Option<Arr>> = leaves
            .iter()
            .map(|l| if let Value::Array(a) = l { broadcast_to(a, shape, site).map(Some) } else { Ok(None) })
            .collect::<Result<_, _>>()?;
        let mut out = Vec::new();
        for idx in c_order(shape) {
            let xs: Vec<Value> =
                leaves.iter().zip(&views).map(|(l, v)| v.as_ref().map_or_else(|| l.clone(), |a| a.get(&idx))).collect();
            out.push(self.eval_node(tree, &xs)?);
        }
        Ok(out)
    }

    /// An element-wise array expression: leaves first, then the broadcast shape, one result.
    fn elementwise(&mut self, id: ExprId) -> R<Value> {
        let out_t = self.ty(id).array().expect("an element-wise array");
        let mut leaves = Vec::new();
        let tree = self.fuse_tree(id, &mut leaves)?;
        let site = self.expr_site(id);
        let arrays: Vec<&Arr> =
            leaves.iter().filter_map(|l| if let Value::Array(a) = l { Some(a) } else { None }).collect();
        let shape = broadcast_shape(&arrays, usize::from(out_t.ndim), &site)?;
        let out = Arr::alloc(out_t.elem, &shape, &site)?;
        for (idx, v) in c_order(&shape).zip(self.tree_values(&tree, &leaves, &shape, &site)?) {
            out.set(&idx, &v);
        }
        Ok(Value::Array(out))
    }

    /// `a op= value` on a whole array (or view): the right side is computed first, then combined
    /// element by element.
    fn fused_in_place(&mut self, op: BinOp, a: &Arr, value: ExprId, site: &At) -> R<()> {
        let mut leaves = Vec::new();
        let tree = self.fuse_tree(value, &mut leaves)?;
        let vs = elem_of(&self.ty(value));
        let vals = self.tree_values(&tree, &leaves, &a.shape, site)?;
        for (idx, v) in c_order(&a.shape).zip(vals) {
            let r = combine(op, &a.get(&idx), a.elem, &v, vs, site)?;
            a.set(&idx, &r);
        }
        Ok(())
    }

    /// A reduction of values already in the accumulator's type, in C order; in a `parallel`
    /// function a large one is cut into the row chunks compiled code uses, each starting from the
    /// identity, combined in chunk order.
    fn reduce_values(
        &self,
        r: Reduce,
        vals: Vec<Value>,
        rows: usize,
        acc_s: Scalar,
        site: &At,
    ) -> Result<Value, Error> {
        let op = match r {
            Reduce::Sum | Reduce::Mean => RedOp::Add,
            Reduce::Prod => RedOp::Mul,
            Reduce::Min => RedOp::Min,
            Reduce::Max => RedOp::Max,
        };
        let step = |cur: &Value, x: &Value| -> Result<Value, Error> {
            Ok(match r {
                Reduce::Sum | Reduce::Mean => scalar_op(BinOp::Add, cur, x, acc_s).map_err(|e| e.at(site.site()))?,
                Reduce::Prod => scalar_op(BinOp::Mul, cur, x, acc_s).map_err(|e| e.at(site.site()))?,
                Reduce::Min => min_max(false, cur, x, acc_s, true),
                Reduce::Max => min_max(true, cur, x, acc_s, true),
            })
        };
        let fold = |xs: &[Value]| xs.iter().try_fold(identity(op, acc_s), |acc, x| step(&acc, x));
        let split = self.may_split() && vals.len() as i64 >= crate::parallel::MIN_SPLIT_ELEMS && rows >= 2;
        if !split {
            return fold(&vals);
        }
        let chunks = rows.min(crate::parallel::MAX_CHUNKS as usize);
        let per_row = vals.len() / rows;
        let mut total: Option<Value> = None;
        for c in 0..chunks {
            let lo = c * rows / chunks;
            let hi = (c + 1) * rows / chunks;
            let part = fold(&vals[lo * per_row..hi * per_row])?;
            total = Some(match total {
                None => part,
                Some(t) => step(&t, &part)?,
            });
        }
        Ok(total.expect("at least one chunk"))
    }

    /// `sum prod min max mean` of an array (`fused`: of an element-wise tree, never stored).
    fn reduction(&mut self, id: ExprId, r: Reduce, arg: ExprId) -> R<Value> {
        let site = self.expr_site(id);
        let out = self.ty(id).scalar().expect("a reduction gives a number");
        let elem = elem_of(&self.ty(arg));
        let acc_s = r.accumulator(elem, out);
        let (vals, shape) = if self.is_elementwise(arg) {
            let rt = self.ty(arg).array().expect("an array");
            let mut leaves = Vec::new();
            let tree = self.fuse_tree(arg, &mut leaves)?;
            let arrays: Vec<&Arr> =
                leaves.iter().filter_map(|l| if let Value::Array(a) = l { Some(a) } else { None }).collect();
            let shape = broadcast_shape(&arrays, usize::from(rt.ndim), &site)?;
            if matches!(r, Reduce::Min | Reduce::Max) && shape.iter().product::<usize>() == 0 {
                return Err(Error::EmptyReduction { site: site.site() }.into());
            }
            (self.tree_values(&tree, &leaves, &shape, &site)?, shape)
        } else {
            let a = self.expr(arg)?;
            let a = a.array();
            if matches!(r, Reduce::Min | Reduce::Max) && a.size() == 0 {
                return Err(Error::EmptyReduction { site: site.site() }.into());
            }
            (a.elements(), a.shape.clone())
        };
        let n = vals.len();
        let vals: Vec<Value> = vals.iter().map(|v| convert(v, elem, acc_s)).collect();
        let total = self.reduce_values(r, vals, shape.first().copied().unwrap_or(1), acc_s, &site)?;
        if r == Reduce::Mean {
            let n = convert(&Value::Int(n as i128, Scalar::I64), Scalar::I64, acc_s);
            return Ok(scalar_op(BinOp::Div, &total, &n, acc_s).map_err(|e| e.at(site.site()))?);
        }
        Ok(total)
    }

    // ----- indexing -----

    fn index_parts(&mut self, id: ExprId) -> R<(Arr, Vec<Part>)> {
        let f = self.fun.f.clone();
        let ExprKind::Index(base, args) = &f.expr(id).kind else { unreachable!("an index expression") };
        let a = self.expr(*base)?.array().clone();
        let site = self.expr_site(id);
        let mut parts = Vec::new();
        for (k, arg) in args.iter().enumerate() {
            let len = a.shape[k];
            parts.push(match arg {
                IndexArg::At(ix) => {
                    let v = self.expr(*ix)?;
                    let s = self.ty(*ix).scalar().expect("checked: an integer index");
                    Part::At(checked_index(&v, s, len, k as u32, &site)?)
                }
                IndexArg::Range(lo, hi) => {
                    let lo = match lo {
                        Some(x) => self.slice_bound(*x, len)?,
                        None => 0,
                    };
                    let hi = match hi {
                        Some(x) => self.slice_bound(*x, len)?,
                        None => len,
                    };
                    Part::Range(lo, hi.saturating_sub(lo))
                }
            });
        }
        Ok((a, parts))
    }

    /// A slice bound: negative counts from the end; clamped to `0..=len`.
    fn slice_bound(&mut self, x: ExprId, len: usize) -> R<usize> {
        let v = self.expr(x)?;
        let s = self.ty(x).scalar().expect("checked: an integer bound");
        let v = convert(&v, s, if s.is_signed() { Scalar::I64 } else { Scalar::U64 }).int() as i64;
        let v = if s.is_signed() {
            let v = if v < 0 { v.wrapping_add(len as i64) } else { v };
            v.max(0)
        } else {
            v
        };
        Ok(if v as u64 > len as u64 { len } else { v as usize })
    }

    fn view(&self, a: &Arr, parts: &[Part]) -> Arr {
        let n = a.shape.len();
        let starts: Vec<usize> = (0..n).map(|k| parts.get(k).map_or(0, start)).collect();
        let (mut dims, mut steps) = (Vec::new(), Vec::new());
        for k in 0..n {
            match parts.get(k) {
                Some(Part::At(_)) => {}
                Some(Part::Range(_, len)) => {
                    dims.push(*len);
                    steps.push(a.strides[k]);
                }
                None => {
                    dims.push(a.shape[k]);
                    steps.push(a.strides[k]);
                }
            }
        }
        a.view(&starts, dims, steps)
    }

    // ----- builtins and methods -----

    fn builtin(&mut self, id: ExprId, op: Builtin, args: &[ExprId]) -> R<Value> {
        let t = self.ty(id);
        let site = self.expr_site(id);
        let elementwise = matches!(
            op,
            Builtin::Math1(_)
                | Builtin::Abs
                | Builtin::Math2(_)
                | Builtin::Test(_)
                | Builtin::Where
                | Builtin::Dtype(_)
        );
        if elementwise {
            if let Ty::Array(_) = t {
                return self.elementwise(id);
            }
            let mut vals = Vec::new();
            for a in args {
                vals.push(self.expr(*a)?);
            }
            return Ok(self.scalar_node(id, &vals)?);
        }
        Ok(match op {
            Builtin::Alloc(kind) => {
                let at = t.array().expect("an array");
                let shape = self.shape_arg(args[0])?;
                let fill = match kind {
                    Alloc::Full => {
                        let v = self.expr(args[1])?;
                        Some(coerce(v, &self.ty(args[1]), &Ty::Scalar(at.elem)))
                    }
                    Alloc::Ones => Some(Value::one(at.elem)),
                    Alloc::Zeros | Alloc::Empty => None,
                };
                let a = Arr::alloc(at.elem, &shape, &site)?;
                if let Some(v) = fill {
                    for idx in c_order(&shape) {
                        a.set(&idx, &v);
                    }
                }
                Value::Array(a)
            }
            Builtin::Reduce(r) => self.reduction(id, r, args[0])?,
            Builtin::Like { .. } => {
                let a = self.expr(args[0])?;
                Value::Array(Arr::alloc(t.array().expect("an array").elem, &a.array().shape, &site)?)
            }
            Builtin::Arange => self.arange(id, args)?,
            Builtin::Linspace => self.linspace(id, args)?,
            Builtin::Random(kind) => self.random(id, kind, args)?,
            Builtin::Arg(max) => {
                let a = self.expr(args[0])?;
                arg_extreme(max, a.array(), &t, &site)?
            }
            Builtin::Cumsum => {
                let a = self.expr(args[0])?;
                let a = a.array();
                let s = t.array().expect("an array").elem;
                let out = Arr::alloc(s, &[a.size()], &site)?;
                let mut acc = Value::literal(s, 0.0, Some(0));
                for (k, x) in a.elements().iter().enumerate() {
                    acc = scalar_op(BinOp::Add, &acc, &convert(x, a.elem, s), s).map_err(|e| e.at(site.site()))?;
                    out.set(&[k], &acc);
                }
                Value::Array(out)
            }
            Builtin::Dot => {
                let a = self.expr(args[0])?;
                let b = self.expr(args[1])?;
                dot(a.array(), b.array(), &t, &site)?
            }
            Builtin::Const(_) => unreachable!("constants are literals"),
            _ => unreachable!("element-wise builtins are handled above"),
        })
    }

    /// A shape argument: an integer or a tuple of integers.
    fn shape_arg(&mut self, arg: ExprId) -> R<Vec<usize>> {
        let v = self.expr(arg)?;
        let dim = |v: &Value, t: &Ty| convert(v, t.scalar().expect("an integer"), Scalar::Usize).int() as usize;
        Ok(match (v, self.ty(arg)) {
            (Value::Tuple(items), Ty::Tuple(ts)) => items.iter().zip(&ts).map(|(v, t)| dim(v, t)).collect(),
            (v, t) => vec![dim(&v, &t)],
        })
    }

    fn scalar_arg(&mut self, a: ExprId, to: Scalar) -> R<Value> {
        let v = self.expr(a)?;
        Ok(coerce(v, &self.ty(a), &Ty::Scalar(to)))
    }

    fn arange(&mut self, id: ExprId, args: &[ExprId]) -> R<Value> {
        let s = self.ty(id).array().expect("an array").elem;
        let site = self.expr_site(id);
        let mut vals = Vec::new();
        for a in args {
            vals.push(self.scalar_arg(*a, s)?);
        }
        let (start, stop, step) = match vals.as_slice() {
            [stop] => (Value::literal(s, 0.0, Some(0)), stop.clone(), Value::one(s)),
            [start, stop] => (start.clone(), stop.clone(), Value::one(s)),
            [start, stop, step] => (start.clone(), stop.clone(), step.clone()),
            _ => unreachable!("checked: 1 to 3 arguments"),
        };
        let n: usize = if s.is_float() {
            if step.float() == 0.0 {
                return Err(Error::ZeroStep { site: site.site() }.into());
            }
            let d = scalar_op(BinOp::Sub, &stop, &start, s).map_err(|e| e.at(site.site()))?;
            let q = math1(
                rjit_front::builtins::Math1::Ceil,
                &scalar_op(BinOp::Div, &d, &step, s).map_err(|e| e.at(site.site()))?,
                s,
            );
            if q.float().is_nan() {
                return Err(Error::NanLength { site: site.site() }.into());
            }
            (convert(&q, s, Scalar::I64).int() as i64).max(0) as usize
        } else {
            if step.int() == 0 {
                return Err(Error::ZeroStep { site: site.site() }.into());
            }
            // Beyond `usize::MAX` there is no array anyway; beyond `isize::MAX` allocation fails.
            range_count(start.int(), stop.int(), step.int()).min(usize::MAX as u128) as usize
        };
        let out = Arr::alloc(s, &[n], &site)?;
        for i in 0..n {
            let fi = convert(&Value::Int(i as i128, Scalar::I64), Scalar::I64, s);
            let off = scalar_op(BinOp::Mul, &fi, &step, s).map_err(|e| e.at(site.site()))?;
            let v = scalar_op(BinOp::Add, &start, &off, s).map_err(|e| e.at(site.site()))?;
            out.set(&[i], &v);
        }
        Ok(Value::Array(out))
    }

    fn linspace(&mut self, id: ExprId, args: &[ExprId]) -> R<Value> {
        let s = self.ty(id).array().expect("an array").elem;
        let site = self.expr_site(id);
        let start = self.scalar_arg(args[0], s)?;
        let stop = self.scalar_arg(args[1], s)?;
        // A negative count fails to allocate, as NumPy refuses it.
        let n = self.scalar_arg(args[2], Scalar::I64)?.int() as i64;
        let out = Arr::alloc(s, &[n as usize], &site)?;
        let n1 = (n - 1).max(1);
        let fail = |e: OpError| e.at(site.site());
        let div = convert(&Value::Int(i128::from(n1), Scalar::I64), Scalar::I64, s);
        let width = scalar_op(BinOp::Sub, &stop, &start, s).map_err(fail)?;
        let step = scalar_op(BinOp::Div, &width, &div, s).map_err(fail)?;
        for i in 0..n {
            let v = if i == n1 && n > 1 {
                stop.clone()
            } else {
                let fi = convert(&Value::Int(i128::from(i), Scalar::I64), Scalar::I64, s);
                let off = scalar_op(BinOp::Mul, &fi, &step, s).map_err(fail)?;
                scalar_op(BinOp::Add, &start, &off, s).map_err(fail)?
            };
            out.set(&[i as usize], &v);
        }
        Ok(Value::Array(out))
    }

    fn random(&mut self, id: ExprId, kind: Random, args: &[ExprId]) -> R<Value> {
        let n = kind.params();
        if self.in_prange {
            self.it.parallel_random.set(true);
        }
        let target = match kind {
            Random::Seed => Scalar::U64,
            Random::Randint => Scalar::I64,
            _ => Scalar::F64,
        };
        let mut vals = Vec::new();
        for a in &args[..n] {
            vals.push(self.scalar_arg(*a, target)?);
        }
        if kind == Random::Seed {
            crate::random::rjit_random_seed(vals[0].int() as u64);
            return Ok(Value::Unit);
        }
        let site = self.expr_site(id);
        if kind == Random::Randint {
            let (lo, hi) = (vals[0].int() as i64, vals[1].int() as i64);
            if lo >= hi {
                return Err(Error::EmptyRange { site: site.site(), low: lo, high: hi }.into());
            }
        }
        let f64v = |x: f64| Value::Float(x, Scalar::F64);
        let draw = || -> Value {
            match kind {
                Random::Random => f64v(crate::random::rjit_random()),
                Random::Uniform => {
                    let u = crate::random::rjit_random();
                    let (lo, hi) = (vals[0].float(), vals[1].float());
                    f64v(lo + (hi - lo) * u)
                }
                Random::Normal => {
                    let z = crate::random::rjit_normal();
                    f64v(vals[0].float() + vals[1].float() * z)
                }
                Random::Randint => Value::Int(
                    i128::from(crate::random::rjit_randint(vals[0].int() as i64, vals[1].int() as i64)),
                    Scalar::I64,
                ),
                Random::Seed => unreachable!("handled above"),
            }
        };
        let Some(size) = args.get(n) else { return Ok(draw()) };
        let shape = self.shape_arg(*size)?;
        let out = Arr::alloc(target, &shape, &site)?;
        for idx in c_order(&shape) {
            out.set(&idx, &draw());
        }
        Ok(Value::Array(out))
    }

    fn method(&mut self, id: ExprId, m: Method, recv: ExprId, args: &[ExprId]) -> R<Value> {
        let t = self.ty(id);
        let rt = self.ty(recv);
        let site = self.expr_site(id);
        if let Ty::Array(_) = rt {
            if let Method::Reduce(r) = m {
                return self.reduction(id, r, recv);
            }
            let a = self.expr(recv)?;
            let a = a.array().clone();
            let usize_v = |n: usize| Value::Int(n as i128, t.scalar().unwrap_or(Scalar::Usize));
            return Ok(match m {
                Method::Len => usize_v(a.shape[0]),
                Method::Ndim => usize_v(a.shape.len()),
                Method::Size => usize_v(a.size()),
                Method::Shape => Value::Tuple(a.shape.iter().map(|d| Value::Int(*d as i128, Scalar::Usize)).collect()),
                Method::Copy => {
                    let out = Arr::alloc(a.elem, &a.shape, &site)?;
                    for idx in c_order(&a.shape) {
                        out.set(&idx, &a.get(&idx));
                    }
                    Value::Array(out)
                }
                Method::Argmin | Method::Argmax => arg_extreme(m == Method::Argmax, &a, &t, &site)?,
                Method::T => {
                    let mut shape = a.shape.clone();
                    let mut strides = a.strides.clone();
                    shape.reverse();
                    strides.reverse();
                    Value::Array(a.view(&vec![0; a.shape.len()], shape, strides))
                }
                Method::Fill => {
                    let x = self.scalar_arg(args[0], a.elem)?;
                    for idx in c_order(&a.shape) {
                        a.set(&idx, &x);
                    }
                    Value::Unit
                }
                Method::Dot => {
                    let b = self.expr(args[0])?;
                    dot(&a, b.array(), &t, &site)?
                }
                other => unreachable!("method {other:?} on an array"),
            });
        }
        let s = t.scalar().expect("a number");
        let rs = rt.scalar().expect("a number");
        Ok(match m {
            Method::Math1(m1) => math1(m1, &self.scalar_arg(recv, s)?, s),
            Method::Abs => abs(&self.expr(recv)?, rs),
            Method::MinWith | Method::MaxWith => {
                let a = self.scalar_arg(recv, s)?;
                let b = self.scalar_arg(args[0], s)?;
                min_max(m == Method::MaxWith, &a, &b, s, false)
            }
            Method::Powi => {
                let a = self.scalar_arg(recv, s)?;
                let n = self.expr(args[0])?;
                let n = convert(&n, self.ty(args[0]).scalar().expect("an integer"), Scalar::I32).int() as i32;
                powi(&a, n, s)
            }
            Method::Powf => {
                let a = self.scalar_arg(recv, s)?;
                let b = self.scalar_arg(args[0], s)?;
                math2(rjit_front::builtins::Math2::Power, &a, &b, s).map_err(|e| e.at(site.site()))?
            }
            Method::Re | Method::Im | Method::Conj => {
                let v = self.expr(recv)?;
                match (m, v) {
                    (Method::Re, Value::Complex(re, _, _)) => Value::Float(re, rs.real_part()),
                    (Method::Im, Value::Complex(_, im, _)) => Value::Float(im, rs.real_part()),
                    (Method::Conj, Value::Complex(re, im, s)) => Value::Complex(re, -im, s),
                    (Method::Im, _) => Value::literal(rs, 0.0, Some(0)),
                    (_, v) => v,
                }
            }
            other => unreachable!("method {other:?} on a number"),
        })
    }
}

fn start(p: &Part) -> usize {
    match p {
        Part::At(i) | Part::Range(i, _) => *i,
    }
}

/// An index converted to `i64`, counted from the end when negative and signed, and checked.
fn checked_index(v: &Value, s: Scalar, len: usize, axis: u32, site: &At) -> Result<usize, Error> {
    let raw = if s.is_signed() { v.int() as i64 } else { v.int() as u64 as i64 };
    let idx = if s.is_signed() && raw < 0 { raw.wrapping_add(len as i64) } else { raw };
    if idx as u64 >= len as u64 {
        // Checked even under `boundscheck = false`: the interpreter never reads out of bounds.
        let index = if s.is_signed() { i128::from(raw) } else { i128::from(raw as u64) };
        return Err(Error::IndexOutOfBounds { site: site.site(), index, axis, size: len as u64 });
    }
    Ok(idx as usize)
}

/// `cur op v`, stored back as `cur`'s type (`cs`), as a compound assignment does.
fn combine(op: BinOp, cur: &Value, cs: Scalar, v: &Value, vs: Scalar, site: &At) -> Result<Value, Error> {
    if op.is_shift() {
        return Ok(shift(op, cur.int(), v.int(), cs));
    }
    let c = common(cs, vs);
    let a = convert(cur, cs, c);
    let b = convert(v, vs, c);
    let r = scalar_op(op, &a, &b, c).map_err(|e| e.at(site.site()))?;
    Ok(convert(&r, c, cs))
}

/// The shape arrays broadcast to (NumPy's rules), failing as compiled code does.
fn broadcast_shape(arrays: &[&Arr], ndim: usize, site: &At) -> Result<Vec<usize>, Error> {
    let mut shape = vec![1usize; ndim];
    for a in arrays {
        let off = ndim - a.shape.len();
        for (k, d) in a.shape.iter().enumerate() {
            let j = off + k;
            let r = shape[j];
            let new = if r == 1 { *d } else { r };
            if *d != new && *d != 1 {
                return Err(Error::ShapeMismatch {
                    site: site.site(),
                    axis: j as u32,
                    left: r as u64,
                    right: *d as u64,
                });
            }
            shape[j] = new;
        }
    }
    Ok(shape)
}

/// `b` seen with `shape`: stretched and missing axes get stride 0.
fn broadcast_to(b: &Arr, shape: &[usize], site: &At) -> Result<Arr, Error> {
    let n = shape.len();
    let off = n - b.shape.len();
    let mut strides = vec![0isize; n];
    for (k, d) in b.shape.iter().enumerate() {
        let j = off + k;
        if *d != shape[j] && *d != 1 {
            return Err(Error::ShapeMismatch {
                site: site.site(),
                axis: j as u32,
                left: shape[j] as u64,
                right: *d as u64,
            });
        }
        strides[j] = if *d == shape[j] { b.strides[k] } else { 0 };
    }
    Ok(b.view(&vec![0; b.shape.len()], shape.to_vec(), strides))
}

/// The flat C-order index of the first minimum or maximum (a NaN counts as the extreme).
fn arg_extreme(max: bool, a: &Arr, t: &Ty, site: &At) -> Result<Value, Error> {
    let vals = a.elements();
    let Some(first) = vals.first() else { return Err(Error::EmptyReduction { site: site.site() }) };
    let (mut best, mut best_i) = (first.clone(), 0usize);
    for (k, x) in vals.iter().enumerate() {
        let better = if a.elem.is_float() {
            let (xf, cf) = (x.float(), best.float());
            (if max { xf > cf } else { xf < cf }) || (xf.is_nan() && !cf.is_nan())
        } else {
            let (xi, ci) = (x.int(), best.int());
            if max {
                xi > ci
            } else {
                xi < ci
            }
        };
        if better {
            best = x.clone();
            best_i = k;
        }
    }
    Ok(Value::Int(best_i as i128, t.scalar().unwrap_or(Scalar::Usize)))
}

/// `np.dot`: sums of products in order, after checking the contracted axis.
fn dot(a: &Arr, b: &Arr, t: &Ty, site: &At) -> Result<Value, Error> {
    let s = match t {
        Ty::Scalar(s) => *s,
        Ty::Array(x) => x.elem,
        _ => unreachable!("dot gives a number or an array"),
    };
    let (na, nb) = (a.shape.len(), b.shape.len());
    let (k_a, k_b) = (a.shape[na - 1], b.shape[0]);
    if k_a != k_b {
        return Err(Error::ShapeMismatch {
            site: site.site(),
            axis: (na - 1) as u32,
            left: k_a as u64,
            right: k_b as u64,
        });
    }
    let fail = |e: OpError| e.at(site.site());
    let inner = |i: Option<usize>, j: Option<usize>| -> Result<Value, Error> {
        let mut acc = Value::literal(s, 0.0, Some(0));
        for k in 0..k_a {
            let x = convert(&a.get(&i.map_or(vec![k], |i| vec![i, k])), a.elem, s);
            let y = convert(&b.get(&j.map_or(vec![k], |j| vec![k, j])), b.elem, s);
            let prod = scalar_op(BinOp::Mul, &x, &y, s).map_err(fail)?;
            acc = scalar_op(BinOp::Add, &acc, &prod, s).map_err(fail)?;
        }
        Ok(acc)
    };
    Ok(match (na, nb) {
        (1, 1) => inner(None, None)?,
        (2, 1) => {
            let out = Arr::alloc(s, &[a.shape[0]], site)?;
            for i in 0..a.shape[0] {
                out.set(&[i], &inner(Some(i), None)?);
            }
            Value::Array(out)
        }
        _ => {
            let (rows, cols) = (a.shape[0], b.shape[1]);
            let out = Arr::alloc(s, &[rows, cols], site)?;
            for i in 0..rows {
                for j in 0..cols {
                    out.set(&[i, j], &inner(Some(i), Some(j))?);
                }
            }
            Value::Array(out)
        }
    })
}

/// `print`'s form of a value, through the same helpers compiled code calls.
fn print_value(v: &Value) {
    use crate::env::*;
    match v {
        Value::Bool(b) => rjit_print_bool(u32::from(*b)),
        Value::Int(x, s) if s.is_unsigned() => rjit_print_u64(*x as u64),
        Value::Int(x, _) => rjit_print_i64(*x as i64),
        Value::Float(x, Scalar::F32) => rjit_print_f32(*x as f32),
        Value::Float(x, _) => rjit_print_f64(*x),
        Value::Complex(re, im, s) => {
            let p = s.real_part();
            rjit_print_char('(' as u32);
            print_value(&Value::Float(*re, p));
            rjit_print_char('+' as u32);
            print_value(&Value::Float(*im, p));
            rjit_print_char('j' as u32);
            rjit_print_char(')' as u32);
        }
        v => unreachable!("print of {v:?}"),
    }
}

/// How many values `start + k * step` lie from `start` towards `stop` (excluded), counted exactly.
fn range_count(start: i128, stop: i128, step: i128) -> u128 {
    let (dist, mag) = match step > 0 {
        true if stop > start => ((stop - start) as u128, step as u128),
        false if start > stop => ((start - stop) as u128, (-step) as u128),
        _ => return 0,
    };
    dist.div_ceil(mag)
}
