/* pmm_target_integrity.exe [--dll-dir DIR]: a process that changes itself on command the way hooks,
 * patches and implants do, and says exactly what it changed, for `pmm scan` (test_integrity.py).
 *
 * At start it loads, from DIR (default: its own folder), pmm_integrity_victim.dll, then
 * pmm_integrity_hooks.dll (same preferred base, so the loader relocates it) and pmm_testdll.dll,
 * and prints one JSON line:
 *   {"format":"pmm-target","version":1,"kind":"integrity","pid":N,"bits":64,
 *    "modules":[{"role":"victim"|"hooks"|"testdll","name","path","base","size"}]}
 * Until told otherwise it changes nothing: a scan then should find nothing of ours.
 *
 * `apply` makes every change and prints {"changes":[{"kind","address","size","destination"
 * (when there is one),"module","what"}],"threads":[tid]} with kind as pmm-scan names it:
 *   inline_hook   pmm_hook_jmp (jmp rel32), pmm_hook_movjmp (mov reg, imm; jmp reg),
 *                 pmm_hook_pushret (push imm; ret), pmm_hook_jmpmem (jmp [pointer]) of the hooks DLL,
 *                 each to its own stub in one private read-write-execute allocation
 *   patch         one byte of the constant 0x5a5a5a5a in pmm_patch_target
 *   iat           the hooks DLL's IAT slots of kernel32!Beep and of api-ms-win-core-synch-l1-2-0.dll!
 *                 WaitOnAddress (an API set contract), each to a stub
 *   eat           the hooks DLL's export pmm_eat_target, to a stub
 *   entry_point   the hooks DLL's entry point in the loader list, to a stub returning TRUE
 *   tls_callback  the hooks DLL's first TLS callback, to a stub that returns
 *   header        one byte of the hooks DLL's MajorImageVersion
 *   image_replaced the victim DLL's .text overwritten with pmm_testdll.dll's
 *   unlinked_module pmm_testdll.dll taken out of the three loader lists and the hash links
 *   implanted_pe  pmm_testdll.dll's file mapped by hand into private read-write-execute memory
 *   private_code  the stub allocation; and a read-execute allocation holding a jump to a function
 *                 of ours, where a new thread starts (its tid in "threads")
 * `ping` answers {"reply":"pong"}; `quit` (or end of input) exits 0.
 *
 * --extra-dlls N (for tests/bench/bench_integrity.c) also loads N DLLs of the system directory
 * of at most 2 MB each, largest first (those that fail to load are skipped), and adds
 * "extra_dlls" (how many loaded) and "extra_image_bytes" (their SizeOfImage together). */
#include <windows.h>
#include <winternl.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "target_json.h"

#define HOOKS_DLL L"pmm_integrity_hooks.dll"
#define VICTIM_DLL L"pmm_integrity_victim.dll"
#define SOURCE_DLL L"pmm_testdll.dll"

/* Offsets of the stubs in the stub allocation. */
enum {
    STUB_JMP = 0x00, STUB_MOVJMP = 0x10, STUB_PUSHRET = 0x20, STUB_JMPMEM = 0x30, STUB_IAT = 0x40,
    STUB_EAT = 0x50, STUB_ENTRY = 0x60, STUB_TLS = 0x70, STUB_POINTER = 0x80, STUB_APISET = 0x90, STUB_SIZE = 0x1000
};

typedef struct loaded {
    const char *role;
    HMODULE module;
    wchar_t path[MAX_PATH * 2];
    IMAGE_NT_HEADERS *nt;
} loaded;

typedef struct target {
    loaded victim, hooks, source;
    BYTE *stubs;
    HANDLE stop;
} target;

/* The documented head of LDR_DATA_TABLE_ENTRY (winternl.h hides most of it). */
typedef struct ldr_entry {
    LIST_ENTRY in_load_order;
    LIST_ENTRY in_memory_order;
    LIST_ENTRY in_initialization_order;
    void *dll_base;
    void *entry_point;
    ULONG size_of_image;
    UNICODE_STRING full_name;
    UNICODE_STRING base_name;
    ULONG flags;
    USHORT load_count;
    USHORT tls_index;
    LIST_ENTRY hash_links;
} ldr_entry;

