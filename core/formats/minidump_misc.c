/* SystemInfo, MiscInfo, Exception and HandleData streams. */
#include "minidump_misc.h"

#include <stdlib.h>
#include <string.h>
#include "minidump_internal.h"
#include "../util/utf.h"

#define SYSTEM_INFO_SIZE 56u
#define MISC_INFO_MIN_SIZE 24u
#define MISC_INFO_2_SIZE 44u
#define MISC_INFO_3_FIELDS_END 56u       /* through ProtectedProcess */
#define MISC_BUILD_STRING_OFFSET 232u    /* MINIDUMP_MISC_INFO_4.BuildString, WCHAR[260] */
#define MISC_DBG_STRING_OFFSET 752u      /* DbgBldStr, WCHAR[40] */
#define MISC_INFO_4_SIZE 832u
#define EXCEPTION_STREAM_SIZE 168u
#define HANDLE_HEADER_MIN 16u
#define HANDLE_DESCRIPTOR_MIN 32u
/* Far above what a process holds in practice; keeps a hostile count from costing gigabytes. */
#define MAX_HANDLES (256u * 1024)

static void copy_vendor(const uint8_t *src, char out[13])
{
    for (int i = 0; i < 12; i++) {
        if (src[i] < 0x20 || src[i] > 0x7E) {  /* not an x86 vendor string (other CPUs) */
            out[0] = '\0';
            return;
        }
        out[i] = (char)src[i];
    }
    out[12] = '\0';
}

pmm_status pmm_md_read_system_info(pmm_minidump *md, pmm_md_system_info *out, char *message, size_t cap)
{
    memset(out, 0, sizeof *out);
    uint8_t *d;
    size_t size;
    pmm_status st = md_load_stream(md, PMM_MD_STREAM_SYSTEM_INFO, SYSTEM_INFO_SIZE, &d, &size, message, cap);
    if (st != PMM_OK)
        return st;
    out->processor_architecture = pmm_le16(d);
    out->processor_level = pmm_le16(d + 2);
    out->processor_revision = pmm_le16(d + 4);
    out->processor_count = d[6];
    out->product_type = d[7];
    out->major_version = pmm_le32(d + 8);
    out->minor_version = pmm_le32(d + 12);
    out->build_number = pmm_le32(d + 16);
    out->platform_id = pmm_le32(d + 20);
    uint32_t csd_rva = pmm_le32(d + 24);
    out->suite_mask = pmm_le16(d + 28);
    copy_vendor(d + 32, out->cpu_vendor);
    out->cpu_version = pmm_le32(d + 44);
    out->cpu_features = pmm_le32(d + 48);
    free(d);
    /* A missing service-pack string is cosmetic: leave it empty rather than reject the stream. */
    if (csd_rva != 0 && pmm_md_read_string(md, csd_rva, out->csd_version, sizeof out->csd_version) != PMM_OK)
        out->csd_version[0] = '\0';
    return PMM_OK;
}

const char *pmm_md_cpu_name(uint32_t processor_architecture)
{
    switch (processor_architecture) {
    case PMM_MD_CPU_X86: return "x86";
    case PMM_MD_CPU_ARM: return "ARM";
    case PMM_MD_CPU_IA64: return "IA64";
    case PMM_MD_CPU_AMD64: return "x64";
    case PMM_MD_CPU_ARM64: return "ARM64";
    }
    return "unknown";
}

const char *pmm_md_platform_name(uint32_t platform_id)
{
    switch (platform_id) {
    case PMM_MD_PLATFORM_WIN32S: return "Win32s";
    case PMM_MD_PLATFORM_WIN32_WINDOWS: return "Windows 9x";
    case PMM_MD_PLATFORM_WIN32_NT: return "Windows NT";
    case PMM_MD_PLATFORM_MAC: return "macOS";
    case PMM_MD_PLATFORM_IOS: return "iOS";
    case PMM_MD_PLATFORM_LINUX: return "Linux";
    case PMM_MD_PLATFORM_SOLARIS: return "Solaris";
    case PMM_MD_PLATFORM_ANDROID: return "Android";
    case PMM_MD_PLATFORM_PS3: return "PS3";
    case PMM_MD_PLATFORM_NACL: return "Native Client";
    case PMM_MD_PLATFORM_FUCHSIA: return "Fuchsia";
    }
    return NULL;
}

