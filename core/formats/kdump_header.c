/* The header page of a kernel dump: DUMP_HEADER64 (0x2000 bytes, "PAGE" "DU64") and DUMP_HEADER32
 * (0x1000 bytes, "PAGE" "DUMP"), decoded field by field at their documented offsets, with the
 * context record and the exception record they carry. */
#include <string.h>
#include "kdump_internal.h"
#include "minidump_context.h"
#include "../source/source.h"

/* Field offsets of the two headers (DUMP_HEADER64 / DUMP_HEADER32 as WinDbg's SDK and the crash
 * dump readers of Volatility and rekall lay them out). */
typedef struct header_layout {
    uint32_t size;
    uint32_t pointer_size;      /* 8: the pointer fields are 64-bit */
    uint32_t directory_table_base, pfn_database, ps_loaded_module_list, ps_active_process_head;
    uint32_t machine, processors, bugcheck_code, bugcheck_parameters;
    uint32_t kd_debugger_data_block;
    uint32_t context, context_size, exception;
    uint32_t dump_type, required_dump_space, system_time, system_uptime, comment;
    uint32_t product_type, suite_mask, kd_secondary_version;
} header_layout;

static const header_layout layout64 = {
    .size = KDUMP_HEADER64_SIZE, .pointer_size = 8,
    .directory_table_base = 0x10, .pfn_database = 0x18, .ps_loaded_module_list = 0x20,
    .ps_active_process_head = 0x28, .machine = 0x30, .processors = 0x34, .bugcheck_code = 0x38,
    .bugcheck_parameters = 0x40, .kd_debugger_data_block = 0x80,
    .context = 0x348, .context_size = 3000, .exception = 0xF00,
    .dump_type = 0xF98, .required_dump_space = 0xFA0, .system_time = 0xFA8, .system_uptime = 0x1030,
    .comment = 0xFB0, .product_type = 0x1040, .suite_mask = 0x1044, .kd_secondary_version = 0x104D,
};

static const header_layout layout32 = {
    .size = KDUMP_HEADER32_SIZE, .pointer_size = 4,
    .directory_table_base = 0x10, .pfn_database = 0x14, .ps_loaded_module_list = 0x18,
    .ps_active_process_head = 0x1C, .machine = 0x20, .processors = 0x24, .bugcheck_code = 0x28,
    .bugcheck_parameters = 0x2C, .kd_debugger_data_block = 0x60,
    .context = 0x320, .context_size = 1200, .exception = 0x7D0,
    .dump_type = 0xF88, .required_dump_space = 0xFA0, .system_time = 0xFC0, .system_uptime = 0xFB8,
    .comment = 0x820, .product_type = 0xF94, .suite_mask = 0xF98, .kd_secondary_version = 0x5D,
};

#define HEADER32_PAE_ENABLED 0x5C
#define SIGNATURE_PAGE 0x45474150u   /* "PAGE" */
#define VALID_DUMP64 0x34365544u     /* "DU64" */
#define VALID_DUMP32 0x504D5544u     /* "DUMP" */

/* Offsets inside the x64 CONTEXT beyond what the minidump decoder reads. */
enum { X64_MXCSR = 0x34, X64_DR0 = 0x48, X64_FPU_CONTROL = 0x100, X64_FPU_STATUS = 0x102, X64_XMM0 = 0x1A0 };
/* And inside the x86 CONTEXT: debug registers, FLOATING_SAVE_AREA, FXSAVE ExtendedRegisters. */
enum { X86_DR0 = 0x04, X86_FPU_CONTROL = 0x1C, X86_FPU_STATUS = 0x20, X86_EXTENDED = 0xCC };
enum { FXSAVE_MXCSR = 0x18, FXSAVE_XMM0 = 0xA0 };

static uint64_t pointer_at(const uint8_t *page, uint32_t offset, uint32_t pointer_size)
{
    return kd_pointer_at(page + offset, pointer_size);
}

