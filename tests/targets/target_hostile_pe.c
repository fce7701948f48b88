/* pmm_target_hostile_pe.exe: MZ/PE headers with absurd counts and offsets in non-image memory.
 *
 * What an unpacker, a manual mapper or plain garbage leaves behind, for tests/integration/test_faults.py:
 * every header below sits at the start of executable memory that is not MEM_IMAGE, so a scanner
 * flags it and may try to parse it, and every count, offset and pointer in it is hostile.
 *
 *   huge_counts   NumberOfSections 0xFFFF, SizeOfOptionalHeader 0xFFFF, NumberOfRvaAndSizes
 *                 0xFFFFFFFF, SizeOfImage/SizeOfHeaders 0xFFFFFFFF, every data directory pointing
 *                 somewhere absurd (past the end, at the header itself, 0xFFFFFFF0, size 0xFFFFFFFF)
 *   lfanew_past   e_lfanew 0x7FFFFFF0: far past the allocation (no PE signature reachable)
 *   lfanew_edge   e_lfanew 0xFFFE: the signature straddles the end of the 64 KiB allocation
 *   exports       a plausible header whose export directory has NumberOfFunctions 0xFFFFFFFF,
 *                 NumberOfNames 0x7FFFFFFF, name RVAs everywhere (past the end, into the
 *                 directory itself, an unterminated name at the last byte), forwarder strings
 *                 without a terminator
 *   loops         import descriptors that point at each other and at the header, an exception
 *                 directory claiming 0x10000000 entries, a relocation block of size 0
 *   mapped_view   huge_counts + exports in a pagefile-backed section (no SEC_IMAGE) mapped
 *                 read-write-execute: mapped, non-image memory with a PE header
 *
 * Prints one JSON line:
 *   {"format":"pmm-target","version":1,"kind":"hostile_pe","pid":N,"bits":64,
 *    "headers":[{"name":"huge_counts","base":"0x..","size":65536,"type":"private","signature":true},...]}
 * "signature" says whether "PE\0\0" is at base + e_lfanew inside the allocation (then a scanner
 * should flag the region as a PE header). Then serves stdin: quit (or EOF) exits 0, ping answers
 * {"reply":"pong"}. Exit 1 if a setup step failed (reason on stderr).
 */
#include <windows.h>

#include <stdio.h>
#include <string.h>

#include "target_json.h"

#define REGION_SIZE 0x10000u

typedef struct header_info {
    const char *name;
    BYTE *base;
    const char *type;
    int signature;
} header_info;

static void put16(BYTE *p, WORD v) { memcpy(p, &v, sizeof v); }
static void put32(BYTE *p, DWORD v) { memcpy(p, &v, sizeof v); }

static WORD machine(void)
{
    return sizeof(void *) == 8 ? IMAGE_FILE_MACHINE_AMD64 : IMAGE_FILE_MACHINE_I386;
}

/* MZ + e_lfanew; returns the NT headers (or NULL when e_lfanew is outside the region). */
static IMAGE_NT_HEADERS *write_dos(BYTE *base, DWORD lfanew)
{
    base[0] = 'M';
    base[1] = 'Z';
    put32(base + 0x3c, lfanew);
    if (lfanew > REGION_SIZE - sizeof(IMAGE_NT_HEADERS))
        return NULL;
    put32(base + lfanew, IMAGE_NT_SIGNATURE);
    return (IMAGE_NT_HEADERS *)(base + lfanew);
}

