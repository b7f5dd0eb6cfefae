//! The lowered form of an njit function: names resolved to locals, NumPy names resolved to builtins,
//! expressions in one arena addressed by `ExprId`. Types are not stored here; `infer` computes them
//! into a side table.

use crate::builtins::{Builtin, Method};
use crate::ty::{Scalar, Ty};
use proc_macro2::Span;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ExprId(pub u32);

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct LocalId(pub u32);

/// A source position: line (1-based, in the user's file) and column (0-based, in chars).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct Pos {
    pub line: u32,
    pub col: u32,
}

#[derive(Debug)]
pub struct Function {
    pub name: String,
    pub name_span: Span,
    pub is_unsafe: bool,
    pub params: Vec<Param>,
    /// The declared return type; `Ty::Unit` when there is none.
    pub ret: Ty,
    pub ret_span: Span,
    pub body: Block,
    pub exprs: Vec<Expr>,
    pub locals: Vec<Local>,
    /// The module-level constants the body names, in order of first use (see `Globals`).
    pub globals: Vec<(String, Span)>,
    /// The line of the `fn` token in the user's file, added to the spans' own lines.
    pub base_line: u32,
}

#[derive(Debug)]
pub struct Param {
    pub local: LocalId,
    pub ty: Ty,
    pub span: Span,
}

#[derive(Debug)]
pub struct Local {
    pub name: String,
    /// A type written by the user (`let x: f32`, or a parameter's type): fixed, not inferred.
    pub declared: Option<Ty>,
    pub span: Span,
}

#[derive(Debug, Default)]
pub struct Block {
    pub stmts: Vec<Stmt>,
    pub tail: Option<ExprId>,
    /// An `unsafe { }` block: `prange` loops inside are not checked for races.
    pub is_unsafe: bool,
}

#[derive(Debug)]
pub enum Pat {
    Bind(LocalId),
    Wild,
    Tuple(Vec<Pat>, Span),
}

/// Something that can be assigned to.
#[derive(Debug)]
pub enum Place {
    Local(LocalId, Span),
    /// `a[i]` or `a[[i, j]]`: the expression is an `ExprKind::Index`.
    Index(ExprId),
    Tuple(Vec<Place>, Span),
}

#[derive(Debug)]
pub enum Stmt {
    Let {
        pat: Pat,
        init: ExprId,
    },
    Assign {
        place: Place,
        value: ExprId,
    },
    OpAssign {
        op: BinOp,
        place: Place,
        value: ExprId,
        span: Span,
    },
    Expr(ExprId),
    While {
        cond: ExprId,
        body: Block,
    },
    Loop {
        body: Block,
    },
    For {
        var: Option<LocalId>,
        range: Range,
        body: Block,
        parallel: bool,
        span: Span,
    },
    /// `for x in a`: the elements of a 1-D array, the rows of an n-D one.
    ForIn {
        var: Option<LocalId>,
        array: ExprId,
        body: Block,
    },
    Break(Span),
    Continue(Span),
    Return(Option<ExprId>, Span),
    Assert {
        cond: ExprId,
        msg: Option<String>,
        span: Span,
    },
    Print {
        args: Vec<ExprId>,
        /// String literals among the arguments: each with the number of expressions before it.
        texts: Vec<(usize, String)>,
        span: Span,
    },
}

/// One item `print` writes, in order.
#[derive(Clone, Copy, Debug)]
pub enum PrintItem<'a> {
    Text(&'a str),
    Value(ExprId),
}

/// The items of `print(args…)` in the order written: string literals and expressions.
pub fn print_items<'a>(args: &[ExprId], texts: &'a [(usize, String)]) -> Vec<PrintItem<'a>> {
    let mut out = Vec::with_capacity(args.len() + texts.len());
    let mut t = texts.iter().peekable();
    for (k, a) in args.iter().enumerate() {
        while let Some((_, s)) = t.next_if(|(at, _)| *at <= k) {
            out.push(PrintItem::Text(s));
        }
        out.push(PrintItem::Value(*a));
    }
    out.extend(t.map(|(_, s)| PrintItem::Text(s)));
    out
}

/// `range(start, stop, step)` with missing parts filled by `None` (start 0, step 1).
#[derive(Debug)]
pub struct Range {
    pub start: Option<ExprId>,
    pub stop: ExprId,
    pub step: Option<ExprId>,
}

#[derive(Debug)]
pub struct Expr {
    pub kind: ExprKind,
    /// The first and last tokens of the expression.
    pub span: Span,
    pub end: Span,
}

/// A `dtype = …` argument: a NumPy type, or `a.dtype` (the element type of the array `a`, which is
/// typed but never evaluated).
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Dtype {
    Named(Scalar),
    Of(ExprId),
}

