/* ETHREAD and KTHREAD field offsets by build: public facts, as Microsoft's public symbol files give
 * them. Sources: the ntdiff project's headers (github.com/ntdiff/headers: <release>/<arch>/System32/
 * ntoskrnl.exe/Standalone/_ETHREAD.h and _KTHREAD.h, generated from the symbols), and Geoff
 * Chappell's ETHREAD page (geoffchappell.com, studies/windows/km/ntoskrnl/inc/ntos/ps/ethread), which
 * tabulates ThreadListEntry, Cid and Win32StartAddress for x86 and x64 of every version; where both
 * give a field they agree. Windows 7 x86's KTHREAD is also checked against Bitdefender's hvmi
 * (cami/sources/windows/opaque_fields/km/windows_7601_x86_kpti_OFF.yaml), 1809 x86's against its
 * windows_17763_x86_kpti_ON.yaml. Windows 10 1903 (18362) x64: the Vergilius Project's layouts from
 * Microsoft's public symbols, as the C header headers/bindings-10.0.18362.418-x64.h of the GitHub
 * repository novafacing/vergilius-rs gives them (_KTHREAD: InitialStack 0x28, StackLimit 0x30,
 * StackBase 0x38, TrapFrame 0x90, Teb 0xF0; _ETHREAD: Cid 0x648, Win32StartAddress 0x6A0,
 * ThreadListEntry 0x6B8); its Cid is the 0x648 Chappell gives for 1903 (ntdiff's Win10_1903_19H1
 * headers, Cid 0x638, are of another build and are not used). x86 1903 and x86 2004 to 22H2: the
 * same repository's bindings-10.0.18362.418-x86.h (KTHREAD Teb 0xA8, InitialStack 0x20, StackLimit
 * 0x24, StackBase 0x28, TrapFrame 0x6C; ETHREAD Cid 0x384, Win32StartAddress 0x3B4, ThreadListEntry
 * 0x3BC), bindings-10.0.19041.1288-x86.h (the same KTHREAD fields; ETHREAD Cid 0x2AC,
 * Win32StartAddress 0x2DC, ThreadListEntry 0x2E4) and bindings-10.0.19045.2965-x86.h (the same
 * TrapFrame, Teb and ETHREAD fields as 19041; its stack fields at 0x20-0x28, as Chappell's KTHREAD
 * page gives them for 6.2 and higher). Windows 11 21H2, 22H2 and 23H2 x64: the same repository's
 * bindings-10.0.22000.194-x64.h, bindings-10.0.22621.382-x64.h and bindings-10.0.22631.2428-x64.h, which
 * agree (KTHREAD grown to 0x480: InitialStack 0x28, StackLimit 0x30, StackBase 0x38, TrapFrame 0x90,
 * Teb 0xF0; ETHREAD Cid 0x4C8, Win32StartAddress 0x520, ThreadListEntry 0x538); the 2004 row, which
 * used to be assumed for them, is not theirs. Windows 10 1507 and 1511 (10240, 10586), x64 and x86:
 * Geoff Chappell's pages, as the mirror github.com/geoffchappellmirror/geoffchappellmirror.github.io
 * keeps them: the ETHREAD page (studies/windows/km/ntoskrnl/inc/ntos/ps/ethread/index.htm), whose
 * rows "10.0 to 1511" (x64) and "10.0 to 1607" (x86) give Cid 0x628 / 0x374, Win32StartAddress
 * 0x680 / 0x3A4 and ThreadListEntry 0x690 / 0x3AC (the x86 ones those of the 1607 row, read from
 * ntdiff), and the KTHREAD page for 6.2 and higher (.../ke/kthread/62.htm: InitialStack 0x28 / 0x20,
 * StackLimit 0x30 / 0x24, StackBase 0x38 / 0x28, TrapFrame 0x90 / 0x6C, Teb 0xF0 / 0xA8, each "6.2 and
 * higher"); ntdiff has no headers of those releases. Windows 10 1909 (18363) takes 1903's rows:
 * Microsoft documents 1909 as an enablement package over 1903 ("Windows 10, versions 1903 and 1909
 * share a common core operating system and an identical set of system files"), and the Vergilius
 * header of ntoskrnl 10.0.18362.418 that the 1903 rows come from is of the kernel 1909 shipped with
 * (Andrey Bazhan's SymStore, github.com/AndreyBazhan/SymStore README, names that version Windows 10
 * 1909 and quotes that statement). Windows Server 2022 (20348) has no row: no layout of its own
 * ETHREAD was found (hvmi, ntdiff, SymStore and Vergilius have none; Chappell's pages stop at 2004),
 * and neither 2004's row nor Windows 11's is assumed for it. A build without a row has its threads
 * read only with a known row that validates on the dump (kdump_thread_inference.c). */