static void write_huge_counts(BYTE *base)
{
    IMAGE_NT_HEADERS *nt = write_dos(base, 0x40);
    static const DWORD rvas[] = {0xFFFFFFF0u, 0x7FFFFFFFu, REGION_SIZE, 0, 0x40, 0xFFFFu, 0x80000000u, 0x1000};
    nt->FileHeader.Machine = machine();
    nt->FileHeader.NumberOfSections = 0xFFFF;
    nt->FileHeader.SizeOfOptionalHeader = 0xFFFF;
    nt->FileHeader.PointerToSymbolTable = 0xFFFFFFFFu;
    nt->FileHeader.NumberOfSymbols = 0xFFFFFFFFu;
    nt->FileHeader.Characteristics = IMAGE_FILE_EXECUTABLE_IMAGE | IMAGE_FILE_DLL;
    nt->OptionalHeader.Magic = IMAGE_NT_OPTIONAL_HDR_MAGIC;
    nt->OptionalHeader.AddressOfEntryPoint = 0xFFFFFFF0u;
    nt->OptionalHeader.SectionAlignment = 0;
    nt->OptionalHeader.FileAlignment = 0xFFFFFFFFu;
    nt->OptionalHeader.SizeOfImage = 0xFFFFFFFFu;
    nt->OptionalHeader.SizeOfHeaders = 0xFFFFFFFFu;
    nt->OptionalHeader.NumberOfRvaAndSizes = 0xFFFFFFFFu;
    for (int i = 0; i < IMAGE_NUMBEROF_DIRECTORY_ENTRIES; i++) {
        nt->OptionalHeader.DataDirectory[i].VirtualAddress = rvas[i % (sizeof rvas / sizeof rvas[0])];
        nt->OptionalHeader.DataDirectory[i].Size = i % 2 ? 0xFFFFFFFFu : 0x7FFFFFFFu;
    }
    /* Section headers with absurd values fill the rest of the first page. */
    IMAGE_SECTION_HEADER *s = IMAGE_FIRST_SECTION(nt);
    for (int i = 0; (BYTE *)(s + i + 1) <= base + 0x1000; i++) {
        memcpy(s[i].Name, i % 3 ? "\xff\xfe.text\x01" : ".AAAAAAA", 8);
        s[i].Misc.VirtualSize = 0xFFFFFFFFu - (DWORD)i;
        s[i].VirtualAddress = 0xFFFFF000u - (DWORD)i * 0x1000u;
        s[i].SizeOfRawData = 0xFFFFFFFFu;
        s[i].PointerToRawData = 0x7FFFFFFFu;
        s[i].NumberOfRelocations = 0xFFFF;
        s[i].Characteristics = 0xFFFFFFFFu;
    }
}

static void write_exports(BYTE *base)
{
    IMAGE_NT_HEADERS *nt = write_dos(base, 0x80);
    nt->FileHeader.Machine = machine();
    nt->FileHeader.NumberOfSections = 1;
    nt->FileHeader.SizeOfOptionalHeader = sizeof(IMAGE_OPTIONAL_HEADER);
    nt->FileHeader.Characteristics = IMAGE_FILE_EXECUTABLE_IMAGE | IMAGE_FILE_DLL;
    nt->OptionalHeader.Magic = IMAGE_NT_OPTIONAL_HDR_MAGIC;
    nt->OptionalHeader.SectionAlignment = 0x1000;
    nt->OptionalHeader.FileAlignment = 0x200;
    nt->OptionalHeader.SizeOfImage = REGION_SIZE;
    nt->OptionalHeader.SizeOfHeaders = 0x400;
    nt->OptionalHeader.AddressOfEntryPoint = 0x1000;
    nt->OptionalHeader.NumberOfRvaAndSizes = IMAGE_NUMBEROF_DIRECTORY_ENTRIES;
    nt->OptionalHeader.DataDirectory[IMAGE_DIRECTORY_ENTRY_EXPORT].VirtualAddress = 0x1000;
    nt->OptionalHeader.DataDirectory[IMAGE_DIRECTORY_ENTRY_EXPORT].Size = 0xF000;
    IMAGE_SECTION_HEADER *s = IMAGE_FIRST_SECTION(nt);
    memcpy(s->Name, ".edata\0", 8);
    s->Misc.VirtualSize = 0xF000;
    s->VirtualAddress = 0x1000;
    s->SizeOfRawData = 0xF000;
    s->PointerToRawData = 0x400;
    s->Characteristics = IMAGE_SCN_MEM_READ | IMAGE_SCN_CNT_INITIALIZED_DATA;

    IMAGE_EXPORT_DIRECTORY *e = (IMAGE_EXPORT_DIRECTORY *)(base + 0x1000);
    e->Name = 0xFFFF;                      /* the last byte of the allocation: unterminated */
    e->Base = 0xFFFFFFF0u;                 /* ordinals wrap */
    e->NumberOfFunctions = 0xFFFFFFFFu;
    e->NumberOfNames = 0x7FFFFFFFu;
    e->AddressOfFunctions = 0x2000;
    e->AddressOfNames = 0x4000;
    e->AddressOfNameOrdinals = 0x6000;
    /* Function RVAs: inside the export directory (forwarders, some unterminated), past the end,
     * zero, the header itself. */
    DWORD *functions = (DWORD *)(base + 0x2000);
    for (DWORD i = 0; i < 0x2000 / sizeof(DWORD); i++) {
        static const DWORD pick[] = {0x1100, 0xFFF0, 0xFFFFFFFFu, 0, 0x80, 0x8000};
        functions[i] = pick[i % (sizeof pick / sizeof pick[0])];
    }
    memset(base + 0x1100, 'F', 0x40);      /* "FFFF..." forwarder, then a dot-less garbage run */
    memcpy(base + 0x1140, "KERNEL32.Sleep", 15);
    memset(base + 0xFFF0, 'Z', 0x10);      /* unterminated up to the end of the allocation */
    /* Name RVAs: valid short names, names past the end, into the ordinals table, the last byte. */
    DWORD *names = (DWORD *)(base + 0x4000);
    for (DWORD i = 0; i < 0x2000 / sizeof(DWORD); i++) {
        static const DWORD pick[] = {0x8000, 0xFFFF, 0xFFFFFFF0u, 0x6000, 0x10000, 0x8010};
        names[i] = pick[i % (sizeof pick / sizeof pick[0])];
    }
    memcpy(base + 0x8000, "hostile_name", 13);
    memset(base + 0x8010, 'N', 0x7FF0);    /* a 32 KiB name without a terminator, up to the end */
    WORD *ordinals = (WORD *)(base + 0x6000);
    for (DWORD i = 0; i < 0x2000 / sizeof(WORD); i++)
        ordinals[i] = (WORD)(0xFFFF - i);
}