typedef struct ldr_data {
    ULONG length;
    BOOLEAN initialized;
    void *ss_handle;
    LIST_ENTRY in_load_order;
} ldr_data;

static IMAGE_NT_HEADERS *nt_headers(const void *base)
{
    const IMAGE_DOS_HEADER *dos = base;
    return (IMAGE_NT_HEADERS *)((BYTE *)base + dos->e_lfanew);
}

static int load(target *t, loaded *l, const char *role, const wchar_t *dir, const wchar_t *name)
{
    l->role = role;
    if (_snwprintf(l->path, MAX_PATH * 2, L"%ls\\%ls", dir, name) < 0)
        return -1;
    l->module = LoadLibraryW(l->path);
    if (!l->module) {
        fprintf(stderr, "LoadLibrary(%ls) failed: %lu\n", l->path, (unsigned long)GetLastError());
        return -1;
    }
    l->nt = nt_headers(l->module);
    (void)t;
    return 0;
}

/* ---- writing into our own read-only or executable memory -------------------------------------- */

static void write_code(void *at, const void *bytes, size_t len)
{
    DWORD old;
    VirtualProtect(at, len, PAGE_EXECUTE_READWRITE, &old);
    memcpy(at, bytes, len);
    VirtualProtect(at, len, old, &old);
    FlushInstructionCache(GetCurrentProcess(), at, len);
}

static void write_pointer(void *at, ULONG_PTR value)
{
    write_code(at, &value, sizeof value);
}

static void put32(BYTE *p, DWORD v)
{
    memcpy(p, &v, 4);
}

/* ---- the report -------------------------------------------------------------------------------- */

static void change(tj_writer *w, const char *kind, const void *address, size_t size, const void *destination,
                   const loaded *module, const char *what)
{
    char module_name[MAX_PATH];
    tj_begin_object(w, NULL);
    tj_string(w, "kind", kind);
    tj_address(w, "address", (ULONG_PTR)address);
    tj_uint(w, "size", size);
    if (destination)
        tj_address(w, "destination", (ULONG_PTR)destination);
    if (module) {
        const wchar_t *slash = wcsrchr(module->path, L'\\');
        WideCharToMultiByte(CP_UTF8, 0, slash ? slash + 1 : module->path, -1, module_name, sizeof module_name, NULL,
                            NULL);
        tj_string(w, "module", module_name);
    } else {
        tj_null(w, "module");
    }
    tj_string(w, "what", what);
    tj_end_object(w);
}

/* ---- stubs -------------------------------------------------------------------------------------- */

/* x64 needs the stubs within 2 GiB of the hooks DLL for jmp rel32 and for an EAT RVA: the first free
 * 64 KiB above it. */
static BYTE *allocate_stubs(const loaded *hooks)
{
    ULONG_PTR start = ((ULONG_PTR)hooks->module + hooks->nt->OptionalHeader.SizeOfImage + 0xFFFF) & ~(ULONG_PTR)0xFFFF;
    for (ULONG_PTR at = start; at < start + 0x40000000u; at += 0x10000) {
        BYTE *p = VirtualAlloc((void *)at, STUB_SIZE, MEM_COMMIT | MEM_RESERVE, PAGE_EXECUTE_READWRITE);
        if (p)
            return p;
    }
    return NULL;
}

static void fill_stubs(BYTE *s)
{
    memset(s, 0xCC, STUB_SIZE);
    for (int i = 0; i <= STUB_JMPMEM; i += 0x10)
        s[i] = 0xC3;                                      /* the hooks' destinations: ret */
    s[STUB_IAT] = 0xC3;
    s[STUB_APISET] = 0xC3;
    s[STUB_EAT] = 0xC3;
    static const BYTE mov_eax_1[] = {0xB8, 0x01, 0x00, 0x00, 0x00};
    memcpy(s + STUB_ENTRY, mov_eax_1, sizeof mov_eax_1);  /* DllMain: return TRUE */
#ifdef _WIN64
    s[STUB_ENTRY + 5] = 0xC3;
    s[STUB_TLS] = 0xC3;
#else
    static const BYTE ret12[] = {0xC2, 0x0C, 0x00};       /* stdcall, three arguments */
    memcpy(s + STUB_ENTRY + 5, ret12, sizeof ret12);
    memcpy(s + STUB_TLS, ret12, sizeof ret12);
#endif
    ULONG_PTR jmpmem_destination = (ULONG_PTR)(s + STUB_JMPMEM);
    memcpy(s + STUB_POINTER, &jmpmem_destination, sizeof jmpmem_destination);
}

