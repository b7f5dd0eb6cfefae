//! Python's spellings (DSL.md §9), lowered to the forms the rest of the pipeline knows: the
//! builtins `len abs min max round int float bool complex`, the `math` module, `x ** y`, and NumPy's
//! attributes written as fields (`a.shape[0]`, `a.size`, `a.ndim`, `a.T`).

use super::*;
use crate::builtins::{math_const, Alloc, Math1, Math2, MathFn};

impl Lower {
    /// A call of a Python builtin, or `None` when `name` is not one.
    pub(crate) fn python_builtin(
        &mut self,
        name: &str,
        args: &syn::punctuated::Punctuated<syn::Expr, syn::Token![,]>,
        node: &syn::Expr,
    ) -> Option<ExprId> {
        let want = match name {
            "len" | "abs" | "int" | "float" | "bool" => 1..=1,
            "round" | "complex" => 1..=2,
            "min" | "max" => 1..=usize::MAX,
            _ => return None,
        };
        if !want.contains(&args.len()) {
            let d = match name {
                "min" | "max" => format!("`{name}` takes at least one argument"),
                _ => format!("`{name}` takes 1 argument, found {}", args.len()),
            };
            self.error(Diag::spanned(node, d));
            return Some(self.push(ExprKind::Error, node));
        }
        if name == "round" && args.len() == 2 {
            self.error(
                Diag::spanned(node, "`round(x, ndigits)` is not supported in njit functions")
                    .help("scale, round and scale back: `np.round(x * 100.0) / 100.0`"),
            );
            return Some(self.push(ExprKind::Error, node));
        }
        let xs: Vec<ExprId> = args.iter().map(|a| self.expr(a)).collect();
        let builtin =
            |cx: &mut Self, op: Builtin, args: Vec<ExprId>| cx.push(ExprKind::Builtin { op, args, dtype: None }, node);
        Some(match name {
            "len" => self.push(ExprKind::Method { method: Method::Len, recv: xs[0], args: Vec::new() }, node),
            "abs" => builtin(self, Builtin::Abs, xs),
            "int" => self.push(ExprKind::Cast(xs[0], Scalar::I64), node),
            "float" => self.push(ExprKind::Cast(xs[0], Scalar::F64), node),
            "bool" => builtin(self, Builtin::Dtype(Scalar::Bool), xs),
            "complex" => builtin(self, Builtin::Dtype(Scalar::C128), xs),
            // Python's `round(x)` rounds halves to even and returns an integer.
            "round" => {
                let r = builtin(self, Builtin::Math1(Math1::Round), xs);
                self.push(ExprKind::Cast(r, Scalar::I64), node)
            }
            // One argument: the array's reduction. More: Python's pairwise rule, left to right.
            _ if xs.len() == 1 => {
                let r = if name == "min" { Reduce::Min } else { Reduce::Max };
                builtin(self, Builtin::Reduce(r), xs)
            }
            _ => {
                let op = Builtin::Math2(if name == "min" { Math2::PyMin } else { Math2::PyMax });
                let mut acc = xs[0];
                for x in &xs[1..] {
                    acc = builtin(self, op, vec![acc, *x]);
                }
                acc
            }
        })
    }

