/* The instruction sequences that inline hooks are written as, recognised in x86 and x64 code:
 * jmp/call rel32, jmp rel8, jmp/call [rip+x] (x64) or [abs32] (x86), mov reg, imm; jmp reg,
 * mov reg, imm; push reg; ret, push imm32; ret, and x64's push lo32; mov [rsp+4], hi32; ret.
 * Each instruction is decoded by core/formats/x86_decode.h. */
#ifndef PMM_HOOK_SHAPES_H
#define PMM_HOOK_SHAPES_H

#include <stddef.h>
#include <stdint.h>

typedef enum pmm_hook_shape_kind {
    PMM_HOOK_NONE = 0,
    PMM_HOOK_JMP_REL32,
    PMM_HOOK_JMP_REL8,
    PMM_HOOK_CALL_REL32,
    PMM_HOOK_JMP_MEM,        /* jmp [pointer] */
    PMM_HOOK_CALL_MEM,       /* call [pointer] */
    PMM_HOOK_MOV_JMP,        /* mov reg, imm; jmp reg */
    PMM_HOOK_MOV_PUSH_RET,   /* mov reg, imm; push reg; ret */
    PMM_HOOK_PUSH_RET,       /* push imm32; ret (x64: sign-extended), or x64 push lo; mov [rsp+4], hi; ret */
    PMM_HOOK_SHAPE_COUNT
} pmm_hook_shape_kind;

typedef struct pmm_hook_shape {
    uint32_t kind;           /* pmm_hook_shape_kind */
    uint32_t length;         /* bytes of the sequence, including an inline pointer after jmp [rip+0] */
    uint64_t target;         /* where it goes; for the _MEM kinds the address of the pointer */
    int indirect;            /* target is a pointer's address: the destination is read from there */
} pmm_hook_shape;

/* Matches the sequence starting at code[0], which lies at address in a process of the given
 * pointer size (4 or 8). avail is how many bytes of code are there. 1 and *out on a match. */
int pmm_hook_shape_match(const uint8_t *code, size_t avail, uint64_t address, uint32_t pointer_size,
                         pmm_hook_shape *out);
/* "jmp rel32", "mov reg, imm; jmp reg", ... */
const char *pmm_hook_shape_name(uint32_t kind);

#endif
