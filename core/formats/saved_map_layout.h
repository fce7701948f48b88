/* Byte layout of the saved-map file (README, "Saved maps", has the same as a table) and the
 * little-endian writer and bounds-checked reader the encoder and decoder share. Nothing here
 * copies a C struct to or from the file: every field is encoded explicitly. */
#ifndef PMM_SAVED_MAP_LAYOUT_H
#define PMM_SAVED_MAP_LAYOUT_H

#include <stddef.h>
#include <stdint.h>
#include "../util/endian.h"
#include "../util/status.h"

/* File: header, sections back to back, then the 8-byte checksum of everything before it. */
enum {
    SM_HEADER_SIZE = 32,          /* magic[8] version u32 section_count u32 file_size u64 flags u32 reserved u32 */
    SM_SECTION_HEADER_SIZE = 16,  /* id u32, count u32, length u64 */
    SM_TRAILER_SIZE = 8,          /* checksum u64 */
    SM_MAX_SECTIONS = 64
};

enum sm_section_id {
    SM_SECTION_TARGET = 1,
    SM_SECTION_STRINGS = 2,
    SM_SECTION_REGIONS = 3,
    SM_SECTION_ANNOTATIONS = 4,
    SM_SECTION_MODULES = 5,
    SM_SECTION_THREADS = 6,
    SM_SECTION_HEAPS = 7,
    SM_SECTION_WARNINGS = 8,
    SM_SECTION_PAGES = 9,
    SM_SECTION_FRAMES = 10,
    SM_SECTION_THREAD_EXTRAS = 11,   /* per thread, in threads order: start name and SEH chain range */
    SM_SECTION_SEH = 12,             /* SEH records of all threads */
    SM_SECTION_THREAD_WALK64 = 13,   /* per thread, in threads order: the WOW64 64-bit call stack's range */
    SM_SECTION_WORKING_SET = 14,     /* note str u32, reserved u32, then per region (or none): resident pages */
    SM_SECTION_INTEGRITY = 15,       /* one record: the integrity scan's summary (present when one ran) */
    SM_SECTION_IMAGE_CHECKS = 16,    /* how far each image was compared with its file */
    SM_SECTION_FINDINGS = 17,
    SM_SECTION_UNCHECKED = 18,
    SM_SECTION_LAST = SM_SECTION_UNCHECKED
};

/* Record sizes of the fixed-size sections (the strings section is NUL-terminated text). */
enum {
    SM_TARGET_SIZE = 80,
    SM_REGION_SIZE = 48,
    SM_ANNOTATION_SIZE = 32,
    SM_MODULE_SIZE = 40,
    SM_CONTEXT_SIZE = 144,
    SM_THREAD_SIZE = 96 + 2 * SM_CONTEXT_SIZE,
    SM_HEAP_SIZE = 16,
    SM_WARNING_SIZE = 4,
    SM_PAGE_SIZE_RECORD = 24,
    SM_FRAME_SIZE = 24,
    SM_THREAD_EXTRA_SIZE = 16,       /* start_symbol str u32, seh_first u32, seh_count u32, seh_end u32 */
    SM_SEH_SIZE = 24,                /* record u64, handler u64, symbol str u32, reserved u32 */
    SM_THREAD_WALK64_SIZE = 16,      /* frame64_first u32, frame64_count u32, walk64_end u32, reserved u32 */
    SM_WORKING_SET_HEAD_SIZE = 8,    /* note str u32 (why there are no records), reserved u32 */
    SM_WORKING_SET_SIZE = 16,        /* private, shareable, shared, locked pages: u32 each */
    SM_INTEGRITY_SIZE = 32,          /* flags u32, module_filter str u32, bytes_compared u64, microseconds u64, reserved u64 */
    SM_IMAGE_CHECK_SIZE = 24,        /* module u32, status u32, file str u32, reserved u32, bytes_compared u64 */
    SM_FINDING_SIZE = 56,            /* address, size, destination u64; kind, module u32; symbol, destination_text,
                                        file_bytes, memory_bytes, detail str u32; reserved u32 */
    SM_UNCHECKED_SIZE = 32           /* address, size u64; module u32, what str u32, reason str u32, reserved u32 */
};

/* A growing output buffer; a failed allocation is sticky and reported at the end. */
typedef struct sm_writer {
    uint8_t *data;
    size_t used, cap;
    int failed;
} sm_writer;

void sm_put_bytes(sm_writer *w, const void *bytes, size_t len);
void sm_put_u8(sm_writer *w, uint8_t v);
void sm_put_u16(sm_writer *w, uint16_t v);
void sm_put_u32(sm_writer *w, uint32_t v);
void sm_put_u64(sm_writer *w, uint64_t v);
/* Makes room for len more bytes at once (the encoder knows each section's size up front). */
void sm_reserve(sm_writer *w, size_t len);
/* Overwrites 8 bytes at offset (the header's file size, known only at the end). */
void sm_patch_u64(sm_writer *w, size_t offset, uint64_t v);

const char *sm_section_name(uint32_t id);

#endif
