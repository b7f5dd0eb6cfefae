//! Expressions: operators, literals, paths and fields, indexing, calls of other njit functions,
//! `np.` functions and methods (with `np.random`), `if` as a value, and the syn operators mapped to
//! the HIR's.

use super::*;

impl Lower {
    pub(crate) fn expr(&mut self, e: &syn::Expr) -> ExprId {
        match e {
            syn::Expr::Lit(l) => self.lit(&l.lit, e),
            syn::Expr::Path(p) => self.path_expr(p),
            syn::Expr::Paren(p) => self.expr(&p.expr),
            syn::Expr::Group(g) => self.expr(&g.expr),
            syn::Expr::Unary(u) => {
                let op = match u.op {
                    syn::UnOp::Neg(_) => UnOp::Neg,
                    syn::UnOp::Not(_) => UnOp::Not,
                    _ => return self.unsupported(e, "references and dereferences (`*`)"),
                };
                let inner = self.expr(&u.expr);
                self.push(ExprKind::Unary(op, inner), e)
            }
            syn::Expr::Binary(b) if matches!(b.op, syn::BinOp::Mul(_)) && is_deref(&b.right) => {
                let syn::Expr::Unary(u) = &*b.right else { unreachable!("a dereference") };
                self.power(b, &u.expr, e)
            }
            syn::Expr::Binary(b) => match binary_op(&b.op) {
                Some(op) => {
                    let l = self.expr(&b.left);
                    let r = self.expr(&b.right);
                    self.push(ExprKind::Binary(op, l, r), e)
                }
                None => {
                    self.error(Diag::spanned(e, "compound assignment is a statement in njit functions, not a value"));
                    self.push(ExprKind::Error, e)
                }
            },
            syn::Expr::Cast(c) => {
                let inner = self.expr(&c.expr);
                match boundary::scalar_of(&c.ty, &self.subst) {
                    Some(s) => self.push(ExprKind::Cast(inner, s), e),
                    None => {
                        self.error(
                            Diag::spanned(&c.ty, "`as` casts only to a scalar type")
                                .help("write a scalar type such as `f64`, `i64` or `usize`"),
                        );
                        self.push(ExprKind::Error, e)
                    }
                }
            }
            syn::Expr::Index(ix) => {
                if let Some(id) = self.shape_index(ix, e) {
                    return id;
                }
                let base = self.expr(&ix.expr);
                let indices = match &*ix.index {
                    syn::Expr::Array(a) => a.elems.iter().map(|x| self.index(x)).collect(),
                    syn::Expr::Tuple(t) => t.elems.iter().map(|x| self.index(x)).collect(),
                    other => vec![self.index(other)],
                };
                self.push(ExprKind::Index(base, indices), e)
            }
            syn::Expr::Tuple(t) => {
                let items = t.elems.iter().map(|x| self.expr(x)).collect();
                self.push(ExprKind::Tuple(items), e)
            }
            syn::Expr::Field(f) => self.field(f, e),
            syn::Expr::Call(c) => self.call(c, e),
            syn::Expr::MethodCall(m) => self.method_call(m, e),
            syn::Expr::If(i) => self.if_expr(i, e),
            syn::Expr::Block(b) => {
                self.no_label(&b.label);
                let block = self.block(&b.block);
                self.push(ExprKind::Block(block), e)
            }
            syn::Expr::Unsafe(u) => {
                let mut block = self.block(&u.block);
                block.is_unsafe = true;
                self.push(ExprKind::Block(block), e)
            }
            syn::Expr::Assign(_)
            | syn::Expr::While(_)
            | syn::Expr::Loop(_)
            | syn::Expr::ForLoop(_)
            | syn::Expr::Break(_)
            | syn::Expr::Continue(_)
            | syn::Expr::Return(_) => {
                self.error(Diag::spanned(e, "this statement cannot be used as a value in njit functions"));
                self.push(ExprKind::Error, e)
            }
            syn::Expr::Closure(_) => self.unsupported(e, "closures"),
            syn::Expr::Match(_) => {
                self.error(
                    Diag::spanned(e, "`match` is not supported in njit functions").help("use `if … else if … else`"),
                );
                self.push(ExprKind::Error, e)
            }
            syn::Expr::Struct(_) => self.unsupported(e, "struct expressions"),
            syn::Expr::Reference(_) => {
                self.error(
                    Diag::spanned(e, "references are not supported in njit functions")
                        .help("pass the value itself; arrays are passed as views without copying"),
                );
                self.push(ExprKind::Error, e)
            }
            syn::Expr::Macro(m) => {
                let name = m.mac.path.segments.last().map(|s| s.ident.to_string()).unwrap_or_default();
                self.error(Diag::spanned(
                    e,
                    format!("the macro `{name}!` cannot be used as a value in njit functions"),
                ));
                self.push(ExprKind::Error, e)
            }
            syn::Expr::Range(_) => {
                self.error(Diag::spanned(e, "a range can only be the iterable of a `for` loop here"));
                self.push(ExprKind::Error, e)
            }
            syn::Expr::Array(_) | syn::Expr::Repeat(_) => self.unsupported(e, "array literals"),
            syn::Expr::Try(_) => self.unsupported(e, "`?` operators"),
            syn::Expr::Async(_) | syn::Expr::Await(_) => self.unsupported(e, "async blocks and `.await`"),
            _ => self.unsupported(e, "expressions of this kind"),
        }
    }

