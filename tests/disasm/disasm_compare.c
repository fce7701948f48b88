/* Compares our decoder and formatter with GNU objdump's listing of the same PE files, in one process.
 *   disasm_compare [--show N] [--json FILE] PE LISTING [PE LISTING ...]
 * LISTING is `objdump -d -z -M intel` of PE with its symbols stripped (so objdump decodes each code
 * section linearly, as we do). For every code section both listings are walked side by side:
 * - boundaries: an instruction of objdump's that starts at an address where ours does not (or the
 *   reverse) is a boundary difference;
 * - text: instructions at the same address whose normalised text differs (x86_text.h).
 * Differences are classified (classify below) and counted; the first examples of each kind are
 * printed. Exit status 0 whatever the figures: the calling script decides what is acceptable. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/formats/pe.h"
#include "core/formats/x86_decode.h"
#include "core/formats/x86_format.h"
#include "core/source/file_source.h"
#include "x86_text.h"

#define MAX_KINDS 64

typedef struct kind_count {
    char name[64];
    unsigned long long count;
    char example[3][300];
    int examples;
} kind_count;

typedef struct stats {
    unsigned long long files, sections, ours, theirs, boundary_diffs, same_boundary, text_equal, bytes;
    kind_count kinds[MAX_KINDS];
    int kind_count;
    int show;
} stats;

static void count_kind(stats *st, const char *kind, const char *example)
{
    kind_count *k = NULL;
    for (int i = 0; i < st->kind_count; i++)
        if (!strcmp(st->kinds[i].name, kind))
            k = &st->kinds[i];
    if (!k && st->kind_count < MAX_KINDS) {
        k = &st->kinds[st->kind_count++];
        snprintf(k->name, sizeof k->name, "%s", kind);
    }
    if (!k)
        return;
    k->count++;
    if (k->examples < st->show && k->examples < 3)
        snprintf(k->example[k->examples++], sizeof k->example[0], "%s", example);
}

/* One instruction line of objdump's listing: "   401000:\t48 8b 05 ...\tmov ..." (continuation
 * lines of long instructions carry bytes only and are skipped). */
typedef struct ref_line {
    unsigned long long address;
    char text[256];
} ref_line;

static int read_ref_line(FILE *f, ref_line *out, int *section_start)
{
    char line[1024];
    *section_start = 0;
    while (fgets(line, sizeof line, f)) {
        if (!strncmp(line, "Disassembly of section ", 23)) {
            *section_start = 1;
            continue;
        }
        char *colon = strchr(line, ':');
        char *tab1 = strchr(line, '\t');
        if (!colon || !tab1 || colon > tab1 || !(line[0] == ' ' || isxdigit((unsigned char)line[0])))
            continue;
        char *tab2 = strchr(tab1 + 1, '\t');
        if (!tab2)
            continue;   /* continuation of a long instruction's bytes */
        out->address = strtoull(line, NULL, 16);
        char *nl = strchr(tab2 + 1, '\n');
        if (nl)
            *nl = '\0';
        x86_text_normalise(tab2 + 1, out->text, sizeof out->text);
        return 1;
    }
    return 0;
}

/* What kind of difference this is: the first word that differs, or a named pattern. */
static void classify(const char *ours, const char *theirs, char *kind, size_t cap)
{
    if (!strcmp(theirs, "(bad)") || !strcmp(ours, "(bad)")) {
        snprintf(kind, cap, "bad: objdump '%.20s' ours '%.20s'", theirs, ours);
        return;
    }
    char a[64], b[64];
    sscanf(ours, "%63s", a);
    sscanf(theirs, "%63s", b);
    if (strcmp(a, b))
        snprintf(kind, cap, "mnemonic %.24s vs %.24s", b, a);   /* a kind name fits kind_count.name */
    else
        snprintf(kind, cap, "operands of %.48s", b);
}

typedef struct section_bytes {
    uint8_t *bytes;
    size_t size;
    uint64_t va;
} section_bytes;

static int load_code_sections(const char *path, section_bytes *secs, int cap, int *bits)
{
    pmm_source src;
    pe_image img;
    if (pmm_file_source_open(path, &src) != PMM_OK)
        return -1;
    if (pe_open(&src, 0, PE_LAYOUT_FILE, &img) != PMM_OK) {
        pmm_source_close(&src);
        return -1;
    }
    *bits = img.pointer_size == 8 ? 64 : 32;
    int n = 0;
    for (size_t i = 0; i < img.section_count && n < cap; i++) {
        const pe_section *s = &img.sections[i];
        if (!(s->characteristics & 0x20))   /* IMAGE_SCN_CNT_CODE: what objdump -d disassembles */
            continue;
        /* BFD's section size: VirtualSize when the raw size is larger, else SizeOfRawData. */
        size_t size = s->raw_size;
        if (s->virtual_size && s->raw_size > s->virtual_size)
            size = s->virtual_size;
        secs[n].bytes = malloc(size ? size : 1);
        secs[n].size = size;
        secs[n].va = img.image_base + s->virtual_address;
        if (!secs[n].bytes || pmm_source_read_exact(&src, s->raw_offset, secs[n].bytes, size) != PMM_OK) {
            free(secs[n].bytes);
            continue;
        }
        n++;
    }
    pe_close(&img);
    pmm_source_close(&src);
    return n;
}