static void write_loops(BYTE *base)
{
    IMAGE_NT_HEADERS *nt = write_dos(base, 0x40);
    nt->FileHeader.Machine = machine();
    nt->FileHeader.NumberOfSections = 0;
    nt->FileHeader.SizeOfOptionalHeader = sizeof(IMAGE_OPTIONAL_HEADER);
    nt->OptionalHeader.Magic = IMAGE_NT_OPTIONAL_HDR_MAGIC;
    nt->OptionalHeader.SectionAlignment = 0x1000;
    nt->OptionalHeader.SizeOfImage = REGION_SIZE;
    nt->OptionalHeader.SizeOfHeaders = 0x1000;
    nt->OptionalHeader.NumberOfRvaAndSizes = IMAGE_NUMBEROF_DIRECTORY_ENTRIES;
    IMAGE_DATA_DIRECTORY *d = nt->OptionalHeader.DataDirectory;
    d[IMAGE_DIRECTORY_ENTRY_IMPORT].VirtualAddress = 0x2000;
    d[IMAGE_DIRECTORY_ENTRY_IMPORT].Size = 0xFFFFFFFFu;
    d[IMAGE_DIRECTORY_ENTRY_EXCEPTION].VirtualAddress = 0x3000;
    d[IMAGE_DIRECTORY_ENTRY_EXCEPTION].Size = 0x10000000u * 12u;
    d[IMAGE_DIRECTORY_ENTRY_BASERELOC].VirtualAddress = 0x4000;
    d[IMAGE_DIRECTORY_ENTRY_BASERELOC].Size = 0xFFFFFFF0u;
    d[IMAGE_DIRECTORY_ENTRY_TLS].VirtualAddress = 0x40;
    d[IMAGE_DIRECTORY_ENTRY_TLS].Size = 0xFFFFFFFFu;
    d[IMAGE_DIRECTORY_ENTRY_DEBUG].VirtualAddress = 0x5000;
    d[IMAGE_DIRECTORY_ENTRY_DEBUG].Size = 0xFFFFFFF0u;
    d[IMAGE_DIRECTORY_ENTRY_LOAD_CONFIG].VirtualAddress = 0xFFF0;
    d[IMAGE_DIRECTORY_ENTRY_LOAD_CONFIG].Size = 0xFFFFFFFFu;
    /* Import descriptors whose thunks point at each other's descriptors and at the header. */
    IMAGE_IMPORT_DESCRIPTOR *imp = (IMAGE_IMPORT_DESCRIPTOR *)(base + 0x2000);
    for (int i = 0; i < 0x1000 / (int)sizeof *imp; i++) {
        imp[i].OriginalFirstThunk = 0x2000;
        imp[i].FirstThunk = 0x2000 + (DWORD)((i + 1) % 8) * sizeof *imp;
        imp[i].Name = i % 2 ? 0x40 : 0xFFFF;
        imp[i].ForwarderChain = 0xFFFFFFFFu;
    }
    memset(base + 0x3000, 0xFF, 0x1000);   /* exception entries: all 0xFFFFFFFF */
    put32(base + 0x4000, 0x1000);          /* relocation block with SizeOfBlock 0: no progress */
    put32(base + 0x4004, 0);
    /* Debug directory entries pointing past the end and at themselves. */
    for (int i = 0; i < 0x1000 / (int)sizeof(IMAGE_DEBUG_DIRECTORY); i++) {
        IMAGE_DEBUG_DIRECTORY *dbg = (IMAGE_DEBUG_DIRECTORY *)(base + 0x5000) + i;
        dbg->Type = IMAGE_DEBUG_TYPE_CODEVIEW;
        dbg->SizeOfData = 0xFFFFFFFFu;
        dbg->AddressOfRawData = i % 2 ? 0x5000 : 0xFFFFFFF0u;
        dbg->PointerToRawData = 0x7FFFFFFFu;
    }
    put16(base + 0xFFFE, 0xFFFF);
}

