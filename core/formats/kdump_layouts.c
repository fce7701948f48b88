/* EPROCESS field offsets by build: public facts, as Microsoft's public symbol files give them.
 * Sources: Geoff Chappell's EPROCESS page (geoffchappell.com, studies/windows/km/ntoskrnl/inc/ntos/
 * ps/eprocess), which tabulates every member for x86 and x64 from Windows 7 (6.1) to Windows 10
 * 2004; the ntdiff project's headers (github.com/ntdiff/headers, _EPROCESS.h per release) for
 * Windows 11 22H2 and 24H2. KPROCESS.DirectoryTableBase is at 0x28 (x64) / 0x18 (x86) in all of
 * them. Builds between rows (Insider builds) are not assumed: they go to inference. */
#include <stddef.h>
#include "kdump_processes.h"

#define CHAPPELL "Geoff Chappell, EPROCESS layout from Microsoft's public symbols (geoffchappell.com)"
#define CHAPPELL_NTDIFF CHAPPELL "; Windows 11 22H2 checked against ntdiff/headers _EPROCESS.h, 21H2 against the " \
                        "Vergilius Project's bindings-10.0.22000.194-x64.h (novafacing/vergilius-rs)"
#define NTDIFF "ntdiff/headers, _EPROCESS.h from Microsoft's public symbols (github.com/ntdiff/headers)"

/*  dtb, pid, links, parent, create, peb, wow64, wow64 struct, name, threads, active threads
 *  (ETHREAD and KTHREAD offsets: kdump_thread_layouts.c) */
static const pmm_kdump_layout_row rows[] = {
    {8, 7600, 7601, "Windows 7, Server 2008 R2", CHAPPELL,
     {0x28, 0x180, 0x188, 0x290, 0x168, 0x338, 0x320, 0, 0x2E0, 0x308, 0x328}},
    {8, 9200, 9600, "Windows 8 and 8.1, Server 2012 and 2012 R2", CHAPPELL,
     {0x28, 0x2E0, 0x2E8, 0x3D0, 0x2D0, 0x3E8, 0x418, 0, 0x438, 0x470, 0x480}},
    {8, 10240, 10240, "Windows 10 1507", CHAPPELL,
     {0x28, 0x2E8, 0x2F0, 0x3E0, 0x308, 0x3F8, 0x428, 0, 0x448, 0x480, 0x490}},
    {8, 10586, 14393, "Windows 10 1511 and 1607, Server 2016", CHAPPELL,
     {0x28, 0x2E8, 0x2F0, 0x3E0, 0x308, 0x3F8, 0x428, 1, 0x450, 0x488, 0x498}},
    {8, 15063, 17763, "Windows 10 1703 to 1809, Server 2019", CHAPPELL,
     {0x28, 0x2E0, 0x2E8, 0x3E0, 0x308, 0x3F8, 0x428, 1, 0x450, 0x488, 0x498}},
    {8, 18362, 18363, "Windows 10 1903 and 1909", CHAPPELL,
     {0x28, 0x2E8, 0x2F0, 0x3E8, 0x310, 0x3F8, 0x428, 1, 0x450, 0x488, 0x498}},
    {8, 19041, 22631, "Windows 10 2004 to 22H2, Server 2022, Windows 11 21H2 to 23H2", CHAPPELL_NTDIFF,
     {0x28, 0x440, 0x448, 0x540, 0x468, 0x550, 0x580, 1, 0x5A8, 0x5E0, 0x5F0}},
    {8, 26100, 26100, "Windows 11 24H2, Server 2025", NTDIFF,
     {0x28, 0x1D0, 0x1D8, 0x2D0, 0x1F8, 0x2E0, 0x310, 1, 0x338, 0x370, 0x380}},
    {4, 7600, 7601, "Windows 7 (x86)", CHAPPELL,
     {0x18, 0xB4, 0xB8, 0x140, 0xA0, 0x1A8, 0, 0, 0x16C, 0x188, 0x198}},
    {4, 9200, 9600, "Windows 8 and 8.1 (x86)", CHAPPELL,
     {0x18, 0xB4, 0xB8, 0x134, 0xA8, 0x140, 0, 0, 0x170, 0x194, 0x19C}},
    {4, 10240, 10240, "Windows 10 1507 (x86)", CHAPPELL,
     {0x18, 0xB4, 0xB8, 0x138, 0xC8, 0x144, 0, 0, 0x170, 0x194, 0x19C}},
    {4, 10586, 14393, "Windows 10 1511 and 1607 (x86)", CHAPPELL,
     {0x18, 0xB4, 0xB8, 0x138, 0xC8, 0x144, 0, 0, 0x174, 0x198, 0x1A0}},
    {4, 15063, 18363, "Windows 10 1703 to 1909 (x86)", CHAPPELL,
     {0x18, 0xB4, 0xB8, 0x140, 0xD0, 0x14C, 0, 0, 0x17C, 0x1A0, 0x1A8}},
    {4, 19041, 19045, "Windows 10 2004 to 22H2 (x86)", CHAPPELL,
     {0x18, 0xE4, 0xE8, 0x170, 0x100, 0x17C, 0, 0, 0x1AC, 0x1D0, 0x1D8}},
};

