//! The typed-IR listing of `inspect_types` and the per-line types and loop kinds `annotate_html`
//! shows: each source line followed by what it computes, with types.

use super::*;

/// The text of `name::inspect_types()` for one specialization: each source line followed by the
/// typed IR of what it computes, every variable and intermediate with its type.
pub fn typed_listing(title: &str, file: &str, f: &Function, typed: &Typed, src: &Source<'_>) -> String {
    let by_line = typed_lines(f, typed);
    let mut o = String::new();
    let _ = writeln!(o, "{title}\n{}\n# File: {file}", "-".repeat(80));
    for (n, line) in src.numbered() {
        if let Some(items) = by_line.get(&n) {
            let _ = writeln!(o, "# --- LINE {n} ---");
            for it in items {
                let _ = writeln!(o, "#   {it}");
            }
        }
        let _ = writeln!(o, "{}", line.trim_end());
    }
    let _ = writeln!(o, "# returns {}", typed.ret);
    o
}

/// The typed IR of each line of the user's file that has any.
pub fn typed_lines(f: &Function, typed: &Typed) -> HashMap<u32, Vec<String>> {
    let mut by_line: HashMap<u32, Vec<String>> = HashMap::new();
    let mut p = Printer { f, typed, temps: HashMap::new(), next: 0, by_line: &mut by_line };
    for prm in &f.params {
        let line = f.pos(prm.span).line;
        let l = f.local(prm.local);
        p.by_line.entry(line).or_default().push(format!("{} = arg :: {}", l.name, typed.local(prm.local)));
    }
    p.block(&f.body);
    by_line
}

