/* The structure tables: every field inside its structure and in offset order; the offsets the scan
 * uses (nt_layout.c) agree with the tables; well-known offsets from the public Windows 10 symbols
 * and the PE/COFF specification; and decoding random or unreadable memory never crashes. */
#include <stdlib.h>
#include "check.h"
#include "fake_source.h"
#include "core/formats/nt_layout.h"
#include "core/formats/struct_tables.h"
#include "core/tools/decode.h"

static const pmm_field *field(const pmm_struct_def *def, const char *name)
{
    for (size_t i = 0; i < def->field_count; i++)
        if (strcmp(def->fields[i].name, name) == 0)
            return &def->fields[i];
    fprintf(stderr, "%s has no field %s\n", def->name, name);
    return NULL;
}

#define OFFSET_IS(def, name, expected)                      \
    do {                                                    \
        const pmm_field *f_ = field(def, name);             \
        CHECK(f_ != NULL);                                  \
        if (f_)                                             \
            CHECK_EQ_U64(f_->offset, expected);             \
    } while (0)

TEST_CASE(fields_inside_and_ordered)
{
    const pmm_struct_def *def;
    size_t tables = 0;
    for (size_t i = 0; (def = pmm_struct_at(i)) != NULL; i++, tables++) {
        CHECK(def->field_count > 0);
        for (size_t k = 0; k < def->field_count; k++) {
            const pmm_field *f = &def->fields[k];
            CHECK(f->name && f->name[0]);
            CHECK(f->size > 0 && f->offset + f->size <= def->size);
            if (k > 0)
                CHECK(f->offset >= def->fields[k - 1].offset + def->fields[k - 1].size);
            if (f->type == PMM_FIELD_FLAGS)
                CHECK(f->bits != NULL && f->size <= 8);
        }
        CHECK(pmm_struct_find(def->name, 8) == def);
    }
    CHECK_EQ_U64(tables, 19);
    CHECK(pmm_struct_find("peb", 4) == &pmm_struct_peb32);
    CHECK(pmm_struct_find("TEB", 8) == &pmm_struct_teb64);
    CHECK(pmm_struct_find("params", 4) == &pmm_struct_params32);
    CHECK(pmm_struct_find("no_such", 8) == NULL);
}

/* The scan's own offsets must be the tables' offsets. */
static void check_layout(uint32_t ps, const pmm_struct_def *peb, const pmm_struct_def *teb,
                         const pmm_struct_def *params, const pmm_struct_def *entry)
{
    const pmm_nt_layout *l = pmm_nt_layout_for(ps);
    OFFSET_IS(peb, "ImageBaseAddress", l->peb_image_base);
    OFFSET_IS(peb, "Ldr", l->peb_ldr);
    OFFSET_IS(peb, "ProcessParameters", l->peb_process_parameters);
    OFFSET_IS(peb, "ProcessHeap", l->peb_process_heap);
    OFFSET_IS(peb, "NumberOfHeaps", l->peb_number_of_heaps);
    OFFSET_IS(peb, "ProcessHeaps", l->peb_process_heaps);
    CHECK_EQ_U64(peb->size, l->peb_size);
    OFFSET_IS(teb, "NtTib.ExceptionList", l->teb_exception_list);
    OFFSET_IS(teb, "NtTib.StackBase", l->teb_stack_base);
    OFFSET_IS(teb, "NtTib.StackLimit", l->teb_stack_limit);
    OFFSET_IS(teb, "NtTib.Self", l->teb_self);
    OFFSET_IS(teb, "ClientId.UniqueThread", l->teb_client_id_thread);
    OFFSET_IS(teb, "ProcessEnvironmentBlock", l->teb_peb);
    OFFSET_IS(teb, "DeallocationStack", l->teb_deallocation_stack);
    CHECK_EQ_U64(teb->size, l->teb_size);
    OFFSET_IS(params, "MaximumLength", l->params_maximum_length);
    OFFSET_IS(params, "CurrentDirectory.DosPath", l->params_current_directory);
    OFFSET_IS(params, "ImagePathName", l->params_image_path);
    OFFSET_IS(params, "CommandLine", l->params_command_line);
    OFFSET_IS(params, "Environment", l->params_environment);
    OFFSET_IS(params, "EnvironmentSize", l->params_environment_size);
    OFFSET_IS(entry, "DllBase", l->entry_dll_base);
    OFFSET_IS(entry, "EntryPoint", l->entry_entry_point);
    OFFSET_IS(entry, "SizeOfImage", l->entry_size_of_image);
    OFFSET_IS(entry, "FullDllName", l->entry_full_dll_name);
}