#include <stddef.h>
#include "kdump_threads.h"

#define CHAPPELL_ETHREAD "Geoff Chappell's ETHREAD page (ThreadListEntry, Cid, Win32StartAddress)"
#define NTDIFF_KTHREAD(releases) "ntdiff/headers " releases " ntoskrnl.exe _KTHREAD.h/_ETHREAD.h; " CHAPPELL_ETHREAD
#define NTDIFF_ETHREAD(release) "ntdiff/headers " release "/x64 ntoskrnl.exe _ETHREAD.h, from Microsoft's public symbols"
#define NTDIFF "ntdiff/headers, _ETHREAD.h and _KTHREAD.h from Microsoft's public symbols (github.com/ntdiff/headers)"
#define VERGILIUS(header) "Vergilius Project layouts from Microsoft's public symbols, github.com/novafacing/vergilius-rs " \
                          header " (_KTHREAD, _ETHREAD); its Cid agrees with Geoff Chappell's ETHREAD page"
#define VERGILIUS_X86(headers) "Vergilius Project layouts from Microsoft's public symbols, " \
                               "github.com/novafacing/vergilius-rs " headers " (_KTHREAD, _ETHREAD)"
#define CHAPPELL_10_TO_1511 "Geoff Chappell's ETHREAD page (Cid, Win32StartAddress, ThreadListEntry of 10.0 to " \
                            "1511) and KTHREAD (6.2 and higher) page (Teb, stacks, TrapFrame), from Microsoft's " \
                            "public symbols, github.com/geoffchappellmirror/geoffchappellmirror.github.io " \
                            "studies/windows/km/ntoskrnl/inc/ntos/ps/ethread/index.htm and inc/ntos/ke/kthread/62.htm"
#define SAME_KERNEL_1909 "; 1909 (18363): 1903's kernel, as Microsoft documents 1909 (an enablement package over " \
                         "1903, 'an identical set of system files'; 10.0.18362.418 is 1909's ntoskrnl per " \
                         "github.com/AndreyBazhan/SymStore)"

/*  (1507 and 1511 are rows of their own, as the builds between them, Insider builds, are not assumed)
 *  ThreadListEntry, Cid, Win32StartAddress; KTHREAD Teb, InitialStack, StackLimit, StackBase, TrapFrame;
 *  x86 KTRAP_FRAME.Edx where ntdiff's _KTRAP_FRAME.h of the release was read (Windows 7 SP1 and 8: 0x3C;
 *  the later x86 rows leave it unknown, 0, as a later layout has it at 0x38) */
