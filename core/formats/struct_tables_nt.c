/* Process and thread structures: PEB, TEB, RTL_USER_PROCESS_PARAMETERS, LDR_DATA_TABLE_ENTRY (32-
 * and 64-bit) and KUSER_SHARED_DATA. Offsets from the public symbols of Windows 10 (checked against
 * the ntdiff/phnt layouts); fields Windows added later read as whatever the OS left there. */
#include "struct_tables.h"

#include "nt_layout.h"
#include "struct_table_fields.h"

static const pmm_bit_name peb_bitfield[] = {
    {0x01, "ImageUsesLargePages"}, {0x02, "IsProtectedProcess"}, {0x04, "IsImageDynamicallyRelocated"},
    {0x08, "SkipPatchingUser32Forwarders"}, {0x10, "IsPackagedProcess"}, {0x20, "IsAppContainer"},
    {0x40, "IsProtectedProcessLight"}, {0x80, "IsLongPathAwareProcess"}, {0, NULL}};
static const pmm_bit_name peb_cross_process_flags[] = {
    {0x01, "ProcessInJob"}, {0x02, "ProcessInitializing"}, {0x04, "ProcessUsingVEH"}, {0x08, "ProcessUsingVCH"},
    {0x10, "ProcessUsingFTH"}, {0x20, "ProcessPreviouslyThrottled"}, {0x40, "ProcessCurrentlyThrottled"},
    {0x80, "ProcessImagesHotPatched"}, {0, NULL}};
static const pmm_bit_name nt_global_flags[] = {
    {0x10, "FLG_HEAP_ENABLE_TAIL_CHECK"}, {0x20, "FLG_HEAP_ENABLE_FREE_CHECK"},
    {0x40, "FLG_HEAP_VALIDATE_PARAMETERS"}, {0x80, "FLG_HEAP_VALIDATE_ALL"}, {0x800, "FLG_HEAP_ENABLE_TAGGING"},
    {0x1000, "FLG_USER_STACK_TRACE_DB"}, {0x2000000, "FLG_HEAP_PAGE_ALLOCS"}, {0, NULL}};

static const pmm_field peb64_fields[] = {
    U8("InheritedAddressSpace", 0x0), U8("ReadImageFileExecOptions", 0x1), U8("BeingDebugged", 0x2),
    FLAGS("BitField", 0x3, 1, peb_bitfield), P64("Mutant", 0x8), P64("ImageBaseAddress", 0x10), P64("Ldr", 0x18),
    P64("ProcessParameters", 0x20), P64("SubSystemData", 0x28), P64("ProcessHeap", 0x30), P64("FastPebLock", 0x38),
    P64("AtlThunkSListPtr", 0x40), P64("IFEOKey", 0x48), FLAGS("CrossProcessFlags", 0x50, 4, peb_cross_process_flags),
    P64("KernelCallbackTable", 0x58), U32("SystemReserved", 0x60), U32("AtlThunkSListPtr32", 0x64),
    P64("ApiSetMap", 0x68), U32("TlsExpansionCounter", 0x70), P64("TlsBitmap", 0x78), U64("TlsBitmapBits", 0x80),
    P64("ReadOnlySharedMemoryBase", 0x88), P64("SharedData", 0x90), P64("ReadOnlyStaticServerData", 0x98),
    P64("AnsiCodePageData", 0xA0), P64("OemCodePageData", 0xA8), P64("UnicodeCaseTableData", 0xB0),
    U32("NumberOfProcessors", 0xB8), FLAGS("NtGlobalFlag", 0xBC, 4, nt_global_flags),
    U64("CriticalSectionTimeout", 0xC0), U64("HeapSegmentReserve", 0xC8), U64("HeapSegmentCommit", 0xD0),
    U64("HeapDeCommitTotalFreeThreshold", 0xD8), U64("HeapDeCommitFreeBlockThreshold", 0xE0),
    U32("NumberOfHeaps", 0xE8), U32("MaximumNumberOfHeaps", 0xEC), P64("ProcessHeaps", 0xF0),
    P64("GdiSharedHandleTable", 0xF8), P64("ProcessStarterHelper", 0x100), U32("GdiDCAttributeList", 0x108),
    P64("LoaderLock", 0x110), U32("OSMajorVersion", 0x118), U32("OSMinorVersion", 0x11C),
    U16("OSBuildNumber", 0x120), U16("OSCSDVersion", 0x122), U32("OSPlatformId", 0x124),
    U32("ImageSubsystem", 0x128), U32("ImageSubsystemMajorVersion", 0x12C), U32("ImageSubsystemMinorVersion", 0x130),
    U64("ActiveProcessAffinityMask", 0x138), P64("PostProcessInitRoutine", 0x230), P64("TlsExpansionBitmap", 0x238),
    U32("SessionId", 0x2C0), U64("AppCompatFlags", 0x2C8), U64("AppCompatFlagsUser", 0x2D0), P64("pShimData", 0x2D8),
    P64("AppCompatInfo", 0x2E0), US64("CSDVersion", 0x2E8), P64("ActivationContextData", 0x2F8),
    P64("ProcessAssemblyStorageMap", 0x300), P64("SystemDefaultActivationContextData", 0x308),
    P64("SystemAssemblyStorageMap", 0x310), U64("MinimumStackCommit", 0x318), P64("WerRegistrationData", 0x358),
    P64("WerShipAssertPtr", 0x360), P64("pImageHeaderHash", 0x370), U32("TracingFlags", 0x378),
    U64("CsrServerReadOnlySharedMemoryBase", 0x380), P64("TelemetryCoverageHeader", 0x7A0),
    U32("CloudFileFlags", 0x7A8), U32("CloudFileDiagFlags", 0x7AC), P64("LeapSecondData", 0x7B8),
    U32("LeapSecondFlags", 0x7C0), U32("NtGlobalFlag2", 0x7C4),
};
TABLE(pmm_struct_peb64, "PEB64", 0x7C8, 8, peb64_fields);

