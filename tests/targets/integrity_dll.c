/* pmm_integrity_hooks.dll and pmm_integrity_victim.dll (the same source built twice, with the same
 * preferred base, so the second one loaded is relocated): functions for pmm_target_integrity.exe to
 * hook and patch, an export to redirect, imports to redirect (kernel32!Beep, which nothing calls,
 * and WaitOnAddress through an API set contract), and mingw's TLS callback. Built -O0 so every
 * function is longer than any hook sequence (14 bytes). */
#undef _WIN32_WINNT
#define _WIN32_WINNT 0x0602   /* WaitOnAddress; the build defines an older one */
#include <windows.h>

#define EXPORT __declspec(dllexport) __attribute__((noinline))

EXPORT DWORD pmm_hook_jmp(DWORD x)
{
    return (x ^ 0x1111u) * 5u + (x >> 3) - 17u;
}

EXPORT DWORD pmm_hook_movjmp(DWORD x)
{
    return (x ^ 0x2222u) * 7u + (x >> 2) - 19u;
}

EXPORT DWORD pmm_hook_pushret(DWORD x)
{
    return (x ^ 0x3333u) * 11u + (x >> 4) - 23u;
}

EXPORT DWORD pmm_hook_jmpmem(DWORD x)
{
    return (x ^ 0x4444u) * 13u + (x >> 5) - 29u;
}

/* The target finds the constant 0x5a5a5a5a in this function's code and changes one byte of it. */
EXPORT DWORD pmm_patch_target(DWORD x)
{
    DWORD y = x * 3u;
    return y + 0x5a5a5a5au;
}

/* Its export address table entry is redirected. */
EXPORT DWORD pmm_eat_target(DWORD x)
{
    return x + 0x600du;
}

/* Imported through the API set contract api-ms-win-core-synch-l1-2-0.dll (apiset_synch.def.in);
 * never called. */
EXPORT DWORD pmm_apiset_user(void)
{
    static volatile LONG value;
    LONG expected = 0;
    return (DWORD)WaitOnAddress((void *)&value, &expected, sizeof expected, 0);
}

/* The only user of kernel32!Beep; never called, so its IAT slot can point anywhere. */
EXPORT DWORD pmm_iat_user(void)
{
    return (DWORD)Beep(440, 1);
}

BOOL WINAPI DllMain(HINSTANCE instance, DWORD reason, void *reserved)
{
    (void)instance;
    (void)reason;
    (void)reserved;
    return TRUE;
}