    pub(crate) fn index(&mut self, e: &syn::Expr) -> IndexArg {
        match e {
            syn::Expr::Range(r) if matches!(r.limits, syn::RangeLimits::HalfOpen(_)) => {
                let lo = r.start.as_ref().map(|x| self.expr(x));
                let hi = r.end.as_ref().map(|x| self.expr(x));
                IndexArg::Range(lo, hi)
            }
            syn::Expr::Range(r) => {
                self.error(
                    Diag::spanned(r, "inclusive ranges (`..=`) are not supported in indices")
                        .help("write `lo..hi + 1`"),
                );
                IndexArg::At(self.push(ExprKind::Error, e))
            }
            other => IndexArg::At(self.expr(other)),
        }
    }

    pub(crate) fn lit(&mut self, lit: &syn::Lit, node: &syn::Expr) -> ExprId {
        let kind = match lit {
            syn::Lit::Bool(b) => ExprKind::Bool(b.value),
            syn::Lit::Int(i) => {
                let suffix = match i.suffix() {
                    "" => None,
                    s => match Scalar::from_rust_name(s) {
                        Some(sc) if sc.is_numeric() && !sc.is_complex() => Some(sc),
                        _ => {
                            self.error(Diag::spanned(node, format!("invalid suffix `{s}` for a number literal")));
                            return self.push(ExprKind::Error, node);
                        }
                    },
                };
                match i.base10_parse::<u128>() {
                    Ok(v) if suffix.is_some_and(|s| s.is_float()) => ExprKind::Float(v as f64, suffix),
                    Ok(v) => ExprKind::Int(v, suffix),
                    Err(err) => {
                        self.error(Diag::spanned(node, err.to_string()));
                        ExprKind::Error
                    }
                }
            }
            syn::Lit::Float(f) => {
                let suffix = match f.suffix() {
                    "" => None,
                    "f32" => Some(Scalar::F32),
                    "f64" => Some(Scalar::F64),
                    s => {
                        self.error(Diag::spanned(node, format!("invalid suffix `{s}` for a float literal")));
                        return self.push(ExprKind::Error, node);
                    }
                };
                match f.base10_parse::<f64>() {
                    Ok(v) => ExprKind::Float(v, suffix),
                    Err(err) => {
                        self.error(Diag::spanned(node, err.to_string()));
                        ExprKind::Error
                    }
                }
            }
            syn::Lit::Str(_) => {
                self.error(Diag::spanned(
                    node,
                    "strings are only allowed as the message of `assert!` and in `print(…)`",
                ));
                ExprKind::Error
            }
            _ => {
                self.error(Diag::spanned(node, "this kind of literal is not supported in njit functions"));
                ExprKind::Error
            }
        };
        self.push(kind, node)
    }