static void decode_context(const uint8_t *d, uint32_t size, uint32_t arch, pmm_kdump_context *out)
{
    pmm_md_context md;
    memset(out, 0, sizeof *out);
    if (pmm_md_parse_context_as(d, size, arch, &md) != PMM_OK)
        return;
    out->arch = arch;
    out->context_flags = md.regs.flags;
    out->eflags = md.eflags;
    out->cs = md.cs, out->ds = md.ds, out->es = md.es, out->fs = md.fs, out->gs = md.gs, out->ss = md.ss;
    memcpy(out->gpr, md.regs.gpr, sizeof out->gpr);
    out->ip = md.regs.ip;
    if (arch == PMM_ARCH_X64) {
        out->mxcsr = kd_le32(d + X64_MXCSR);
        for (int i = 0; i < 6; i++)
            out->dr[i] = kd_le64(d + X64_DR0 + 8 * i);
        out->fpu_control = kd_le16(d + X64_FPU_CONTROL);
        out->fpu_status = kd_le16(d + X64_FPU_STATUS);
        for (int i = 0; i < 16; i++)
            memcpy(out->xmm[i], d + X64_XMM0 + 16 * i, 16);
    } else {
        for (int i = 0; i < 6; i++)
            out->dr[i] = kd_le32(d + X86_DR0 + 4 * i);
        out->fpu_control = kd_le16(d + X86_FPU_CONTROL);
        out->fpu_status = kd_le16(d + X86_FPU_STATUS);
        out->mxcsr = kd_le32(d + X86_EXTENDED + FXSAVE_MXCSR);
        for (int i = 0; i < 8; i++)
            memcpy(out->xmm[i], d + X86_EXTENDED + FXSAVE_XMM0 + 16 * i, 16);
    }
}

/* EXCEPTION_RECORD64 (pointers and parameters 64-bit, 0x98 bytes) or EXCEPTION_RECORD32 (0x50). */
static void decode_exception(const uint8_t *d, uint32_t pointer_size, pmm_kdump_exception *out)
{
    memset(out, 0, sizeof *out);
    out->code = kd_le32(d);
    out->flags = kd_le32(d + 4);
    out->record = pointer_at(d, 8, pointer_size);
    out->address = pointer_at(d, 8 + pointer_size, pointer_size);
    uint32_t count_at = 8 + 2 * pointer_size;
    out->parameter_count = kd_le32(d + count_at);
    uint32_t params_at = pointer_size == 8 ? 0x20 : 0x14;
    for (uint32_t i = 0; i < PMM_KDUMP_EXCEPTION_PARAMETERS; i++)
        out->parameters[i] = pointer_at(d, params_at + i * pointer_size, pointer_size);
}

static void decode_comment(const uint8_t *d, char *out)
{
    size_t n = 0;
    for (; n < 128 && d[n]; n++)
        out[n] = d[n] >= 0x20 && d[n] < 0x7F ? (char)d[n] : '?';
    out[n] = '\0';
}

static int known_type(uint32_t type)
{
    return pmm_kdump_type_name(type) != NULL || type == PMM_KDUMP_TRIAGE;
}

/* A 32-bit signature on a header whose fields sit where the 64-bit layout puts them (or the
 * reverse) is named as such rather than as a bad dump type. */
static pmm_status check_signature_matches_layout(const uint8_t *page, size_t size, uint32_t bits, char *message,
                                                 size_t cap)
{
    uint32_t type = kd_le32(page + (bits == 64 ? layout64.dump_type : layout32.dump_type));
    if (known_type(type))
        return PMM_OK;
    if (bits == 32 && size >= KDUMP_HEADER64_SIZE && known_type(kd_le32(page + layout64.dump_type)))
        return kd_fail(message, cap, PMM_ERR_FORMAT,
                       "the header has the 32-bit signature (PAGEDUMP) but its fields are laid out as in a "
                       "64-bit header (dump type %u at 0xF98, none at 0xF88): not a consistent kernel dump",
                       kd_le32(page + layout64.dump_type));
    if (bits == 64 && known_type(kd_le32(page + layout32.dump_type)))
        return kd_fail(message, cap, PMM_ERR_FORMAT,
                       "the header has the 64-bit signature (PAGEDU64) but its fields are laid out as in a "
                       "32-bit header (dump type %u at 0xF88, none at 0xF98): not a consistent kernel dump",
                       kd_le32(page + layout32.dump_type));
    return kd_fail(message, cap, PMM_ERR_FORMAT, "unknown dump type 0x%x in the header (at 0x%x)", type,
                   bits == 64 ? layout64.dump_type : layout32.dump_type);
}