static const pmm_field peb32_fields[] = {
    U8("InheritedAddressSpace", 0x0), U8("ReadImageFileExecOptions", 0x1), U8("BeingDebugged", 0x2),
    FLAGS("BitField", 0x3, 1, peb_bitfield), P32("Mutant", 0x4), P32("ImageBaseAddress", 0x8), P32("Ldr", 0xC),
    P32("ProcessParameters", 0x10), P32("SubSystemData", 0x14), P32("ProcessHeap", 0x18), P32("FastPebLock", 0x1C),
    P32("AtlThunkSListPtr", 0x20), P32("IFEOKey", 0x24), FLAGS("CrossProcessFlags", 0x28, 4, peb_cross_process_flags),
    P32("KernelCallbackTable", 0x2C), U32("SystemReserved", 0x30), U32("AtlThunkSListPtr32", 0x34),
    P32("ApiSetMap", 0x38), U32("TlsExpansionCounter", 0x3C), P32("TlsBitmap", 0x40), U64("TlsBitmapBits", 0x44),
    P32("ReadOnlySharedMemoryBase", 0x4C), P32("SharedData", 0x50), P32("ReadOnlyStaticServerData", 0x54),
    P32("AnsiCodePageData", 0x58), P32("OemCodePageData", 0x5C), P32("UnicodeCaseTableData", 0x60),
    U32("NumberOfProcessors", 0x64), FLAGS("NtGlobalFlag", 0x68, 4, nt_global_flags),
    U64("CriticalSectionTimeout", 0x70), U32("HeapSegmentReserve", 0x78), U32("HeapSegmentCommit", 0x7C),
    U32("HeapDeCommitTotalFreeThreshold", 0x80), U32("HeapDeCommitFreeBlockThreshold", 0x84),
    U32("NumberOfHeaps", 0x88), U32("MaximumNumberOfHeaps", 0x8C), P32("ProcessHeaps", 0x90),
    P32("GdiSharedHandleTable", 0x94), P32("ProcessStarterHelper", 0x98), U32("GdiDCAttributeList", 0x9C),
    P32("LoaderLock", 0xA0), U32("OSMajorVersion", 0xA4), U32("OSMinorVersion", 0xA8), U16("OSBuildNumber", 0xAC),
    U16("OSCSDVersion", 0xAE), U32("OSPlatformId", 0xB0), U32("ImageSubsystem", 0xB4),
    U32("ImageSubsystemMajorVersion", 0xB8), U32("ImageSubsystemMinorVersion", 0xBC),
    U32("ActiveProcessAffinityMask", 0xC0), P32("PostProcessInitRoutine", 0x14C), P32("TlsExpansionBitmap", 0x150),
    U32("SessionId", 0x1D4), U64("AppCompatFlags", 0x1D8), U64("AppCompatFlagsUser", 0x1E0), P32("pShimData", 0x1E8),
    P32("AppCompatInfo", 0x1EC), US32("CSDVersion", 0x1F0), P32("ActivationContextData", 0x1F8),
    P32("ProcessAssemblyStorageMap", 0x1FC), P32("SystemDefaultActivationContextData", 0x200),
    P32("SystemAssemblyStorageMap", 0x204), U32("MinimumStackCommit", 0x208), P32("WerRegistrationData", 0x230),
    P32("WerShipAssertPtr", 0x234), P32("pImageHeaderHash", 0x23C), U32("TracingFlags", 0x240),
    U64("CsrServerReadOnlySharedMemoryBase", 0x248), P32("TelemetryCoverageHeader", 0x45C),
    U32("CloudFileFlags", 0x460), U32("CloudFileDiagFlags", 0x464), P32("LeapSecondData", 0x470),
    U32("LeapSecondFlags", 0x474), U32("NtGlobalFlag2", 0x478),
};
TABLE(pmm_struct_peb32, "PEB32", 0x480, 4, peb32_fields);

