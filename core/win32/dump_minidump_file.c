/* Our minidump of a source written to a file, as `pmm dump --format minidump` and the explorer's
 * dump command write it: for a live process with what only the OS knows. */
#include <string.h>
#include "dump_win32.h"

pmm_status pmm_dump_minidump_file(pmm_source *src, const pmm_map *map, const pmm_md_write_options *options,
                                  const char *path, pmm_md_write_result *result, int *handles_known,
                                  char *message, size_t message_cap)
{
    memset(result, 0, sizeof *result);
    pmm_dump_live_facts facts;
    memset(&facts, 0, sizeof facts);
    pmm_md_write_options o = *options;
    if (src->target.source_kind == PMM_SOURCE_LIVE) {
        pmm_dump_live_facts_gather(src->target.pid, map, &facts);
        o.system = &facts.system;
        o.process = &facts.process;
        o.extras = &facts.extras;
    }
    if (handles_known)
        *handles_known = facts.extras.handles_known;
    pmm_sink sink;
    pmm_status st = pmm_sink_open_file(&sink, path, message, message_cap);
    if (st == PMM_OK) {
        st = pmm_md_write(src, map, &o, &sink, result);
        if (st == PMM_OK)
            st = pmm_sink_commit(&sink);
        if (st != PMM_OK)
            snprintf(message, message_cap, "%s", pmm_sink_error_text(&sink));
        pmm_sink_close(&sink);   /* uncommitted: removes what was written */
    }
    pmm_dump_live_facts_free(&facts);
    return st;
}
