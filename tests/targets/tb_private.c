/* Private memory with every protection a scanner has to name.
 *
 * One 1 MiB reservation holds one committed piece per protection. Some pieces touch (so a region
 * boundary comes from a protection change alone) and some have reserved pages between them (so
 * reserved sub-regions appear inside an allocation). Region sequence, in pages:
 *   NA 1 | res 1 | R 2 | RW 3 | res 1 | X 1 | RX 2 | res 5 | RWX 4 | res 12 | RW+G 2 | res 222
 */
#include "target_basic.h"

#include <string.h>

#define TB_RESERVED_ONLY_SIZE (64 * 1024)
#define TB_RESERVATION_SIZE (1024 * 1024)
#define TB_ODD_SIZE (20 * 1024)           /* not a multiple of 64 KiB: leaves an unusable tail */

typedef struct piece_layout {
    unsigned first_page;
    unsigned page_count;
    DWORD protect;
} piece_layout;

static const piece_layout piece_layouts[TB_PIECE_COUNT] = {
    { 0, 1, PAGE_NOACCESS },
    { 2, 2, PAGE_READONLY },
    { 4, 3, PAGE_READWRITE },
    { 8, 1, PAGE_EXECUTE },
    { 9, 2, PAGE_EXECUTE_READ },
    { 16, 4, PAGE_EXECUTE_READWRITE },
    { 32, 2, PAGE_READWRITE | PAGE_GUARD },
};

static int fill_of_piece(unsigned index)
{
    return 0xa0 + (int)index;
}

/* Commits read-write first so the piece gets known contents, then sets the real protection:
 * pages can't be filled once they are PAGE_NOACCESS or PAGE_EXECUTE. */
static int commit_piece(tb_range *piece)
{
    if (!VirtualAlloc((void *)piece->base, piece->size, MEM_COMMIT, PAGE_READWRITE))
        return tb_fail("VirtualAlloc(MEM_COMMIT) of a piece");
    memset((void *)piece->base, piece->fill, piece->size);
    DWORD old;
    if (piece->protect != PAGE_READWRITE &&
        !VirtualProtect((void *)piece->base, piece->size, piece->protect, &old))
        return tb_fail("VirtualProtect of a piece");
    return 0;
}

static int make_reservation_with_pieces(tb_private *p, size_t page_size)
{
    p->reservation.size = TB_RESERVATION_SIZE;
    p->reservation.protect = PAGE_READWRITE;
    p->reservation.fill = -1;
    void *base = VirtualAlloc(NULL, p->reservation.size, MEM_RESERVE, p->reservation.protect);
    if (!base)
        return tb_fail("VirtualAlloc(MEM_RESERVE, 1 MiB)");
    p->reservation.base = (uintptr_t)base;

    for (unsigned i = 0; i < TB_PIECE_COUNT; i++) {
        tb_range *piece = &p->pieces[i];
        piece->base = p->reservation.base + piece_layouts[i].first_page * page_size;
        piece->size = piece_layouts[i].page_count * page_size;
        piece->protect = piece_layouts[i].protect;
        piece->fill = fill_of_piece(i);
        if (commit_piece(piece) != 0)
            return -1;
    }
    return 0;
}

static int make_reserved_only(tb_private *p)
{
    p->reserved_only.size = TB_RESERVED_ONLY_SIZE;
    p->reserved_only.protect = PAGE_NOACCESS;
    p->reserved_only.fill = -1;
    void *base = VirtualAlloc(NULL, p->reserved_only.size, MEM_RESERVE, p->reserved_only.protect);
    if (!base)
        return tb_fail("VirtualAlloc(MEM_RESERVE, 64 KiB)");
    p->reserved_only.base = (uintptr_t)base;
    return 0;
}

static int make_odd_size(tb_private *p)
{
    p->odd_size.size = TB_ODD_SIZE;
    p->odd_size.protect = PAGE_READWRITE;
    p->odd_size.fill = 0xb0;
    void *base = VirtualAlloc(NULL, p->odd_size.size, MEM_COMMIT | MEM_RESERVE, p->odd_size.protect);
    if (!base)
        return tb_fail("VirtualAlloc(MEM_COMMIT|MEM_RESERVE, 20 KiB)");
    p->odd_size.base = (uintptr_t)base;
    memset(base, p->odd_size.fill, p->odd_size.size);
    return 0;
}

int tb_private_make(tb_private *p)
{
    SYSTEM_INFO info;
    GetSystemInfo(&info);
    memset(p, 0, sizeof *p);
    p->granularity = info.dwAllocationGranularity;
    if (make_reserved_only(p) != 0 || make_reservation_with_pieces(p, info.dwPageSize) != 0 ||
        make_odd_size(p) != 0)
        return -1;
    return 0;
}

static void report_range(tj_writer *w, const char *key, const tb_range *r, const char *protect_key)
{
    tj_begin_object(w, key);
    tj_address(w, "base", r->base);
    tj_uint(w, "size", r->size);
    tb_report_protect(w, protect_key, r->protect);
    if (r->fill >= 0)
        tj_uint(w, "fill", (unsigned)r->fill);
}

void tb_private_report(const tb_private *p, tj_writer *w)
{
    report_range(w, "reserved_only", &p->reserved_only, "allocation_protect");
    tj_end_object(w);

    report_range(w, "reservation", &p->reservation, "allocation_protect");
    tj_begin_array(w, "committed");
    for (unsigned i = 0; i < TB_PIECE_COUNT; i++) {
        report_range(w, NULL, &p->pieces[i], "protect");
        tj_end_object(w);
    }
    tj_end_array(w);
    tj_end_object(w);

    /* The rest of the allocation-granularity block after the odd-size allocation can never be
     * allocated: VMMap calls it "Unusable". */
    uintptr_t end = p->odd_size.base + p->odd_size.size;
    uintptr_t block_end = (end + p->granularity - 1) & ~(uintptr_t)(p->granularity - 1);
    report_range(w, "odd_size", &p->odd_size, "protect");
    tj_address(w, "unusable_base", end);
    tj_uint(w, "unusable_size", block_end - end);
    tj_end_object(w);
}