/* ---- inline hooks and the patched byte ---------------------------------------------------------- */

static size_t hook_jmp(BYTE *code, BYTE *at, BYTE *to)
{
    code[0] = 0xE9;
    put32(code + 1, (DWORD)(to - (at + 5)));
    return 5;
}

static size_t hook_movjmp(BYTE *code, BYTE *to)
{
    size_t n = 0;
#ifdef _WIN64
    code[n++] = 0x48;
#endif
    code[n++] = 0xB8;                                     /* mov (r|e)ax, imm */
    memcpy(code + n, &to, sizeof to);
    n += sizeof to;
    code[n++] = 0xFF;                                     /* jmp (r|e)ax */
    code[n++] = 0xE0;
    return n;
}

static size_t hook_pushret(BYTE *code, BYTE *to)
{
    ULONG_PTR v = (ULONG_PTR)to;
    code[0] = 0x68;                                       /* push imm32 (low half) */
    put32(code + 1, (DWORD)v);
#ifdef _WIN64
    static const BYTE mov_high[] = {0xC7, 0x44, 0x24, 0x04};  /* mov dword [rsp+4], imm32 */
    memcpy(code + 5, mov_high, sizeof mov_high);
    put32(code + 9, (DWORD)(v >> 32));
    code[13] = 0xC3;
    return 14;
#else
    code[5] = 0xC3;
    return 6;
#endif
}

static size_t hook_jmpmem(BYTE *code, BYTE *stubs)
{
    code[0] = 0xFF;
    code[1] = 0x25;
#ifdef _WIN64
    put32(code + 2, 0);                                   /* jmp [rip+0], the pointer right after */
    ULONG_PTR to = (ULONG_PTR)(stubs + STUB_JMPMEM);
    memcpy(code + 6, &to, sizeof to);
    return 14;
#else
    put32(code + 2, (DWORD)(ULONG_PTR)(stubs + STUB_POINTER));
    return 6;
#endif
}

static void apply_hooks(target *t, tj_writer *w)
{
    static const char *const names[] = {"pmm_hook_jmp", "pmm_hook_movjmp", "pmm_hook_pushret", "pmm_hook_jmpmem"};
    static const char *const shapes[] = {"jmp rel32", "mov reg, imm; jmp reg", "push imm; ret", "jmp [pointer]"};
    for (int i = 0; i < 4; i++) {
        BYTE *at = (BYTE *)GetProcAddress(t->hooks.module, names[i]), code[16];
        BYTE *to = t->stubs + 0x10 * i;
        size_t n = i == 0 ? hook_jmp(code, at, to) : i == 1 ? hook_movjmp(code, to)
                 : i == 2 ? hook_pushret(code, to) : hook_jmpmem(code, t->stubs);
        write_code(at, code, n);
        char what[96];
        snprintf(what, sizeof what, "%s (%s)", names[i], shapes[i]);
        change(w, "inline_hook", at, n, to, &t->hooks, what);
    }
}

static void apply_patch(target *t, tj_writer *w)
{
    BYTE *f = (BYTE *)GetProcAddress(t->hooks.module, "pmm_patch_target");
    for (int i = 0; i < 64; i++) {
        if (f[i] == 0x5A && f[i + 1] == 0x5A && f[i + 2] == 0x5A && f[i + 3] == 0x5A) {
            BYTE b = 0xA5;
            write_code(f + i + 2, &b, 1);
            change(w, "patch", f + i + 2, 1, NULL, &t->hooks, "one byte of 0x5a5a5a5a in pmm_patch_target");
            return;
        }
    }
    fputs("pmm_patch_target: constant not found\n", stderr);
}

/* ---- tables -------------------------------------------------------------------------------------- */