#[derive(Debug)]
pub enum ExprKind {
    Int(u128, Option<Scalar>),
    Float(f64, Option<Scalar>),
    Bool(bool),
    Local(LocalId),
    /// A module-level `const` or `static` the macro found by name (an index into
    /// `Function::globals`). Only the macro's check meets it, typed `Deferred`: the runtime lowers
    /// the name to the value frozen at the first call.
    Global(u32),
    Unary(UnOp, ExprId),
    Binary(BinOp, ExprId, ExprId),
    Cast(ExprId, Scalar),
    Index(ExprId, Vec<IndexArg>),
    Tuple(Vec<ExprId>),
    /// Field `k` of a tuple; a negative `k` counts from the end (only `a.shape[-1]` writes one).
    Field(ExprId, i32),
    /// A call to another njit function, by the path the user wrote.
    Call {
        path: String,
        args: Vec<ExprId>,
    },
    Builtin {
        op: Builtin,
        args: Vec<ExprId>,
        dtype: Option<Dtype>,
    },
    Method {
        method: Method,
        recv: ExprId,
        args: Vec<ExprId>,
    },
    If {
        cond: ExprId,
        then: Block,
        els: Option<ExprId>,
    },
    Block(Block),
    /// Something already reported; it takes any type so one mistake gives one error.
    Error,
}

/// One position of `a[…]`: an integer (drops the axis) or a range `lo..hi` (keeps it, sliced).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum IndexArg {
    At(ExprId),
    Range(Option<ExprId>, Option<ExprId>),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UnOp {
    Neg,
    /// `!`: logical on `bool`, bitwise on integers.
    Not,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BinOp {
    Add,
    Sub,
    Mul,
    Div,
    Rem,
    BitAnd,
    BitOr,
    BitXor,
    Shl,
    Shr,
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
    And,
    Or,
}

impl BinOp {
    pub fn is_comparison(self) -> bool {
        matches!(self, BinOp::Eq | BinOp::Ne | BinOp::Lt | BinOp::Le | BinOp::Gt | BinOp::Ge)
    }
    pub fn is_logical(self) -> bool {
        matches!(self, BinOp::And | BinOp::Or)
    }
    pub fn is_bitwise(self) -> bool {
        matches!(self, BinOp::BitAnd | BinOp::BitOr | BinOp::BitXor)
    }
    pub fn is_shift(self) -> bool {
        matches!(self, BinOp::Shl | BinOp::Shr)
    }
    pub fn symbol(self) -> &'static str {
        match self {
            BinOp::Add => "+",
            BinOp::Sub => "-",
            BinOp::Mul => "*",
            BinOp::Div => "/",
            BinOp::Rem => "%",
            BinOp::BitAnd => "&",
            BinOp::BitOr => "|",
            BinOp::BitXor => "^",
            BinOp::Shl => "<<",
            BinOp::Shr => ">>",
            BinOp::Eq => "==",
            BinOp::Ne => "!=",
            BinOp::Lt => "<",
            BinOp::Le => "<=",
            BinOp::Gt => ">",
            BinOp::Ge => ">=",
            BinOp::And => "&&",
            BinOp::Or => "||",
        }
    }
}

impl Function {
    pub fn expr(&self, id: ExprId) -> &Expr {
        &self.exprs[id.0 as usize]
    }
    pub fn local(&self, id: LocalId) -> &Local {
        &self.locals[id.0 as usize]
    }
    /// Where a span lies in the user's file.
    pub fn pos(&self, span: Span) -> Pos {
        let start = span.start();
        Pos { line: start.line as u32 + self.base_line.saturating_sub(1), col: start.column as u32 }
    }
}

/// Calls `visit` on every expression of `b`, outer before inner, nested blocks and loops included.
pub fn walk_exprs(f: &Function, b: &Block, visit: &mut dyn FnMut(ExprId)) {
    let range = |r: &Range, visit: &mut dyn FnMut(ExprId)| {
        for e in [r.start, Some(r.stop), r.step].into_iter().flatten() {
            walk_expr(f, e, visit);
        }
    };
    for s in &b.stmts {
        match s {
            Stmt::Let { init: e, .. } | Stmt::Expr(e) | Stmt::Assert { cond: e, .. } | Stmt::Return(Some(e), _) => {
                walk_expr(f, *e, visit)
            }
            Stmt::Assign { place, value } | Stmt::OpAssign { place, value, .. } => {
                walk_place(f, place, visit);
                walk_expr(f, *value, visit);
            }
            Stmt::While { cond, body } => {
                walk_expr(f, *cond, visit);
                walk_exprs(f, body, visit);
            }
            Stmt::Loop { body } => walk_exprs(f, body, visit),
            Stmt::For { range: r, body, .. } => {
                range(r, visit);
                walk_exprs(f, body, visit);
            }
            Stmt::ForIn { array, body, .. } => {
                walk_expr(f, *array, visit);
                walk_exprs(f, body, visit);
            }
            Stmt::Print { args, .. } => args.iter().for_each(|a| walk_expr(f, *a, visit)),
            Stmt::Break(_) | Stmt::Continue(_) | Stmt::Return(None, _) => {}
        }
    }
    if let Some(t) = b.tail {
        walk_expr(f, t, visit);
    }
}