TEST_CASE(scan_layout_agrees_with_tables)
{
    check_layout(8, &pmm_struct_peb64, &pmm_struct_teb64, &pmm_struct_params64, &pmm_struct_ldr_entry64);
    check_layout(4, &pmm_struct_peb32, &pmm_struct_teb32, &pmm_struct_params32, &pmm_struct_ldr_entry32);
}

/* Spot checks against the public Windows 10 symbols (ntdiff) and the PE/COFF specification. */
TEST_CASE(known_offsets)
{
    OFFSET_IS(&pmm_struct_peb64, "ApiSetMap", 0x68);
    OFFSET_IS(&pmm_struct_peb64, "GdiSharedHandleTable", 0xF8);
    OFFSET_IS(&pmm_struct_peb64, "pShimData", 0x2D8);
    OFFSET_IS(&pmm_struct_peb64, "SystemDefaultActivationContextData", 0x308);
    OFFSET_IS(&pmm_struct_peb32, "ApiSetMap", 0x38);
    OFFSET_IS(&pmm_struct_peb32, "AnsiCodePageData", 0x58);
    OFFSET_IS(&pmm_struct_peb32, "ActivationContextData", 0x1F8);
    OFFSET_IS(&pmm_struct_teb64, "TlsSlots", 0x1480);
    OFFSET_IS(&pmm_struct_teb32, "TlsSlots", 0xE10);
    OFFSET_IS(&pmm_struct_kuser, "NtMajorVersion", 0x26C);
    OFFSET_IS(&pmm_struct_kuser, "NtSystemRoot", 0x30);
    OFFSET_IS(&pmm_struct_kuser, "TickCount", 0x320);
    OFFSET_IS(&pmm_struct_nt_headers64, "OptionalHeader.ImageBase", 0x30);
    OFFSET_IS(&pmm_struct_nt_headers64, "Exception.VirtualAddress", 0x88 + 3 * 8);
    OFFSET_IS(&pmm_struct_nt_headers32, "OptionalHeader.ImageBase", 0x34);
    OFFSET_IS(&pmm_struct_nt_headers32, "Reserved.Size", 0x78 + 15 * 8 + 4);
    OFFSET_IS(&pmm_struct_load_config64, "GuardFlags", 0x90);
    OFFSET_IS(&pmm_struct_load_config32, "GuardFlags", 0x58);
    OFFSET_IS(&pmm_struct_load_config32, "ProcessAffinityMask", 0x30);
    CHECK_EQ_U64(pmm_struct_section_header.size, 40);
    CHECK_EQ_U64(pmm_struct_dos_header.size, 64);
    CHECK_EQ_U64(pmm_struct_import_descriptor.size, 20);
    CHECK_EQ_U64(pmm_struct_tls64.size, 40);
    CHECK_EQ_U64(pmm_struct_tls32.size, 24);
}

