/* PE structures as the PE/COFF specification lays them out (bit-for-bit the same in every
 * Windows version): DOS and NT headers, section header, export, import, TLS and load config. */
#include "struct_tables.h"

#include "struct_table_fields.h"
/* The 16 data directories: VirtualAddress and Size of each. */
#define DIRS(at)                                                                                          \
    U32("Export.VirtualAddress", at), U32("Export.Size", at + 4), U32("Import.VirtualAddress", at + 8),   \
    U32("Import.Size", at + 12), U32("Resource.VirtualAddress", at + 16), U32("Resource.Size", at + 20),  \
    U32("Exception.VirtualAddress", at + 24), U32("Exception.Size", at + 28),                             \
    U32("Security.VirtualAddress", at + 32), U32("Security.Size", at + 36),                               \
    U32("BaseReloc.VirtualAddress", at + 40), U32("BaseReloc.Size", at + 44),                             \
    U32("Debug.VirtualAddress", at + 48), U32("Debug.Size", at + 52),                                     \
    U32("Architecture.VirtualAddress", at + 56), U32("Architecture.Size", at + 60),                       \
    U32("GlobalPtr.VirtualAddress", at + 64), U32("GlobalPtr.Size", at + 68),                             \
    U32("Tls.VirtualAddress", at + 72), U32("Tls.Size", at + 76),                                         \
    U32("LoadConfig.VirtualAddress", at + 80), U32("LoadConfig.Size", at + 84),                           \
    U32("BoundImport.VirtualAddress", at + 88), U32("BoundImport.Size", at + 92),                         \
    U32("IAT.VirtualAddress", at + 96), U32("IAT.Size", at + 100),                                        \
    U32("DelayImport.VirtualAddress", at + 104), U32("DelayImport.Size", at + 108),                       \
    U32("ComDescriptor.VirtualAddress", at + 112), U32("ComDescriptor.Size", at + 116),                   \
    U32("Reserved.VirtualAddress", at + 120), U32("Reserved.Size", at + 124)

static const pmm_field dos_header_fields[] = {
    U16("e_magic", 0x0), U16("e_cblp", 0x2), U16("e_cp", 0x4), U16("e_crlc", 0x6), U16("e_cparhdr", 0x8),
    U16("e_minalloc", 0xA), U16("e_maxalloc", 0xC), U16("e_ss", 0xE), U16("e_sp", 0x10), U16("e_csum", 0x12),
    U16("e_ip", 0x14), U16("e_cs", 0x16), U16("e_lfarlc", 0x18), U16("e_ovno", 0x1A),
    F("e_res", 0x1C, 8, PMM_FIELD_BYTES), U16("e_oemid", 0x24), U16("e_oeminfo", 0x26),
    F("e_res2", 0x28, 20, PMM_FIELD_BYTES), U32("e_lfanew", 0x3C),
};
TABLE(pmm_struct_dos_header, "IMAGE_DOS_HEADER", 0x40, 0, dos_header_fields);

static const pmm_bit_name file_characteristics[] = {
    {0x1, "RELOCS_STRIPPED"}, {0x2, "EXECUTABLE_IMAGE"}, {0x4, "LINE_NUMS_STRIPPED"}, {0x8, "LOCAL_SYMS_STRIPPED"},
    {0x10, "AGGRESSIVE_WS_TRIM"}, {0x20, "LARGE_ADDRESS_AWARE"}, {0x80, "BYTES_REVERSED_LO"},
    {0x100, "32BIT_MACHINE"}, {0x200, "DEBUG_STRIPPED"}, {0x400, "REMOVABLE_RUN_FROM_SWAP"},
    {0x800, "NET_RUN_FROM_SWAP"}, {0x1000, "SYSTEM"}, {0x2000, "DLL"}, {0x4000, "UP_SYSTEM_ONLY"},
    {0x8000, "BYTES_REVERSED_HI"}, {0, NULL}};