fn walk_place(f: &Function, p: &Place, visit: &mut dyn FnMut(ExprId)) {
    match p {
        Place::Index(e) => walk_expr(f, *e, visit),
        Place::Tuple(items, _) => items.iter().for_each(|i| walk_place(f, i, visit)),
        Place::Local(..) => {}
    }
}

/// Calls `visit` on `e` and every expression inside it.
pub fn walk_expr(f: &Function, e: ExprId, visit: &mut dyn FnMut(ExprId)) {
    visit(e);
    for_each_child(f, e, &mut |c| match c {
        Child::Expr(x) => walk_expr(f, x, visit),
        Child::Block(b) => walk_exprs(f, b, visit),
    });
}

/// What an expression directly contains.
enum Child<'f> {
    Expr(ExprId),
    /// An `if` arm or a block expression.
    Block(&'f Block),
}

fn for_each_child<'f>(f: &'f Function, e: ExprId, visit: &mut dyn FnMut(Child<'f>)) {
    let mut x = |e: &ExprId| visit(Child::Expr(*e));
    match &f.expr(e).kind {
        ExprKind::Unary(_, a) | ExprKind::Cast(a, _) | ExprKind::Field(a, _) => x(a),
        ExprKind::Binary(_, l, r) => {
            x(l);
            x(r);
        }
        ExprKind::Index(b, args) => {
            x(b);
            for a in args {
                match a {
                    IndexArg::At(i) => x(i),
                    IndexArg::Range(lo, hi) => [lo, hi].into_iter().flatten().for_each(&mut x),
                }
            }
        }
        ExprKind::Tuple(items) | ExprKind::Call { args: items, .. } | ExprKind::Builtin { args: items, .. } => {
            items.iter().for_each(x)
        }
        ExprKind::Method { recv, args, .. } => {
            x(recv);
            args.iter().for_each(x);
        }
        ExprKind::If { cond, then, els } => {
            x(cond);
            visit(Child::Block(then));
            if let Some(e) = els {
                visit(Child::Expr(*e));
            }
        }
        ExprKind::Block(b) => visit(Child::Block(b)),
        ExprKind::Int(..)
        | ExprKind::Float(..)
        | ExprKind::Bool(_)
        | ExprKind::Local(_)
        | ExprKind::Global(_)
        | ExprKind::Error => {}
    }
}

/// The expressions `b`'s own statements and tail hold directly (nested blocks' not included; loop
/// bodies are statements' blocks).
fn stmt_exprs(b: &Block) -> Vec<ExprId> {
    fn place(p: &Place, out: &mut Vec<ExprId>) {
        match p {
            Place::Index(e) => out.push(*e),
            Place::Tuple(items, _) => items.iter().for_each(|i| place(i, out)),
            Place::Local(..) => {}
        }
    }
    let mut out = Vec::new();
    for s in &b.stmts {
        match s {
            Stmt::Let { init: e, .. }
            | Stmt::Expr(e)
            | Stmt::Assert { cond: e, .. }
            | Stmt::Return(Some(e), _)
            | Stmt::While { cond: e, .. }
            | Stmt::ForIn { array: e, .. } => out.push(*e),
            Stmt::Assign { place: p, value } | Stmt::OpAssign { place: p, value, .. } => {
                place(p, &mut out);
                out.push(*value);
            }
            Stmt::For { range, .. } => out.extend([range.start, Some(range.stop), range.step].into_iter().flatten()),
            Stmt::Print { args, .. } => out.extend(args),
            Stmt::Loop { .. } | Stmt::Break(_) | Stmt::Continue(_) | Stmt::Return(None, _) => {}
        }
    }
    out.extend(b.tail);
    out
}

/// The blocks inside the expressions of `b`'s own statements and tail (`if` arms, `{ }` and
/// `unsafe { }` blocks, wherever the expression sits: a `let`'s initializer, an assignment, a
/// condition, an argument), outermost only: what they contain in turn is theirs. Together with
/// the loop bodies of `b`'s statements they are every block `b` directly holds.
pub fn expr_blocks<'f>(f: &'f Function, b: &'f Block) -> Vec<&'f Block> {
    fn collect<'f>(f: &'f Function, e: ExprId, out: &mut Vec<&'f Block>) {
        for_each_child(f, e, &mut |c| match c {
            Child::Expr(x) => collect(f, x, out),
            Child::Block(b) => out.push(b),
        });
    }
    let mut out = Vec::new();
    for e in stmt_exprs(b) {
        collect(f, e, &mut out);
    }
    out
}

