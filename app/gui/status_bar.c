#include "status_bar.h"

#include <commctrl.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>
#include "gui_util.h"

/* Room around a part's text: the part's sunken edge and the bar's text inset. */
#define TEXT_PAD 14
/* The progress part: the bar, then the Cancel button. */
#define PROGRESS_WIDTH 240
#define CANCEL_WIDTH 64
/* The target part never gets narrower than this while there is room. */
#define TARGET_MIN_WIDTH 80

static const char *const part_names[STATUS_PART_COUNT] = {"target", "pid", "bits", "regions", "time", "changes",
                                                         "warnings", "working_set", "progress"};

int status_bar_create(status_bar *s, HWND owner, int id, int progress_id, int cancel_id)
{
    HINSTANCE instance = GetModuleHandleW(NULL);
    memset(s, 0, sizeof *s);
    s->dpi = 96;
    for (int p = 0; p < STATUS_PART_COUNT; p++)
        s->shown[p] = -1;
    /* WS_CLIPSIBLINGS: the Cancel button sits on top of the status bar. */
    s->hwnd = CreateWindowExW(0, STATUSCLASSNAMEW, NULL, WS_CHILD | WS_VISIBLE | WS_CLIPSIBLINGS | SBARS_SIZEGRIP |
                              SBARS_TOOLTIPS, 0, 0, 0, 0, owner, (HMENU)(INT_PTR)id, instance, NULL);
    if (!s->hwnd)
        return 0;
    s->progress = CreateWindowExW(0, PROGRESS_CLASSW, NULL, WS_CHILD | PBS_SMOOTH, 0, 0, 0, 0, s->hwnd,
                                  (HMENU)(INT_PTR)progress_id, instance, NULL);
    s->cancel = CreateWindowExW(0, L"BUTTON", L"Cancel", WS_CHILD | WS_CLIPSIBLINGS | BS_PUSHBUTTON, 0, 0, 0, 0, owner,
                                (HMENU)(INT_PTR)cancel_id, instance, NULL);
    if (!s->progress || !s->cancel)
        return 0;
    SendMessageW(s->progress, PBM_SETRANGE32, 0, 1000);
    return 1;
}

void status_bar_set_font(status_bar *s, HFONT font, UINT dpi)
{
    s->font = font;
    s->dpi = dpi;
    SendMessageW(s->hwnd, WM_SETFONT, (WPARAM)font, TRUE);
    SendMessageW(s->cancel, WM_SETFONT, (WPARAM)font, TRUE);
}

void status_bar_set(status_bar *s, status_part part, const char *text)
{
    if (part < STATUS_PART_COUNT)
        snprintf(s->text[part], sizeof s->text[part], "%s", text ? text : "");
}

void status_bar_set_tip(status_bar *s, status_part part, const char *tip)
{
    if (part < STATUS_PART_COUNT)
        snprintf(s->tip[part], sizeof s->tip[part], "%s", tip ? tip : "");
}

void status_bar_set_busy(status_bar *s, int busy)
{
    s->busy = busy;
    status_bar_set_progress(s, 0);
    ShowWindow(s->progress, busy ? SW_SHOWNA : SW_HIDE);
    ShowWindow(s->cancel, busy ? SW_SHOWNA : SW_HIDE);
    EnableWindow(s->cancel, busy);
}

void status_bar_set_progress(status_bar *s, int permille)
{
    SendMessageW(s->progress, PBM_SETPOS, (WPARAM)permille, 0);
}

int status_bar_progress(const status_bar *s)
{
    return s->busy ? (int)SendMessageW(s->progress, PBM_GETPOS, 0, 0) : -1;
}

int status_bar_height(const status_bar *s)
{
    RECT r;
    GetWindowRect(s->hwnd, &r);
    return r.bottom - r.top;
}

static int text_width(const status_bar *s, HDC dc, const char *text)
{
    wchar_t wide[400];
    SIZE size = {0, 0};
    gui_utf8_to_wide(text, wide, 400);
    GetTextExtentPoint32W(dc, wide, (int)wcslen(wide), &size);
    (void)s;
    return size.cx;
}

/* What each part needs; 0 for a part left out. */
static void part_widths(const status_bar *s, int need[STATUS_PART_COUNT])
{
    HDC dc = GetDC(s->hwnd);
    HGDIOBJ old = SelectObject(dc, s->font ? s->font : GetStockObject(DEFAULT_GUI_FONT));
    for (int p = 0; p < STATUS_PART_COUNT; p++) {
        if (p == STATUS_PROGRESS)
            need[p] = s->busy ? gui_scale(PROGRESS_WIDTH, s->dpi) : 0;
        else if (s->text[p][0] || p == STATUS_TARGET)
            need[p] = text_width(s, dc, s->text[p]) + gui_scale(TEXT_PAD, s->dpi);
        else
            need[p] = 0;
    }
    SelectObject(dc, old);
    ReleaseDC(s->hwnd, dc);
}