    /// `math.<name>(…)`.
    pub(crate) fn math_call(&mut self, name: &str, m: &syn::ExprMethodCall, node: &syn::Expr) -> ExprId {
        let Some(f) = MathFn::lookup(name) else {
            let help = match name {
                "factorial" | "comb" | "perm" | "gcd" | "lcm" | "isqrt" => "write it as a loop".to_string(),
                _ => format!("see DSL.md §9 for the `math` functions njit functions support; `np.{name}` may exist"),
            };
            self.error(Diag::spanned(node, format!("`math.{name}` is not supported in njit functions")).help(help));
            return self.push(ExprKind::Error, node);
        };
        if m.args.len() != f.arity() {
            let d =
                Diag::spanned(node, format!("`math.{name}` takes {} argument(s), found {}", f.arity(), m.args.len()));
            let d = if name == "log" { d.help("for another base, write `math.log(x) / math.log(base)`") } else { d };
            self.error(d);
            return self.push(ExprKind::Error, node);
        }
        let mut xs: Vec<ExprId> = m.args.iter().map(|a| self.expr(a)).collect();
        let builtin =
            |cx: &mut Self, op: Builtin, args: Vec<ExprId>| cx.push(ExprKind::Builtin { op, args, dtype: None }, node);
        match f {
            MathFn::Math1(m1) => builtin(self, Builtin::Math1(m1), xs),
            MathFn::Math2(m2) => builtin(self, Builtin::Math2(m2), xs),
            MathFn::Test(t) => builtin(self, Builtin::Test(t), xs),
            MathFn::Int(m1) => {
                let r = builtin(self, Builtin::Math1(m1), xs);
                self.push(ExprKind::Cast(r, Scalar::I64), node)
            }
            MathFn::Pow => {
                for x in &mut xs {
                    *x = self.push(ExprKind::Cast(*x, Scalar::F64), node);
                }
                builtin(self, Builtin::Math2(Math2::Power), xs)
            }
        }
    }

    /// `math.pi` and the other constants.
    pub(crate) fn math_field(&mut self, name: &str, node: &syn::Expr) -> ExprId {
        match math_const(name) {
            Some(v) => self.push(ExprKind::Builtin { op: Builtin::Const(v), args: vec![], dtype: None }, node),
            None if MathFn::lookup(name).is_some() => {
                self.error(
                    Diag::spanned(node, format!("`math.{name}` is a function"))
                        .help(format!("call it: `math.{name}(…)`")),
                );
                self.push(ExprKind::Error, node)
            }
            None => {
                self.error(Diag::spanned(node, format!("`math.{name}` is not supported in njit functions")));
                self.push(ExprKind::Error, node)
            }
        }
    }

    /// `x ** y`, which Rust parses as `x * (*y)`: a power, when the left operand is one Python
    /// would give the power to. Rust's precedence differs (`2 * b ** 2` is `(2 * b) * (*2)`), so any
    /// other left operand is an error showing the parenthesized form Python means.
    pub(crate) fn power(&mut self, b: &syn::ExprBinary, exponent: &syn::Expr, node: &syn::Expr) -> ExprId {
        let left = strip_groups(&b.left);
        let meant = |base: &str| format!("{base} ** {}", exponent.to_token_stream());
        let exp = exponent.to_token_stream().to_string();
        let wrong = match left {
            syn::Expr::Binary(inner) => {
                let op = inner.op.to_token_stream();
                let (l, r) = (inner.left.to_token_stream(), inner.right.to_token_stream());
                Some((format!("({l} {op} {r}) ** {exp}"), format!("{l} {op} ({})", meant(&r.to_string()))))
            }
            syn::Expr::Unary(u) if !matches!(u.op, syn::UnOp::Deref(_)) => {
                let (op, x) = (u.op.to_token_stream(), u.expr.to_token_stream());
                Some((format!("({op}{x}) ** {exp}"), format!("{op}({})", meant(&x.to_string()))))
            }
            _ => None,
        };
        if let Some((rust, python)) = wrong {
            self.error(
                Diag::spanned(node, format!("Rust reads this as `{rust}`, not as Python's `{python}`"))
                    .help(format!("write `{python}`, with the parentheses, or `{rust}` if that is meant")),
            );
            return self.push(ExprKind::Error, node);
        }
        let base = self.expr(&b.left);
        let exp = self.expr(exponent);
        self.push(ExprKind::Builtin { op: Builtin::Math2(Math2::Power), args: vec![base, exp], dtype: None }, node)
    }

