/* The call stacks of a map's threads as the lines the call stacks window shows: one line per
 * thread (id, bitness, frame count, how the walk ended, start address), then its frames innermost
 * first (number, address, module!export+offset, how the frame was found), then for a 32-bit
 * thread its SEH chain (record, handler), from what the scan's stacks and SEH analyzers found (the
 * same as `pmm stacks` prints). Plain C; the lines own their
 * text, so the window keeps them after the map is gone. */
#ifndef PMM_GUI_STACKS_MODEL_H
#define PMM_GUI_STACKS_MODEL_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include "core/model/map.h"

typedef struct stack_line {
    int is_thread;           /* 1: a thread, 0: a frame (or SEH line) of the thread above */
    int is_seh;              /* an SEH chain line: "SEH ..." */
    uint64_t address;        /* frame: its address; thread: the innermost frame's (0 when none) */
    char *text;              /* owned */
} stack_line;

typedef struct stacks_model {
    stack_line *lines;
    size_t count, cap;
    size_t threads, frames;
} stacks_model;

void stacks_model_init(stacks_model *m);
void stacks_model_free(stacks_model *m);
pmm_status stacks_model_build(stacks_model *m, const pmm_map *map);
/* Thread lines flush left, frames indented two spaces, one per line. Returns 0 on success. */
int stacks_model_write(const stacks_model *m, FILE *f);

#endif