    pub(crate) fn path_expr(&mut self, p: &syn::ExprPath) -> ExprId {
        if let Some(ident) = p.path.get_ident() {
            let name = ident.to_string();
            if let Some(id) = self.resolve(&name) {
                return self.push(ExprKind::Local(id), p);
            }
            if let Some(e) = self.global(&name, p) {
                return e;
            }
            let d = match name.as_str() {
                "True" | "False" | "None" => {
                    let rust = match name.as_str() {
                        "True" => "true",
                        "False" => "false",
                        _ => "a value of the right type, e.g. `np.nan` or `-1`, or an `Option` outside the kernel",
                    };
                    Diag::spanned(p, format!("Python's `{name}` is not a Rust value")).help(format!(
                        "write {}",
                        if rust.starts_with('a') { rust.to_string() } else { format!("`{rust}`") }
                    ))
                }
                "np" => {
                    Diag::spanned(p, "`np` is a namespace, not a value").help("use a name inside it, e.g. `np.sqrt(x)`")
                }
                "range" | "prange" => Diag::spanned(p, format!("`{name}` can only be the iterable of a `for` loop")),
                _ => Diag::spanned(p, format!("cannot find value `{name}` in this scope")),
            };
            self.error(d);
            return self.push(ExprKind::Error, p);
        }
        self.error(Diag::spanned(p, "paths are only allowed as the names of called njit functions"));
        self.push(ExprKind::Error, p)
    }

    /// A name that is no local, as a module-level constant: `Global` for the macro's check, the
    /// frozen value at run time. `None` when globals are off or the name is one of the DSL's own.
    fn global(&mut self, name: &str, p: &syn::ExprPath) -> Option<ExprId> {
        if matches!(name, "np" | "math" | "range" | "prange" | "True" | "False" | "None" | "self") {
            return None;
        }
        match &self.outer {
            Outer::None => None,
            Outer::Open => {
                let k = match self.globals.iter().position(|(n, _)| n == name) {
                    Some(k) => k,
                    None => {
                        self.globals.push((name.to_string(), p.span()));
                        self.globals.len() - 1
                    }
                };
                Some(self.push(ExprKind::Global(k as u32), p))
            }
            Outer::Frozen(values) => {
                let c = *values.get(name)?;
                Some(self.constant(c, p))
            }
        }
    }

    /// The expression of a frozen constant's value, of its exact type.
    fn constant(&mut self, c: Constant, p: &syn::ExprPath) -> ExprId {
        let float = |cx: &mut Self, v: f64, s: Scalar| {
            let magnitude = cx.push(ExprKind::Float(v.abs(), Some(s)), p);
            if v.is_sign_negative() && !v.is_nan() {
                cx.push(ExprKind::Unary(UnOp::Neg, magnitude), p)
            } else {
                magnitude
            }
        };
        match c {
            Constant::Bool(b) => self.push(ExprKind::Bool(b), p),
            Constant::Int(v, s) if v >= 0 => self.push(ExprKind::Int(v as u128, Some(s)), p),
            // Negative: the two's-complement bits as a `u64`, cast (`as` wraps) to the type.
            Constant::Int(v, s) => {
                let bits = self.push(ExprKind::Int(u128::from(v as i64 as u64), Some(Scalar::U64)), p);
                self.push(ExprKind::Cast(bits, s), p)
            }
            Constant::Float(v, s) => float(self, v, s),
            Constant::Complex(re, im, s) => {
                let part = if s == Scalar::C64 { Scalar::F32 } else { Scalar::F64 };
                let args = vec![float(self, re, part), float(self, im, part)];
                self.push(ExprKind::Builtin { op: Builtin::Dtype(s), args, dtype: None }, p)
            }
        }
    }