const pmm_kdump_layout_row *pmm_kdump_layout_for(uint32_t pointer_size, uint32_t build)
{
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++)
        if (rows[i].pointer_size == pointer_size && build >= rows[i].first_build && build <= rows[i].last_build)
            return &rows[i];
    return NULL;
}

const pmm_kdump_layout_row *pmm_kdump_layout_row_at(size_t index)
{
    return index < sizeof rows / sizeof rows[0] ? &rows[index] : NULL;
}

/* ---- VAD offsets (kdump_vad.h) -------------------------------------------------------------------
 * EPROCESS.VadRoot, MMVAD_SHORT, MMVAD_FLAGS(1), MMVAD.Subsection, CONTROL_AREA.FilePointer and
 * FILE_OBJECT.FileName, as Microsoft's public symbols give them. Windows 10 2004 (19041): ntdiff's
 * headers (_EPROCESS.h: VadRoot 0x7D8; _MMVAD_SHORT: StartingVpn 0x18, EndingVpn 0x1C, their High
 * bytes 0x20/0x21, u 0x30, u1 0x34; _MMVAD_FLAGS: VadType bits 4-6, Protection 7-11,
 * PreferredNode 12-17, PrivateMemory 20; MMVAD_FLAGS1.MemCommit bit 31; _MMVAD.Subsection 0x48);
 * Windows 11's MMVAD_FLAGS has a 7-bit PreferredNode (PrivateMemory at 21), so its builds are not
 * assumed from this row. Windows 10 1809 (17763): ntdiff's Win10_1809_RS5 headers (_EPROCESS.h:
 * VadRoot 0x628; _MMVAD.h: the same MMVAD_SHORT and MMVAD offsets, but VadFlags with VadType bits
 * 0-2, Protection 3-7, PrivateMemory 14; _CONTROL_AREA.h: FilePointer 0x40, EX_FAST_REF RefCnt 4
 * bits); 1703 to 1803 are not assumed from it. Windows 11 24H2 (26100): ntdiff's Win11_2409_24H2
 * headers (_EPROCESS.h: VadRoot 0x558; _MMVAD.h: the same node offsets, VadType bits 4-6,
 * Protection 7-11, PrivateMemory 21, MemCommit now bit 25 of the private VAD flags at 0x30,
 * Subsection 0x48); its CONTROL_AREA is not in the headers we could check (FilePointer: MemProcFS's,
 * below). Windows 11 22H2 and 23H2 (22621-22631): ntdiff's
 * Win11_2209_22H2 headers (_EPROCESS.h: VadRoot 0x7D8; _MMVAD.h: the same node offsets,
 * PrivateMemory bit 21, MemCommit in VadFlags1 bit 31, Subsection 0x48; EX_FAST_REF, inlined in
 * _EPROCESS.h, RefCnt:4); their CONTROL_AREA.FilePointer (0x40) and FILE_OBJECT.FileName (0x58) from
 * the Vergilius Project's headers of 10.0.22621.382 and 10.0.22631.2428 x64 (novafacing/vergilius-rs
 * headers/bindings-10.0.22621.382-x64.h and bindings-10.0.22631.2428-x64.h: both give the same
 * _CONTROL_AREA and _FILE_OBJECT, and the MMVAD_SHORT of the ntdiff row); 21H2 (22000) has its own row. Windows 7 (MM_AVL_TABLE VadRoot: EPROCESS 0x448 x64 / 0x278 x86, the
 * root being BalancedRoot.RightChild): ntdiff's _EPROCESS.h and the Vergilius Project's
 * _MMADDRESS_NODE, _MMVAD_SHORT, _MMVAD_FLAGS, _MMVAD, _CONTROL_AREA and _FILE_OBJECT pages
 * (vergiliusproject.com).
 * Windows 8 to 10 1809, x64 and x86: EPROCESS.VadRoot from Geoff Chappell's EPROCESS page (x64
 * 0x590 in 8, an MM_AVL_TABLE as on Windows 7, whose BalancedRoot's RightChild is the root; 0x5D8
 * in 8.1, 0x620 in 1607, 0x628 in 1703 to 1809; x86 0x274 in 8 (MM_AVL_TABLE) and 8.1, 0x28C in
 * 1607, 0x298 in 1703 and 1709, 0x29C in 1803 and 1809); the nodes from ntdiff's _MMVAD.h of each
 * release (Win8, Win8.1, Win10_1607_RS1, _1703_RS2, _1709_RS3, _1803_RS4, _1809_RS5; Windows 8's
 * MM_AVL_NODE and MM_AVL_TABLE from _MM_AVL_TABLE.h): MMVAD_FLAGS VadType bits 0-2 and Protection
 * 3-7 in all of them, PrivateMemory bit 15 up to 1709 and 14 from 1803 on, MemCommit bit 31 of
 * VadFlags1; x64 nodes: StartingVpn 0x18, EndingVpn 0x1C, VadFlags 0x28 (8) / 0x30, VadFlags1
 * 0x2C / 0x34, the High bytes 0x20/0x21 from 8.1 on, Subsection 0x48; x86: StartingVpn 0xC,
 * EndingVpn 0x10, VadFlags 0x18 (8) / 0x1C, VadFlags1 0x1C / 0x20, Subsection 0x2C. CONTROL_AREA.
 * FilePointer from ntdiff's _CONTROL_AREA.h of each release: x64 0x40 (EX_FAST_REF, 4 reference
 * bits), x86 0x24 in 8 and 0x20 from 8.1 on (3 bits); FILE_OBJECT.FileName 0x58 (x64, ntdiff's
 * Win8 _FILE_OBJECT.h) and 0x30 (x86, Bitdefender hvmi's windows_7601_x86 and windows_17763_x86
 * yaml). Windows 10 1903 (18362) x64: the Vergilius Project's layouts as the C header
 * headers/bindings-10.0.18362.418-x64.h of novafacing/vergilius-rs gives them (_EPROCESS.VadRoot
 * 0x658; _MMVAD_SHORT: StartingVpn 0x18, EndingVpn 0x1C, High bytes 0x20/0x21, u 0x30, u1 0x34;
 * _MMVAD_FLAGS: Lock, LockContended, DeleteInProgress, NoChange (1 bit each), VadType:3 (bits 4-6),
 * Protection:5 (7-11), PreferredNode:6, PageSize:2, PrivateMemory:1 (bit 20); _MMVAD_FLAGS1:
 * CommitCharge:31, MemCommit:1 (bit 31); _MMVAD.Subsection 0x48; _CONTROL_AREA.FilePointer 0x40),
 * ntdiff's Win10_1903_19H1 headers being of another build than Chappell's 1903; its FILE_OBJECT and
 * EX_FAST_REF were not reached in the header, so FILE_OBJECT.FileName (0x58 x64, 0x30 x86) and the
 * EX_FAST_REF reference bits (4 x64, 3 x86) are those MemProcFS (github.com/ufrisk/MemProcFS,
 * vmm/vmmwindef.h O64_FILE_OBJECT_FileName and vmm/vmm.h VMM_PTR_OFFSET_EX_FAST_REF) uses for every
 * build, from Windows XP to 11. Windows 11
 * 21H2 (22000) x64: the same repository's headers/bindings-10.0.22000.194-x64.h (_EPROCESS.VadRoot
 * 0x7D8, its other EPROCESS fields those of the 19041-22631 EPROCESS row; _RTL_BALANCED_NODE Left
 * 0x0, Right 0x8; _MMVAD_SHORT: the 2004 node offsets, plus a StartingVpnHigher nibble at 0x38 that
 * 48-bit user space leaves 0; _MMVAD_FLAGS: Lock, LockContended, DeleteInProgress, NoChange, then
 * VadType:3 (bits 4-6), Protection:5 (7-11), PreferredNode:7, PageSize:2, PrivateMemory:1 (bit 21);
 * _MMVAD_FLAGS1.MemCommit bit 31; _MMVAD.Subsection 0x48; _CONTROL_AREA.FilePointer 0x40;
 * _FILE_OBJECT.FileName 0x58); its EX_FAST_REF was not reached, so its 4 reference bits are
 * MemProcFS's. x86 1903 and 2004 to 22H2: EPROCESS.VadRoot from Chappell's EPROCESS page (0x310 in
 * 1903, 0x350 in 2004); MMVAD_FLAGS and MMVAD_FLAGS1 from the Vergilius headers of 10.0.18362.418
 * and 10.0.19041.1288 x86 (VadType bits 4-6, Protection 7-11, PreferredNode:6, PageSize:2,
 * PrivateMemory bit 20, MemCommit bit 31 of VadFlags1: as MemProcFS's mm_vad.c decodes every build
 * from 18362 on); _CONTROL_AREA.FilePointer 0x20 from the 10.0.18362.418 x86 header (MemProcFS uses
 * 0x20 for every x86 build from Windows 8); the node (RTL_BALANCED_NODE children 0x0/0x4,
 * StartingVpn 0xC, EndingVpn 0x10, VadFlags 0x1C, VadFlags1 0x20, Subsection 0x2C) from MemProcFS's
 * _MMVAD32_10, the layout it reads for every x86 build from 8.1 on; FILE_OBJECT.FileName 0x30 and 3
 * reference bits as MemProcFS. Windows 10 1507 and 1511 (10240, 10586), x64 and x86: EPROCESS.VadRoot
 * from Chappell's EPROCESS page (RTL_AVL_TREE VadRoot: x64 0x608 in 10.0, 0x610 in 1511; x86 0x284 in
 * both; the mirror github.com/geoffchappellmirror/geoffchappellmirror.github.io, studies/windows/km/
 * ntoskrnl/inc/ntos/ps/eprocess/index.htm); the MMVAD_FLAGS bit order from the declarations in Andrey
 * Bazhan's SymStore headers of ntoskrnl 10.0.10240.16384 x64 and x86 and 10.0.10586.0 x64
 * (github.com/AndreyBazhan/SymStore Include/ntoskrnl.exe, generated from Microsoft's symbols; 1511 x86's
 * was not read, the x64 kernel's is named): VadType:3, Protection:5,
 * PreferredNode:6, NoChange:1, PrivateMemory:1, so bits 0, 3 and 15; MMVAD_FLAGS1 CommitCharge:31,
 * MemCommit:1); those headers give no offsets, so the node (RTL_BALANCED_NODE children 0x0/0x8,
 * StartingVpn 0x18, EndingVpn 0x1C, the High bytes 0x20/0x21, VadFlags 0x30, VadFlags1 0x34, Subsection
 * 0x48; x86: children 0x0/0x4, VPNs 0xC/0x10, VadFlags 0x1C, VadFlags1 0x20, Subsection 0x2C) is
 * MemProcFS's _MMVAD64_10 / _MMVAD32_10, the layout it reads for every build from 8.1 on, with its
 * flag positions for builds before 17134 (VadType 0, Protection 3, PrivateMemory 15, as the headers'
 * declarations give them), and the same as ntdiff's 8.1 and 1607 rows on either side;
 * CONTROL_AREA.FilePointer (0x40 x64, 0x20 x86), FILE_OBJECT.FileName and the reference bits are
 * MemProcFS's. Windows 10 1909 (18363) shares 1903's rows: Microsoft documents 1909 as an enablement
 * package over 1903 ("Windows 10, versions 1903 and 1909 share a common core operating system and an
 * identical set of system files"; KB4517245 in MicrosoftDocs/windows-itpro-docs
 * whats-new-windows-10-version-1909.md), and the 10.0.18362.418 header those rows were read from is of
 * the kernel 1909 shipped with (github.com/AndreyBazhan/SymStore README names it Windows 10 1909).
 * Windows 11 24H2 (26100): CONTROL_AREA.FilePointer 0x40 is MemProcFS's (vmm/mm/mm_vad.c
 * MmVad_ExtendedInfoFetch: 0x40 for every x64 build from Vista SP1 on, 24H2 and the 26H1 that changed
 * its MMVAD included); no layout of 24H2's own CONTROL_AREA was read. Windows Server 2022 (20348) has
 * no row: MemProcFS gives every field but EPROCESS.VadRoot for it (_MMVAD64_10, Windows 11's flag
 * positions from 20348 on, FilePointer 0x40), and no source read gives its VadRoot; its VADs are read
 * only with a known layout that validates on the dump (kdump_vad_inference.c). */