static const pmm_field teb64_fields[] = {
    P64("NtTib.ExceptionList", PMM_TEB64_EXCEPTION_LIST), P64("NtTib.StackBase", PMM_TEB64_STACK_BASE),
    P64("NtTib.StackLimit", PMM_TEB64_STACK_LIMIT),
    P64("NtTib.SubSystemTib", 0x18), P64("NtTib.FiberData", 0x20), P64("NtTib.ArbitraryUserPointer", 0x28),
    P64("NtTib.Self", PMM_TEB64_SELF), P64("EnvironmentPointer", 0x38), U64("ClientId.UniqueProcess", 0x40),
    U64("ClientId.UniqueThread", PMM_TEB64_CLIENT_ID_THREAD), P64("ActiveRpcHandle", 0x50),
    P64("ThreadLocalStoragePointer", 0x58),
    P64("ProcessEnvironmentBlock", PMM_TEB64_PEB), U32("LastErrorValue", 0x68),
    U32("CountOfOwnedCriticalSections", 0x6C),
    P64("CsrClientThread", 0x70), P64("Win32ThreadInfo", 0x78), P64("WOW32Reserved", 0x100),
    U32("CurrentLocale", 0x108), U32("FpSoftwareStatusRegister", 0x10C), U32("ExceptionCode", 0x2C0),
    P64("ActivationContextStackPointer", 0x2C8), U32("TxFsContext", 0x2E8), U32("GdiClientPID", 0x7F0),
    U32("GdiClientTID", 0x7F4), U32("LastStatusValue", 0x1250), US64("StaticUnicodeString", 0x1258),
    F("StaticUnicodeBuffer", 0x1268, 522, PMM_FIELD_WCHARS), P64("DeallocationStack", PMM_TEB64_DEALLOCATION_STACK),
    F("TlsSlots", 0x1480, 512, PMM_FIELD_BYTES), LE64("TlsLinks", 0x1680), P64("Vdm", 0x1690),
    P64("ReservedForNtRpc", 0x1698), U32("HardErrorMode", 0x16B0), F("ActivityId", 0x1710, 16, PMM_FIELD_GUID),
    P64("SubProcessTag", 0x1720), P64("EtwTraceData", 0x1730), U32("GdiBatchCount", 0x1740),
    U32("CurrentIdealProcessor", 0x1744), U32("GuaranteedStackBytes", 0x1748), P64("ReservedForOle", 0x1758),
    U32("WaitingOnLoaderLock", 0x1760), P64("ThreadPoolData", 0x1778), P64("TlsExpansionSlots", 0x1780),
    U32("MuiGeneration", 0x1798), U32("IsImpersonating", 0x179C), P64("NlsCache", 0x17A0), P64("pShimData", 0x17A8),
    U32("HeapData", 0x17B0), P64("CurrentTransactionHandle", 0x17B8), P64("ActiveFrame", 0x17C0),
    P64("FlsData", 0x17C8), U16("CrossTebFlags", 0x17EC), U16("SameTebFlags", 0x17EE), U32("LockCount", 0x1808),
    U32("WowTebOffset", 0x180C), U64("ReservedForCrt", 0x1820), F("EffectiveContainerId", 0x1828, 16, PMM_FIELD_GUID),
};
TABLE(pmm_struct_teb64, "TEB64", PMM_TEB64_SIZE, 8, teb64_fields);

