//! Methods on arrays and numbers (`a.sum()`, `x.sqrt()`, `a.fill(v)`, `x.min(y)`…).

use super::*;

impl<'a> Cx<'a> {
    pub(crate) fn method(&mut self, id: ExprId, m: Method, recv: ExprId, args: &[ExprId]) -> Ty {
        let rt = self.expr(recv);
        let tys: Vec<Ty> = args.iter().map(|a| self.expr(*a)).collect();
        if rt.is_open() || tys.iter().any(Ty::is_open) {
            return Ty::Deferred;
        }
        let usize_t = Ty::Scalar(Scalar::Usize);
        let needs_array = |cx: &mut Self, name: &str| {
            cx.err_at(recv, format!("`.{name}()` needs an array, found `{rt}`"), None);
            Ty::Unknown
        };
        match m {
            Method::Len | Method::Ndim | Method::Size | Method::Shape => {
                let Ty::Array(a) = &rt else {
                    let name = format!("{m:?}").to_lowercase();
                    return needs_array(self, &name);
                };
                if m == Method::Shape {
                    Ty::Tuple(vec![usize_t; usize::from(a.ndim)])
                } else {
                    usize_t
                }
            }
            Method::Reduce(r) => self.reduce(id, r, &rt),
            Method::Ravel | Method::Flatten => match &rt {
                Ty::Array(a) => {
                    let ravel = m == Method::Ravel;
                    let layout = if ravel && a.ndim == 1 { a.layout } else { Layout::C };
                    Ty::Array(ArrayTy { ndim: 1, layout, mutable: !ravel, elem: a.elem })
                }
                _ => needs_array(self, if m == Method::Ravel { "ravel" } else { "flatten" }),
            },
            Method::Copy => match &rt {
                Ty::Array(a) => Ty::Array(ArrayTy { layout: Layout::C, mutable: true, ..*a }),
                _ => needs_array(self, "copy"),
            },
            Method::Fill => match &rt {
                Ty::Array(a) => {
                    if !a.mutable {
                        self.err_at(
                            recv,
                            format!("cannot fill {}: it is a read-only array", self.describe(recv)),
                            Some("take it as writable, e.g. `ArrayViewMut1<T>`".into()),
                        );
                    }
                    self.coerce(args[0], &Ty::Scalar(a.elem), "the array element");
                    Ty::Unit
                }
                _ => needs_array(self, "fill"),
            },
            Method::Sort => match &rt {
                Ty::Array(a) if a.elem.is_complex() => {
                    self.err_at(id, "complex numbers have no order: `sort` does not apply", None);
                    Ty::Unknown
                }
                Ty::Array(a) => {
                    if !a.mutable {
                        self.err_at(
                            recv,
                            format!("cannot sort {} in place: it is a read-only array", self.describe(recv)),
                            Some("take it as writable, e.g. `ArrayViewMut1<T>`, or sort a copy: `np.sort(a)`".into()),
                        );
                    }
                    Ty::Unit
                }
                _ => needs_array(self, "sort"),
            },
            Method::Shuffle => match &rt {
                Ty::Array(a) => {
                    if !a.mutable {
                        self.err_at(
                            recv,
                            format!("cannot shuffle {}: it is a read-only array", self.describe(recv)),
                            Some("take it as writable, e.g. `ArrayViewMut1<T>`, or shuffle a copy: `np.random.permutation(a)`".into()),
                        );
                    }
                    Ty::Unit
                }
                _ => {
                    self.err_at(recv, format!("`np.random.shuffle` needs an array, found `{rt}`"), None);
                    Ty::Unknown
                }
            },
            Method::Argmin | Method::Argmax => match &rt {
                Ty::Array(a) if a.elem.is_complex() => {
                    self.err_at(id, "complex numbers have no order: `argmin` and `argmax` do not apply", None);
                    Ty::Unknown
                }
                Ty::Array(_) => usize_t,
                _ => needs_array(self, "argmax"),
            },
            Method::Dot => self.dot(id, &rt, &tys[0]),
            Method::Re | Method::Im => match &rt {
                Ty::Scalar(s) if s.is_complex() => Ty::Scalar(s.real_part()),
                Ty::Scalar(s) if s.is_float() => rt.clone(),
                t => {
                    self.err_at(recv, format!("`.re` and `.im` are parts of complex numbers, found `{t}`"), None);
                    Ty::Unknown
                }
            },
            Method::Conj => match &rt {
                Ty::Scalar(s) if s.is_complex() || s.is_float() => rt.clone(),
                t => {
                    self.err_at(recv, format!("`.conj()` takes a complex number, found `{t}`"), None);
                    Ty::Unknown
                }
            },
            Method::Reshape => match (&rt, &tys[0]) {
                (Ty::Array(a), t) if int_ty(t) => {
                    self.settle(args[0], &Ty::Scalar(Scalar::I64));
                    reshaped(a, 1, self.layouts_known)
                }
                (Ty::Array(a), Ty::Tuple(items)) if (1..=4).contains(&items.len()) && items.iter().all(int_ty) => {
                    if let ExprKind::Tuple(parts) = &self.f.expr(args[0]).kind {
                        for p in parts.clone() {
                            self.settle(p, &Ty::Scalar(Scalar::I64));
                        }
                    }
                    reshaped(a, items.len() as u8, self.layouts_known)
                }
                (Ty::Array(_), t) => {
                    self.err_at(
                        args[0],
                        format!("a shape is an integer or a tuple of 1 to 4 integers, found `{t}`"),
                        None,
                    );
                    Ty::Unknown
                }
                _ => needs_array(self, "reshape"),
            },
            Method::T => match &rt {
                Ty::Array(a) => {
                    let layout = match a.layout {
                        Layout::C if a.ndim > 1 => Layout::F,
                        Layout::F => Layout::C,
                        l => l,
                    };
                    Ty::Array(ArrayTy { layout, ..*a })
                }
                _ => needs_array(self, "t"),
            },
            Method::Math1(m1) => {
                if let Ty::Scalar(s) = &rt {
                    if s.is_int() {
                        let name = format!("{m1:?}").to_lowercase();
                        self.err_at(
                            id,
                            format!("no method `{name}` on integers"),
                            Some(format!("convert first: `(x as f64).{name}()`, or use `np.{name}(x)`")),
                        );
                        return Ty::Unknown;
                    }
                }
                self.math1(id, m1, recv, &rt)
            }
            Method::Abs => self.abs(recv, &rt),
            Method::MinWith | Method::MaxWith => {
                let ok = |t: &Ty| numeric(t) && !t.scalar().is_some_and(Scalar::is_complex);
                if !ok(&rt) || !ok(&tys[0]) {
                    self.err_at(
                        id,
                        format!("`min`/`max` compare two real numbers, found `{rt}` and `{}`", tys[0]),
                        None,
                    );
                    return Ty::Unknown;
                }
                let Some(j) = join(&rt, &tys[0]) else { return Ty::Unknown };
                if self.report {
                    self.settle(recv, &j.defaulted());
                    self.settle(args[0], &j.defaulted());
                }
                j
            }
            Method::Powi => {
                let Some(s) = self.float_arg(recv, &rt, "powi") else { return Ty::Unknown };
                if !int_ty(&tys[0]) {
                    self.err_at(
                        args[0],
                        format!("`powi` takes an integer exponent, found `{}`", tys[0]),
                        Some("use `powf` for a real exponent".into()),
                    );
                }
                self.settle(args[0], &Ty::Scalar(Scalar::I32));
                Ty::Scalar(s)
            }
            Method::Powf => {
                let Some(s) = self.float_arg(recv, &rt, "powf") else { return Ty::Unknown };
                self.coerce(args[0], &Ty::Scalar(s), "the exponent");
                Ty::Scalar(s)
            }
        }
    }
}

/// The type of `a.reshape(…)` with `ndim` axes: a view (writable as `a`) of a C-contiguous array,
/// else a read-only copy. Before the layouts are known, writable as `a`: the first call checks
/// writes again with the argument's layout.
fn reshaped(a: &ArrayTy, ndim: u8, layouts_known: bool) -> Ty {
    let mutable = a.mutable && (a.layout == Layout::C || (!layouts_known && a.layout == Layout::Any));
    Ty::Array(ArrayTy { ndim, layout: Layout::C, mutable, elem: a.elem })
}
