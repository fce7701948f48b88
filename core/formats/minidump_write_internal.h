/* State shared by the minidump writer's files; not part of the public interface. */
#ifndef PMM_MINIDUMP_WRITE_INTERNAL_H
#define PMM_MINIDUMP_WRITE_INTERNAL_H

#include "minidump.h"
#include "minidump_write.h"
#include "../util/endian.h"

#define MDW_MAX_STREAMS 12u
#define MDW_HEADER_SIZE 32u
#define MDW_DIRECTORY_ENTRY_SIZE 12u

/* Bytes of a thread stack saved in ThreadList, repeated in MemoryList (readers look there). */
typedef struct mdw_saved_stack {
    uint64_t address;
    uint32_t size, rva;
} mdw_saved_stack;

typedef struct md_writer {
    pmm_source *src;
    const pmm_map *map;
    const pmm_md_write_options *options;
    const pmm_md_write_extras *extras;   /* never NULL (an empty one when the caller gave none) */
    pmm_sink *sink;
    pmm_md_write_result *result;
    uint32_t cpu;                    /* PMM_MD_CPU_AMD64 or PMM_MD_CPU_X86 */
    uint32_t directory[MDW_MAX_STREAMS][3];   /* type, size, rva */
    size_t stream_count;
    mdw_saved_stack *stacks;
    size_t stack_count;
    pmm_dump_copier copier;
} md_writer;

/* The current end of the output as an RVA; PMM_ERR_LIMIT past 4 GiB (RVAs are 32-bit). */
pmm_status mdw_rva(md_writer *w, uint32_t *rva);
/* Records a directory entry for a stream that starts at rva and ends at the current end. */
pmm_status mdw_end_stream(md_writer *w, uint32_t type, uint32_t rva);
/* Writes a list stream's count and count zeroed entries of entry_size bytes, to be filled in
 * later, and records the stream; *rva is where the list starts. */
pmm_status mdw_reserve_list(md_writer *w, uint32_t type, uint32_t count, uint32_t entry_size, uint32_t *rva);
/* Writes a MINIDUMP_STRING (u32 byte length, UTF-16LE, NUL) of utf8 and returns its RVA. */
pmm_status mdw_write_string(md_writer *w, const char *utf8, uint32_t *rva);

pmm_status mdw_write_system_info(md_writer *w);
pmm_status mdw_write_misc_info(md_writer *w);
pmm_status mdw_write_threads(md_writer *w);
pmm_status mdw_write_thread_infos(md_writer *w);
pmm_status mdw_write_handles(md_writer *w);
pmm_status mdw_write_modules(md_writer *w);
pmm_status mdw_write_unloaded_modules(md_writer *w);
pmm_status mdw_write_memory_info(md_writer *w);
pmm_status mdw_write_memory(md_writer *w);

/* CONTEXT records: PMM_MD_CONTEXT_AMD64_SIZE / PMM_MD_CONTEXT_X86_SIZE bytes of out. */
void mdw_encode_context_x64(const pmm_context *ctx, uint8_t *out);
void mdw_encode_context_x86(const pmm_context *ctx, uint8_t *out);

#endif