static const pmm_field teb32_fields[] = {
    P32("NtTib.ExceptionList", PMM_TEB32_EXCEPTION_LIST), P32("NtTib.StackBase", PMM_TEB32_STACK_BASE),
    P32("NtTib.StackLimit", PMM_TEB32_STACK_LIMIT),
    P32("NtTib.SubSystemTib", 0xC), P32("NtTib.FiberData", 0x10), P32("NtTib.ArbitraryUserPointer", 0x14),
    P32("NtTib.Self", PMM_TEB32_SELF), P32("EnvironmentPointer", 0x1C), U32("ClientId.UniqueProcess", 0x20),
    U32("ClientId.UniqueThread", PMM_TEB32_CLIENT_ID_THREAD), P32("ActiveRpcHandle", 0x28),
    P32("ThreadLocalStoragePointer", 0x2C),
    P32("ProcessEnvironmentBlock", PMM_TEB32_PEB), U32("LastErrorValue", 0x34),
    U32("CountOfOwnedCriticalSections", 0x38),
    P32("CsrClientThread", 0x3C), P32("Win32ThreadInfo", 0x40), P32("WOW32Reserved", 0xC0),
    U32("CurrentLocale", 0xC4), U32("FpSoftwareStatusRegister", 0xC8), U32("ExceptionCode", 0x1A4),
    P32("ActivationContextStackPointer", 0x1A8), U32("TxFsContext", 0x1D0), U32("GdiClientPID", 0x6C0),
    U32("GdiClientTID", 0x6C4), U32("LastStatusValue", 0xBF4), US32("StaticUnicodeString", 0xBF8),
    F("StaticUnicodeBuffer", 0xC00, 522, PMM_FIELD_WCHARS), P32("DeallocationStack", PMM_TEB32_DEALLOCATION_STACK),
    F("TlsSlots", 0xE10, 256, PMM_FIELD_BYTES), LE32("TlsLinks", 0xF10), P32("Vdm", 0xF18),
    P32("ReservedForNtRpc", 0xF1C), U32("HardErrorMode", 0xF28), F("ActivityId", 0xF50, 16, PMM_FIELD_GUID),
    P32("SubProcessTag", 0xF60), P32("EtwTraceData", 0xF68), U32("GdiBatchCount", 0xF70),
    U32("CurrentIdealProcessor", 0xF74), U32("GuaranteedStackBytes", 0xF78), P32("ReservedForOle", 0xF80),
    U32("WaitingOnLoaderLock", 0xF84), P32("ThreadPoolData", 0xF90), P32("TlsExpansionSlots", 0xF94),
    U32("MuiGeneration", 0xF98), U32("IsImpersonating", 0xF9C), P32("NlsCache", 0xFA0), P32("pShimData", 0xFA4),
    U32("HeapData", 0xFA8), P32("CurrentTransactionHandle", 0xFAC), P32("ActiveFrame", 0xFB0), P32("FlsData", 0xFB4),
    U16("CrossTebFlags", 0xFC8), U16("SameTebFlags", 0xFCA), U32("LockCount", 0xFD8), U32("WowTebOffset", 0xFDC),
    U64("ReservedForCrt", 0xFE8), F("EffectiveContainerId", 0xFF0, 16, PMM_FIELD_GUID),
};
TABLE(pmm_struct_teb32, "TEB32", PMM_TEB32_SIZE, 4, teb32_fields);

