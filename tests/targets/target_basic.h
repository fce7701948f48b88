/* pmm_target_basic.exe: builds a known address space and describes it as one line of JSON.
 *
 * Each part of the address space lives in its own file with a make/report pair: tb_*_make builds
 * it (returns 0, or -1 after printing why to stderr), tb_*_report writes exactly what was made.
 * Nothing is freed except what must be: on "quit" the waiting threads are stopped and the
 * temporary file is unmapped and deleted (it would otherwise pile up in %TEMP%); everything else
 * goes with the process, which exits right after.
 */
#ifndef PMM_TARGET_BASIC_H
#define PMM_TARGET_BASIC_H

#include <windows.h>

#include <stddef.h>
#include <stdint.h>

#include "target_json.h"

/* Prints "what: error N (message)" to stderr with GetLastError(); returns -1 for "return tb_fail(...)". */
int tb_fail(const char *what);
const char *tb_protect_name(DWORD protect);
void tb_report_protect(tj_writer *w, const char *key, DWORD protect);
/* The calling thread's TIB and the process's PEB, read from the TEB (see tb_common.c). */
NT_TIB *tb_current_tib(void);
void *tb_current_peb(void);

/* One range we made, with the protection we gave it and the byte it is filled with. */
typedef struct tb_range {
    uintptr_t base;
    size_t size;
    DWORD protect;
    int fill;                  /* -1: contents not set */
} tb_range;

/* tb_private.c: private memory from VirtualAlloc. */
#define TB_PIECE_COUNT 7
typedef struct tb_private {
    tb_range reserved_only;             /* protect is the allocation protection */
    tb_range reservation;               /* 1 MiB; protect is the allocation protection */
    tb_range pieces[TB_PIECE_COUNT];    /* committed inside reservation, one per protection */
    tb_range odd_size;                  /* MEM_COMMIT|MEM_RESERVE of a non-64 KiB size */
    size_t granularity;
} tb_private;

int tb_private_make(tb_private *p);
void tb_private_report(const tb_private *p, tj_writer *w);

/* tb_bulk.c: many separate allocations for the scan benchmark (see tb_bulk.c for the layout). */
#define TB_BULK_RUN_LENGTH 64      /* consecutive allocations of the same kind */
#define TB_BULK_KIND_COUNT 6
#define TB_BULK_MAX_RANGES 64
typedef struct tb_bulk_range {
    uintptr_t base;            /* allocations are side by side from here */
    unsigned long count;
} tb_bulk_range;

typedef struct tb_bulk {
    unsigned long requested;
    unsigned long count;
    size_t size_each;          /* one allocation granule */
    uintptr_t low;             /* lowest allocation base */
    uintptr_t high;            /* end (exclusive) of the highest allocation */
    tb_bulk_range ranges[TB_BULK_MAX_RANGES];
    unsigned range_count;
    int ranges_truncated;
    DWORD last_error;          /* why fewer than requested were made, 0 if all were */
} tb_bulk;

void tb_bulk_make(tb_bulk *b, unsigned long requested);
void tb_bulk_report(const tb_bulk *b, tj_writer *w);

/* tb_mapping.c: a view of a real file and a view of a pagefile-backed section. */
typedef struct tb_mapping {
    HANDLE file;
    HANDLE file_section;
    tb_range file_view;        /* size is the page-rounded view size */
    size_t file_size;
    wchar_t file_path[MAX_PATH * 2];
    HANDLE shared_section;
    tb_range shared_view;
    wchar_t shared_name[64];
} tb_mapping;

int tb_mapping_make(tb_mapping *m, size_t page_size);
void tb_mapping_report(const tb_mapping *m, tj_writer *w);
void tb_mapping_remove_file(tb_mapping *m);

/* tb_threads.c: threads with known stack reservations that wait until tb_threads_stop. */
#define TB_THREAD_COUNT 2
typedef struct tb_thread {
    HANDLE handle;
    DWORD tid;
    size_t stack_reserve;      /* 0 for the main thread: the image header decides */
    /* The thread's own view, read on the thread itself. */
    uintptr_t teb;
    uintptr_t stack_base;
    uintptr_t stack_limit;
    uintptr_t local_address;
    HANDLE ready;
    HANDLE stop;               /* shared, owned by tb_threads */
} tb_thread;

typedef struct tb_threads {
    HANDLE stop;
    tb_thread main;
    tb_thread extra[TB_THREAD_COUNT];
} tb_threads;

int tb_threads_make(tb_threads *t);
void tb_threads_report(const tb_threads *t, tj_writer *w);
void tb_threads_stop(tb_threads *t);

/* tb_heap.c: a private heap with blocks of known sizes. */
#define TB_HEAP_BLOCK_COUNT 4
typedef struct tb_heap {
    HANDLE heap;
    tb_range blocks[TB_HEAP_BLOCK_COUNT];    /* protect unused */
} tb_heap;

int tb_heap_make(tb_heap *h);
void tb_heap_report(const tb_heap *h, tj_writer *w);

/* tb_dll.c: pmm_testdll.dll, loaded at run time, and the thread it parks in f1 -> f2 -> f3. */
typedef struct tb_dll {
    HMODULE module;
    wchar_t path[MAX_PATH * 2];
    uintptr_t export_address[8];     /* by ordinal; 0 where there is none */
    DWORD parked_tid;
} tb_dll;

int tb_dll_make(tb_dll *d);
void tb_dll_report(const tb_dll *d, tj_writer *w);

#endif