int pmm_md_platform_is_windows(uint32_t platform_id)
{
    return platform_id <= PMM_MD_PLATFORM_WIN32_NT;
}

static void read_wide_field(const uint8_t *d, size_t size, size_t offset, size_t chars, char *out, size_t cap)
{
    out[0] = '\0';
    if (offset + chars * 2 <= size)
        pmm_utf16le_to_utf8(d + offset, chars, out, cap);
}

pmm_status pmm_md_read_misc_info(pmm_minidump *md, pmm_md_misc_info *out, char *message, size_t cap)
{
    memset(out, 0, sizeof *out);
    uint8_t *d;
    size_t size;
    pmm_status st = md_load_stream(md, PMM_MD_STREAM_MISC_INFO, MISC_INFO_MIN_SIZE, &d, &size, message, cap);
    if (st != PMM_OK)
        return st;
    out->size_of_info = pmm_le32(d);
    /* The structure grew over Windows versions; only the fields the stream really holds are read. */
    if (out->size_of_info < size)
        size = out->size_of_info < MISC_INFO_MIN_SIZE ? MISC_INFO_MIN_SIZE : out->size_of_info;
    out->flags1 = pmm_le32(d + 4);
    out->process_id = pmm_le32(d + 8);
    out->process_create_time = pmm_le32(d + 12);
    out->process_user_time = pmm_le32(d + 16);
    out->process_kernel_time = pmm_le32(d + 20);
    if (size >= MISC_INFO_2_SIZE) {
        out->processor_max_mhz = pmm_le32(d + 24);
        out->processor_current_mhz = pmm_le32(d + 28);
        out->processor_mhz_limit = pmm_le32(d + 32);
    }
    if (size >= MISC_INFO_3_FIELDS_END) {
        out->process_integrity_level = pmm_le32(d + 44);
        out->process_execute_flags = pmm_le32(d + 48);
        out->protected_process = pmm_le32(d + 52);
    }
    if (size >= MISC_INFO_4_SIZE) {
        read_wide_field(d, size, MISC_BUILD_STRING_OFFSET, 260, out->build_string, sizeof out->build_string);
        read_wide_field(d, size, MISC_DBG_STRING_OFFSET, 40, out->debug_build_string, sizeof out->debug_build_string);
    }
    free(d);
    return PMM_OK;
}

pmm_status pmm_md_read_exception(pmm_minidump *md, uint32_t processor_arch, pmm_md_exception *out, char *message,
                                 size_t cap)
{
    memset(out, 0, sizeof *out);
    uint8_t *d;
    size_t size;
    pmm_status st = md_load_stream(md, PMM_MD_STREAM_EXCEPTION, EXCEPTION_STREAM_SIZE, &d, &size, message, cap);
    if (st != PMM_OK)
        return st;
    out->thread_id = pmm_le32(d);
    out->code = pmm_le32(d + 8);
    out->flags = pmm_le32(d + 12);
    out->record = pmm_le64(d + 16);
    out->address = pmm_le64(d + 24);
    out->parameter_count = pmm_le32(d + 32);
    uint32_t shown = out->parameter_count < PMM_MD_EXCEPTION_MAX_PARAMETERS ? out->parameter_count
                                                                             : PMM_MD_EXCEPTION_MAX_PARAMETERS;
    for (uint32_t i = 0; i < shown; i++)
        out->parameters[i] = pmm_le64(d + 40 + 8 * i);
    out->context_size = pmm_le32(d + 160);
    out->context_rva = pmm_le32(d + 164);
    free(d);
    /* The record is still worth showing when its context is missing or unreadable. */
    out->has_context = pmm_md_read_context(md, out->context_size, out->context_rva, processor_arch,
                                           &out->context) == PMM_OK;
    return PMM_OK;
}

