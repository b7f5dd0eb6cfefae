//! The instruction-level state every emitting function shares (`Emitter`: builder position,
//! debug location, error sites, fast-math flags), and counted loops over it.

use super::*;

pub(crate) struct Emitter<'a, 'm> {
    pub cg: &'a mut Codegen<'m>,
    pub llfn: FunctionValue<'static>,
    pub env: PointerValue<'static>,
    pub kernel: &'static FnDesc,
    pub base_line: u32,
    pub boundscheck: bool,
    /// The function's debug info and the location instructions are built at (see `locate`).
    pub sp: Option<inkwell::debug_info::DISubprogram<'static>>,
    pub loc: Option<inkwell::debug_info::DILocation<'static>>,
    pub at: Option<Span>,
}

extern "C" {
    /// The C++ shim (src/fastmath.cpp): LLVM 14's C API cannot set fast-math flags.
    fn rjit_set_fast_math(value: llvm_sys::prelude::LLVMValueRef, flags: u32);
}

/// The fast-math flags of `#[njit(fastmath = "…")]`, as the shim's bit mask.
pub(crate) fn fastmath_mask(flags: &str) -> u32 {
    flags
        .split(',')
        .map(|f| match f.trim() {
            "reassoc" => 1,
            "nnan" => 2,
            "ninf" => 4,
            "nsz" => 8,
            "arcp" => 16,
            "contract" => 32,
            "afn" => 64,
            _ => 0,
        })
        .fold(0, |a, b| a | b)
}

impl<'a, 'm> Emitter<'a, 'm> {
    pub fn b(&self) -> &Builder<'static> {
        &self.cg.builder
    }

    /// Builds what follows at `span`'s line and column (for LLVM's remarks).
    pub fn locate(&mut self, span: Span) {
        use inkwell::debug_info::AsDIScope;
        let Some(sp) = self.sp else { return };
        let p = span.start();
        let line = p.line as u32 + self.base_line.saturating_sub(1);
        let loc =
            self.cg.dib.create_debug_location(self.cg.ctx, line, p.column as u32 + 1, sp.as_debug_info_scope(), None);
        self.cg.builder.set_current_debug_location(loc);
        self.loc = Some(loc);
        self.at = Some(span);
    }

    /// Builds at the location last set (after emitting into another function).
    pub fn relocate(&self) {
        match self.loc {
            Some(l) => self.cg.builder.set_current_debug_location(l),
            None => self.cg.builder.unset_current_debug_location(),
        }
    }

    /// Puts the function's fast-math flags (if any) on a floating-point instruction.
    pub fn fast<V: inkwell::values::AsValueRef>(&self, v: V) -> V {
        let mask = fastmath_mask(self.kernel.options.fastmath);
        if mask != 0 {
            // SAFETY: a value of this module; the shim ignores anything not a floating-point instruction.
            unsafe { rjit_set_fast_math(v.as_value_ref(), mask) };
        }
        v
    }

    pub fn block(&self, name: &str) -> BasicBlock<'static> {
        self.cg.ctx.append_basic_block(self.llfn, name)
    }

    /// A stack slot in the entry block, so LLVM promotes it to a register.
    pub fn alloca(&self, ty: BasicTypeEnum<'static>, name: &str) -> PointerValue<'static> {
        let entry = self.llfn.get_first_basic_block().expect("entry block");
        let b = self.cg.ctx.create_builder();
        match entry.get_first_instruction() {
            Some(i) => b.position_before(&i),
            None => b.position_at_end(entry),
        }
        b.build_alloca(ty, name).unwrap()
    }

    /// The site string of a span in this function.
    pub fn site(&mut self, span: Span, msg: &str) -> PointerValue<'static> {
        let p = span.start();
        let line = p.line as u32 + self.base_line.saturating_sub(1);
        self.cg.site(self.kernel, line, p.column as u32, msg)
    }

    /// Returns the function's dummy value (the caller reads `env.status` and stops).
    pub fn ret_dummy(&self) {
        match self.llfn.get_type().get_return_type() {
            Some(t) => self.b().build_return(Some(&self.cg.zero(t))).unwrap(),
            None => self.b().build_return(None).unwrap(),
        };
    }

    /// Continues in a fresh block after a terminator (code there is unreachable and LLVM drops it).
    pub fn dead_block(&self) {
        let bb = self.block("dead");
        self.b().position_at_end(bb);
    }

    /// Branches to a failure (`rjit_fail` then return) when `bad` holds.
    pub fn fail_if(
        &mut self,
        bad: IntValue<'static>,
        site: PointerValue<'static>,
        kind: u32,
        vals: [IntValue<'static>; 3],
    ) {
        let fail_bb = self.block("fail");
        let ok_bb = self.block("ok");
        self.b().build_conditional_branch(bad, fail_bb, ok_bb).unwrap();
        self.b().position_at_end(fail_bb);
        let f = self.cg.helper("rjit_fail");
        let k = self.cg.ctx.i32_type().const_int(u64::from(kind), false);
        self.b()
            .build_call(
                f,
                &[self.env.into(), site.into(), k.into(), vals[0].into(), vals[1].into(), vals[2].into()],
                "",
            )
            .unwrap();
        self.ret_dummy();
        self.b().position_at_end(ok_bb);
    }

    pub fn i64c(&self, v: i64) -> IntValue<'static> {
        self.cg.i64().const_int(v as u64, true)
    }

    /// Returns the dummy value when a callee or helper has set `env.status`.
    pub fn check_status(&mut self) {
        let status = self.cg.load_status(self.env);
        let zero = self.cg.ctx.i32_type().const_zero();
        let bad = self.b().build_int_compare(IntPredicate::NE, status, zero, "failed").unwrap();
        let fail_bb = self.block("propagate");
        let ok_bb = self.block("ok");
        self.b().build_conditional_branch(bad, fail_bb, ok_bb).unwrap();
        self.b().position_at_end(fail_bb);
        self.ret_dummy();
        self.b().position_at_end(ok_bb);
    }
}

