/* Helpers shared by the parts of pmm_target_basic.exe. */
#include "target_basic.h"

#include <winternl.h>

#include <stdio.h>
#include <string.h>

int tb_fail(const char *what)
{
    DWORD error = GetLastError();
    char message[256] = "";
    FormatMessageA(FORMAT_MESSAGE_FROM_SYSTEM | FORMAT_MESSAGE_IGNORE_INSERTS, NULL, error, 0,
                   message, sizeof message, NULL);
    /* FormatMessage ends its text with "\r\n"; the stderr line should not. */
    message[strcspn(message, "\r\n")] = '\0';
    fprintf(stderr, "pmm_target_basic: %s: error %lu (%s)\n", what, (unsigned long)error, message);
    fflush(stderr);
    return -1;
}

/* The access part of a protection (the low byte); modifiers are added by tb_report_protect. */
const char *tb_protect_name(DWORD protect)
{
    switch (protect & 0xff) {
    case PAGE_NOACCESS: return "PAGE_NOACCESS";
    case PAGE_READONLY: return "PAGE_READONLY";
    case PAGE_READWRITE: return "PAGE_READWRITE";
    case PAGE_WRITECOPY: return "PAGE_WRITECOPY";
    case PAGE_EXECUTE: return "PAGE_EXECUTE";
    case PAGE_EXECUTE_READ: return "PAGE_EXECUTE_READ";
    case PAGE_EXECUTE_READWRITE: return "PAGE_EXECUTE_READWRITE";
    case PAGE_EXECUTE_WRITECOPY: return "PAGE_EXECUTE_WRITECOPY";
    case 0: return "0";
    default: return "PAGE_UNKNOWN";
    }
}

/* Writes "<key>": number and "<key>_name": "PAGE_READWRITE|PAGE_GUARD" (the names winnt.h uses). */
void tb_report_protect(tj_writer *w, const char *key, DWORD protect)
{
    char name_key[64];
    char name[128];
    snprintf(name, sizeof name, "%s%s%s%s", tb_protect_name(protect),
             (protect & PAGE_GUARD) ? "|PAGE_GUARD" : "",
             (protect & PAGE_NOCACHE) ? "|PAGE_NOCACHE" : "",
             (protect & PAGE_WRITECOMBINE) ? "|PAGE_WRITECOMBINE" : "");
    snprintf(name_key, sizeof name_key, "%s_name", key);
    tj_uint(w, key, protect);
    tj_string(w, name_key, name);
}

/* NtCurrentTeb reads gs:[0x30] (fs:[0x18] on x86) through an inline-asm memory operand at a
 * constant address, which GCC 12 at -O2 takes for an access through a null pointer and reports
 * as -Warray-bounds (GCC bug 99578). The read is fine; silence just this one function. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Warray-bounds"
__attribute__((noinline)) NT_TIB *tb_current_tib(void)
{
    return (NT_TIB *)NtCurrentTeb();
}

__attribute__((noinline)) void *tb_current_peb(void)
{
    return NtCurrentTeb()->ProcessEnvironmentBlock;
}
#pragma GCC diagnostic pop