static void compare_file(stats *st, const char *pe_path, const char *listing)
{
    section_bytes secs[16];
    int bits = 64;
    int n = load_code_sections(pe_path, secs, 16, &bits);
    FILE *f = fopen(listing, "r");
    if (n < 0 || !f) {
        fprintf(stderr, "disasm_compare: cannot read %s or %s\n", pe_path, listing);
        if (f)
            fclose(f);
        return;
    }
    st->files++;
    ref_line ref;
    int section_start;
    int have_ref = read_ref_line(f, &ref, &section_start);
    for (int si = 0; si < n; si++) {
        section_bytes *s = &secs[si];
        st->sections++;
        st->bytes += s->size;
        size_t off = 0;
        while (off < s->size) {
            x86_insn insn;
            size_t len = x86_decode(s->bytes + off, s->size - off, s->va + off, bits, &insn);
            char text[X86_FORMAT_CAP], norm[X86_FORMAT_CAP];
            x86_format(&insn, text, sizeof text, NULL, NULL);
            x86_text_normalise(text, norm, sizeof norm);
            uint64_t addr = s->va + off;
            st->ours++;
            /* objdump instructions before ours: boundaries we do not have. */
            while (have_ref && ref.address < addr) {
                char ex[300];
                snprintf(ex, sizeof ex, "%s 0x%llx: objdump '%.200s' (no instruction of ours starts here)", pe_path,
                         ref.address, ref.text);
                count_kind(st, "boundary: objdump only", ex);
                st->boundary_diffs++;
                st->theirs++;
                have_ref = read_ref_line(f, &ref, &section_start);
            }
            if (have_ref && ref.address == addr) {
                st->theirs++;
                st->same_boundary++;
                if (!strcmp(ref.text, norm)) {
                    st->text_equal++;
                } else {
                    char kind[64], ex[300];
                    classify(norm, ref.text, kind, sizeof kind);
                    snprintf(ex, sizeof ex, "0x%llx objdump '%.120s' ours '%.120s'", (unsigned long long)addr, ref.text,
                             norm);
                    count_kind(st, kind, ex);
                }
                have_ref = read_ref_line(f, &ref, &section_start);
            } else {
                char ex[300];
                snprintf(ex, sizeof ex, "%s 0x%llx: ours '%.200s' length %zu", pe_path, (unsigned long long)addr, norm, len);
                count_kind(st, "boundary: ours only", ex);
                st->boundary_diffs++;
            }
            off += len ? len : 1;
        }
        free(s->bytes);
    }
    while (have_ref) {
        st->theirs++;
        st->boundary_diffs++;
        count_kind(st, "boundary: objdump past our sections", ref.text);
        have_ref = read_ref_line(f, &ref, &section_start);
    }
    fclose(f);
}

int main(int argc, char **argv)
{
    static stats st;
    const char *json_path = NULL;
    int i = 1;
    st.show = 3;
    for (; i < argc && argv[i][0] == '-'; i++) {
        if (!strcmp(argv[i], "--show") && i + 1 < argc)
            st.show = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--json") && i + 1 < argc)
            json_path = argv[++i];
        else {
            fprintf(stderr, "usage: disasm_compare [--show N] [--json FILE] PE LISTING [PE LISTING ...]\n");
            return 2;
        }
    }
    if ((argc - i) % 2 || argc - i == 0) {
        fprintf(stderr, "usage: disasm_compare [--show N] [--json FILE] PE LISTING [PE LISTING ...]\n");
        return 2;
    }
    for (; i + 1 < argc; i += 2)
        compare_file(&st, argv[i], argv[i + 1]);
    double boundary = st.theirs ? 100.0 * (double)st.same_boundary / (double)(st.theirs > st.ours ? st.theirs : st.ours) : 0;
    double text = st.same_boundary ? 100.0 * (double)st.text_equal / (double)st.same_boundary : 0;
    printf("files %llu, code sections %llu, %llu bytes\n", st.files, st.sections, st.bytes);
    printf("instructions: objdump %llu, ours %llu, same boundary %llu (%.4f%%), boundary differences %llu\n",
           st.theirs, st.ours, st.same_boundary, boundary, st.boundary_diffs);
    printf("text equal %llu of %llu (%.4f%%)\n", st.text_equal, st.same_boundary, text);
    for (int k = 0; k < st.kind_count; k++) {
        printf("  %8llu  %s\n", st.kinds[k].count, st.kinds[k].name);
        for (int e = 0; e < st.kinds[k].examples; e++)
            printf("            e.g. %s\n", st.kinds[k].example[e]);
    }
    if (json_path) {
        FILE *j = fopen(json_path, "w");
        if (!j) {
            fprintf(stderr, "disasm_compare: cannot write %s\n", json_path);
            return 1;
        }
        fprintf(j, "{\"files\": %llu, \"bytes\": %llu, \"objdump\": %llu, \"ours\": %llu, \"same_boundary\": %llu, "
                   "\"boundary_differences\": %llu, \"text_equal\": %llu, \"kinds\": {",
                st.files, st.bytes, st.theirs, st.ours, st.same_boundary, st.boundary_diffs, st.text_equal);
        for (int k = 0; k < st.kind_count; k++) {
            fprintf(j, "%s\"", k ? ", " : "");
            for (const char *p = st.kinds[k].name; *p; p++)
                fprintf(j, *p == '"' || *p == '\\' ? "\\%c" : "%c", *p);
            fprintf(j, "\": %llu", st.kinds[k].count);
        }
        fprintf(j, "}}\n");
        fclose(j);
    }
    return 0;
}
