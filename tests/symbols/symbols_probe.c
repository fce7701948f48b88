/* Test tool: the symbols of one image file as the resolver sees them, in forms the tests compare
 * with independent programs.
 *   symbols_probe resolve IMAGE [SYMBOL_PATH] < addresses   one line per address (hex VA):
 *       ADDRESS \t innermost function or ?? \t file:line or ??:0 \t origin
 *   symbols_probe list IMAGE [SYMBOL_PATH]                   every scope and line row
 *   symbols_probe note IMAGE [SYMBOL_PATH]                   what was read, or why not */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "core/symbols/image_symbols.h"

static void print_hit(const pmm_image_symbols *s, uint64_t address)
{
    const pmm_symtab *t = &s->table;
    pmm_symtab_hit hit;
    int in_image = address >= s->base && address - s->base < s->image_size;
    if (!in_image || !pmm_symtab_lookup(t, (uint32_t)(address - s->base), &hit))
        memset(&hit, 0, sizeof hit);
    const char *name = hit.inner && hit.inner->name ? pmm_symtab_text(t, hit.inner->name) : "??";
    printf("0x%" PRIx64 "\t%s\t", address, name);
    /* addr2line's format: line 0 (code the compiler tied to no line) prints as "?". */
    const char *file = hit.file ? pmm_symtab_text(t, hit.file) : "??";
    if (hit.has_line && hit.line)
        printf("%s:%u", file, hit.line);
    else if (hit.has_line)
        printf("%s:?", file);
    else
        printf("??:0");
    printf("\t%s\n", hit.inner ? pmm_symbol_origin_name(hit.inner->origin) : "");
}

static void list(const pmm_image_symbols *s)
{
    const pmm_symtab *t = &s->table;
    for (size_t i = 0; i < t->scope_count; i++) {
        const pmm_symtab_scope *c = &t->scopes[i];
        printf("scope\t0x%x\t0x%x\t%u\t%s\t%u\t%s\n", c->rva, c->end, c->kind, pmm_symbol_origin_name(c->origin),
               c->depth, pmm_symtab_text(t, c->name));
    }
    for (size_t i = 0; i < t->row_count; i++) {
        const pmm_symtab_row *r = &t->rows[i];
        if (r->file == PMM_SYMTAB_NONE)
            printf("row\t0x%x\tend\n", r->rva);
        else
            printf("row\t0x%x\t%s\t%u\n", r->rva, pmm_symtab_text(t, r->file), r->line);
    }
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: symbols_probe resolve|list|note IMAGE [SYMBOL_PATH]\n");
        return 2;
    }
    pmm_image_request req = {NULL, 0, argv[2], argc > 3 ? argv[3] : NULL};
    pmm_image_symbols s;
    pmm_status st = pmm_image_symbols_load(&req, &s);
    if (st != PMM_OK) {
        fprintf(stderr, "symbols_probe: %s: %s (%s)\n", argv[2], pmm_status_text(st), s.note);
        return 1;
    }
    if (strcmp(argv[1], "resolve") == 0) {
        char line[128];
        while (fgets(line, sizeof line, stdin))
            print_hit(&s, strtoull(line, NULL, 16));
    } else if (strcmp(argv[1], "list") == 0) {
        list(&s);
    } else {
        printf("%s\n", s.note);
    }
    pmm_image_symbols_free(&s);
    return 0;
}