/// The blocks `b` directly holds: its statements' loop bodies and its expressions' blocks.
pub fn inner_blocks<'f>(f: &'f Function, b: &'f Block) -> Vec<&'f Block> {
    let mut out: Vec<&Block> = b
        .stmts
        .iter()
        .filter_map(|s| match s {
            Stmt::For { body, .. } | Stmt::ForIn { body, .. } | Stmt::While { body, .. } | Stmt::Loop { body } => {
                Some(body)
            }
            _ => None,
        })
        .collect();
    out.extend(expr_blocks(f, b));
    out
}

/// Every local assigned in `b` or in any block inside it: `let` bindings, assignments (tuples
/// included), compound assignments and loop variables.
pub fn assigned_in(f: &Function, b: &Block) -> std::collections::HashSet<LocalId> {
    fn pat(p: &Pat, out: &mut std::collections::HashSet<LocalId>) {
        match p {
            Pat::Bind(l) => {
                out.insert(*l);
            }
            Pat::Tuple(items, _) => items.iter().for_each(|i| pat(i, out)),
            Pat::Wild => {}
        }
    }
    fn place(p: &Place, out: &mut std::collections::HashSet<LocalId>) {
        match p {
            Place::Local(l, _) => {
                out.insert(*l);
            }
            Place::Tuple(items, _) => items.iter().for_each(|i| place(i, out)),
            Place::Index(_) => {}
        }
    }
    fn block(f: &Function, b: &Block, out: &mut std::collections::HashSet<LocalId>) {
        for s in &b.stmts {
            match s {
                Stmt::Let { pat: p, .. } => pat(p, out),
                Stmt::Assign { place: p, .. } | Stmt::OpAssign { place: p, .. } => place(p, out),
                Stmt::For { var, .. } | Stmt::ForIn { var, .. } => out.extend(*var),
                _ => {}
            }
        }
        for inner in inner_blocks(f, b) {
            block(f, inner, out);
        }
    }
    let mut out = std::collections::HashSet::new();
    block(f, b, &mut out);
    out
}

/// Every expression inside an `unsafe { }` block of `b` (at any depth): the calls there may call
/// an `unsafe fn`.
pub fn in_unsafe_blocks(f: &Function, b: &Block) -> std::collections::HashSet<ExprId> {
    fn block(f: &Function, b: &Block, inside: bool, out: &mut std::collections::HashSet<ExprId>) {
        if b.is_unsafe && !inside {
            walk_exprs(f, b, &mut |e| {
                out.insert(e);
            });
            return;
        }
        for inner in inner_blocks(f, b) {
            block(f, inner, inside, out);
        }
    }
    let mut out = std::collections::HashSet::new();
    block(f, b, false, &mut out);
    out
}

/// The expressions whose values the function returns: the body's tail and every `return e`.
pub fn returned_exprs(f: &Function) -> Vec<ExprId> {
    fn block(f: &Function, b: &Block, out: &mut Vec<ExprId>) {
        for s in &b.stmts {
            if let Stmt::Return(Some(e), _) = s {
                out.push(*e);
            }
        }
        for inner in inner_blocks(f, b) {
            block(f, inner, out);
        }
    }
    let mut out: Vec<ExprId> = f.body.tail.into_iter().collect();
    block(f, &f.body, &mut out);
    out
}

/// Calls `visit` on each outermost `prange` loop (nested ones run serially and are not separate).
pub fn walk_loops(
    f: &Function,
    b: &Block,
    unsafe_: bool,
    visit: &mut dyn FnMut(Option<LocalId>, &Range, &Block, bool),
) {
    let unsafe_ = unsafe_ || b.is_unsafe;
    for s in &b.stmts {
        match s {
            Stmt::For { var, range, body, parallel: true, .. } => visit(*var, range, body, unsafe_),
            Stmt::For { body, .. } | Stmt::ForIn { body, .. } | Stmt::While { body, .. } | Stmt::Loop { body } => {
                walk_loops(f, body, unsafe_, visit)
            }
            _ => {}
        }
    }
    for inner in expr_blocks(f, b) {
        walk_loops(f, inner, unsafe_, visit);
    }
}

/// The position of field `k` (negative: from the end) of a tuple of `len` items, if it has one.
pub fn field_position(k: i32, len: usize) -> Option<usize> {
    let at = if k < 0 { len.checked_sub(k.unsigned_abs() as usize)? } else { k as usize };
    (at < len).then_some(at)
}