static const pmm_bit_name params_flags[] = {
    {0x1, "NORMALIZED"}, {0x2, "PROFILE_USER"}, {0x4, "PROFILE_KERNEL"}, {0x8, "PROFILE_SERVER"},
    {0x20, "RESERVE_1MB"}, {0x40, "RESERVE_16MB"}, {0x80, "CASE_SENSITIVE"}, {0x100, "DISABLE_HEAP_DECOMMIT"},
    {0x1000, "DLL_NOTIFICATIONS"}, {0x4000, "IMAGE_KEY_MISSING"}, {0, NULL}};

static const pmm_field params64_fields[] = {
    U32("MaximumLength", 0x0), U32("Length", 0x4), FLAGS("Flags", 0x8, 4, params_flags), U32("DebugFlags", 0xC),
    P64("ConsoleHandle", 0x10), U32("ConsoleFlags", 0x18), P64("StandardInput", 0x20), P64("StandardOutput", 0x28),
    P64("StandardError", 0x30), US64("CurrentDirectory.DosPath", 0x38), P64("CurrentDirectory.Handle", 0x48),
    US64("DllPath", 0x50), US64("ImagePathName", 0x60), US64("CommandLine", 0x70), P64("Environment", 0x80),
    U32("StartingX", 0x88), U32("StartingY", 0x8C), U32("CountX", 0x90), U32("CountY", 0x94),
    U32("CountCharsX", 0x98), U32("CountCharsY", 0x9C), U32("FillAttribute", 0xA0), U32("WindowFlags", 0xA4),
    U32("ShowWindowFlags", 0xA8), US64("WindowTitle", 0xB0), US64("DesktopInfo", 0xC0), US64("ShellInfo", 0xD0),
    US64("RuntimeData", 0xE0), U64("EnvironmentSize", 0x3F0), U64("EnvironmentVersion", 0x3F8),
    P64("PackageDependencyData", 0x400), U32("ProcessGroupId", 0x408), U32("LoaderThreads", 0x40C),
    US64("RedirectionDllName", 0x410), US64("HeapPartitionName", 0x420),
    P64("DefaultThreadpoolCpuSetMasks", 0x430), U32("DefaultThreadpoolCpuSetMaskCount", 0x438),
};
TABLE(pmm_struct_params64, "RTL_USER_PROCESS_PARAMETERS64", 0x440, 8, params64_fields);

static const pmm_field params32_fields[] = {
    U32("MaximumLength", 0x0), U32("Length", 0x4), FLAGS("Flags", 0x8, 4, params_flags), U32("DebugFlags", 0xC),
    P32("ConsoleHandle", 0x10), U32("ConsoleFlags", 0x14), P32("StandardInput", 0x18), P32("StandardOutput", 0x1C),
    P32("StandardError", 0x20), US32("CurrentDirectory.DosPath", 0x24), P32("CurrentDirectory.Handle", 0x2C),
    US32("DllPath", 0x30), US32("ImagePathName", 0x38), US32("CommandLine", 0x40), P32("Environment", 0x48),
    U32("StartingX", 0x4C), U32("StartingY", 0x50), U32("CountX", 0x54), U32("CountY", 0x58),
    U32("CountCharsX", 0x5C), U32("CountCharsY", 0x60), U32("FillAttribute", 0x64), U32("WindowFlags", 0x68),
    U32("ShowWindowFlags", 0x6C), US32("WindowTitle", 0x70), US32("DesktopInfo", 0x78), US32("ShellInfo", 0x80),
    US32("RuntimeData", 0x88), U32("EnvironmentSize", 0x290), U32("EnvironmentVersion", 0x294),
    P32("PackageDependencyData", 0x298), U32("ProcessGroupId", 0x29C), U32("LoaderThreads", 0x2A0),
    US32("RedirectionDllName", 0x2A4), US32("HeapPartitionName", 0x2AC), P32("DefaultThreadpoolCpuSetMasks", 0x2B4),
    U32("DefaultThreadpoolCpuSetMaskCount", 0x2B8),
};
TABLE(pmm_struct_params32, "RTL_USER_PROCESS_PARAMETERS32", 0x2BC, 4, params32_fields);