#include "kdump_vad.h"

#define VAD_NTDIFF "ntdiff/headers (_EPROCESS, _MMVAD_SHORT, _MMVAD_FLAGS, _MMVAD) and Vergilius Project " \
                   "(_CONTROL_AREA, _FILE_OBJECT)"
#define VAD_8_TO_1809(release) "Chappell's EPROCESS (VadRoot); ntdiff/headers " release " _MMVAD.h, " \
                              "_CONTROL_AREA.h; FILE_OBJECT.FileName: ntdiff Win8 _FILE_OBJECT.h (x64), hvmi (x86)"
#define MEMPROCFS_NAMES "; FILE_OBJECT.FileName and EX_FAST_REF bits: MemProcFS (github.com/ufrisk/MemProcFS " \
                        "vmm/vmmwindef.h, vmm/vmm.h), as it reads every build"
#define VAD_VERGILIUS_18362 "Vergilius Project layouts from Microsoft's public symbols, github.com/novafacing/" \
                            "vergilius-rs headers/bindings-10.0.18362.418-x64.h (_EPROCESS, _RTL_BALANCED_NODE, " \
                            "_MMVAD_SHORT, _MMVAD_FLAGS, _MMVAD_FLAGS1, _MMVAD, _CONTROL_AREA)" MEMPROCFS_NAMES
