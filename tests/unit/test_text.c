#include "check.h"
#include "core/source/source.h"
#include "core/util/text.h"
#include "core/util/device_path.h"
#include "core/util/utf.h"

TEST_CASE(protections_read_like_vmmap)
{
    char buf[32];
    CHECK_STR(pmm_protect_text(PMM_PAGE_READWRITE, buf, sizeof buf), "RW");
    CHECK_STR(pmm_protect_text(PMM_PAGE_EXECUTE_READ, buf, sizeof buf), "RX");
    CHECK_STR(pmm_protect_text(PMM_PAGE_EXECUTE_READWRITE, buf, sizeof buf), "RWX");
    CHECK_STR(pmm_protect_text(PMM_PAGE_NOACCESS, buf, sizeof buf), "NA");
    CHECK_STR(pmm_protect_text(PMM_PAGE_WRITECOPY, buf, sizeof buf), "WC");
    CHECK_STR(pmm_protect_text(PMM_PAGE_READWRITE | PMM_PAGE_GUARD, buf, sizeof buf), "RW+G");
    CHECK_STR(pmm_protect_text(PMM_PAGE_READWRITE | PMM_PAGE_NOCACHE, buf, sizeof buf), "RW+NC");
    CHECK_STR(pmm_protect_text(PMM_PAGE_READWRITE | PMM_PAGE_WRITECOMBINE, buf, sizeof buf), "RW+WCM");
    CHECK_STR(pmm_protect_text(0x3, buf, sizeof buf), "0x3");
}

TEST_CASE(sizes_in_kib_with_separators)
{
    char buf[32];
    CHECK_STR(pmm_size_text(4096, buf, sizeof buf), "4 K");
    CHECK_STR(pmm_size_text(1024 * 1024 * 1024, buf, sizeof buf), "1,048,576 K");
    CHECK_STR(pmm_size_text(1, buf, sizeof buf), "1 K");
}

TEST_CASE(utf16_converts_and_replaces_lone_surrogates)
{
    const uint8_t text[] = {'C', 0, ':', 0, 0xE9, 0, 0x3D, 0xD8, 0x00, 0xDE, 0x00, 0xD8, 'x', 0};
    char out[32];
    pmm_utf16le_to_utf8(text, sizeof text / 2, out, sizeof out);
    CHECK_STR(out, "C:\xC3\xA9\xF0\x9F\x98\x80\xEF\xBF\xBDx");
    pmm_utf16le_to_utf8(text, sizeof text / 2, out, 4);  /* truncates on a character boundary */
    CHECK_STR(out, "C:");
}

TEST_CASE(device_paths_become_drive_paths)
{
    const pmm_drive_device drives[] = {{'C', "\\Device\\HarddiskVolume3"}, {'D', "\\Device\\HarddiskVolume30"},
                                       {'Z', "\\Device\\Mup\\server\\share"}};
    char out[128];
    pmm_device_path_to_dos_form("\\Device\\HarddiskVolume3\\Windows\\a.dll", drives, 3, out, sizeof out);
    CHECK_STR(out, "C:\\Windows\\a.dll");
    /* Volume30 must not be taken for Volume3 followed by "0". */
    pmm_device_path_to_dos_form("\\device\\harddiskvolume30\\x", drives, 3, out, sizeof out);
    CHECK_STR(out, "D:\\x");
    pmm_device_path_to_dos_form("\\??\\C:\\users\\t.bin", drives, 3, out, sizeof out);
    CHECK_STR(out, "C:\\users\\t.bin");
    pmm_device_path_to_dos_form("\\Device\\Unknown\\x", drives, 3, out, sizeof out);
    CHECK_STR(out, "\\Device\\Unknown\\x");
    pmm_device_path_to_dos_form("\\Device\\HarddiskVolume3\\very-long-name", drives, 3, out, 8);
    CHECK_STR(out, "C:\\very");
}

CHECK_MAIN(CASE(protections_read_like_vmmap), CASE(device_paths_become_drive_paths), CASE(sizes_in_kib_with_separators),
           CASE(utf16_converts_and_replaces_lone_surrogates))
