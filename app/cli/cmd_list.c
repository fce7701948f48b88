#include <stdio.h>
#include <stdlib.h>
#include "cli_args.h"
#include "commands.h"
#include "core/util/json_writer.h"
#include "core/util/text.h"
#include "core/win32/process_list.h"

static void print_text(const pmm_process_entry *list, size_t count)
{
    printf("%8s %5s %14s  %-20s %s\n", "PID", "Bits", "Working set", "User", "Name");
    for (size_t i = 0; i < count; i++) {
        char bits[8] = "?", working_set[40] = "?";
        if (list[i].bits)
            snprintf(bits, sizeof bits, "%u", (unsigned)list[i].bits);
        if (list[i].has_working_set)
            pmm_size_text(list[i].working_set, working_set, sizeof working_set);
        printf("%8u %5s %14s  %-20s %s\n", (unsigned)list[i].pid, bits, working_set,
               list[i].user[0] ? list[i].user : "?", list[i].name);
    }
}

static void print_json(const pmm_process_entry *list, size_t count)
{
    pmm_out out = pmm_out_file(stdout);
    pmm_json json;
    pmm_json_init(&json, &out, 1);
    pmm_json_begin_object(&json);
    pmm_json_kv_string(&json, "format", "pmm-processes");
    pmm_json_kv_uint(&json, "version", 1);
    pmm_json_key(&json, "processes");
    pmm_json_begin_array(&json);
    for (size_t i = 0; i < count; i++) {
        pmm_json_begin_object(&json);
        pmm_json_kv_uint(&json, "pid", list[i].pid);
        pmm_json_kv_uint(&json, "parent_pid", list[i].parent_pid);
        pmm_json_key(&json, "bits");
        if (list[i].bits)
            pmm_json_uint(&json, list[i].bits);
        else
            pmm_json_null(&json);
        pmm_json_kv_string(&json, "name", list[i].name);
        pmm_json_key(&json, "user");
        if (list[i].user[0])
            pmm_json_string(&json, list[i].user);
        else
            pmm_json_null(&json);
        pmm_json_key(&json, "private_bytes");
        if (list[i].has_private)
            pmm_json_uint(&json, list[i].private_bytes);
        else
            pmm_json_null(&json);
        pmm_json_key(&json, "working_set");
        if (list[i].has_working_set)
            pmm_json_uint(&json, list[i].working_set);
        else
            pmm_json_null(&json);
        pmm_json_end_object(&json);
    }
    pmm_json_end_array(&json);
    pmm_json_end_object(&json);
}

int cmd_list(int argc, char **argv)
{
    int json = 0, npos;
    const char *pos[1];
    cli_option options[] = {{"--json", NULL, &json}};
    int rc = cli_parse(argc, argv, options, 1, pos, 0, 0, &npos, "pmm list [--json]");
    if (rc != CLI_PARSED)
        return rc;
    pmm_process_entry *list;
    size_t count;
    pmm_status st = pmm_list_processes(&list, &count);
    if (st != PMM_OK) {
        cli_error("cannot list processes: %s", pmm_status_text(st));
        return PMM_EXIT_FAILURE;
    }
    if (json)
        print_json(list, count);
    else
        print_text(list, count);
    free(list);
    return PMM_EXIT_OK;
}