    pub(crate) fn field(&mut self, f: &syn::ExprField, node: &syn::Expr) -> ExprId {
        if is_math(&f.base) && self.resolve("math").is_none() {
            if let syn::Member::Named(name) = &f.member {
                return self.math_field(&name.to_string(), node);
            }
        }
        if is_np(&f.base) {
            if let syn::Member::Named(name) = &f.member {
                return match Builtin::lookup(&name.to_string()) {
                    Some(Builtin::Const(v)) => {
                        self.push(ExprKind::Builtin { op: Builtin::Const(v), args: vec![], dtype: None }, node)
                    }
                    Some(Builtin::Dtype(_)) => {
                        self.error(Diag::spanned(node, format!("the dtype `np.{name}` is not a value")).help(format!(
                            "cast with `np.{name}(x)`, or pass it as `dtype = np.{name}` to an array creator"
                        )));
                        self.push(ExprKind::Error, node)
                    }
                    Some(_) => {
                        self.error(
                            Diag::spanned(node, format!("`np.{name}` is a function"))
                                .help(format!("call it: `np.{name}(…)`")),
                        );
                        self.push(ExprKind::Error, node)
                    }
                    None => self.unknown_np(&name.to_string(), node),
                };
            }
        }
        if let Some(id) = self.attribute(f, node) {
            return id;
        }
        match &f.member {
            syn::Member::Unnamed(index) => {
                let base = self.expr(&f.base);
                self.push(ExprKind::Field(base, index.index as i32), node)
            }
            syn::Member::Named(name) if name == "re" || name == "im" => {
                let recv = self.expr(&f.base);
                let method = if name == "re" { Method::Re } else { Method::Im };
                self.push(ExprKind::Method { method, recv, args: Vec::new() }, node)
            }
            syn::Member::Named(name) => {
                self.error(
                    Diag::spanned(&f.member, format!("no field `{name}` on values in njit functions"))
                        .help("tuples are read with `t.0`; arrays have methods such as `a.len()` and `a.shape()`"),
                );
                self.push(ExprKind::Error, node)
            }
        }
    }

    pub(crate) fn unknown_np(&mut self, name: &str, node: &impl ToTokens) -> ExprId {
        self.error(
            Diag::spanned(node, format!("cannot find `np.{name}` among the NumPy names njit functions support"))
                .help("see the list of supported names in DSL.md §4"),
        );
        self.push(ExprKind::Error, node)
    }

    pub(crate) fn call(&mut self, c: &syn::ExprCall, node: &syn::Expr) -> ExprId {
        let syn::Expr::Path(p) = &*c.func else {
            self.error(Diag::spanned(&c.func, "only named njit functions can be called"));
            return self.push(ExprKind::Error, node);
        };
        if p.qself.is_some() || p.path.segments.iter().any(|s| !s.arguments.is_none()) {
            self.error(Diag::spanned(&c.func, "generic arguments and qualified paths are not supported in calls"));
            return self.push(ExprKind::Error, node);
        }
        let name = path_to_string(&p.path);
        match name.as_str() {
            "range" | "prange" => {
                self.error(Diag::spanned(node, format!("`{name}` can only be the iterable of a `for` loop")));
                return self.push(ExprKind::Error, node);
            }
            "print" => {
                self.error(Diag::spanned(node, "`print(…)` is a statement, not a value"));
                return self.push(ExprKind::Error, node);
            }
            _ => {}
        }
        if p.path.get_ident().and_then(|i| self.resolve(&i.to_string())).is_some() {
            self.error(Diag::spanned(&c.func, format!("`{name}` is a variable, not a function")));
            return self.push(ExprKind::Error, node);
        }
        if let Some(id) = self.python_builtin(&name, &c.args, node) {
            return id;
        }
        let args = c.args.iter().map(|a| self.expr(a)).collect();
        self.push(ExprKind::Call { path: name, args }, node)
    }