static const pmm_bit_name dll_characteristics[] = {
    {0x20, "HIGH_ENTROPY_VA"}, {0x40, "DYNAMIC_BASE"}, {0x80, "FORCE_INTEGRITY"}, {0x100, "NX_COMPAT"},
    {0x200, "NO_ISOLATION"}, {0x400, "NO_SEH"}, {0x800, "NO_BIND"}, {0x1000, "APPCONTAINER"},
    {0x2000, "WDM_DRIVER"}, {0x4000, "GUARD_CF"}, {0x8000, "TERMINAL_SERVER_AWARE"}, {0, NULL}};

#define FILE_HEADER                                                                                        \
    U32("Signature", 0x0), U16("FileHeader.Machine", 0x4), U16("FileHeader.NumberOfSections", 0x6),       \
    U32("FileHeader.TimeDateStamp", 0x8), U32("FileHeader.PointerToSymbolTable", 0xC),                    \
    U32("FileHeader.NumberOfSymbols", 0x10), U16("FileHeader.SizeOfOptionalHeader", 0x14),                \
    FLAGS("FileHeader.Characteristics", 0x16, 2, file_characteristics), U16("OptionalHeader.Magic", 0x18), \
    U8("OptionalHeader.MajorLinkerVersion", 0x1A), U8("OptionalHeader.MinorLinkerVersion", 0x1B),         \
    U32("OptionalHeader.SizeOfCode", 0x1C), U32("OptionalHeader.SizeOfInitializedData", 0x20),            \
    U32("OptionalHeader.SizeOfUninitializedData", 0x24), U32("OptionalHeader.AddressOfEntryPoint", 0x28), \
    U32("OptionalHeader.BaseOfCode", 0x2C)
#define OPTIONAL_COMMON                                                                                    \
    U32("OptionalHeader.SectionAlignment", 0x38), U32("OptionalHeader.FileAlignment", 0x3C),              \
    U16("OptionalHeader.MajorOperatingSystemVersion", 0x40),                                              \
    U16("OptionalHeader.MinorOperatingSystemVersion", 0x42), U16("OptionalHeader.MajorImageVersion", 0x44), \
    U16("OptionalHeader.MinorImageVersion", 0x46), U16("OptionalHeader.MajorSubsystemVersion", 0x48),     \
    U16("OptionalHeader.MinorSubsystemVersion", 0x4A), U32("OptionalHeader.Win32VersionValue", 0x4C),     \
    U32("OptionalHeader.SizeOfImage", 0x50), U32("OptionalHeader.SizeOfHeaders", 0x54),                   \
    U32("OptionalHeader.CheckSum", 0x58), U16("OptionalHeader.Subsystem", 0x5C),                          \
    FLAGS("OptionalHeader.DllCharacteristics", 0x5E, 2, dll_characteristics)

static const pmm_field nt_headers64_fields[] = {
    FILE_HEADER, U64("OptionalHeader.ImageBase", 0x30), OPTIONAL_COMMON,
    U64("OptionalHeader.SizeOfStackReserve", 0x60), U64("OptionalHeader.SizeOfStackCommit", 0x68),
    U64("OptionalHeader.SizeOfHeapReserve", 0x70), U64("OptionalHeader.SizeOfHeapCommit", 0x78),
    U32("OptionalHeader.LoaderFlags", 0x80), U32("OptionalHeader.NumberOfRvaAndSizes", 0x84), DIRS(0x88),
};
TABLE(pmm_struct_nt_headers64, "IMAGE_NT_HEADERS64", 0x108, 8, nt_headers64_fields);