static void *directory(const loaded *l, int index, DWORD *size)
{
    IMAGE_DATA_DIRECTORY *d = &l->nt->OptionalHeader.DataDirectory[index];
    if (size)
        *size = d->Size;
    return d->VirtualAddress ? (BYTE *)l->module + d->VirtualAddress : NULL;
}

/* Points the hooks DLL's IAT slot of dll!name at the stub at offset. */
static void redirect_import(target *t, tj_writer *w, const char *dll, const char *name, int offset)
{
    BYTE *base = (BYTE *)t->hooks.module;
    for (IMAGE_IMPORT_DESCRIPTOR *d = directory(&t->hooks, IMAGE_DIRECTORY_ENTRY_IMPORT, NULL); d && d->Name; d++) {
        if (_stricmp((char *)base + d->Name, dll) != 0)
            continue;
        IMAGE_THUNK_DATA *names = (IMAGE_THUNK_DATA *)(base + d->OriginalFirstThunk);
        IMAGE_THUNK_DATA *slots = (IMAGE_THUNK_DATA *)(base + d->FirstThunk);
        for (size_t i = 0; names[i].u1.AddressOfData; i++) {
            if (IMAGE_SNAP_BY_ORDINAL(names[i].u1.Ordinal))
                continue;
            IMAGE_IMPORT_BY_NAME *by_name = (IMAGE_IMPORT_BY_NAME *)(base + names[i].u1.AddressOfData);
            if (strcmp((char *)by_name->Name, name) == 0) {
                char what[160];
                snprintf(what, sizeof what, "%s!%s", dll, name);
                write_pointer(&slots[i].u1.Function, (ULONG_PTR)(t->stubs + offset));
                change(w, "iat", &slots[i], sizeof(ULONG_PTR), t->stubs + offset, &t->hooks, what);
                return;
            }
        }
    }
    fprintf(stderr, "the hooks DLL imports no %s!%s\n", dll, name);
}

static void apply_iat(target *t, tj_writer *w)
{
    redirect_import(t, w, "kernel32.dll", "Beep", STUB_IAT);
    redirect_import(t, w, "api-ms-win-core-synch-l1-2-0.dll", "WaitOnAddress", STUB_APISET);
}

static void apply_eat(target *t, tj_writer *w)
{
    BYTE *base = (BYTE *)t->hooks.module;
    IMAGE_EXPORT_DIRECTORY *e = directory(&t->hooks, IMAGE_DIRECTORY_ENTRY_EXPORT, NULL);
    DWORD *functions = (DWORD *)(base + e->AddressOfFunctions), *names = (DWORD *)(base + e->AddressOfNames);
    WORD *ordinals = (WORD *)(base + e->AddressOfNameOrdinals);
    for (DWORD i = 0; i < e->NumberOfNames; i++) {
        if (strcmp((char *)base + names[i], "pmm_eat_target") != 0)
            continue;
        DWORD *entry = &functions[ordinals[i]];
        DWORD rva = (DWORD)((ULONG_PTR)(t->stubs + STUB_EAT) - (ULONG_PTR)base);
        write_code(entry, &rva, sizeof rva);
        change(w, "eat", entry, 4, t->stubs + STUB_EAT, &t->hooks, "pmm_eat_target");
        return;
    }
}

/* NtCurrentTeb's inline asm trips GCC 12's -Warray-bounds (bug 99578; see tb_common.c). */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Warray-bounds"
__attribute__((noinline)) static ldr_data *loader_data(void)
{
    return (ldr_data *)NtCurrentTeb()->ProcessEnvironmentBlock->Ldr;
}
#pragma GCC diagnostic pop

static ldr_entry *find_loader_entry(HMODULE module)
{
    ldr_data *ldr = loader_data();
    for (LIST_ENTRY *l = ldr->in_load_order.Flink; l != &ldr->in_load_order; l = l->Flink) {
        ldr_entry *e = CONTAINING_RECORD(l, ldr_entry, in_load_order);
        if (e->dll_base == (void *)module)
            return e;
    }
    return NULL;
}