    /// NumPy attributes written as fields: `a.shape`, `a.size`, `a.ndim`, `a.T`, `a.flat`, `z.real`,
    /// `z.imag`.
    pub(crate) fn attribute(&mut self, f: &syn::ExprField, node: &syn::Expr) -> Option<ExprId> {
        let syn::Member::Named(name) = &f.member else { return None };
        let method = match name.to_string().as_str() {
            "dtype" => {
                self.error(
                    Diag::spanned(node, "an array's `dtype` is not a value in njit functions")
                        .help("pass it as an argument, `np.zeros(n, dtype = a.dtype)`; convert numbers with `np.float32(x)` or `x as f32`"),
                );
                return Some(self.push(ExprKind::Error, node));
            }
            "shape" => Method::Shape,
            "size" => Method::Size,
            "ndim" => Method::Ndim,
            "T" => Method::T,
            "flat" => Method::Ravel,
            "real" => Method::Re,
            "imag" => Method::Im,
            _ => return None,
        };
        let recv = self.expr(&f.base);
        Some(self.push(ExprKind::Method { method, recv, args: Vec::new() }, node))
    }

    /// `a.shape[k]` (or `a.shape()[k]`) with a literal `k`: the tuple's field `k` (from the end when
    /// negative).
    pub(crate) fn shape_index(&mut self, ix: &syn::ExprIndex, node: &syn::Expr) -> Option<ExprId> {
        let is_shape = match strip_groups(&ix.expr) {
            syn::Expr::Field(f) => matches!(&f.member, syn::Member::Named(n) if n == "shape"),
            syn::Expr::MethodCall(m) => m.method == "shape" && m.args.is_empty(),
            _ => false,
        };
        if !is_shape {
            return None;
        }
        let (negative, lit) = match strip_groups(&ix.index) {
            syn::Expr::Unary(syn::ExprUnary { op: syn::UnOp::Neg(_), expr, .. }) => (true, strip_groups(expr)),
            e => (false, e),
        };
        let syn::Expr::Lit(syn::ExprLit { lit: syn::Lit::Int(k), .. }) = lit else {
            self.error(
                Diag::spanned(&ix.index, "a shape is a tuple: its index must be a literal")
                    .help("write `a.shape[0]`, `a.shape[1]`, …, one axis at a time"),
            );
            return Some(self.push(ExprKind::Error, node));
        };
        let Ok(k) = k.base10_parse::<i32>() else {
            self.error(Diag::spanned(&ix.index, "expected a small integer"));
            return Some(self.push(ExprKind::Error, node));
        };
        // `a.shape[-1]`: the last axis, as in NumPy.
        let k = if negative { -k } else { k };
        let base = self.expr(&ix.expr);
        Some(self.push(ExprKind::Field(base, k), node))
    }
}

/// `e` without the invisible groups and parentheses around it.
fn strip_groups(e: &syn::Expr) -> &syn::Expr {
    match e {
        syn::Expr::Group(g) => strip_groups(&g.expr),
        _ => e,
    }
}

/// Whether `e` is the name `math` (the module, when no local of that name exists).
pub(crate) fn is_math(e: &syn::Expr) -> bool {
    path_name(e).as_deref() == Some("math")
}