static const pmm_field nt_headers32_fields[] = {
    FILE_HEADER, U32("OptionalHeader.BaseOfData", 0x30), U32("OptionalHeader.ImageBase", 0x34), OPTIONAL_COMMON,
    U32("OptionalHeader.SizeOfStackReserve", 0x60), U32("OptionalHeader.SizeOfStackCommit", 0x64),
    U32("OptionalHeader.SizeOfHeapReserve", 0x68), U32("OptionalHeader.SizeOfHeapCommit", 0x6C),
    U32("OptionalHeader.LoaderFlags", 0x70), U32("OptionalHeader.NumberOfRvaAndSizes", 0x74), DIRS(0x78),
};
TABLE(pmm_struct_nt_headers32, "IMAGE_NT_HEADERS32", 0xF8, 4, nt_headers32_fields);

static const pmm_bit_name section_characteristics[] = {
    {0x20, "CNT_CODE"}, {0x40, "CNT_INITIALIZED_DATA"}, {0x80, "CNT_UNINITIALIZED_DATA"}, {0x200, "LNK_INFO"},
    {0x800, "LNK_REMOVE"}, {0x1000, "LNK_COMDAT"}, {0x8000, "GPREL"}, {0x1000000, "LNK_NRELOC_OVFL"},
    {0x2000000, "MEM_DISCARDABLE"}, {0x4000000, "MEM_NOT_CACHED"}, {0x8000000, "MEM_NOT_PAGED"},
    {0x10000000, "MEM_SHARED"}, {0x20000000, "MEM_EXECUTE"}, {0x40000000, "MEM_READ"}, {0x80000000u, "MEM_WRITE"},
    {0, NULL}};

static const pmm_field section_header_fields[] = {
    F("Name", 0x0, 8, PMM_FIELD_CHARS), U32("VirtualSize", 0x8), U32("VirtualAddress", 0xC),
    U32("SizeOfRawData", 0x10), U32("PointerToRawData", 0x14), U32("PointerToRelocations", 0x18),
    U32("PointerToLinenumbers", 0x1C), U16("NumberOfRelocations", 0x20), U16("NumberOfLinenumbers", 0x22),
    FLAGS("Characteristics", 0x24, 4, section_characteristics),
};
TABLE(pmm_struct_section_header, "IMAGE_SECTION_HEADER", 0x28, 0, section_header_fields);

static const pmm_field export_directory_fields[] = {
    U32("Characteristics", 0x0), U32("TimeDateStamp", 0x4), U16("MajorVersion", 0x8), U16("MinorVersion", 0xA),
    U32("Name", 0xC), U32("Base", 0x10), U32("NumberOfFunctions", 0x14), U32("NumberOfNames", 0x18),
    U32("AddressOfFunctions", 0x1C), U32("AddressOfNames", 0x20), U32("AddressOfNameOrdinals", 0x24),
};
TABLE(pmm_struct_export_directory, "IMAGE_EXPORT_DIRECTORY", 0x28, 0, export_directory_fields);

static const pmm_field import_descriptor_fields[] = {
    U32("OriginalFirstThunk", 0x0), U32("TimeDateStamp", 0x4), U32("ForwarderChain", 0x8), U32("Name", 0xC),
    U32("FirstThunk", 0x10),
};
TABLE(pmm_struct_import_descriptor, "IMAGE_IMPORT_DESCRIPTOR", 0x14, 0, import_descriptor_fields);

static const pmm_field tls64_fields[] = {
    P64("StartAddressOfRawData", 0x0), P64("EndAddressOfRawData", 0x8), P64("AddressOfIndex", 0x10),
    P64("AddressOfCallBacks", 0x18), U32("SizeOfZeroFill", 0x20), U32("Characteristics", 0x24),
};
TABLE(pmm_struct_tls64, "IMAGE_TLS_DIRECTORY64", 0x28, 8, tls64_fields);

static const pmm_field tls32_fields[] = {
    P32("StartAddressOfRawData", 0x0), P32("EndAddressOfRawData", 0x4), P32("AddressOfIndex", 0x8),
    P32("AddressOfCallBacks", 0xC), U32("SizeOfZeroFill", 0x10), U32("Characteristics", 0x14),
};
TABLE(pmm_struct_tls32, "IMAGE_TLS_DIRECTORY32", 0x18, 4, tls32_fields);