#define VAD_VERGILIUS_22000 "Vergilius Project layouts from Microsoft's public symbols, github.com/novafacing/" \
                            "vergilius-rs headers/bindings-10.0.22000.194-x64.h (_EPROCESS, _RTL_BALANCED_NODE, " \
                            "_MMVAD_SHORT, _MMVAD_FLAGS, _MMVAD_FLAGS1, _MMVAD, _CONTROL_AREA, _FILE_OBJECT); " \
                            "EX_FAST_REF bits: MemProcFS (github.com/ufrisk/MemProcFS vmm/vmm.h), as it reads every build"
#define VAD_X86_MEMPROCFS "; the node and Subsection: MemProcFS _MMVAD32_10 (github.com/ufrisk/MemProcFS " \
                          "vmm/mm/mm_vad.c), its layout of every x86 build from 8.1 on" MEMPROCFS_NAMES
#define VAD_WIN7 "ntdiff/headers _EPROCESS.h (VadRoot) and Vergilius Project (_MMADDRESS_NODE, _MMVAD_SHORT, " \
                 "_MMVAD_FLAGS, _MMVAD, _CONTROL_AREA, _FILE_OBJECT)"
#define VAD_10_TO_1511_FLAGS(header) "Chappell's EPROCESS (VadRoot; github.com/geoffchappellmirror); MMVAD_FLAGS and " \
                                    "MMVAD_FLAGS1 bit order: github.com/AndreyBazhan/SymStore Include/ntoskrnl.exe/" \
                                    header