/// The lines where a loop starts: `for`, `while`, `loop` and `prange` statements, by kind.
pub fn loop_lines(f: &Function) -> Vec<(u32, &'static str)> {
    pub(crate) fn block(f: &Function, b: &Block, out: &mut Vec<(u32, &'static str)>) {
        for s in &b.stmts {
            match s {
                Stmt::For { body, parallel, span, .. } => {
                    out.push((f.pos(*span).line, if *parallel { "prange" } else { "for" }));
                    block(f, body, out);
                }
                Stmt::ForIn { array, body, .. } => {
                    out.push((f.pos(f.expr(*array).span).line, "for"));
                    block(f, body, out);
                }
                Stmt::While { cond, body } => {
                    out.push((f.pos(f.expr(*cond).span).line, "while"));
                    block(f, body, out);
                }
                Stmt::Loop { body } => block(f, body, out),
                _ => {}
            }
        }
        for e in b.stmts.iter().filter_map(|s| if let Stmt::Expr(e) = s { Some(*e) } else { None }).chain(b.tail) {
            if let ExprKind::If { then, els, .. } = &f.expr(e).kind {
                block(f, then, out);
                if let Some(x) = els {
                    if let ExprKind::Block(b) = &f.expr(*x).kind {
                        block(f, b, out);
                    }
                }
            } else if let ExprKind::Block(b) = &f.expr(e).kind {
                block(f, b, out);
            }
        }
    }
    let mut out = Vec::new();
    block(f, &f.body, &mut out);
    out
}

pub(crate) struct Printer<'a, 'b> {
    f: &'a Function,
    typed: &'a Typed,
    temps: HashMap<ExprId, String>,
    next: usize,
    by_line: &'b mut HashMap<u32, Vec<String>>,
}

impl Printer<'_, '_> {
    pub(crate) fn emit(&mut self, span: proc_macro2::Span, text: String) {
        let line = self.f.pos(span).line;
        self.by_line.entry(line).or_default().push(text);
    }

    /// The name of `e`'s value: a local, a literal, or a new `$n` whose definition is printed.
    pub(crate) fn operand(&mut self, e: ExprId) -> String {
        if let Some(t) = self.temps.get(&e) {
            return t.clone();
        }
        let f = self.f;
        let ex = f.expr(e);
        let rhs = match &ex.kind {
            ExprKind::Int(v, _) => return v.to_string(),
            ExprKind::Float(v, _) => return format!("{v:?}"),
            ExprKind::Bool(b) => return b.to_string(),
            ExprKind::Local(l) => return f.local(*l).name.clone(),
            ExprKind::Error => return "?".into(),
            ExprKind::Global(k) => return f.globals[*k as usize].0.clone(),
            ExprKind::Unary(op, x) => {
                let x = self.operand(*x);
                format!("{}{x}", if *op == UnOp::Neg { "-" } else { "!" })
            }
            ExprKind::Binary(op, l, r) => {
                let (l, r) = (self.operand(*l), self.operand(*r));
                format!("{l} {} {r}", op.symbol())
            }
            ExprKind::Cast(x, s) => format!("{} as {s}", self.operand(*x)),
            ExprKind::Index(b, args) => {
                let b = self.operand(*b);
                let parts: Vec<String> = args
                    .iter()
                    .map(|a| match a {
                        IndexArg::At(x) => self.operand(*x),
                        IndexArg::Range(lo, hi) => {
                            let lo = lo.map(|x| self.operand(x)).unwrap_or_default();
                            let hi = hi.map(|x| self.operand(x)).unwrap_or_default();
                            format!("{lo}..{hi}")
                        }
                    })
                    .collect();
                format!("{b}[{}]", parts.join(", "))
            }
            ExprKind::Tuple(items) => {
                let items: Vec<String> = items.iter().map(|x| self.operand(*x)).collect();
                format!("({})", items.join(", "))
            }
            ExprKind::Field(x, k) if *k < 0 => format!("{}[{k}]", self.operand(*x)),
            ExprKind::Field(x, k) => format!("{}.{k}", self.operand(*x)),
            ExprKind::Call { path, args } => {
                let args: Vec<String> = args.iter().map(|x| self.operand(*x)).collect();
                format!("call {path}({})", args.join(", "))
            }
            ExprKind::Builtin { op, args, dtype } => {
                let mut args: Vec<String> = args.iter().map(|x| self.operand(*x)).collect();
                args.extend(dtype.map(|d| match d {
                    Dtype::Named(s) => format!("dtype = {s}"),
                    Dtype::Of(e) => format!("dtype = {}.dtype", self.operand(e)),
                }));
                format!("np.{}({})", builtin_name(op), args.join(", "))
            }
            ExprKind::Method { method, recv, args } => {
                let r = self.operand(*recv);
                let args: Vec<String> = args.iter().map(|x| self.operand(*x)).collect();
                let m = match method {
                    Method::MinWith => "min".to_string(),
                    Method::MaxWith => "max".to_string(),
                    Method::Reduce(r) => snake(&format!("{r:?}")),
                    Method::Math1(m) => snake(&format!("{m:?}")),
                    other => snake(&format!("{other:?}")),
                };
                format!("{r}.{m}({})", args.join(", "))
            }
            ExprKind::If { cond, then, els } => {
                let c = self.operand(*cond);
                self.emit(ex.span, format!("branch {c}"));
                let t = self.block(then);
                let e2 = els.map(|x| self.operand(x));
                format!(
                    "if {c} {{ {} }} else {{ {} }}",
                    t.unwrap_or_else(|| "()".into()),
                    e2.unwrap_or_else(|| "()".into())
                )
            }
            ExprKind::Block(b) => return self.block(b).unwrap_or_else(|| "()".into()),
        };
        let name = format!("${}", self.next);
        self.next += 1;
        let ty = self.typed.expr(e).clone();
        self.emit(ex.span, format!("{name} = {rhs} :: {ty}"));
        self.temps.insert(e, name.clone());
        name
    }

    pub(crate) fn pat(&self, p: &Pat) -> String {
        match p {
            Pat::Bind(l) => format!("{}: {}", self.f.local(*l).name, self.typed.local(*l)),
            Pat::Wild => "_".into(),
            Pat::Tuple(items, _) => format!("({})", items.iter().map(|i| self.pat(i)).collect::<Vec<_>>().join(", ")),
        }
    }

    pub(crate) fn place(&mut self, p: &Place) -> (String, proc_macro2::Span) {
        match p {
            Place::Local(l, span) => (self.f.local(*l).name.clone(), *span),
            Place::Index(ix) => {
                let span = self.f.expr(*ix).span;
                let ExprKind::Index(b, args) = &self.f.expr(*ix).kind else { return ("?".into(), span) };
                let b = self.operand(*b);
                let parts: Vec<String> = args
                    .iter()
                    .map(|a| match a {
                        IndexArg::At(x) => self.operand(*x),
                        IndexArg::Range(lo, hi) => format!(
                            "{}..{}",
                            lo.map(|x| self.operand(x)).unwrap_or_default(),
                            hi.map(|x| self.operand(x)).unwrap_or_default()
                        ),
                    })
                    .collect();
                (format!("{b}[{}] :: {}", parts.join(", "), self.typed.expr(*ix)), span)
            }
            Place::Tuple(items, span) => {
                let names: Vec<String> = items.iter().map(|i| self.place(i).0).collect();
                (format!("({})", names.join(", ")), *span)
            }
        }
    }

    pub(crate) fn range(&mut self, r: &Range) -> String {
        let start = r.start.map(|x| self.operand(x)).unwrap_or_else(|| "0".into());
        let stop = self.operand(r.stop);
        match r.step {
            Some(s) => format!("{start}, {stop}, {}", self.operand(s)),
            None => format!("{start}, {stop}"),
        }
    }

    pub(crate) fn block(&mut self, b: &Block) -> Option<String> {
        for s in &b.stmts {
            match s {
                Stmt::Let { pat, init } => {
                    let v = self.operand(*init);
                    let lhs = self.pat(pat);
                    self.emit(self.f.expr(*init).span, format!("let {lhs} = {v}"));
                }
                Stmt::Assign { place, value } => {
                    let v = self.operand(*value);
                    let (p, span) = self.place(place);
                    self.emit(span, format!("{p} = {v}"));
                }
                Stmt::OpAssign { op, place, value, span } => {
                    let v = self.operand(*value);
                    let (p, _) = self.place(place);
                    self.emit(*span, format!("{p} {}= {v}", op.symbol()));
                }
                Stmt::Expr(e) => {
                    self.operand(*e);
                }
                Stmt::While { cond, body } => {
                    let c = self.operand(*cond);
                    self.emit(self.f.expr(*cond).span, format!("while {c}"));
                    self.block(body);
                }
                Stmt::Loop { body } => {
                    self.block(body);
                }
                Stmt::For { var, range, body, parallel, span } => {
                    let r = self.range(range);
                    let v = var
                        .map(|l| format!("{}: {}", self.f.local(l).name, self.typed.local(l)))
                        .unwrap_or_else(|| "_".into());
                    self.emit(*span, format!("for {v} in {}({r})", if *parallel { "prange" } else { "range" }));
                    self.block(body);
                }
                Stmt::ForIn { var, array, body } => {
                    let a = self.operand(*array);
                    let v = var
                        .map(|l| format!("{}: {}", self.f.local(l).name, self.typed.local(l)))
                        .unwrap_or_else(|| "_".into());
                    self.emit(self.f.expr(*array).span, format!("for {v} in {a}"));
                    self.block(body);
                }
                Stmt::Break(span) => self.emit(*span, "break".into()),
                Stmt::Continue(span) => self.emit(*span, "continue".into()),
                Stmt::Return(v, span) => {
                    let v = v.map(|x| self.operand(x)).unwrap_or_else(|| "()".into());
                    self.emit(*span, format!("return {v}"));
                }
                Stmt::Assert { cond, span, .. } => {
                    let c = self.operand(*cond);
                    self.emit(*span, format!("assert {c}"));
                }
                Stmt::Print { args, texts, span } => {
                    let a: Vec<String> = crate::hir::print_items(args, texts)
                        .into_iter()
                        .map(|item| match item {
                            crate::hir::PrintItem::Text(s) => format!("{s:?}"),
                            crate::hir::PrintItem::Value(x) => self.operand(x),
                        })
                        .collect();
                    self.emit(*span, format!("print({})", a.join(", ")));
                }
            }
        }
        b.tail.map(|t| self.operand(t))
    }
}

/// `Math1(Sqrt)` → `sqrt`, `Random(Normal)` → `random.normal`, `Alloc(Zeros)` → `zeros`.
pub(crate) fn builtin_name(op: &Builtin) -> String {
    match op {
        Builtin::Random(r) => format!("random.{}", snake(&format!("{r:?}"))),
        Builtin::Arg(max) => if *max { "argmax" } else { "argmin" }.into(),
        Builtin::Like(kind) => format!("{}_like", snake(&format!("{kind:?}"))),
        Builtin::Dtype(s) => s.to_string(),
        Builtin::Const(v) => format!("{v}"),
        other => {
            let d = format!("{other:?}");
            let inner = d.split('(').next_back().unwrap_or(&d).trim_end_matches(')');
            snake(inner)
        }
    }
}

pub(crate) fn snake(s: &str) -> String {
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if c.is_uppercase() {
            if i > 0 {
                out.push('_');
            }
            out.extend(c.to_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}
