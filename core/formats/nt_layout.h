/* Offsets of the fields we read from the Windows process structures, for 32- and 64-bit layouts.
 * The full field tables for structure decoding come later; the scan needs only these. */
#ifndef PMM_NT_LAYOUT_H
#define PMM_NT_LAYOUT_H

#include <stdint.h>

/* TEB offsets, named once for the scan's layout below, the structure decoder's TEB tables
 * (struct_tables_nt.c) and the minidump source (the PEB address from a dumped TEB). */
#define PMM_TEB64_EXCEPTION_LIST 0x0
#define PMM_TEB64_STACK_BASE 0x8
#define PMM_TEB64_STACK_LIMIT 0x10
#define PMM_TEB64_SELF 0x30
#define PMM_TEB64_CLIENT_ID_THREAD 0x48
#define PMM_TEB64_PEB 0x60
#define PMM_TEB64_DEALLOCATION_STACK 0x1478
#define PMM_TEB64_SIZE 0x1838
#define PMM_TEB32_EXCEPTION_LIST 0x0
#define PMM_TEB32_STACK_BASE 0x4
#define PMM_TEB32_STACK_LIMIT 0x8
#define PMM_TEB32_SELF 0x18
#define PMM_TEB32_CLIENT_ID_THREAD 0x24
#define PMM_TEB32_PEB 0x30
#define PMM_TEB32_DEALLOCATION_STACK 0xE0C
#define PMM_TEB32_SIZE 0x1000

typedef struct pmm_nt_layout {
    uint32_t pointer_size;
    /* PEB */
    uint32_t peb_image_base;
    uint32_t peb_ldr;
    uint32_t peb_process_parameters;
    uint32_t peb_process_heap;
    uint32_t peb_number_of_heaps;
    uint32_t peb_process_heaps;
    uint32_t peb_size;
    /* PEB_LDR_DATA */
    uint32_t ldr_in_load_order_list;
    uint32_t ldr_size;
    /* LDR_DATA_TABLE_ENTRY (offsets from the InLoadOrderLinks entry) */
    uint32_t entry_dll_base;
    uint32_t entry_entry_point;
    uint32_t entry_size_of_image;
    uint32_t entry_full_dll_name;
    /* UNICODE_STRING */
    uint32_t ustr_buffer;
    uint32_t ustr_size;
    /* TEB */
    uint32_t teb_exception_list;
    uint32_t teb_stack_base;
    uint32_t teb_stack_limit;
    uint32_t teb_self;
    uint32_t teb_client_id_thread;
    uint32_t teb_peb;
    uint32_t teb_deallocation_stack;
    uint32_t teb_size;
    /* RTL_USER_PROCESS_PARAMETERS */
    uint32_t params_maximum_length;
    uint32_t params_current_directory;
    uint32_t params_image_path;
    uint32_t params_command_line;
    uint32_t params_environment;
    uint32_t params_environment_size;
} pmm_nt_layout;

/* pointer_size 4 or 8; anything else gives the 64-bit layout. */
const pmm_nt_layout *pmm_nt_layout_for(uint32_t pointer_size);

#endif