static const pmm_bit_name ldr_flags[] = {
    {0x1, "PackagedBinary"}, {0x2, "MarkedForRemoval"}, {0x4, "ImageDll"}, {0x8, "LoadNotificationsSent"},
    {0x10, "TelemetryEntryProcessed"}, {0x20, "ProcessStaticImport"}, {0x40, "InLegacyLists"},
    {0x80, "InIndexes"}, {0x100, "ShimDll"}, {0x200, "InExceptionTable"}, {0x1000, "LoadInProgress"},
    {0x2000, "LoadConfigProcessed"}, {0x4000, "EntryProcessed"}, {0x8000, "ProtectDelayLoad"},
    {0x40000, "DontCallForThreads"}, {0x80000, "ProcessAttachCalled"}, {0x100000, "ProcessAttachFailed"},
    {0x200000, "CorDeferredValidate"}, {0x400000, "CorImage"}, {0x800000, "DontRelocate"},
    {0x1000000, "CorILOnly"}, {0x2000000, "ChpeImage"}, {0x10000000, "Redirected"},
    {0x80000000u, "CompatDatabaseProcessed"}, {0, NULL}};

static const pmm_field ldr_entry64_fields[] = {
    LE64("InLoadOrderLinks", 0x0), LE64("InMemoryOrderLinks", 0x10), LE64("InInitializationOrderLinks", 0x20),
    P64("DllBase", 0x30), P64("EntryPoint", 0x38), U32("SizeOfImage", 0x40), US64("FullDllName", 0x48),
    US64("BaseDllName", 0x58), FLAGS("Flags", 0x68, 4, ldr_flags), U16("ObsoleteLoadCount", 0x6C),
    U16("TlsIndex", 0x6E), LE64("HashLinks", 0x70), U32("TimeDateStamp", 0x80),
    P64("EntryPointActivationContext", 0x88), P64("Lock", 0x90), P64("DdagNode", 0x98),
    LE64("NodeModuleLink", 0xA0), P64("LoadContext", 0xB0), P64("ParentDllBase", 0xB8),
    P64("SwitchBackContext", 0xC0), U64("OriginalBase", 0xF8), F("LoadTime", 0x100, 8, PMM_FIELD_FILETIME),
    U32("BaseNameHashValue", 0x108), U32("LoadReason", 0x10C), U32("ImplicitPathOptions", 0x110),
    U32("ReferenceCount", 0x114), U32("DependentLoadFlags", 0x118), U8("SigningLevel", 0x11C),
};
TABLE(pmm_struct_ldr_entry64, "LDR_DATA_TABLE_ENTRY64", 0x120, 8, ldr_entry64_fields);

static const pmm_field ldr_entry32_fields[] = {
    LE32("InLoadOrderLinks", 0x0), LE32("InMemoryOrderLinks", 0x8), LE32("InInitializationOrderLinks", 0x10),
    P32("DllBase", 0x18), P32("EntryPoint", 0x1C), U32("SizeOfImage", 0x20), US32("FullDllName", 0x24),
    US32("BaseDllName", 0x2C), FLAGS("Flags", 0x34, 4, ldr_flags), U16("ObsoleteLoadCount", 0x38),
    U16("TlsIndex", 0x3A), LE32("HashLinks", 0x3C), U32("TimeDateStamp", 0x44),
    P32("EntryPointActivationContext", 0x48), P32("Lock", 0x4C), P32("DdagNode", 0x50),
    LE32("NodeModuleLink", 0x54), P32("LoadContext", 0x5C), P32("ParentDllBase", 0x60),
    P32("SwitchBackContext", 0x64), U32("OriginalBase", 0x80), F("LoadTime", 0x88, 8, PMM_FIELD_FILETIME),
    U32("BaseNameHashValue", 0x90), U32("LoadReason", 0x94), U32("ImplicitPathOptions", 0x98),
    U32("ReferenceCount", 0x9C), U32("DependentLoadFlags", 0xA0), U8("SigningLevel", 0xA4),
};
TABLE(pmm_struct_ldr_entry32, "LDR_DATA_TABLE_ENTRY32", 0xA8, 4, ldr_entry32_fields);