static const pmm_bit_name guard_flags[] = {
    {0x100, "CF_INSTRUMENTED"}, {0x200, "CFW_INSTRUMENTED"}, {0x400, "CF_FUNCTION_TABLE_PRESENT"},
    {0x800, "SECURITY_COOKIE_UNUSED"}, {0x1000, "PROTECT_DELAYLOAD_IAT"},
    {0x2000, "DELAYLOAD_IAT_IN_ITS_OWN_SECTION"}, {0x4000, "CF_EXPORT_SUPPRESSION_INFO_PRESENT"},
    {0x8000, "CF_ENABLE_EXPORT_SUPPRESSION"}, {0x10000, "CF_LONGJUMP_TABLE_PRESENT"}, {0, NULL}};

/* Up to GuardFlags: the part every linker since Windows 8.1 writes. */
static const pmm_field load_config64_fields[] = {
    U32("Size", 0x0), U32("TimeDateStamp", 0x4), U16("MajorVersion", 0x8), U16("MinorVersion", 0xA),
    U32("GlobalFlagsClear", 0xC), U32("GlobalFlagsSet", 0x10), U32("CriticalSectionDefaultTimeout", 0x14),
    U64("DeCommitFreeBlockThreshold", 0x18), U64("DeCommitTotalFreeThreshold", 0x20), P64("LockPrefixTable", 0x28),
    U64("MaximumAllocationSize", 0x30), U64("VirtualMemoryThreshold", 0x38), U64("ProcessAffinityMask", 0x40),
    U32("ProcessHeapFlags", 0x48), U16("CSDVersion", 0x4C), U16("DependentLoadFlags", 0x4E), P64("EditList", 0x50),
    P64("SecurityCookie", 0x58), P64("SEHandlerTable", 0x60), U64("SEHandlerCount", 0x68),
    P64("GuardCFCheckFunctionPointer", 0x70), P64("GuardCFDispatchFunctionPointer", 0x78),
    P64("GuardCFFunctionTable", 0x80), U64("GuardCFFunctionCount", 0x88), FLAGS("GuardFlags", 0x90, 4, guard_flags),
};
TABLE(pmm_struct_load_config64, "IMAGE_LOAD_CONFIG_DIRECTORY64", 0x94, 8, load_config64_fields);

static const pmm_field load_config32_fields[] = {
    U32("Size", 0x0), U32("TimeDateStamp", 0x4), U16("MajorVersion", 0x8), U16("MinorVersion", 0xA),
    U32("GlobalFlagsClear", 0xC), U32("GlobalFlagsSet", 0x10), U32("CriticalSectionDefaultTimeout", 0x14),
    U32("DeCommitFreeBlockThreshold", 0x18), U32("DeCommitTotalFreeThreshold", 0x1C), P32("LockPrefixTable", 0x20),
    U32("MaximumAllocationSize", 0x24), U32("VirtualMemoryThreshold", 0x28), U32("ProcessHeapFlags", 0x2C),
    U32("ProcessAffinityMask", 0x30), U16("CSDVersion", 0x34), U16("DependentLoadFlags", 0x36), P32("EditList", 0x38),
    P32("SecurityCookie", 0x3C), P32("SEHandlerTable", 0x40), U32("SEHandlerCount", 0x44),
    P32("GuardCFCheckFunctionPointer", 0x48), P32("GuardCFDispatchFunctionPointer", 0x4C),
    P32("GuardCFFunctionTable", 0x50), U32("GuardCFFunctionCount", 0x54), FLAGS("GuardFlags", 0x58, 4, guard_flags),
};
TABLE(pmm_struct_load_config32, "IMAGE_LOAD_CONFIG_DIRECTORY32", 0x5C, 4, load_config32_fields);