static void apply_entry_point(target *t, tj_writer *w)
{
    ldr_entry *e = find_loader_entry(t->hooks.module);
    if (!e)
        return;
    /* The loader calls it again at exit (and would for new threads): the stub returns TRUE. */
    DisableThreadLibraryCalls(t->hooks.module);
    BYTE *original = (BYTE *)t->hooks.module + t->hooks.nt->OptionalHeader.AddressOfEntryPoint;
    e->entry_point = t->stubs + STUB_ENTRY;
    change(w, "entry_point", original, 0, t->stubs + STUB_ENTRY, &t->hooks, "loader list EntryPoint");
}

static void apply_tls(target *t, tj_writer *w)
{
    IMAGE_TLS_DIRECTORY *tls = directory(&t->hooks, IMAGE_DIRECTORY_ENTRY_TLS, NULL);
    if (!tls || !tls->AddressOfCallBacks)
        return;
    ULONG_PTR *slot = (ULONG_PTR *)tls->AddressOfCallBacks;
    write_pointer(slot, (ULONG_PTR)(t->stubs + STUB_TLS));
    change(w, "tls_callback", slot, sizeof *slot, t->stubs + STUB_TLS, &t->hooks, "TLS callback 0");
}

static void apply_header(target *t, tj_writer *w)
{
    BYTE *field = (BYTE *)&t->hooks.nt->OptionalHeader.MajorImageVersion;
    BYTE b = (BYTE)(*field ^ 0x5A);
    write_code(field, &b, 1);
    change(w, "header", field, 1, NULL, &t->hooks, "MajorImageVersion");
}

/* ---- process-wide changes ----------------------------------------------------------------------- */

static IMAGE_SECTION_HEADER *section(const loaded *l, const char *name)
{
    IMAGE_SECTION_HEADER *s = IMAGE_FIRST_SECTION(l->nt);
    for (WORD i = 0; i < l->nt->FileHeader.NumberOfSections; i++)
        if (strncmp((const char *)s[i].Name, name, 8) == 0)
            return &s[i];
    return NULL;
}

static void apply_hollow(target *t, tj_writer *w)
{
    IMAGE_SECTION_HEADER *to = section(&t->victim, ".text"), *from = section(&t->source, ".text");
    BYTE *dest = (BYTE *)t->victim.module + to->VirtualAddress;
    DWORD n = to->Misc.VirtualSize < from->Misc.VirtualSize ? to->Misc.VirtualSize : from->Misc.VirtualSize;
    write_code(dest, (BYTE *)t->source.module + from->VirtualAddress, n);
    DWORD mapped = (to->Misc.VirtualSize + 0xFFF) & ~0xFFFu;
    change(w, "image_replaced", dest, mapped, NULL, &t->victim, ".text overwritten with pmm_testdll.dll's");
}

/* Wine 8 leaves HashLinks empty (NULL): only real links are cut. */
static void unlink_list(LIST_ENTRY *e)
{
    if (!e->Flink || !e->Blink)
        return;
    e->Blink->Flink = e->Flink;
    e->Flink->Blink = e->Blink;
    e->Flink = e->Blink = e;
}

static void apply_unlink(target *t, tj_writer *w)
{
    ldr_entry *e = find_loader_entry(t->source.module);
    if (!e)
        return;
    unlink_list(&e->in_load_order);
    unlink_list(&e->in_memory_order);
    unlink_list(&e->in_initialization_order);
    unlink_list(&e->hash_links);
    change(w, "unlinked_module", t->source.module, t->source.nt->OptionalHeader.SizeOfImage, NULL, &t->source,
           "pmm_testdll.dll taken out of the loader lists");
}

/* Reads the DLL's file and lays it out as the loader would, without relocations or imports: what a
 * manual mapper leaves in memory. */
