//! Running a typed function: statements, expressions, arrays, reductions and `prange`, one step
//! at a time, with the semantics codegen gives them (the module's docs say where the two must agree
//! and why).

use super::value::*;
use crate::desc::FnDesc;
use crate::error::Error;
use crate::specialize::{check_with_types, find_callee, param_types, ParseCache};
use proc_macro2::Span;
use rjit_front::builtins::{Alloc, Builtin, Method, Random, Reduce};
use rjit_front::hir::{BinOp, Block, ExprId, ExprKind, IndexArg, LocalId, Pat, Place, Stmt, UnOp};
use rjit_front::prange::RedOp;
use rjit_front::{Function, Layout, Scalar, Ty, Typed};
use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

mod loops;
mod arrays;
mod numpy;
use arrays::{broadcast_to, combine, start};

/// One function checked for one tuple of parameter types.
pub(crate) struct Fun {
    pub kernel: &'static FnDesc,
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

pub(crate) type R<T> = Result<T, Stop>;

impl Interp {
    /// `kernel` parsed, lowered and checked for arguments of types `args` (the declared types, with
    /// the arguments' layouts), exactly as codegen gets it.
    pub fn function(&self, kernel: &'static FnDesc, args: &[Ty]) -> Result<Rc<Fun>, Error> {
        let key = (kernel as *const FnDesc as usize, args.to_vec());
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
        if fun.kernel.options.parallel {
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
pub(crate) enum Part {
    At(usize),
    Range(usize, usize),
}

/// The shape of a fused element-wise tree: operations, and leaves by their index.
pub(crate) enum Node {
    Leaf(usize),
    Op(ExprId, Vec<Node>),
}

pub(crate) struct Frame<'i> {
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
        self.fun.kernel.options.parallel && !self.in_prange
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
                if *parallel && self.fun.kernel.options.parallel && !self.in_prange {
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
                        crate::helpers::rjit_print_char(' ' as u32);
                    }
                    match item {
                        rjit_front::hir::PrintItem::Text(s) => {
                            s.chars().for_each(|c| crate::helpers::rjit_print_char(c as u32))
                        }
                        rjit_front::hir::PrintItem::Value(a) => {
                            let v = self.expr(a)?;
                            print_value(&v);
                        }
                    }
                }
                crate::helpers::rjit_print_char('\n' as u32);
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
                Value::Tuple(mut vs) => {
                    let at = rjit_front::hir::field_position(*n, vs.len()).expect("checked: a field of the tuple");
                    vs.swap_remove(at)
                }
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
            ExprKind::Global(_) => unreachable!("run-time lowering gives a module-level constant its frozen value"),
        })
    }
}

/// `print`'s form of a value, through the same helpers compiled code calls.
fn print_value(v: &Value) {
    use crate::helpers::*;
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
