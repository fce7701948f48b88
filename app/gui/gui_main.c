/* Placeholder entry point; the explorer window is being written. */
#include <windows.h>

int WINAPI wWinMain(HINSTANCE instance, HINSTANCE prev, PWSTR cmd, int show)
{
    (void)instance; (void)prev; (void)cmd; (void)show;
    MessageBoxW(NULL, L"ProcessMemoryMap", L"ProcessMemoryMap", MB_OK);
    return 0;
}