static pmm_status check_machine(const pmm_kdump_header *h, char *message, size_t cap)
{
    if (h->bits == 32 && h->machine != PMM_KDUMP_MACHINE_I386)
        return kd_fail(message, cap, PMM_ERR_FORMAT,
                       "the 32-bit header names machine 0x%x; only x86 (0x14c) writes 32-bit kernel dumps",
                       h->machine);
    if (h->bits == 64 && h->machine != PMM_KDUMP_MACHINE_AMD64 && h->machine != PMM_KDUMP_MACHINE_ARM64)
        return kd_fail(message, cap, PMM_ERR_FORMAT,
                       "the 64-bit header names machine 0x%x, neither x64 (0x8664) nor ARM64 (0xaa64)",
                       h->machine);
    return PMM_OK;
}

pmm_status kd_decode_header(pmm_kdump *dump, const uint8_t *page, size_t size, char *message, size_t cap)
{
    pmm_kdump_header *h = &dump->header;
    memset(h, 0, sizeof *h);
    if (size < 8 || kd_le32(page) != SIGNATURE_PAGE ||
        (kd_le32(page + 4) != VALID_DUMP64 && kd_le32(page + 4) != VALID_DUMP32))
        return kd_fail(message, cap, PMM_ERR_FORMAT, "not a kernel dump (no PAGEDU64 or PAGEDUMP signature)");
    h->bits = kd_le32(page + 4) == VALID_DUMP64 ? 64 : 32;
    const header_layout *l = h->bits == 64 ? &layout64 : &layout32;
    if (size < l->size)
        return kd_fail(message, cap, PMM_ERR_FORMAT,
                       "the file ends inside the %u-byte header of a %u-bit kernel dump (it has %zu bytes): "
                       "truncated", l->size, h->bits, size);
    pmm_status st = check_signature_matches_layout(page, size, h->bits, message, cap);
    if (st != PMM_OK)
        return st;
    h->dump_type = kd_le32(page + l->dump_type);
    h->major_version = kd_le32(page + 8);
    h->minor_version = kd_le32(page + 12);
    h->directory_table_base = pointer_at(page, l->directory_table_base, l->pointer_size);
    h->pfn_database = pointer_at(page, l->pfn_database, l->pointer_size);
    h->ps_loaded_module_list = pointer_at(page, l->ps_loaded_module_list, l->pointer_size);
    h->ps_active_process_head = pointer_at(page, l->ps_active_process_head, l->pointer_size);
    h->machine = kd_le32(page + l->machine);
    h->processors = kd_le32(page + l->processors);
    h->bugcheck_code = kd_le32(page + l->bugcheck_code);
    for (int i = 0; i < 4; i++)
        h->bugcheck_parameters[i] = pointer_at(page, l->bugcheck_parameters + (uint32_t)i * l->pointer_size,
                                               l->pointer_size);
    h->kd_debugger_data_block = pointer_at(page, l->kd_debugger_data_block, l->pointer_size);
    h->pae_enabled = h->bits == 32 ? page[HEADER32_PAE_ENABLED] != 0 : 0;
    h->product_type = kd_le32(page + l->product_type);
    h->suite_mask = kd_le32(page + l->suite_mask);
    h->kd_secondary_version = page[l->kd_secondary_version];
    h->system_time = kd_le64(page + l->system_time);
    h->system_uptime = kd_le64(page + l->system_uptime);
    h->required_dump_space = kd_le64(page + l->required_dump_space);
    decode_comment(page + l->comment, h->comment);
    st = check_machine(h, message, cap);
    if (st != PMM_OK)
        return st;
    /* An ARM64 context has a layout of its own; its registers are not decoded here. */
    if (h->machine != PMM_KDUMP_MACHINE_ARM64)
        decode_context(page + l->context, l->context_size, h->bits == 64 ? PMM_ARCH_X64 : PMM_ARCH_X86, &h->context);
    decode_exception(page + l->exception, l->pointer_size, &h->exception);
    if (h->exception.parameter_count > PMM_KDUMP_EXCEPTION_PARAMETERS)
        kd_warn(dump, "the exception record claims %u parameters; an EXCEPTION_RECORD holds 15",
                h->exception.parameter_count);
    return PMM_OK;
}