    pub(crate) fn method_call(&mut self, m: &syn::ExprMethodCall, node: &syn::Expr) -> ExprId {
        let name = m.method.to_string();
        if let Some(t) = &m.turbofish {
            self.error(Diag::spanned(t, "generic arguments on methods are not supported"));
        }
        if is_np(&m.receiver) {
            return self.np_call(&name, m, node);
        }
        if is_math(&m.receiver) && self.resolve("math").is_none() {
            return self.math_call(&name, m, node);
        }
        if let syn::Expr::Field(f) = &*m.receiver {
            if is_np(&f.base) {
                let sub = f.member.to_token_stream().to_string();
                if sub == "random" {
                    return self.random_call(&name, m, node);
                }
                self.error(Diag::spanned(node, format!("`np.{sub}.{name}` is not supported")));
                return self.push(ExprKind::Error, node);
            }
        }
        let nargs = m.args.len();
        if name == "reshape" && nargs > 1 {
            // NumPy's `a.reshape(d0, d1, …)`: the dimensions as arguments.
            let recv = self.expr(&m.receiver);
            let dims = m.args.iter().map(|a| self.expr(a)).collect();
            let shape = self.push(ExprKind::Tuple(dims), node);
            return self.push(ExprKind::Method { method: Method::Reshape, recv, args: vec![shape] }, node);
        }
        if name == "argsort" && nargs == 0 {
            // NumPy's method spelling of `np.argsort(a)`.
            let recv = self.expr(&m.receiver);
            return self
                .push(ExprKind::Builtin { op: Builtin::Sort { arg: true }, args: vec![recv], dtype: None }, node);
        }
        let method = match (name.as_str(), nargs) {
            ("min", 0) => Some(Method::Reduce(Reduce::Min)),
            ("max", 0) => Some(Method::Reduce(Reduce::Max)),
            _ => Method::lookup(&name),
        };
        let Some(method) = method else {
            self.error(Diag::spanned(&m.method, format!("no method named `{name}` in njit functions"))
                .help("arrays have `len shape ndim size sum prod min max mean`; numbers have `sqrt exp ln abs floor ceil round min max powi powf` and the like"));
            return self.push(ExprKind::Error, node);
        };
        if method.arity() != nargs && !matches!(method, Method::Reduce(_)) {
            self.error(Diag::spanned(node, format!("`.{name}()` takes {} argument(s), found {nargs}", method.arity())));
            return self.push(ExprKind::Error, node);
        }
        if matches!(method, Method::Reduce(_)) && nargs != 0 {
            self.error(
                Diag::spanned(node, format!("`.{name}()` takes no arguments here"))
                    .help("reductions along an axis are not supported yet"),
            );
            return self.push(ExprKind::Error, node);
        }
        let recv = self.expr(&m.receiver);
        let args = m.args.iter().map(|a| self.expr(a)).collect();
        self.push(ExprKind::Method { method, recv, args }, node)
    }

    /// `np.logical_and/or/xor(x, y)`, `np.logical_not(x)`: the truth of each operand (`x != 0`, as
    /// `np.bool_` converts), combined with `&`, `|`, `^`, `!`; numbers or arrays alike.
    fn logical(&mut self, name: &str, m: &syn::ExprMethodCall, node: &syn::Expr) -> ExprId {
        let want = if name == "logical_not" { 1 } else { 2 };
        if m.args.len() != want || m.args.iter().any(|a| matches!(a, syn::Expr::Assign(_))) {
            self.error(Diag::spanned(node, format!("`np.{name}` takes {want} argument(s), found {}", m.args.len())));
            return self.push(ExprKind::Error, node);
        }
        let truth: Vec<ExprId> = m
            .args
            .iter()
            .map(|a| {
                let x = self.expr(a);
                self.push(ExprKind::Builtin { op: Builtin::Dtype(Scalar::Bool), args: vec![x], dtype: None }, a)
            })
            .collect();
        let kind = match name {
            "logical_and" => ExprKind::Binary(BinOp::BitAnd, truth[0], truth[1]),
            "logical_or" => ExprKind::Binary(BinOp::BitOr, truth[0], truth[1]),
            "logical_xor" => ExprKind::Binary(BinOp::BitXor, truth[0], truth[1]),
            _ => ExprKind::Unary(UnOp::Not, truth[0]),
        };
        self.push(kind, node)
    }

