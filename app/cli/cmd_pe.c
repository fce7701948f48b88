/* pmm pe: the headers and directories of a PE file on disk, or of an image mapped in a process. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli_args.h"
#include "cli_target.h"
#include "commands.h"
#include "core/adapters/target_kind.h"
#include "core/formats/pe.h"
#include "core/formats/pe_long_names.h"
#include "core/source/file_source.h"
#include "core/tools/pe_output.h"

static const char *pe_usage =
    "pmm pe FILE [FILE...] [--json] [--relocations] [--functions]\n"
    "       pmm pe PID:ADDRESS [--json] [--relocations] [--functions] [--debug-privilege]\n"
    "       pmm pe KERNELDUMP:ADDRESS [--json] [--relocations] [--functions]\n"
    "  FILE is a PE file read in file layout; PID:ADDRESS reads the image mapped at ADDRESS\n"
    "  (hex with 0x, or decimal) in process PID; KERNELDUMP:ADDRESS a driver in the kernel address\n"
    "  space of a kernel crash dump (pmm kdump lists them). --relocations lists every fixup, --functions\n"
    "  every x64 runtime function. With several files, --json prints one document per line.\n"
    "  A mapped image's long section names (\"/4\") are read from its file when that is the same build;\n"
    "  the output names the file, or says why the \"/N\" names stay (long_names in JSON).";

#define PE_MAX_FILES 100000

/* "1234:0x7ff6a0b40000" -> pid and address; 0 when spec is not of that form (a path like
 * C:\x.dll has a non-digit before its colon). */
static int parse_live_spec(const char *spec, char *pid, size_t pid_cap, unsigned long long *address)
{
    const char *colon = strchr(spec, ':');
    if (!colon || colon == spec || (size_t)(colon - spec) >= pid_cap)
        return 0;
    for (const char *p = spec; p < colon; p++)
        if (*p < '0' || *p > '9')
            return 0;
    memcpy(pid, spec, (size_t)(colon - spec));
    pid[colon - spec] = '\0';
    return cli_parse_u64(colon + 1, address) == 0;
}

static int write_image(pe_image *img, const char *target, int json, const pmm_pe_output_options *options)
{
    pmm_out out = pmm_out_file(stdout);
    pmm_status st = json ? pmm_pe_write_json(img, target, options, &out)
                         : pmm_pe_write_text(img, target, options, &out);
    if (st != PMM_OK) {
        cli_error("%s: %s", target, pmm_status_text(st));
        return PMM_EXIT_FAILURE;
    }
    return PMM_EXIT_OK;   /* main() checks that all of it reached stdout */
}

static void report_open_error(const char *target, pmm_status st)
{
    if (st == PMM_ERR_FORMAT)
        cli_error("%s: not a PE image (no MZ/PE signature or an unknown optional header)", target);
    else
        cli_error("%s: cannot read the PE headers: %s", target, pmm_status_text(st));
}

static int show_file(const char *path, int json, const pmm_pe_output_options *options)
{
    pmm_source src;
    pmm_status st = pmm_file_source_open(path, &src);
    if (st != PMM_OK) {
        cli_error("%s: cannot open: %s", path, pmm_status_text(st));
        return PMM_EXIT_FAILURE;
    }
    pe_image img;
    st = pe_open(&src, 0, PE_LAYOUT_FILE, &img);
    int rc = PMM_EXIT_FAILURE;
    if (st == PMM_OK) {
        rc = write_image(&img, path, json, options);
        pe_close(&img);
    } else {
        report_open_error(path, st);
    }
    pmm_source_close(&src);
    return rc;
}

/* "C:\\MEMORY.DMP:0xfffff80002000000" -> the dump's path and the address, when the part before
 * the last colon is a kernel dump; 0 otherwise. */
static int parse_kernel_dump_spec(const char *spec, char *path, size_t path_cap, unsigned long long *address)
{
    const char *colon = strrchr(spec, ':');
    if (!colon || colon == spec || (size_t)(colon - spec) >= path_cap || cli_parse_u64(colon + 1, address) != 0)
        return 0;
    memcpy(path, spec, (size_t)(colon - spec));
    path[colon - spec] = '\0';
    return pmm_file_kind_of(path) == PMM_FILE_KERNEL_DUMP;
}

