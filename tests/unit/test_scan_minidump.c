/* The whole scan over real Windows minidumps (../shared/fixtures): crash dumps hold stacks but
 * rarely TEBs or image bytes, so the PEB is accepted through the module list and stacks are
 * inferred from stack pointers; what was inferred is said in the warnings. */
#include "check.h"
#include "test_util.h"
#include "core/analyzers/scan.h"
#include "core/adapters/minidump_source.h"

#include <stdlib.h>

static pmm_map *scan_fixture(const char *name)
{
    char path[1024], message[512];
    pmm_source src;
    pmm_map *map = NULL;
    char relative[256];
    snprintf(relative, sizeof relative, "minidump/windows/%s", name);
    if (!test_fixture_path(relative, path, sizeof path)) {
        check_skip("%s is absent (../shared/fixtures not present)", path);
        return NULL;
    }
    if (pmm_minidump_open(path, &src, message, sizeof message) != PMM_OK) {
        fprintf(stderr, "  %s: %s\n", name, message);
        CHECK(!"the fixture opens");
        return NULL;
    }
    CHECK(pmm_scan_source(&src, NULL, &map) == PMM_OK);
    pmm_source_close(&src);
    return map;
}

static int has_warning(const pmm_map *map, const char *text)
{
    for (size_t i = 0; i < map->warning_count; i++)
        if (strstr(pmm_map_text(map, map->warnings[i]), text))
            return 1;
    return 0;
}

static void check_stacks_hold_stack_pointers(const pmm_map *map)
{
    CHECK(map->thread_count > 0);
    for (size_t i = 0; i < map->thread_count; i++) {
        const pmm_thread *t = &map->threads[i];
        uint64_t sp = t->context.gpr[PMM_REG_SP];
        CHECK(t->flags & (PMM_THREAD_TEB_READ | PMM_THREAD_STACK_FROM_SP));
        CHECK(t->stack_limit <= sp && sp < t->stack_base);
        size_t r = pmm_map_find(map, sp);
        CHECK(r != PMM_NO_INDEX && map->regions[r].kind == PMM_KIND_STACK);
    }
}

TEST_CASE(x86_crash_dump_stacks_from_stack_pointers)
{
    pmm_map *map = scan_fixture("ascii_read_av.dmp");
    if (!map)
        return;
    CHECK_EQ_U64(map->target.pointer_size, 4);
    check_stacks_hold_stack_pointers(map);
    CHECK(map->module_count > 0);
    CHECK(has_warning(map, "MemoryInfoList"));
    pmm_map_free(map);
}

TEST_CASE(x64_dump_peb_accepted_through_module_list)
{
    pmm_map *map = scan_fixture("tiny-exe-fastfail.dmp");
    if (!map)
        return;
    CHECK_EQ_U64(map->target.pointer_size, 8);
    CHECK(map->target.peb != 0);
    const pmm_annotation *peb = pmm_map_annotation_at(map, map->target.peb, PMM_ANN_PEB);
    CHECK(peb != NULL);
    check_stacks_hold_stack_pointers(map);
    pmm_map_free(map);
}

CHECK_MAIN(CASE(x86_crash_dump_stacks_from_stack_pointers), CASE(x64_dump_peb_accepted_through_module_list))