static const pmm_kdump_thread_layout_row rows[] = {
    {8, 7601, 7601, NTDIFF_ETHREAD("Win7_SP1"), {0x420, 0x3B0, 0x410, 0xB8, 0x28, 0x30, 0x278, 0x1D8, 0}},
    {8, 9200, 9200, NTDIFF_KTHREAD("Win8/x64"), {0x400, 0x398, 0x3F0, 0xF0, 0x28, 0x30, 0x38, 0x90, 0}},
    {8, 9600, 9600, NTDIFF_KTHREAD("Win8.1/x64"), {0x688, 0x620, 0x678, 0xF0, 0x28, 0x30, 0x38, 0x90, 0}},
    {8, 10240, 10240, CHAPPELL_10_TO_1511, {0x690, 0x628, 0x680, 0xF0, 0x28, 0x30, 0x38, 0x90, 0}},
    {8, 10586, 10586, CHAPPELL_10_TO_1511, {0x690, 0x628, 0x680, 0xF0, 0x28, 0x30, 0x38, 0x90, 0}},
    {8, 14393, 14393, NTDIFF_KTHREAD("Win10_1607_RS1/x64"), {0x698, 0x630, 0x688, 0xF0, 0x28, 0x30, 0x38, 0x90, 0}},
    {8, 15063, 15063, NTDIFF_KTHREAD("Win10_1703_RS2/x64"), {0x6A0, 0x638, 0x690, 0xF0, 0x28, 0x30, 0x38, 0x90, 0}},
    {8, 16299, 17763, NTDIFF_KTHREAD("Win10_1709_RS3, Win10_1803_RS4 and Win10_1809_RS5 x64"),
     {0x6A8, 0x638, 0x690, 0xF0, 0x28, 0x30, 0x38, 0x90, 0}},
    {8, 18362, 18363, VERGILIUS("headers/bindings-10.0.18362.418-x64.h") SAME_KERNEL_1909,
     {0x6B8, 0x648, 0x6A0, 0xF0, 0x28, 0x30, 0x38, 0x90, 0}},
    {8, 19041, 19045, NTDIFF " (Windows 10 2004)", {0x4E8, 0x478, 0x4D0, 0xF0, 0x28, 0x30, 0x38, 0x90, 0}},
    {8, 22000, 22631, VERGILIUS_X86("headers/bindings-10.0.22000.194-x64.h, bindings-10.0.22621.382-x64.h and "
                                    "bindings-10.0.22631.2428-x64.h"),
     {0x538, 0x4C8, 0x520, 0xF0, 0x28, 0x30, 0x38, 0x90, 0}},
    {8, 26100, 26100, NTDIFF_ETHREAD("Win11_2409_24H2"), {0x578, 0x508, 0x560, 0xF0, 0x28, 0x30, 0x38, 0x90, 0}},
    {4, 7601, 7601, NTDIFF_KTHREAD("Win7_SP1/x86") "; hvmi windows_7601_x86",
     {0x268, 0x22C, 0x260, 0x88, 0x28, 0x2C, 0x190, 0x128, 0x3C}},
    {4, 9200, 9200, NTDIFF_KTHREAD("Win8/x86"), {0x24C, 0x214, 0x244, 0xA8, 0x20, 0x24, 0x28, 0x6C, 0x3C}},
    {4, 9600, 9600, NTDIFF_KTHREAD("Win8.1/x86"), {0x39C, 0x364, 0x394, 0xA8, 0x20, 0x24, 0x28, 0x6C, 0}},
    {4, 10240, 10240, CHAPPELL_10_TO_1511, {0x3AC, 0x374, 0x3A4, 0xA8, 0x20, 0x24, 0x28, 0x6C, 0}},
    {4, 10586, 10586, CHAPPELL_10_TO_1511, {0x3AC, 0x374, 0x3A4, 0xA8, 0x20, 0x24, 0x28, 0x6C, 0}},
    {4, 14393, 14393, NTDIFF_KTHREAD("Win10_1607_RS1/x86"), {0x3AC, 0x374, 0x3A4, 0xA8, 0x20, 0x24, 0x28, 0x6C, 0}},
    {4, 15063, 17763, NTDIFF_KTHREAD("Win10_1703_RS2 to Win10_1809_RS5 x86") "; hvmi windows_17763_x86",
     {0x3B4, 0x37C, 0x3AC, 0xA8, 0x20, 0x24, 0x28, 0x6C, 0}},
    {4, 18362, 18363, VERGILIUS_X86("headers/bindings-10.0.18362.418-x86.h") SAME_KERNEL_1909,
     {0x3BC, 0x384, 0x3B4, 0xA8, 0x20, 0x24, 0x28, 0x6C, 0}},
    {4, 19041, 19045, VERGILIUS_X86("headers/bindings-10.0.19041.1288-x86.h and bindings-10.0.19045.2965-x86.h"),
     {0x2E4, 0x2AC, 0x2DC, 0xA8, 0x20, 0x24, 0x28, 0x6C, 0}},
};

const pmm_kdump_thread_layout_row *pmm_kdump_thread_layout_row_at(size_t index)
{
    return index < sizeof rows / sizeof rows[0] ? &rows[index] : NULL;
}

const pmm_kdump_thread_layout_row *pmm_kdump_thread_layout_for(uint32_t pointer_size, uint32_t build)
{
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++)
        if (rows[i].pointer_size == pointer_size && build >= rows[i].first_build && build <= rows[i].last_build)
            return &rows[i];
    return NULL;
}
