//! Handing the root function's result to Rust as `abi::Ret` lays it out: a returned array
//! given over whole when the kernel owns it, copied otherwise; `bool` as a byte.

use super::*;

/// The root function's result as `abi::Ret` lays it out: arrays handed over to Rust (or copied into
/// a fresh allocation when the kernel does not own them whole), `bool` as a byte.
pub(crate) fn to_abi(
    cg: &mut Codegen<'_>,
    f: FunctionValue<'static>,
    env: PointerValue<'static>,
    site: PointerValue<'static>,
    v: BasicValueEnum<'static>,
    t: &Ty,
) -> BasicValueEnum<'static> {
    let kernel = cg.fns_root();
    let mut e = Emitter { cg, llfn: f, env, kernel, base_line: 1, boundscheck: true, sp: None, loc: None, at: None };
    e.abi_value(site, v, t)
}

impl<'a, 'm> Emitter<'a, 'm> {
    pub(crate) fn abi_value(
        &mut self,
        site: PointerValue<'static>,
        v: BasicValueEnum<'static>,
        t: &Ty,
    ) -> BasicValueEnum<'static> {
        match t {
            Ty::Scalar(Scalar::Bool) => {
                self.b().build_int_z_extend(v.into_int_value(), self.cg.ctx.i8_type(), "byte").unwrap().into()
            }
            Ty::Array(at) => self.hand_over(site, v.into_struct_value(), at).into(),
            Ty::Tuple(items) => {
                let st = self.cg.abi_ty(t).into_struct_type();
                let mut agg = st.get_undef();
                for (i, it) in items.iter().enumerate() {
                    let part = self.b().build_extract_value(v.into_struct_value(), i as u32, "part").unwrap();
                    let part = self.abi_value(site, part, it);
                    agg = self.b().build_insert_value(agg, part, i as u32, "tuple").unwrap().into_struct_value();
                }
                agg.into()
            }
            _ => v,
        }
    }

    /// The returned array as `abi::ArrayDesc`, owned by Rust: the kernel's own allocation when it is
    /// the whole of it, C-contiguous, with no other reference; else a fresh copy (and the kernel's
    /// reference is dropped).
    pub(crate) fn hand_over(
        &mut self,
        site: PointerValue<'static>,
        a: StructValue<'static>,
        at: &ArrayTy,
    ) -> StructValue<'static> {
        let shape = self.shape(a, at);
        let take = self.cg.helper("rjit_take");
        let abi_t = self.cg.abi_array_ty(at);
        let slot = self.alloca(abi_t.into(), "ret.array");
        let copy_bb = self.block("ret.copy");
        let done_bb = self.block("ret.done");
        let try_bb = self.block("ret.try");
        let n = self.size(a, at);
        let bytes = self.b().build_int_mul(n, self.i64c(at.elem.size() as i64), "bytes").unwrap();
        let contiguous = self.is_c_contiguous(a, at);
        self.b().build_conditional_branch(contiguous, try_bb, copy_bb).unwrap();
        self.b().position_at_end(try_bb);
        let raw = self.b().build_pointer_cast(self.data(a), self.cg.i8_ptr(), "raw").unwrap();
        let m = self.meminfo(a);
        let got = self.b().build_call(take, &[self.env.into(), m.into(), raw.into(), bytes.into()], "taken").unwrap();
        let got = got.try_as_basic_value().basic().expect("ptr").into_pointer_value();
        let owned = self.b().build_is_not_null(got, "owned").unwrap();
        let own_bb = self.block("ret.own");
        self.b().build_conditional_branch(owned, own_bb, copy_bb).unwrap();
        self.b().position_at_end(own_bb);
        // Strides in C order (they may be arbitrary on axes of length 1).
        let strides = c_strides(self, &shape);
        let desc = self.abi_desc(self.data(a), &shape, &strides, at);
        self.b().build_store(slot, desc).unwrap();
        self.b().build_unconditional_branch(done_bb).unwrap();
        self.b().position_at_end(copy_bb);
        let dst = self.alloc(at.elem, &shape, false, site);
        let c_at = ArrayTy { layout: Layout::C, ..*at };
        for_each(self, &[(a, *at), (dst, c_at)], &mut |e, p| {
            let v = e.b().build_load(p[0], "v").unwrap();
            let store = e.b().build_store(p[1], v).unwrap();
            crate::codegen::alias::tag_fresh_copy(e.cg, v.as_instruction_value(), store);
        });
        self.refcount(a.into(), &Ty::Array(*at), -1);
        let raw = self.b().build_pointer_cast(self.data(dst), self.cg.i8_ptr(), "raw").unwrap();
        let dm = self.meminfo(dst);
        self.b().build_call(take, &[self.env.into(), dm.into(), raw.into(), bytes.into()], "taken").unwrap();
        let strides = c_strides(self, &shape);
        let desc = self.abi_desc(self.data(dst), &shape, &strides, at);
        self.b().build_store(slot, desc).unwrap();
        self.b().build_unconditional_branch(done_bb).unwrap();
        self.b().position_at_end(done_bb);
        self.b().build_load(slot, "ret.array").unwrap().into_struct_value()
    }

    pub(crate) fn abi_desc(
        &self,
        data: PointerValue<'static>,
        shape: &[IntValue<'static>],
        strides: &[IntValue<'static>],
        at: &ArrayTy,
    ) -> StructValue<'static> {
        let b = self.b();
        let mut desc =
            b.build_insert_value(self.cg.abi_array_ty(at).get_undef(), data, 0, "desc").unwrap().into_struct_value();
        for (field, vals) in [(1u32, shape), (2u32, strides)] {
            let mut arr = b.build_extract_value(desc, field, "dims").unwrap().into_array_value();
            for (k, v) in vals.iter().enumerate() {
                arr = b.build_insert_value(arr, *v, k as u32, "dims").unwrap().into_array_value();
            }
            desc = b.build_insert_value(desc, arr, field, "desc").unwrap().into_struct_value();
        }
        desc
    }

    /// Whether the array is C-contiguous: known from the layout, or checked from its strides.
    pub(crate) fn is_c_contiguous(&mut self, a: StructValue<'static>, at: &ArrayTy) -> IntValue<'static> {
        let t = self.cg.ctx.bool_type();
        if at.layout == Layout::C {
            return t.const_int(1, false);
        }
        let shape = self.shape(a, at);
        let mut ok = t.const_int(1, false);
        let mut expect = self.i64c(1);
        for k in (0..shape.len()).rev() {
            let stride = self.dim(a, 2, k as u32);
            let same = self.b().build_int_compare(IntPredicate::EQ, stride, expect, "same").unwrap();
            let unit = self.b().build_int_compare(IntPredicate::ULE, shape[k], self.i64c(1), "unit").unwrap();
            let fine = self.b().build_or(same, unit, "fine").unwrap();
            ok = self.b().build_and(ok, fine, "contiguous").unwrap();
            expect = self.b().build_int_mul(expect, shape[k], "expect").unwrap();
        }
        ok
    }
}