TEST_CASE(decodes_strings_and_flags)
{
    fake_source fake;
    memset(&fake, 0, sizeof fake);
    fake_add(&fake, 0x10000, 0x2000, 0x10000, PMM_MEM_COMMIT, PMM_MEM_PRIVATE, PMM_PAGE_READWRITE, PMM_PAGE_READWRITE);
    pmm_source src;
    fake_source_open(&fake, &src, 8);
    static const uint8_t cmd[] = {'a', 0, ' ', 0, 'b', 0};
    fake_write(&fake, 0x11000, cmd, sizeof cmd);
    uint8_t ustr[16] = {6, 0, 8, 0};
    memcpy(ustr + 8, &(uint64_t){0x11000}, 8);
    fake_write(&fake, 0x10000 + 0x70, ustr, sizeof ustr);          /* CommandLine */
    fake_write_u32(&fake, 0x10000 + 0x8, 0x81);                     /* Flags: NORMALIZED | CASE_SENSITIVE */
    uint8_t bad[16] = {0xFF, 0xFF, 0, 0};                           /* ImagePathName: odd, huge length */
    fake_write(&fake, 0x10000 + 0x60, bad, sizeof bad);
    pmm_decoded d;
    CHECK(pmm_decode(&src, 0x10000, &pmm_struct_params64, &d) == PMM_OK);
    const pmm_decoded_field *f = pmm_decoded_field_named(&d, "CommandLine");
    CHECK(f && f->string_read);
    if (f)
        CHECK_STR(f->text, "a b");
    f = pmm_decoded_field_named(&d, "Flags");
    if (f)
        CHECK_STR(f->text, "0x81 (NORMALIZED|CASE_SENSITIVE)");
    f = pmm_decoded_field_named(&d, "ImagePathName");
    CHECK(f && !f->string_read);
    pmm_decoded_free(&d);
    /* Nothing readable at all. */
    CHECK(pmm_decode(&src, 0x900000, &pmm_struct_peb64, &d) == PMM_ERR_READ);
    pmm_decoded_free(&d);
    /* A structure running off the end of the address space. */
    CHECK(pmm_decode(&src, UINT64_MAX - 8, &pmm_struct_teb64, &d) == PMM_ERR_READ);
    pmm_decoded_free(&d);
    fake_free(&fake);
}

/* A field is readable exactly when all its bytes lie in the one readable region [start, end), its
 * address is the structure's plus its offset, and its text is terminated within the cap. */
static void check_decoded_in_region(const pmm_decoded *d, uint64_t at, uint64_t start, uint64_t end)
{
    size_t readable = 0;
    for (size_t i = 0; i < d->def->field_count; i++) {
        const pmm_decoded_field *f = &d->fields[i];
        uint64_t first = at + f->field->offset, last = first + f->field->size;
        CHECK_EQ_U64(f->address, first);
        CHECK_EQ_U64(f->readable != 0, first >= start && last <= end);
        CHECK(memchr(f->text, 0, sizeof f->text) != NULL);
        readable += f->readable != 0;
    }
    CHECK_EQ_U64(d->readable_count, readable);
}

/* Random bytes and pointers decode without crashing, and what is readable is said truthfully. */
TEST_CASE(random_memory_never_crashes)
{
    fake_source fake;
    memset(&fake, 0, sizeof fake);
    uint8_t *bytes = fake_add(&fake, 0x10000, 0x4000, 0x10000, PMM_MEM_COMMIT, PMM_MEM_PRIVATE, PMM_PAGE_READWRITE,
                              PMM_PAGE_READWRITE);
    pmm_source src;
    fake_source_open(&fake, &src, 8);
    srand(12345);
    for (int round = 0; round < 20; round++) {
        for (size_t i = 0; i < 0x4000; i++)
            bytes[i] = (uint8_t)rand();
        /* Some pointers into the region, so UNICODE_STRINGs are followed into random bytes. */
        for (size_t i = 8; i + 8 <= 0x4000; i += 64)
            memcpy(bytes + i, &(uint64_t){0x10000 + (uint64_t)(rand() % 0x4000)}, 8);
        const pmm_struct_def *def;
        for (size_t t = 0; (def = pmm_struct_at(t)) != NULL; t++) {
            pmm_decoded d;
            uint64_t at = 0x10000 + (uint64_t)(rand() % 0x4000);
            pmm_status st = pmm_decode(&src, at, def, &d);
            check_decoded_in_region(&d, at, 0x10000, 0x14000);
            CHECK(st == (d.readable_count ? PMM_OK : PMM_ERR_READ));
            pmm_out null = pmm_out_null();
            pmm_decode_write_text(&d, &null);
            pmm_json j;
            pmm_json_init(&j, &null, 0);
            pmm_json_begin_object(&j);
            pmm_decode_write_json_members(&d, &j);
            pmm_json_end_object(&j);
            pmm_decoded_free(&d);
        }
    }
    fake_free(&fake);
}

CHECK_MAIN(CASE(fields_inside_and_ordered), CASE(scan_layout_agrees_with_tables), CASE(known_offsets),
           CASE(decodes_strings_and_flags), CASE(random_memory_never_crashes))
