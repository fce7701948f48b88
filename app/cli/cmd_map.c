#include <stdio.h>
#include "cli_args.h"
#include "cli_map.h"
#include "cli_target.h"
#include "commands.h"
#include "core/analyzers/scan.h"
#include "core/tools/map_output.h"
#include "core/tools/map_picture.h"

static const char *map_usage =
    "pmm map TARGET [--json] [--debug-privilege] [--heap-blocks] [--symbols PATH]\n"
    "        [--picture FILE.png|FILE.bmp [--columns N]]\n"
    "  TARGET is a process id, a minidump (.dmp) or a saved map.\n"
    "  --heap-blocks  also label every heap block the OS lists (address, size, busy/free; Windows only)\n"
    "  --picture      draw the address space (the Fragmentation view) into FILE instead of printing the map;\n"
    "                 prints the picture's layout (--json: format pmm-picture)\n"
    "  --columns N    cells per row of the picture, 16 to 4096 (default 256)\n"
    "  --symbols PATH where PDBs are, for naming thread frames (default: _NT_SYMBOL_PATH; see pmm symbols)";

enum { PICTURE_CELL_PX = 3, PICTURE_LABEL_PX = 14, PICTURE_MAX_ROWS = 1024 };

static int write_picture(const pmm_map *map, const char *path, unsigned columns, int json)
{
    pmm_picture_geometry geometry = {columns, PICTURE_MAX_ROWS, PICTURE_CELL_PX, PICTURE_LABEL_PX};
    pmm_picture picture;
    char message[1200];
    pmm_status st = pmm_picture_layout(map, &geometry, &picture);
    if (st != PMM_OK) {
        cli_error("cannot lay out the picture: %s", pmm_status_text(st));
        return PMM_EXIT_FAILURE;
    }
    st = pmm_picture_save(&picture, path, message, sizeof message);
    if (st == PMM_OK) {
        pmm_out out = pmm_out_file(stdout);
        if (json)
            pmm_picture_write_json(&picture, path, &out);
        else
            pmm_out_printf(&out, "Picture: %s, %u x %u pixels, %u columns of %llu K cells, %zu stretch(es)\n", path,
                           (unsigned)picture.width, (unsigned)picture.height, (unsigned)columns,
                           (unsigned long long)(picture.cell_bytes / 1024), picture.stretch_count);
    } else {
        cli_error("%s", message);
    }
    pmm_picture_free(&picture);
    return st == PMM_OK ? PMM_EXIT_OK : PMM_EXIT_FAILURE;
}

int cmd_map(int argc, char **argv)
{
    int json = 0, debug_privilege = 0, heap_blocks = 0, npos;
    const char *pos[1], *picture = NULL, *columns_text = NULL, *symbol_path = NULL;
    unsigned long long columns = 256;
    cli_option options[] = {{"--json", NULL, &json}, {"--debug-privilege", NULL, &debug_privilege},
                            {"--heap-blocks", NULL, &heap_blocks}, {"--picture", &picture, NULL},
                            {"--columns", &columns_text, NULL}, {"--symbols", &symbol_path, NULL}};
    int rc = cli_parse(argc, argv, options, 6, pos, 1, 1, &npos, map_usage);
    if (rc != CLI_PARSED)
        return rc;
    if (picture && !pmm_picture_format_known(picture)) {
        cli_error("--picture %s: the file name must end in .png or .bmp", picture);
        return PMM_EXIT_USAGE;
    }
    if (columns_text && (!picture || cli_parse_u64(columns_text, &columns) != 0 || columns < 16 || columns > 4096)) {
        cli_error("--columns takes a number from 16 to 4096, with --picture");
        return PMM_EXIT_USAGE;
    }

    cli_target_options target_options = {debug_privilege, cli_symbol_path(symbol_path)};
    cli_map_request request = {&target_options, 0, 0, heap_blocks ? PMM_SCAN_HEAP_BLOCKS : 0};
    pmm_map *map;
    char message[1400];
    pmm_status st = cli_load_map(pos[0], &request, &map, NULL, message, sizeof message);
    if (st != PMM_OK) {
        cli_error("%s", message);
        return cli_target_exit_code(st);
    }
    if (picture) {
        rc = write_picture(map, picture, (unsigned)columns, json);
        pmm_map_free(map);
        return rc;
    }
    pmm_out out = pmm_out_file(stdout);
    if (json)
        pmm_map_write_json(map, &out);
    else
        pmm_map_write_text(map, &out);
    pmm_map_free(map);
    return PMM_EXIT_OK;   /* main() checks that all of it reached stdout */
}
