#include "tool_options.h"

#include <stdlib.h>

int tool_options_view(const wchar_t *name, main_view *view)
{
    static const struct { const wchar_t *name; main_view view; } views[] = {
        {L"search", VIEW_SEARCH}, {L"strings", VIEW_STRINGS}, {L"stacks", VIEW_STACKS}, {L"structure", VIEW_STRUCTURE},
        {L"graphs", VIEW_GRAPHS}, {L"fragmentation", VIEW_FRAGMENTATION}, {L"disasm", VIEW_DISASM},
        {L"integrity", VIEW_INTEGRITY}};
    for (size_t i = 0; i < sizeof views / sizeof views[0]; i++)
        if (_wcsicmp(name, views[i].name) == 0) {
            *view = views[i].view;
            return 1;
        }
    return 0;
}

int tool_options_parse(int argc, wchar_t **argv, int *i, main_options *options)
{
    const wchar_t *arg = argv[*i];
    if (wcscmp(arg, L"--search-more") == 0) {
        options->search_more = 1;
        return 1;
    }
    if (*i + 1 >= argc)
        return 0;
    if (wcscmp(arg, L"--search") == 0) {
        options->search_text = argv[++*i];
        if (options->view == VIEW_MAIN)
            options->view = VIEW_SEARCH;
        return 1;
    }
    if (wcscmp(arg, L"--search-kind") == 0) {
        options->search_kind = argv[++*i];
        return 1;
    }
    if (wcscmp(arg, L"--follow") == 0) {
        options->struct_follow = argv[++*i];
        return 1;
    }
    if (wcscmp(arg, L"--strings-filter") == 0) {
        options->strings_filter = argv[++*i];
        return 1;
    }
    if (wcscmp(arg, L"--search-max") == 0) {
        options->search_max = argv[++*i];
        return 1;
    }
    if (wcscmp(arg, L"--hover") == 0 && options->hover_count < MAIN_MAX_POINTS) {
        options->hover[options->hover_count++] = argv[++*i];
        return 1;
    }
    if (wcscmp(arg, L"--click") == 0) {
        options->click = argv[++*i];
        return 1;
    }
    if (wcscmp(arg, L"--click-graph") == 0) {
        options->click_graph = argv[++*i];
        return 1;
    }
    if (wcscmp(arg, L"--finding") == 0) {
        options->finding = (unsigned)wcstoul(argv[++*i], NULL, 10);
        if (options->view == VIEW_MAIN)
            options->view = VIEW_INTEGRITY;
        return 1;
    }
    if (wcscmp(arg, L"--strings") == 0) {
        options->strings_min = (unsigned)wcstoul(argv[++*i], NULL, 10);
        if (options->view == VIEW_MAIN)
            options->view = VIEW_STRINGS;
        return 1;
    }
    return 0;
}