/* A mapped image, its "/N" section names replaced by the file's when the file the source names
 * for it is the same build; the output says which file answered, or why none did. */
static int write_mapped_image(pe_image *img, const char *spec, int json, const pmm_pe_output_options *options)
{
    char path[1024];
    pe_long_names_result names;
    pmm_status st = pe_long_names_file_of(img, path, sizeof path);
    if (st == PMM_OK)
        st = pe_long_names_resolve(img, path, &names);
    if (st != PMM_OK) {
        cli_error("%s: %s", spec, pmm_status_text(st));
        return PMM_EXIT_FAILURE;
    }
    pmm_pe_output_options with_names = *options;
    with_names.long_names = &names;
    return write_image(img, spec, json, &with_names);
}

/* The image at address in what target names (a pid, or a kernel dump: its kernel address space
 * unless --process chose a process). */
static int show_live(const char *spec, const char *target, uint64_t address, int json, int debug_privilege,
                     const pmm_pe_output_options *options)
{
    cli_target_options target_options = {debug_privilege, cli_symbol_path(NULL)};
    pmm_source src;
    char message[1400];
    pmm_target t;
    pmm_status st = cli_parse_target(target, &target_options, &t, message, sizeof message);
    if (st == PMM_OK && t.kind == PMM_TARGET_KERNEL_DUMP && !t.selector)
        st = pmm_target_choose(&t, "kernel");
    if (st == PMM_OK && (st = cli_require_bytes(&t, target, message, sizeof message)) == PMM_OK)
        st = pmm_target_open(&t, &src, message, sizeof message);
    pmm_target_free(&t);
    if (st != PMM_OK) {
        cli_error("%s", message[0] ? message : pmm_status_text(st));
        return cli_target_exit_code(st);
    }
    pe_image img;
    st = pe_open(&src, address, PE_LAYOUT_IMAGE, &img);
    int rc = PMM_EXIT_FAILURE;
    if (st == PMM_OK) {
        rc = write_mapped_image(&img, spec, json, options);
        pe_close(&img);
    } else {
        report_open_error(spec, st);
    }
    pmm_source_close(&src);
    return rc;
}

int cmd_pe(int argc, char **argv)
{
    int json = 0, relocations = 0, functions = 0, debug_privilege = 0, npos;
    const char **pos = malloc((size_t)(argc > 0 ? argc : 1) * sizeof *pos);
    if (!pos) {
        cli_error("out of memory");
        return PMM_EXIT_FAILURE;
    }
    cli_option options[] = {{"--json", NULL, &json},
                            {"--relocations", NULL, &relocations},
                            {"--functions", NULL, &functions},
                            {"--debug-privilege", NULL, &debug_privilege}};
    int rc = cli_parse(argc, argv, options, 4, pos, 1, argc < PE_MAX_FILES ? argc : PE_MAX_FILES, &npos, pe_usage);
    if (rc != CLI_PARSED) {
        free(pos);
        return rc;
    }
    pmm_pe_output_options out_options = {relocations, functions, npos > 1, NULL};
    rc = PMM_EXIT_OK;
    for (int i = 0; i < npos; i++) {
        char pid[16], dump[1024];
        unsigned long long address;
        int one;
        if (parse_live_spec(pos[i], pid, sizeof pid, &address))
            one = show_live(pos[i], pid, address, json, debug_privilege, &out_options);
        else if (parse_kernel_dump_spec(pos[i], dump, sizeof dump, &address))
            one = show_live(pos[i], dump, address, json, 0, &out_options);
        else if ((one = cli_check_process_option_used(pos[i])) == PMM_EXIT_OK)
            one = show_file(pos[i], json, &out_options);
        if (one != PMM_EXIT_OK)
            rc = one;
    }
    free(pos);
    return rc;
}
