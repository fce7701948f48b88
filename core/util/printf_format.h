/* printf-style format checking that matches the runtime: mingw builds use the C99-conforming
 * printf (__USE_MINGW_ANSI_STDIO), so they are checked as gnu_printf, not as msvcrt's printf. */
#ifndef PMM_PRINTF_FORMAT_H
#define PMM_PRINTF_FORMAT_H

#if defined(__MINGW32__)
#define PMM_PRINTF_FORMAT(fmt, args) __attribute__((format(gnu_printf, fmt, args)))
#elif defined(__GNUC__)
#define PMM_PRINTF_FORMAT(fmt, args) __attribute__((format(printf, fmt, args)))
#else
#define PMM_PRINTF_FORMAT(fmt, args)
#endif

#endif