static void apply_implant(target *t, tj_writer *w)
{
    HANDLE f = CreateFileW(t->source.path, GENERIC_READ, FILE_SHARE_READ, NULL, OPEN_EXISTING, 0, NULL);
    DWORD size = f != INVALID_HANDLE_VALUE ? GetFileSize(f, NULL) : 0, got = 0;
    BYTE *file = size && size != INVALID_FILE_SIZE ? HeapAlloc(GetProcessHeap(), 0, size) : NULL;
    if (!file || !ReadFile(f, file, size, &got, NULL) || got != size) {
        fputs("reading pmm_testdll.dll failed\n", stderr);
        if (f != INVALID_HANDLE_VALUE)
            CloseHandle(f);
        return;
    }
    CloseHandle(f);
    IMAGE_NT_HEADERS *nt = nt_headers(file);
    BYTE *image = VirtualAlloc(NULL, nt->OptionalHeader.SizeOfImage, MEM_COMMIT | MEM_RESERVE, PAGE_EXECUTE_READWRITE);
    memcpy(image, file, nt->OptionalHeader.SizeOfHeaders);
    IMAGE_SECTION_HEADER *s = IMAGE_FIRST_SECTION(nt);
    for (WORD i = 0; i < nt->FileHeader.NumberOfSections; i++)
        if (s[i].SizeOfRawData)
            memcpy(image + s[i].VirtualAddress, file + s[i].PointerToRawData,
                   s[i].SizeOfRawData < s[i].Misc.VirtualSize ? s[i].SizeOfRawData : s[i].Misc.VirtualSize);
    DWORD mapped = (nt->OptionalHeader.SizeOfImage + 0xFFF) & ~0xFFFu;
    change(w, "implanted_pe", image, mapped, image + nt->OptionalHeader.AddressOfEntryPoint, NULL,
           "pmm_testdll.dll mapped by hand");
    HeapFree(GetProcessHeap(), 0, file);
}

static DWORD WINAPI private_thread_main(void *stop)
{
    WaitForSingleObject(stop, INFINITE);
    return 0;
}

static DWORD apply_private_thread(target *t, tj_writer *w)
{
    BYTE *stub = VirtualAlloc(NULL, 0x1000, MEM_COMMIT | MEM_RESERVE, PAGE_READWRITE);
    memset(stub, 0xCC, 0x1000);
    hook_movjmp(stub, (BYTE *)private_thread_main);
    DWORD old, tid = 0;
    VirtualProtect(stub, 0x1000, PAGE_EXECUTE_READ, &old);
    FlushInstructionCache(GetCurrentProcess(), stub, 0x1000);
    HANDLE thread = CreateThread(NULL, 0, (LPTHREAD_START_ROUTINE)(void *)stub, t->stop, 0, &tid);
    if (thread)
        CloseHandle(thread);
    change(w, "private_code", stub, 0x1000, NULL, NULL, "a thread starts here");
    return tid;
}

static void apply(target *t)
{
    tj_writer w;
    tj_init(&w);
    tj_begin_object(&w, NULL);
    t->stubs = allocate_stubs(&t->hooks);
    if (!t->stubs) {
        tj_string(&w, "error", "no room for the stubs near the hooks DLL");
        tj_end_object(&w);
        tj_print_line(&w);
        tj_free(&w);
        return;
    }
    fill_stubs(t->stubs);
    tj_begin_array(&w, "changes");
    apply_hooks(t, &w);
    apply_patch(t, &w);
    apply_iat(t, &w);
    apply_eat(t, &w);
    apply_entry_point(t, &w);
    apply_tls(t, &w);
    apply_header(t, &w);
    apply_hollow(t, &w);
    apply_unlink(t, &w);
    apply_implant(t, &w);
    change(&w, "private_code", t->stubs, STUB_SIZE, NULL, NULL, "the hooks' stubs");
    DWORD tid = apply_private_thread(t, &w);
    tj_end_array(&w);
    tj_begin_array(&w, "threads");
    tj_uint(&w, NULL, tid);
    tj_end_array(&w);
    tj_end_object(&w);
    tj_print_line(&w);
    tj_free(&w);
}

/* ---- start ------------------------------------------------------------------------------------- */

static void describe(tj_writer *w, const loaded *l)
{
    tj_begin_object(w, NULL);
    tj_string(w, "role", l->role);
    const wchar_t *slash = wcsrchr(l->path, L'\\');
    tj_wstring(w, "name", slash ? slash + 1 : l->path);
    tj_wstring(w, "path", l->path);
    tj_address(w, "base", (ULONG_PTR)l->module);
    tj_uint(w, "size", l->nt->OptionalHeader.SizeOfImage);
    tj_end_object(w);
}

/* ---- --extra-dlls ------------------------------------------------------------------------------ */

#define EXTRA_MAX_FILE (2u * 1024 * 1024)

