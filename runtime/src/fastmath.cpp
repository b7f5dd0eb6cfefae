// Sets fast-math flags on an LLVM instruction: LLVM 14's C API has no call for it (LLVM 18 added
// LLVMSetFastMathFlags), so rjit carries this one function of C++.
#include <llvm-c/Core.h>
#include <llvm/IR/Instruction.h>
#include <llvm/IR/Operator.h>
#include <llvm/IR/Value.h>

extern "C" void rjit_set_fast_math(LLVMValueRef value, unsigned flags) {
  auto *inst = llvm::dyn_cast<llvm::Instruction>(llvm::unwrap(value));
  if (!inst || !llvm::isa<llvm::FPMathOperator>(inst)) return;
  llvm::FastMathFlags fmf;
  if (flags & 1) fmf.setAllowReassoc();
  if (flags & 2) fmf.setNoNaNs();
  if (flags & 4) fmf.setNoInfs();
  if (flags & 8) fmf.setNoSignedZeros();
  if (flags & 16) fmf.setAllowReciprocal();
  if (flags & 32) fmf.setAllowContract(true);
  if (flags & 64) fmf.setApproxFunc();
  inst->setFastMathFlags(fmf);
}
