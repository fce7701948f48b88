#include "gui_capture.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int write_bmp(const wchar_t *path, const uint8_t *pixels, int width, int height, int stride)
{
    BITMAPFILEHEADER file = {0};
    BITMAPINFOHEADER info = {0};
    info.biSize = sizeof info;
    info.biWidth = width;
    info.biHeight = height;   /* bottom-up, as GetDIBits returned it */
    info.biPlanes = 1;
    info.biBitCount = 24;
    info.biCompression = BI_RGB;
    info.biSizeImage = (DWORD)stride * (DWORD)height;
    file.bfType = 0x4D42;     /* "BM" */
    file.bfOffBits = sizeof file + sizeof info;
    file.bfSize = file.bfOffBits + info.biSizeImage;
    FILE *f = _wfopen(path, L"wb");
    if (!f)
        return -1;
    int ok = fwrite(&file, sizeof file, 1, f) == 1 && fwrite(&info, sizeof info, 1, f) == 1 &&
             fwrite(pixels, info.biSizeImage, 1, f) == 1;
    if (fclose(f) != 0)
        ok = 0;
    return ok ? 0 : -1;
}

int gui_save_window_bmp(HWND hwnd, const wchar_t *path)
{
    RECT r;
    GetWindowRect(hwnd, &r);
    int width = r.right - r.left, height = r.bottom - r.top;
    if (width <= 0 || height <= 0)
        return -1;
    /* Copied from the screen, not PrintWindow: Wine's PrintWindow paints only the background. The
     * window is in front when this runs, so the copy is what a user sees. */
    HDC screen = GetDC(NULL);
    HDC memory = CreateCompatibleDC(screen);
    HBITMAP bitmap = CreateCompatibleBitmap(screen, width, height);
    HGDIOBJ old = SelectObject(memory, bitmap);
    BitBlt(memory, 0, 0, width, height, screen, r.left, r.top, SRCCOPY | CAPTUREBLT);
    SelectObject(memory, old);

    int stride = (width * 3 + 3) & ~3;
    uint8_t *pixels = malloc((size_t)stride * (size_t)height);
    int rc = -1;
    if (pixels) {
        BITMAPINFO info = {0};
        info.bmiHeader.biSize = sizeof info.bmiHeader;
        info.bmiHeader.biWidth = width;
        info.bmiHeader.biHeight = height;
        info.bmiHeader.biPlanes = 1;
        info.bmiHeader.biBitCount = 24;
        info.bmiHeader.biCompression = BI_RGB;
        if (GetDIBits(memory, bitmap, 0, (UINT)height, pixels, &info, DIB_RGB_COLORS) == height)
            rc = write_bmp(path, pixels, width, height, stride);
        free(pixels);
    }
    DeleteObject(bitmap);
    DeleteDC(memory);
    ReleaseDC(NULL, screen);
    return rc;
}

/* A buffer this big writes 100,000 rows (5 MB) in a few calls: through the C runtime's default
 * 4 KB one, and fprintf per row, writing took about 200 ms of the window's unattended run. */
#define ROWS_BUFFER (1u << 20)

int gui_write_rows(const region_rows *rows, const wchar_t *path)
{
    FILE *f = _wfopen(path, L"wb");
    if (!f)
        return -1;
    setvbuf(f, NULL, _IOFBF, ROWS_BUFFER);
    char line[4096];
    int ok = 1;
    for (size_t i = 0; i < rows->count && ok; i++)
        ok = fputs(region_rows_format(rows, i, '\t', line, sizeof line), f) >= 0 && fputc('\n', f) != EOF;
    if (fclose(f) != 0)
        ok = 0;
    return ok ? 0 : -1;
}