const char *pmm_md_exception_name(uint32_t code)
{
    switch (code) {
    case 0x80000001u: return "STATUS_GUARD_PAGE_VIOLATION";
    case 0x80000002u: return "STATUS_DATATYPE_MISALIGNMENT";
    case 0x80000003u: return "STATUS_BREAKPOINT";
    case 0x80000004u: return "STATUS_SINGLE_STEP";
    case 0xC0000005u: return "STATUS_ACCESS_VIOLATION";
    case 0xC0000006u: return "STATUS_IN_PAGE_ERROR";
    case 0xC0000008u: return "STATUS_INVALID_HANDLE";
    case 0xC0000017u: return "STATUS_NO_MEMORY";
    case 0xC000001Du: return "STATUS_ILLEGAL_INSTRUCTION";
    case 0xC0000025u: return "STATUS_NONCONTINUABLE_EXCEPTION";
    case 0xC0000026u: return "STATUS_INVALID_DISPOSITION";
    case 0xC000008Cu: return "STATUS_ARRAY_BOUNDS_EXCEEDED";
    case 0xC000008Du: return "STATUS_FLOAT_DENORMAL_OPERAND";
    case 0xC000008Eu: return "STATUS_FLOAT_DIVIDE_BY_ZERO";
    case 0xC000008Fu: return "STATUS_FLOAT_INEXACT_RESULT";
    case 0xC0000090u: return "STATUS_FLOAT_INVALID_OPERATION";
    case 0xC0000091u: return "STATUS_FLOAT_OVERFLOW";
    case 0xC0000092u: return "STATUS_FLOAT_STACK_CHECK";
    case 0xC0000093u: return "STATUS_FLOAT_UNDERFLOW";
    case 0xC0000094u: return "STATUS_INTEGER_DIVIDE_BY_ZERO";
    case 0xC0000095u: return "STATUS_INTEGER_OVERFLOW";
    case 0xC0000096u: return "STATUS_PRIVILEGED_INSTRUCTION";
    case 0xC00000FDu: return "STATUS_STACK_OVERFLOW";
    case 0xC0000374u: return "STATUS_HEAP_CORRUPTION";
    case 0xC0000409u: return "STATUS_STACK_BUFFER_OVERRUN";
    case 0xC0000420u: return "STATUS_ASSERTION_FAILURE";
    case 0xC0000602u: return "STATUS_FAIL_FAST_EXCEPTION";
    case 0xE06D7363u: return "C++ exception";
    case 0x40010005u: return "DBG_CONTROL_C";
    }
    return NULL;
}

/* Names are cosmetic: a bad RVA leaves the name empty and is counted, not fatal. */
static void read_handle_name(pmm_minidump *md, uint32_t rva, char *out, size_t cap, uint32_t *bad)
{
    out[0] = '\0';
    if (rva != 0 && pmm_md_read_string(md, rva, out, cap) != PMM_OK) {
        out[0] = '\0';
        (*bad)++;
    }
}

static void parse_handle(pmm_minidump *md, const uint8_t *e, void *item, void *ctx)
{
    pmm_md_handle *h = item;
    (void)ctx;
    memset(h, 0, sizeof *h);
    h->handle = pmm_le64(e);
    read_handle_name(md, pmm_le32(e + 8), h->type_name, sizeof h->type_name, &h->bad_names);
    read_handle_name(md, pmm_le32(e + 12), h->object_name, sizeof h->object_name, &h->bad_names);
    h->attributes = pmm_le32(e + 16);
    h->granted_access = pmm_le32(e + 20);
    h->handle_count = pmm_le32(e + 24);
    h->pointer_count = pmm_le32(e + 28);
}

pmm_status pmm_md_read_handles(pmm_minidump *md, pmm_md_handle **out, size_t *count, char *message, size_t cap)
{
    *out = NULL;
    *count = 0;
    uint8_t *d;
    size_t size;
    pmm_status st = md_load_stream(md, PMM_MD_STREAM_HANDLE_DATA, HANDLE_HEADER_MIN, &d, &size, message, cap);
    if (st != PMM_OK)
        return st;
    uint32_t header_size = pmm_le32(d), entry_size = pmm_le32(d + 4), n = pmm_le32(d + 8);
    st = md_table_layout("HandleData", size, header_size, entry_size, n, HANDLE_HEADER_MIN, HANDLE_DESCRIPTOR_MIN,
                         message, cap);
    if (st == PMM_OK && n > MAX_HANDLES)
        st = pmm_fail(message, cap, PMM_ERR_LIMIT, "HandleData claims %u handles, more than this reader accepts", n);
    void *handles = NULL;
    if (st == PMM_OK)
        st = md_parse_entries(md, d + header_size, n, entry_size, sizeof **out, parse_handle, NULL, "handles",
                              &handles, count, message, cap);
    free(d);
    *out = handles;
    return st;
}