    pub(crate) fn np_call(&mut self, name: &str, m: &syn::ExprMethodCall, node: &syn::Expr) -> ExprId {
        match name {
            "array" => return self.array_literal(m, node),
            // NumPy's `asarray` of an array is that array.
            "asarray" if m.args.len() == 1 => return self.expr(&m.args[0]),
            "logical_and" | "logical_or" | "logical_xor" | "logical_not" => return self.logical(name, m, node),
            "copy" if m.args.len() == 1 && !matches!(m.args[0], syn::Expr::Assign(_)) => {
                let recv = self.expr(&m.args[0]);
                return self.push(ExprKind::Method { method: Method::Copy, recv, args: Vec::new() }, node);
            }
            // NumPy's `clip(a, lo, hi)` is `minimum(maximum(a, lo), hi)`: NaN propagates.
            "clip" if m.args.len() == 3 && !m.args.iter().any(|a| matches!(a, syn::Expr::Assign(_))) => {
                let xs: Vec<ExprId> = m.args.iter().map(|a| self.expr(a)).collect();
                let up = Builtin::Math2(crate::builtins::Math2::Maximum);
                let low = self.push(ExprKind::Builtin { op: up, args: vec![xs[0], xs[1]], dtype: None }, node);
                let op = Builtin::Math2(crate::builtins::Math2::Minimum);
                return self.push(ExprKind::Builtin { op, args: vec![low, xs[2]], dtype: None }, node);
            }
            "reshape" if m.args.len() == 2 && !m.args.iter().any(|a| matches!(a, syn::Expr::Assign(_))) => {
                let recv = self.expr(&m.args[0]);
                let shape = self.expr(&m.args[1]);
                return self.push(ExprKind::Method { method: Method::Reshape, recv, args: vec![shape] }, node);
            }
            _ => {}
        }
        let Some(op) = Builtin::lookup(name) else {
            return self.unknown_np(name, node);
        };
        let mut args = Vec::new();
        let mut dtype = None;
        for a in &m.args {
            match a {
                syn::Expr::Assign(kw) => {
                    let key = path_name(&kw.left).unwrap_or_default();
                    if key != "dtype" || !matches!(op, Builtin::Alloc(_) | Builtin::Like(_) | Builtin::Arange) {
                        self.error(Diag::spanned(&kw.left, format!("`np.{name}` has no keyword argument `{key}`")));
                        continue;
                    }
                    if let syn::Expr::Field(syn::ExprField { base, member: syn::Member::Named(n), .. }) = &*kw.right {
                        if n == "dtype" {
                            dtype = Some(Dtype::Of(self.expr(base)));
                            continue;
                        }
                    }
                    match dtype_of(&kw.right) {
                        Some(s) => dtype = Some(Dtype::Named(s)),
                        None => {
                            self.error(Diag::spanned(&kw.right, "expected a dtype such as `np.float64` or `np.uint64`"))
                        }
                    }
                }
                other => args.push(self.expr(other)),
            }
        }
        let (lo, hi) = op.arity();
        if matches!(op, Builtin::Const(_)) {
            self.error(
                Diag::spanned(node, format!("`np.{name}` is a constant, not a function"))
                    .help(format!("write `np.{name}`")),
            );
            return self.push(ExprKind::Error, node);
        }
        if args.len() < lo || args.len() > hi {
            let want = if lo == hi { lo.to_string() } else { format!("{lo} to {hi}") };
            self.error(Diag::spanned(node, format!("`np.{name}` takes {want} argument(s), found {}", args.len())));
            return self.push(ExprKind::Error, node);
        }
        self.push(ExprKind::Builtin { op, args, dtype }, node)
    }