typedef struct system_dll {
    DWORD size;
    wchar_t name[MAX_PATH];
} system_dll;

static int larger_first(const void *a, const void *b)
{
    DWORD x = ((const system_dll *)a)->size, y = ((const system_dll *)b)->size;
    return x < y ? 1 : x > y ? -1 : wcscmp(((const system_dll *)a)->name, ((const system_dll *)b)->name);
}

static void load_extra_dlls(unsigned wanted, tj_writer *w)
{
    static system_dll dlls[4096];
    size_t count = 0;
    wchar_t dir[MAX_PATH], pattern[MAX_PATH + 8];
    GetSystemDirectoryW(dir, MAX_PATH);
    _snwprintf(pattern, MAX_PATH + 8, L"%ls\\*.dll", dir);
    WIN32_FIND_DATAW fd;
    HANDLE find = FindFirstFileW(pattern, &fd);
    while (find != INVALID_HANDLE_VALUE && count < sizeof dlls / sizeof dlls[0]) {
        if (!fd.nFileSizeHigh && fd.nFileSizeLow <= EXTRA_MAX_FILE) {
            dlls[count].size = fd.nFileSizeLow;
            wcscpy(dlls[count++].name, fd.cFileName);
        }
        if (!FindNextFileW(find, &fd))
            break;
    }
    if (find != INVALID_HANDLE_VALUE)
        FindClose(find);
    qsort(dlls, count, sizeof dlls[0], larger_first);
    unsigned loaded = 0;
    uint64_t bytes = 0;
    for (size_t i = 0; i < count && loaded < wanted; i++) {
        HMODULE m = LoadLibraryW(dlls[i].name);
        if (!m)
            continue;
        loaded++;
        bytes += nt_headers(m)->OptionalHeader.SizeOfImage;
    }
    tj_uint(w, "extra_dlls", loaded);
    tj_uint(w, "extra_image_bytes", bytes);
}

static int dll_dir(int argc, char **argv, wchar_t *dir, size_t cap, unsigned *extra)
{
    *extra = 0;
    if (argc >= 3 && strcmp(argv[argc - 2], "--extra-dlls") == 0) {
        *extra = (unsigned)strtoul(argv[argc - 1], NULL, 10);
        argc -= 2;
    }
    if (argc == 3 && strcmp(argv[1], "--dll-dir") == 0)
        return MultiByteToWideChar(CP_ACP, 0, argv[2], -1, dir, (int)cap) > 0 ? 0 : -1;
    if (argc != 1)
        return -1;
    DWORD n = GetModuleFileNameW(NULL, dir, (DWORD)cap);
    wchar_t *slash = n && n < cap ? wcsrchr(dir, L'\\') : NULL;
    if (!slash)
        return -1;
    *slash = 0;
    return 0;
}

int main(int argc, char **argv)
{
    static target t;
    wchar_t dir[MAX_PATH * 2];
    unsigned extra;
    if (dll_dir(argc, argv, dir, MAX_PATH * 2, &extra) != 0) {
        fputs("usage: pmm_target_integrity.exe [--dll-dir DIR] [--extra-dlls N]\n", stderr);
        return 2;
    }
    t.stop = CreateEventW(NULL, TRUE, FALSE, NULL);
    if (!t.stop || load(&t, &t.victim, "victim", dir, VICTIM_DLL) || load(&t, &t.hooks, "hooks", dir, HOOKS_DLL) ||
        load(&t, &t.source, "testdll", dir, SOURCE_DLL))
        return 1;
    tj_writer w;
    tj_begin_target(&w, "integrity");
    tj_begin_array(&w, "modules");
    describe(&w, &t.victim);
    describe(&w, &t.hooks);
    describe(&w, &t.source);
    tj_end_array(&w);
    if (extra)
        load_extra_dlls(extra, &w);
    tj_end_object(&w);
    if (tj_print_line(&w) != 0)
        return 1;
    tj_free(&w);
    char line[256];
    while (tj_next_command(line, sizeof line)) {
        if (strcmp(line, "apply") == 0)
            apply(&t);
        else
            fprintf(stderr, "unknown command: %s\n", line);
    }
    SetEvent(t.stop);
    return 0;
}