static void place_progress(status_bar *s)
{
    RECT r;
    if (!s->busy || s->shown[STATUS_PROGRESS] < 0 ||
        !SendMessageW(s->hwnd, SB_GETRECT, (WPARAM)s->shown[STATUS_PROGRESS], (LPARAM)&r))
        return;
    InflateRect(&r, -gui_scale(2, s->dpi), -gui_scale(1, s->dpi));
    int button_w = gui_scale(CANCEL_WIDTH, s->dpi), gap = gui_scale(4, s->dpi);
    int grip = GetSystemMetrics(SM_CXVSCROLL);
    SetWindowPos(s->progress, NULL, r.left, r.top + gui_scale(1, s->dpi), r.right - r.left - button_w - gap - grip,
                 r.bottom - r.top - gui_scale(2, s->dpi), SWP_NOZORDER | SWP_NOACTIVATE);
    POINT at = {r.right - button_w - grip, r.top};
    MapWindowPoints(s->hwnd, GetParent(s->hwnd), &at, 1);
    SetWindowPos(s->cancel, HWND_TOP, at.x, at.y, button_w, r.bottom - r.top, SWP_NOACTIVATE);
}

void status_bar_layout(status_bar *s, int width)
{
    int need[STATUS_PART_COUNT], edges[STATUS_PART_COUNT], count = 0, fixed = 0;
    s->width = width;
    part_widths(s, need);
    /* The last part also holds the size grip. */
    int grip = GetSystemMetrics(SM_CXVSCROLL);
    for (int p = STATUS_TARGET + 1; p < STATUS_PART_COUNT; p++)
        fixed += need[p];
    fixed += grip;
    /* The target takes what the others leave; when even its minimum does not fit, every part gives
     * up the same share, so none overlaps the next. */
    int target = width - fixed, minimum = gui_scale(TARGET_MIN_WIDTH, s->dpi);
    int num = 1, den = 1;
    if (target < minimum) {
        target = minimum < width ? minimum : width / 4;
        num = width - target > 0 ? width - target : 1;
        den = fixed > 0 ? fixed : 1;
    }
    int x = 0;
    for (int p = 0; p < STATUS_PART_COUNT; p++) {
        s->shown[p] = -1;
        if (need[p] == 0 && p != STATUS_TARGET)
            continue;
        x += p == STATUS_TARGET ? target : MulDiv(need[p], num, den);
        s->shown[p] = count;
        edges[count++] = x;
    }
    edges[count - 1] = -1;
    SendMessageW(s->hwnd, SB_SETPARTS, (WPARAM)count, (LPARAM)edges);
    for (int p = 0; p < STATUS_PART_COUNT; p++) {
        if (s->shown[p] < 0)
            continue;
        wchar_t wide[400];
        gui_utf8_to_wide(p == STATUS_PROGRESS ? "" : s->text[p], wide, 400);
        SendMessageW(s->hwnd, SB_SETTEXTW, (WPARAM)s->shown[p], (LPARAM)wide);
        wchar_t tip[600];
        gui_utf8_to_wide(s->tip[p], tip, 600);
        SendMessageW(s->hwnd, SB_SETTIPTEXTW, (WPARAM)s->shown[p], (LPARAM)tip);
    }
    place_progress(s);
}

status_part status_bar_part_at(const status_bar *s, int index)
{
    for (int p = 0; p < STATUS_PART_COUNT; p++)
        if (s->shown[p] == index && index >= 0)
            return (status_part)p;
    return STATUS_PART_COUNT;
}

int status_bar_write_state(const status_bar *s, FILE *f)
{
    HDC dc = GetDC(s->hwnd);
    HFONT font = (HFONT)SendMessageW(s->hwnd, WM_GETFONT, 0, 0);
    HGDIOBJ old = SelectObject(dc, font ? font : GetStockObject(DEFAULT_GUI_FONT));
    int ok = 1;
    for (int p = 0; p < STATUS_PART_COUNT && ok; p++) {
        if (s->shown[p] < 0 || p == STATUS_PROGRESS)
            continue;
        wchar_t wide[400] = L"";
        RECT r = {0, 0, 0, 0};
        int length = LOWORD(SendMessageW(s->hwnd, SB_GETTEXTLENGTHW, (WPARAM)s->shown[p], 0));
        if (length < 400)
            SendMessageW(s->hwnd, SB_GETTEXTW, (WPARAM)s->shown[p], (LPARAM)wide);
        SendMessageW(s->hwnd, SB_GETRECT, (WPARAM)s->shown[p], (LPARAM)&r);
        SIZE size = {0, 0};
        GetTextExtentPoint32W(dc, wide, (int)wcslen(wide), &size);
        char *shown = gui_wide_to_utf8_alloc(wide);
        ok = fprintf(f, "Status %s: set \"%s\" shown \"%s\" part %ld px text %ld px%s%s%s\n", part_names[p],
                     s->text[p], shown ? shown : "", (long)(r.right - r.left), (long)size.cx,
                     s->tip[p][0] ? " tip \"" : "", s->tip[p], s->tip[p][0] ? "\"" : "") > 0;
        free(shown);
    }
    SelectObject(dc, old);
    ReleaseDC(s->hwnd, dc);
    return ok ? 0 : -1;
}