#define VAD_10_TO_1511(header) VAD_10_TO_1511_FLAGS(header) "; the node, flag positions before 17134 and " \
                              "CONTROL_AREA.FilePointer: MemProcFS (github.com/ufrisk/MemProcFS vmm/mm/mm_vad.c)" \
                              MEMPROCFS_NAMES
#define SAME_KERNEL_1909 "; 1909 (18363): 1903's kernel, as Microsoft documents 1909 (an enablement package over " \
                         "1903, 'an identical set of system files'; 10.0.18362.418 is 1909's ntoskrnl per " \
                         "github.com/AndreyBazhan/SymStore)"

/*  root, left, right, starting vpn, ending vpn, vpn size, starting high, ending high, flags, flags size,
 *  type shift, protection shift, private shift, commit flags, commit shift, subsection, file pointer,
 *  file name, fast ref bits */
static const pmm_kdump_vad_row vad_rows[] = {
    {8, 7600, 7601, "Windows 7, Server 2008 R2", VAD_WIN7,
     {0x448 + 0x10, 0x08, 0x10, 0x18, 0x20, 8, 0, 0, 0x28, 8, 52, 56, 63, 0x28, 55, 0x48, 0x40, 0x58, 4}},
    {8, 9200, 9200, "Windows 8, Server 2012", VAD_8_TO_1809("Win8"),
     {0x590 + 0x10, 0x08, 0x10, 0x18, 0x1C, 4, 0, 0, 0x28, 4, 0, 3, 15, 0x2C, 31, 0x48, 0x40, 0x58, 4}},
    {8, 9600, 9600, "Windows 8.1, Server 2012 R2", VAD_8_TO_1809("Win8.1"),
     {0x5D8, 0x00, 0x08, 0x18, 0x1C, 4, 0x20, 0x21, 0x30, 4, 0, 3, 15, 0x34, 31, 0x48, 0x40, 0x58, 4}},
    {8, 10240, 10240, "Windows 10 1507", VAD_10_TO_1511("ntoskrnl.exe-10.0.10240.16384-x64.h"),
     {0x608, 0x00, 0x08, 0x18, 0x1C, 4, 0x20, 0x21, 0x30, 4, 0, 3, 15, 0x34, 31, 0x48, 0x40, 0x58, 4}},
    {8, 10586, 10586, "Windows 10 1511", VAD_10_TO_1511("ntoskrnl.exe-10.0.10586.0-x64.h"),
     {0x610, 0x00, 0x08, 0x18, 0x1C, 4, 0x20, 0x21, 0x30, 4, 0, 3, 15, 0x34, 31, 0x48, 0x40, 0x58, 4}},
    {8, 14393, 14393, "Windows 10 1607, Server 2016", VAD_8_TO_1809("Win10_1607_RS1"),
     {0x620, 0x00, 0x08, 0x18, 0x1C, 4, 0x20, 0x21, 0x30, 4, 0, 3, 15, 0x34, 31, 0x48, 0x40, 0x58, 4}},
    {8, 15063, 16299, "Windows 10 1703 and 1709", VAD_8_TO_1809("Win10_1703_RS2 and Win10_1709_RS3"),
     {0x628, 0x00, 0x08, 0x18, 0x1C, 4, 0x20, 0x21, 0x30, 4, 0, 3, 15, 0x34, 31, 0x48, 0x40, 0x58, 4}},
    {8, 17134, 17134, "Windows 10 1803", VAD_8_TO_1809("Win10_1803_RS4"),
     {0x628, 0x00, 0x08, 0x18, 0x1C, 4, 0x20, 0x21, 0x30, 4, 0, 3, 14, 0x34, 31, 0x48, 0x40, 0x58, 4}},
    {8, 17763, 17763, "Windows 10 1809, Server 2019", VAD_NTDIFF,
     {0x628, 0x00, 0x08, 0x18, 0x1C, 4, 0x20, 0x21, 0x30, 4, 0, 3, 14, 0x34, 31, 0x48, 0x40, 0x58, 4}},
    {8, 18362, 18363, "Windows 10 1903 and 1909", VAD_VERGILIUS_18362 SAME_KERNEL_1909,
     {0x658, 0x00, 0x08, 0x18, 0x1C, 4, 0x20, 0x21, 0x30, 4, 4, 7, 20, 0x34, 31, 0x48, 0x40, 0x58, 4}},
    {8, 19041, 19045, "Windows 10 2004 to 22H2", VAD_NTDIFF,
     {0x7D8, 0x00, 0x08, 0x18, 0x1C, 4, 0x20, 0x21, 0x30, 4, 4, 7, 20, 0x34, 31, 0x48, 0x40, 0x58, 4}},
    {8, 22000, 22000, "Windows 11 21H2", VAD_VERGILIUS_22000,
     {0x7D8, 0x00, 0x08, 0x18, 0x1C, 4, 0x20, 0x21, 0x30, 4, 4, 7, 21, 0x34, 31, 0x48, 0x40, 0x58, 4}},
    {8, 22621, 22631, "Windows 11 22H2 and 23H2", "ntdiff/headers Win11_2209_22H2 (_EPROCESS with EX_FAST_REF, "
     "_MMVAD_SHORT, _MMVAD_FLAGS, _MMVAD); Vergilius Project bindings-10.0.22621.382-x64.h and "
     "bindings-10.0.22631.2428-x64.h in github.com/novafacing/vergilius-rs (_CONTROL_AREA, _FILE_OBJECT)",
     {0x7D8, 0x00, 0x08, 0x18, 0x1C, 4, 0x20, 0x21, 0x30, 4, 4, 7, 21, 0x34, 31, 0x48, 0x40, 0x58, 4}},
    {8, 26100, 26100, "Windows 11 24H2, Server 2025", "ntdiff/headers (_EPROCESS, _MMVAD_SHORT, _MMVAD_FLAGS, "
     "_MM_PRIVATE_VAD_FLAGS, _MMVAD); CONTROL_AREA.FilePointer: MemProcFS (github.com/ufrisk/MemProcFS "
     "vmm/mm/mm_vad.c), its offset for every x64 build from Vista SP1 on" MEMPROCFS_NAMES,
     {0x558, 0x00, 0x08, 0x18, 0x1C, 4, 0x20, 0x21, 0x30, 4, 4, 7, 21, 0x30, 25, 0x48, 0x40, 0x58, 4}},
    {4, 7600, 7601, "Windows 7 (x86)", VAD_WIN7,
     {0x278 + 0x08, 0x04, 0x08, 0x0C, 0x10, 4, 0, 0, 0x14, 4, 20, 24, 31, 0x14, 23, 0x24, 0x24, 0x30, 3}},
    {4, 9200, 9200, "Windows 8 (x86)", VAD_8_TO_1809("Win8/x86"),
     {0x274 + 0x08, 0x04, 0x08, 0x0C, 0x10, 4, 0, 0, 0x18, 4, 0, 3, 15, 0x1C, 31, 0x2C, 0x24, 0x30, 3}},
    {4, 9600, 9600, "Windows 8.1 (x86)", VAD_8_TO_1809("Win8.1/x86"),
     {0x274, 0x00, 0x04, 0x0C, 0x10, 4, 0, 0, 0x1C, 4, 0, 3, 15, 0x20, 31, 0x2C, 0x20, 0x30, 3}},
    {4, 10240, 10240, "Windows 10 1507 (x86)",
     VAD_10_TO_1511_FLAGS("ntoskrnl.exe-10.0.10240.16384-x86.h") "; CONTROL_AREA.FilePointer: MemProcFS "
     "vmm/mm/mm_vad.c" VAD_X86_MEMPROCFS,
     {0x284, 0x00, 0x04, 0x0C, 0x10, 4, 0, 0, 0x1C, 4, 0, 3, 15, 0x20, 31, 0x2C, 0x20, 0x30, 3}},
    {4, 10586, 10586, "Windows 10 1511 (x86)",
     VAD_10_TO_1511_FLAGS("ntoskrnl.exe-10.0.10586.0-x64.h (the x64 kernel's)") "; CONTROL_AREA.FilePointer: "
     "MemProcFS vmm/mm/mm_vad.c" VAD_X86_MEMPROCFS,
     {0x284, 0x00, 0x04, 0x0C, 0x10, 4, 0, 0, 0x1C, 4, 0, 3, 15, 0x20, 31, 0x2C, 0x20, 0x30, 3}},
    {4, 14393, 14393, "Windows 10 1607 (x86)", VAD_8_TO_1809("Win10_1607_RS1/x86"),
     {0x28C, 0x00, 0x04, 0x0C, 0x10, 4, 0, 0, 0x1C, 4, 0, 3, 15, 0x20, 31, 0x2C, 0x20, 0x30, 3}},
    {4, 15063, 16299, "Windows 10 1703 and 1709 (x86)", VAD_8_TO_1809("Win10_1703_RS2 and Win10_1709_RS3 x86"),
     {0x298, 0x00, 0x04, 0x0C, 0x10, 4, 0, 0, 0x1C, 4, 0, 3, 15, 0x20, 31, 0x2C, 0x20, 0x30, 3}},
    {4, 17134, 17763, "Windows 10 1803 and 1809 (x86)", VAD_8_TO_1809("Win10_1803_RS4 and Win10_1809_RS5 x86"),
     {0x29C, 0x00, 0x04, 0x0C, 0x10, 4, 0, 0, 0x1C, 4, 0, 3, 14, 0x20, 31, 0x2C, 0x20, 0x30, 3}},
    {4, 18362, 18363, "Windows 10 1903 and 1909 (x86)", "Chappell's EPROCESS (VadRoot); Vergilius Project "
     "bindings-10.0.18362.418-x86.h in github.com/novafacing/vergilius-rs (_MMVAD_FLAGS, _MMVAD_FLAGS1, "
     "_CONTROL_AREA)" VAD_X86_MEMPROCFS SAME_KERNEL_1909,
     {0x310, 0x00, 0x04, 0x0C, 0x10, 4, 0, 0, 0x1C, 4, 4, 7, 20, 0x20, 31, 0x2C, 0x20, 0x30, 3}},
    {4, 19041, 19045, "Windows 10 2004 to 22H2 (x86)", "Chappell's EPROCESS (VadRoot); Vergilius Project "
     "bindings-10.0.19041.1288-x86.h in github.com/novafacing/vergilius-rs (_MMVAD_FLAGS, _MMVAD_FLAGS1); "
     "CONTROL_AREA.FilePointer: MemProcFS vmm/mm/mm_vad.c" VAD_X86_MEMPROCFS,
     {0x350, 0x00, 0x04, 0x0C, 0x10, 4, 0, 0, 0x1C, 4, 4, 7, 20, 0x20, 31, 0x2C, 0x20, 0x30, 3}},
};

const pmm_kdump_vad_row *pmm_kdump_vad_row_for(uint32_t pointer_size, uint32_t build)
{
    for (size_t i = 0; i < sizeof vad_rows / sizeof vad_rows[0]; i++)
        if (vad_rows[i].pointer_size == pointer_size && build >= vad_rows[i].first_build &&
            build <= vad_rows[i].last_build)
            return &vad_rows[i];
    return NULL;
}

const pmm_kdump_vad_row *pmm_kdump_vad_row_at(size_t index)
{
    return index < sizeof vad_rows / sizeof vad_rows[0] ? &vad_rows[index] : NULL;
}