/// Anything that owns an emitter: the emitter itself, or a function body's context. Loop builders
/// are generic over it so their bodies get the whole context back.
pub(crate) trait Emit<'a, 'm: 'a> {
    fn em(&mut self) -> &mut Emitter<'a, 'm>;
}

impl<'a, 'm> Emit<'a, 'm> for Emitter<'a, 'm> {
    fn em(&mut self) -> &mut Emitter<'a, 'm> {
        self
    }
}

impl<'a, 'm> Emit<'a, 'm> for FnCx<'a, 'm> {
    fn em(&mut self) -> &mut Emitter<'a, 'm> {
        &mut self.e
    }
}

/// `for i in 0..n { body(i) }` with an `i64` counter.
pub(crate) fn counted_loop<'a, 'm: 'a, C: Emit<'a, 'm>>(
    cx: &mut C,
    n: IntValue<'static>,
    body: &mut dyn FnMut(&mut C, IntValue<'static>),
) {
    let e = cx.em();
    let counter = e.alloca(e.cg.i64().into(), "i");
    e.b().build_store(counter, e.i64c(0)).unwrap();
    let head = e.block("loop.head");
    let body_bb = e.block("loop.body");
    let exit = e.block("loop.exit");
    e.b().build_unconditional_branch(head).unwrap();
    e.b().position_at_end(head);
    let i = e.b().build_load(counter, "i").unwrap().into_int_value();
    let more = e.b().build_int_compare(IntPredicate::SLT, i, n, "more").unwrap();
    e.b().build_conditional_branch(more, body_bb, exit).unwrap();
    e.b().position_at_end(body_bb);
    body(cx, i);
    let e = cx.em();
    let next = e.b().build_int_add(i, e.i64c(1), "next").unwrap();
    e.b().build_store(counter, next).unwrap();
    e.b().build_unconditional_branch(head).unwrap();
    e.b().position_at_end(exit);
}

impl Emitter<'_, '_> {
    /// How many values `start + k * step` lie from `start` towards `stop` (excluded), the operands
    /// widened to 64 bits: ceil(|stop - start| / |step|) when the range goes the step's way, else
    /// 0. Unsigned arithmetic throughout: the distance and the count may exceed `i64::MAX`. The
    /// step is not zero.
    pub(crate) fn range_count(
        &self,
        start: IntValue<'static>,
        stop: IntValue<'static>,
        step: IntValue<'static>,
        signed: bool,
    ) -> IntValue<'static> {
        let bl = self.b();
        let zero = self.i64c(0);
        let up = if signed {
            bl.build_int_compare(IntPredicate::SGT, step, zero, "up").unwrap()
        } else {
            self.cg.ctx.bool_type().const_all_ones()
        };
        let dist = bl
            .build_select(
                up,
                bl.build_int_sub(stop, start, "span").unwrap(),
                bl.build_int_sub(start, stop, "span").unwrap(),
                "dist",
            )
            .unwrap()
            .into_int_value();
        let mag = bl.build_select(up, step, bl.build_int_neg(step, "neg").unwrap(), "mag").unwrap().into_int_value();
        let (lt, gt) =
            if signed { (IntPredicate::SLT, IntPredicate::SGT) } else { (IntPredicate::ULT, IntPredicate::UGT) };
        let goes = bl
            .build_select(
                up,
                bl.build_int_compare(lt, start, stop, "lt").unwrap(),
                bl.build_int_compare(gt, start, stop, "gt").unwrap(),
                "goes",
            )
            .unwrap()
            .into_int_value();
        let whole = bl.build_int_unsigned_div(dist, mag, "whole").unwrap();
        let rest = bl.build_int_unsigned_rem(dist, mag, "rest").unwrap();
        let part = bl.build_int_compare(IntPredicate::NE, rest, zero, "part").unwrap();
        let n = bl.build_int_add(whole, bl.build_int_z_extend(part, self.cg.i64(), "part").unwrap(), "count").unwrap();
        bl.build_select(goes, n, zero, "count").unwrap().into_int_value()
    }
}