    /// `np.random.<name>(…)`, with NumPy's defaults filled in and `size` (positional or keyword) last.
    pub(crate) fn random_call(&mut self, name: &str, m: &syn::ExprMethodCall, node: &syn::Expr) -> ExprId {
        if name == "rand" || name == "randn" {
            return self.random_dims_call(name, m, node);
        }
        if name == "shuffle" {
            if m.args.len() != 1 || matches!(m.args.first(), Some(syn::Expr::Assign(_))) {
                self.error(Diag::spanned(
                    node,
                    "`np.random.shuffle` takes one argument: the array to shuffle in place",
                ));
                return self.push(ExprKind::Error, node);
            }
            let recv = self.expr(&m.args[0]);
            return self.push(ExprKind::Method { method: Method::Shuffle, recv, args: Vec::new() }, node);
        }
        let Some(kind) = Random::lookup(name) else {
            self.error(
                Diag::spanned(
                    node,
                    format!("cannot find `np.random.{name}` among the generators njit functions support"),
                )
                .help("the supported ones are `seed`, `random`, `uniform`, `normal`, `randint`, `rand`, `randn`, `shuffle`, `permutation` and `choice`"),
            );
            return self.push(ExprKind::Error, node);
        };
        let mut args = Vec::new();
        let mut size = None;
        for a in &m.args {
            match a {
                syn::Expr::Assign(kw) if path_name(&kw.left).as_deref() == Some("size") && kind != Random::Seed => {
                    size = Some(self.expr(&kw.right))
                }
                syn::Expr::Assign(kw) if kind == Random::Choice => {
                    let key = path_name(&kw.left).unwrap_or_default();
                    let help = match key.as_str() {
                        "replace" => "draws without replacement: take the first `k` of a permutation, `np.random.permutation(a)[..k]`",
                        "p" => "weighted draws: search the cumulative weights, `np.searchsorted(np.cumsum(p), np.random.random() * np.sum(p), side = \"right\")`",
                        _ => "`np.random.choice(a, size)` takes the array (or a count) and an optional size",
                    };
                    self.error(
                        Diag::spanned(&kw.left, format!("`np.random.choice(…, {key} = …)` is not supported"))
                            .help(help),
                    );
                }
                syn::Expr::Assign(kw) => {
                    let key = path_name(&kw.left).unwrap_or_default();
                    self.error(
                        Diag::spanned(&kw.left, format!("`np.random.{name}` has no keyword argument `{key}`"))
                            .help("pass it by position"),
                    );
                }
                other => args.push(self.expr(other)),
            }
        }
        let (span, end) = crate::diag::span_range(node);
        let lit = |cx: &mut Self, v: f64| cx.push_at(ExprKind::Float(v, None), span, end);
        match kind {
            // NumPy's defaults: `uniform(low=0.0, high=1.0)`, `normal(loc=0.0, scale=1.0)`.
            Random::Uniform | Random::Normal => {
                if args.is_empty() {
                    args.push(lit(self, 0.0));
                }
                if args.len() == 1 {
                    args.push(lit(self, 1.0));
                }
            }
            Random::Randint if args.len() == 1 => {
                let zero = self.push_at(ExprKind::Int(0, None), span, end);
                args.insert(0, zero);
            }
            _ => {}
        }
        if kind == Random::Permutation && (args.len() != 1 || size.is_some()) {
            self.error(Diag::spanned(node, "`np.random.permutation` takes one argument: a count or an array"));
            return self.push(ExprKind::Error, node);
        }
        if args.len() > kind.params() && size.is_none() {
            size = args.pop();
        }
        if args.len() != kind.params() || (size.is_some() && kind == Random::Seed) {
            self.error(Diag::spanned(
                node,
                format!("`np.random.{name}` takes {} argument(s) here, found {}", kind.params(), m.args.len()),
            ));
            return self.push(ExprKind::Error, node);
        }
        args.extend(size);
        self.push(ExprKind::Builtin { op: Builtin::Random(kind), args, dtype: None }, node)
    }

    /// `np.random.rand(d0, d1, …)` and `np.random.randn(d0, …)`: NumPy's shorthands taking the
    /// dimensions as arguments (none: one number), meaning `random(size)` and
    /// `normal(0.0, 1.0, size)`.
    pub(crate) fn random_dims_call(&mut self, name: &str, m: &syn::ExprMethodCall, node: &syn::Expr) -> ExprId {
        let mut dims = Vec::new();
        for a in &m.args {
            if let syn::Expr::Assign(kw) = a {
                let key = path_name(&kw.left).unwrap_or_default();
                self.error(
                    Diag::spanned(&kw.left, format!("`np.random.{name}` has no keyword argument `{key}`"))
                        .help(format!("`np.random.{name}(d0, d1, …)` takes the dimensions by position")),
                );
                return self.push(ExprKind::Error, node);
            }
            dims.push(self.expr(a));
        }
        let (span, end) = crate::diag::span_range(node);
        let (kind, mut args) = if name == "rand" {
            (Random::Random, Vec::new())
        } else {
            let lo = self.push_at(ExprKind::Float(0.0, None), span, end);
            let hi = self.push_at(ExprKind::Float(1.0, None), span, end);
            (Random::Normal, vec![lo, hi])
        };
        match dims.len() {
            0 => {}
            1 => args.push(dims[0]),
            _ => args.push(self.push_at(ExprKind::Tuple(dims), span, end)),
        }
        self.push(ExprKind::Builtin { op: Builtin::Random(kind), args, dtype: None }, node)
    }