static const pmm_bit_name kuser_shared_data_flags[] = {
    {0x1, "DbgErrorPortPresent"}, {0x2, "DbgElevationEnabled"}, {0x4, "DbgVirtEnabled"},
    {0x8, "DbgInstallerDetectEnabled"}, {0x10, "DbgLkgEnabled"}, {0x20, "DbgDynProcessorEnabled"},
    {0x40, "DbgConsoleBrokerEnabled"}, {0x80, "DbgSecureBootEnabled"}, {0x100, "DbgMultiSessionSku"},
    {0x200, "DbgMultiUsersInSessionSku"}, {0x400, "DbgStateSeparationEnabled"}, {0, NULL}};

/* The same at 0x7ffe0000 in every process, 32- and 64-bit. */
static const pmm_field kuser_fields[] = {
    U32("TickCountLowDeprecated", 0x0), U32("TickCountMultiplier", 0x4),
    F("InterruptTime", 0x8, 12, PMM_FIELD_KSYSTEM_TIME), F("SystemTime", 0x14, 12, PMM_FIELD_KSYSTEM_TIME),
    F("TimeZoneBias", 0x20, 12, PMM_FIELD_KSYSTEM_TIME), U16("ImageNumberLow", 0x2C), U16("ImageNumberHigh", 0x2E),
    F("NtSystemRoot", 0x30, 520, PMM_FIELD_WCHARS), U32("MaxStackTraceDepth", 0x238), U32("CryptoExponent", 0x23C),
    U32("TimeZoneId", 0x240), U32("LargePageMinimum", 0x244), U32("AitSamplingValue", 0x248),
    U32("AppCompatFlag", 0x24C), U64("RNGSeedVersion", 0x250), U32("GlobalValidationRunlevel", 0x258),
    U32("TimeZoneBiasStamp", 0x25C), U32("NtBuildNumber", 0x260), U32("NtProductType", 0x264),
    U8("ProductTypeIsValid", 0x268), U16("NativeProcessorArchitecture", 0x26A), U32("NtMajorVersion", 0x26C),
    U32("NtMinorVersion", 0x270), F("ProcessorFeatures", 0x274, 64, PMM_FIELD_BYTES), U32("TimeSlip", 0x2BC),
    U32("AlternativeArchitecture", 0x2C0), U32("BootId", 0x2C4), F("SystemExpirationDate", 0x2C8, 8, PMM_FIELD_FILETIME),
    U32("SuiteMask", 0x2D0), U8("KdDebuggerEnabled", 0x2D4), U8("MitigationPolicies", 0x2D5),
    U16("CyclesPerYield", 0x2D6), U32("ActiveConsoleId", 0x2D8), U32("DismountCount", 0x2DC),
    U32("ComPlusPackage", 0x2E0), U32("LastSystemRITEventTickCount", 0x2E4), U32("NumberOfPhysicalPages", 0x2E8),
    U8("SafeBootMode", 0x2EC), U8("VirtualizationFlags", 0x2ED), FLAGS("SharedDataFlags", 0x2F0, 4, kuser_shared_data_flags),
    U64("TestRetInstruction", 0x2F8), U64("QpcFrequency", 0x300), U32("SystemCall", 0x308),
    F("TickCount", 0x320, 12, PMM_FIELD_KSYSTEM_TIME), U32("Cookie", 0x330),
};
TABLE(pmm_struct_kuser, "KUSER_SHARED_DATA", 0x720, 0, kuser_fields);