static BYTE *alloc_rwx(void)
{
    return VirtualAlloc(NULL, REGION_SIZE, MEM_COMMIT | MEM_RESERVE, PAGE_EXECUTE_READWRITE);
}

int main(void)
{
    header_info headers[8];
    int count = 0;
    BYTE *p;

    if (!(p = alloc_rwx()))
        goto fail;
    write_huge_counts(p);
    headers[count++] = (header_info){"huge_counts", p, "private", 1};

    if (!(p = alloc_rwx()))
        goto fail;
    write_dos(p, 0x7FFFFFF0u);
    headers[count++] = (header_info){"lfanew_past", p, "private", 0};

    if (!(p = alloc_rwx()))
        goto fail;
    write_dos(p, REGION_SIZE - 2);
    p[REGION_SIZE - 2] = 'P';
    p[REGION_SIZE - 1] = 'E';
    headers[count++] = (header_info){"lfanew_edge", p, "private", 0};

    if (!(p = alloc_rwx()))
        goto fail;
    write_exports(p);
    headers[count++] = (header_info){"exports", p, "private", 1};

    if (!(p = alloc_rwx()))
        goto fail;
    write_loops(p);
    headers[count++] = (header_info){"loops", p, "private", 1};

    /* Pagefile-backed section, no SEC_IMAGE: MEM_MAPPED, executable, with a PE header. */
    HANDLE section = CreateFileMappingW(INVALID_HANDLE_VALUE, NULL, PAGE_EXECUTE_READWRITE, 0, REGION_SIZE, NULL);
    if (!section)
        goto fail;
    p = MapViewOfFile(section, FILE_MAP_WRITE | FILE_MAP_EXECUTE, 0, 0, REGION_SIZE);
    if (!p)
        goto fail;
    write_exports(p);
    write_huge_counts(p);   /* keeps the export tables at 0x1000.. but with the absurd header */
    IMAGE_NT_HEADERS *nt = (IMAGE_NT_HEADERS *)(p + 0x40);
    nt->OptionalHeader.DataDirectory[IMAGE_DIRECTORY_ENTRY_EXPORT].VirtualAddress = 0x1000;
    headers[count++] = (header_info){"mapped_view", p, "mapped", 1};

    tj_writer w;
    tj_begin_target(&w, "hostile_pe");
    tj_begin_array(&w, "headers");
    for (int i = 0; i < count; i++) {
        tj_begin_object(&w, NULL);
        tj_string(&w, "name", headers[i].name);
        tj_address(&w, "base", (uint64_t)(uintptr_t)headers[i].base);
        tj_uint(&w, "size", REGION_SIZE);
        tj_string(&w, "type", headers[i].type);
        tj_bool(&w, "signature", headers[i].signature);
        tj_end_object(&w);
    }
    tj_end_array(&w);
    tj_end_object(&w);
    int printed = tj_print_line(&w);
    tj_free(&w);
    if (printed != 0)
        return 1;

    char line[256];
    while (tj_next_command(line, sizeof line))
        fprintf(stderr, "unknown command: %s\n", line);
    return 0;

fail:
    fprintf(stderr, "hostile_pe: setup failed: error %lu\n", GetLastError());
    return 1;
}