    pub(crate) fn if_expr(&mut self, i: &syn::ExprIf, node: &syn::Expr) -> ExprId {
        let cond = self.expr(&i.cond);
        let then = self.block(&i.then_branch);
        let els = i.else_branch.as_ref().map(|(_, e)| self.expr(e));
        self.push(ExprKind::If { cond, then, els }, node)
    }
}

/// Expressions that end a block as statements even without a `;` (a trailing `for`, `while`, …).
pub(crate) fn is_statement_expr(e: &syn::Expr) -> bool {
    match e {
        syn::Expr::ForLoop(_)
        | syn::Expr::While(_)
        | syn::Expr::Loop(_)
        | syn::Expr::Assign(_)
        | syn::Expr::Macro(_)
        | syn::Expr::Return(_)
        | syn::Expr::Break(_)
        | syn::Expr::Continue(_) => true,
        syn::Expr::Binary(b) => compound_op(&b.op).is_some(),
        syn::Expr::Call(c) => path_name(&c.func).as_deref() == Some("print"),
        _ => false,
    }
}

/// Whether `e` is `*x`: the right operand of `x ** y` as Rust parses it.
fn is_deref(e: &syn::Expr) -> bool {
    matches!(e, syn::Expr::Unary(u) if matches!(u.op, syn::UnOp::Deref(_)))
}

pub(crate) fn is_np(e: &syn::Expr) -> bool {
    path_name(e).as_deref() == Some("np")
}

pub(crate) fn path_name(e: &syn::Expr) -> Option<String> {
    match e {
        syn::Expr::Path(p) => p.path.get_ident().map(|i| i.to_string()),
        _ => None,
    }
}

pub(crate) fn path_to_string(p: &syn::Path) -> String {
    let mut s = String::new();
    if p.leading_colon.is_some() {
        s.push_str("::");
    }
    for (i, seg) in p.segments.iter().enumerate() {
        if i > 0 {
            s.push_str("::");
        }
        s.push_str(&seg.ident.to_string());
    }
    s
}

/// `np.float64` (or a bare Rust scalar name) in a `dtype = …` argument.
pub(crate) fn dtype_of(e: &syn::Expr) -> Option<Scalar> {
    match e {
        syn::Expr::Field(f) if is_np(&f.base) => match &f.member {
            syn::Member::Named(n) => Scalar::from_numpy_name(&n.to_string()),
            _ => None,
        },
        syn::Expr::Path(p) => Scalar::from_rust_name(&p.path.get_ident()?.to_string()),
        _ => None,
    }
}

pub(crate) fn binary_op(op: &syn::BinOp) -> Option<BinOp> {
    use syn::BinOp as B;
    Some(match op {
        B::Add(_) => BinOp::Add,
        B::Sub(_) => BinOp::Sub,
        B::Mul(_) => BinOp::Mul,
        B::Div(_) => BinOp::Div,
        B::Rem(_) => BinOp::Rem,
        B::And(_) => BinOp::And,
        B::Or(_) => BinOp::Or,
        B::BitXor(_) => BinOp::BitXor,
        B::BitAnd(_) => BinOp::BitAnd,
        B::BitOr(_) => BinOp::BitOr,
        B::Shl(_) => BinOp::Shl,
        B::Shr(_) => BinOp::Shr,
        B::Eq(_) => BinOp::Eq,
        B::Lt(_) => BinOp::Lt,
        B::Le(_) => BinOp::Le,
        B::Ne(_) => BinOp::Ne,
        B::Ge(_) => BinOp::Ge,
        B::Gt(_) => BinOp::Gt,
        _ => return None,
    })
}

pub(crate) fn compound_op(op: &syn::BinOp) -> Option<BinOp> {
    use syn::BinOp as B;
    Some(match op {
        B::AddAssign(_) => BinOp::Add,
        B::SubAssign(_) => BinOp::Sub,
        B::MulAssign(_) => BinOp::Mul,
        B::DivAssign(_) => BinOp::Div,
        B::RemAssign(_) => BinOp::Rem,
        B::BitXorAssign(_) => BinOp::BitXor,
        B::BitAndAssign(_) => BinOp::BitAnd,
        B::BitOrAssign(_) => BinOp::BitOr,
        B::ShlAssign(_) => BinOp::Shl,
        B::ShrAssign(_) => BinOp::Shr,
        _ => return None,
    })
}