impl Lower {
    /// `np.array([…])` and `np.array([[…], […]])` of numbers: a block that makes the array and
    /// stores each item, `{ let t = np.empty(shape, dtype); t[0] = …; …; t }`. The dtype is the
    /// keyword's, else `int64` when every item is an integer literal, `bool` when every item is
    /// `true`/`false`, else `float64`, as NumPy infers it from Python numbers.
    pub(crate) fn array_literal(&mut self, m: &syn::ExprMethodCall, node: &syn::Expr) -> ExprId {
        let mut rows: Option<&syn::punctuated::Punctuated<syn::Expr, syn::Token![,]>> = None;
        let mut dtype = None;
        for a in &m.args {
            match a {
                syn::Expr::Assign(kw) if path_name(&kw.left).as_deref() == Some("dtype") => match dtype_of(&kw.right) {
                    Some(s) => dtype = Some(s),
                    None => self.error(Diag::spanned(&kw.right, "expected a dtype such as `np.float64` or `np.int64`")),
                },
                syn::Expr::Array(arr) if rows.is_none() => rows = Some(&arr.elems),
                other => {
                    self.error(
                        Diag::spanned(other, "`np.array` takes a list literal, `[…]` or `[[…], […]]`, and `dtype =`")
                            .help("to copy an array, write `a.copy()`; to use it as it is, `np.asarray(a)`"),
                    );
                    return self.push(ExprKind::Error, node);
                }
            }
        }
        let Some(rows) = rows else {
            self.error(Diag::spanned(node, "`np.array` needs a list literal: `np.array([1.0, 2.0])`"));
            return self.push(ExprKind::Error, node);
        };
        // Items by position: one index for a flat list, two for a list of lists.
        let nested = rows.iter().all(|r| matches!(r, syn::Expr::Array(_))) && !rows.is_empty();
        let mut items: Vec<(Vec<usize>, &syn::Expr)> = Vec::new();
        let mut shape = vec![rows.len()];
        if nested {
            let mut width = None;
            for (i, r) in rows.iter().enumerate() {
                let syn::Expr::Array(inner) = r else { unreachable!("checked") };
                if *width.get_or_insert(inner.elems.len()) != inner.elems.len() {
                    self.error(Diag::spanned(r, "the rows of `np.array([[…], […]])` must have one length"));
                    return self.push(ExprKind::Error, node);
                }
                items.extend(inner.elems.iter().enumerate().map(|(j, x)| (vec![i, j], x)));
            }
            shape.push(width.unwrap_or(0));
        } else {
            items.extend(rows.iter().enumerate().map(|(i, x)| (vec![i], x)));
        }
        let literal_kind = |x: &syn::Expr| match strip_groups(x) {
            syn::Expr::Lit(syn::ExprLit { lit: syn::Lit::Int(_), .. }) => Some(Scalar::I64),
            syn::Expr::Unary(u) if matches!(u.op, syn::UnOp::Neg(_)) => match strip_groups(&u.expr) {
                syn::Expr::Lit(syn::ExprLit { lit: syn::Lit::Int(_), .. }) => Some(Scalar::I64),
                _ => None,
            },
            syn::Expr::Lit(syn::ExprLit { lit: syn::Lit::Bool(_), .. }) => Some(Scalar::Bool),
            _ => None,
        };
        let dtype = dtype.or_else(|| {
            let kinds: Vec<Option<Scalar>> = items.iter().map(|(_, x)| literal_kind(x)).collect();
            match kinds.first() {
                Some(Some(k)) if kinds.iter().all(|x| *x == Some(*k)) => Some(*k),
                _ => None,
            }
        });
        let (span, end) = crate::diag::span_range(node);
        let dims: Vec<ExprId> =
            shape.iter().map(|d| self.push_at(ExprKind::Int(*d as u128, Some(Scalar::Usize)), span, end)).collect();
        let shape_arg = if dims.len() == 1 { dims[0] } else { self.push_at(ExprKind::Tuple(dims), span, end) };
        let alloc = self.push(
            ExprKind::Builtin {
                op: Builtin::Alloc(Alloc::Empty),
                args: vec![shape_arg],
                dtype: dtype.map(Dtype::Named),
            },
            node,
        );
        let t = LocalId(self.locals.len() as u32);
        self.locals.push(Local { name: "array_literal".into(), declared: None, span });
        let mut stmts = vec![Stmt::Let { pat: Pat::Bind(t), init: alloc }];
        for (at, x) in items {
            let value = self.expr(x);
            let base = self.push(ExprKind::Local(t), x);
            let index =
                at.iter().map(|k| IndexArg::At(self.push(ExprKind::Int(*k as u128, Some(Scalar::Usize)), x))).collect();
            let place = self.push(ExprKind::Index(base, index), x);
            stmts.push(Stmt::Assign { place: Place::Index(place), value });
        }
        let tail = self.push(ExprKind::Local(t), node);
        self.push(ExprKind::Block(Block { stmts, tail: Some(tail), is_unsafe: false }), node)
    }
}
