#include "check.h"
#include "core/source/source.h"
#include "core/util/text.h"
#include "core/util/device_path.h"
#include "core/util/output_name.h"
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

TEST_CASE(protections_in_vmmap_words)
{
    char buf[64];
    CHECK_STR(pmm_protect_words(PMM_PAGE_EXECUTE_WRITECOPY, buf, sizeof buf), "Execute/Read/Write-Copy");
    CHECK_STR(pmm_protect_words(PMM_PAGE_WRITECOPY, buf, sizeof buf), "Read/Write-Copy");
    CHECK_STR(pmm_protect_words(PMM_PAGE_EXECUTE_READ, buf, sizeof buf), "Execute/Read");
    CHECK_STR(pmm_protect_words(PMM_PAGE_EXECUTE, buf, sizeof buf), "Execute");
    CHECK_STR(pmm_protect_words(PMM_PAGE_READONLY, buf, sizeof buf), "Read");
    CHECK_STR(pmm_protect_words(PMM_PAGE_NOACCESS, buf, sizeof buf), "No access");
    CHECK_STR(pmm_protect_words(PMM_PAGE_READWRITE | PMM_PAGE_GUARD, buf, sizeof buf), "Read/Write/Guard");
    CHECK_STR(pmm_protect_words(PMM_PAGE_READWRITE | PMM_PAGE_NOCACHE | PMM_PAGE_WRITECOMBINE, buf, sizeof buf),
              "Read/Write/No cache/Write combine");
    CHECK_STR(pmm_protect_words(0, buf, sizeof buf), "");
    CHECK_STR(pmm_protect_words(0x3, buf, sizeof buf), "0x3");
}

TEST_CASE(counts_and_sizes_with_separators)
{
    char buf[32];
    CHECK_STR(pmm_count_text(0, buf, sizeof buf), "0");
    CHECK_STR(pmm_count_text(999, buf, sizeof buf), "999");
    CHECK_STR(pmm_count_text(1000, buf, sizeof buf), "1,000");
    CHECK_STR(pmm_count_text(32129024, buf, sizeof buf), "32,129,024");
    CHECK_STR(pmm_count_text(UINT64_MAX, buf, sizeof buf), "18,446,744,073,709,551,615");
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

TEST_CASE(numbers_as_users_type_them)
{
    uint64_t v = 7;
    CHECK(pmm_parse_u64("4096", &v) == 0 && v == 4096);
    CHECK(pmm_parse_u64("0", &v) == 0 && v == 0);
    CHECK(pmm_parse_u64("0x7FFE0000", &v) == 0 && v == 0x7ffe0000);
    CHECK(pmm_parse_u64("18446744073709551615", &v) == 0 && v == UINT64_MAX);
    CHECK(pmm_parse_u64("0xffffffffffffffff", &v) == 0 && v == UINT64_MAX);
    v = 7;
    static const char *const refused[] = {"", "010", "00", "18446744073709551616", "0x10000000000000000", "0x",
                                          "-1", "+1", " 1", "1 ", "1e3", "12a", "0X", "0b101", "１"};
    for (size_t i = 0; i < sizeof refused / sizeof refused[0]; i++) {
        CHECK(pmm_parse_u64(refused[i], &v) == -1);
        if (v != 7)
            fprintf(stderr, "  '%s' changed the output\n", refused[i]);
        CHECK_EQ_U64(v, 7);
    }
}

TEST_CASE(device_and_empty_output_names_are_refused)
{
    char message[512];
    static const char *const devices[] = {
        "", "CON", "con", "NUL", "nul.txt", "Aux.dmp", "PRN", "COM1", "com9.bin", "LPT1", "lpt9", "COM\xC2\xB9",
        "NUL .txt", "C:\\x\\NUL", "C:NUL", "sub/con.tar.gz", "x\\LPT3\\y.dmp", "\\\\.\\COM1",
        "//./PhysicalDrive0", "\\\\?\\GLOBALROOT\\Device\\Null", "\\??\\C:\\x", "CONOUT$", "conin$.txt"};
    for (size_t i = 0; i < sizeof devices / sizeof devices[0]; i++) {
        message[0] = '\0';
        int refused = pmm_output_name_check(devices[i], message, sizeof message) == -1;
        if (!refused)
            fprintf(stderr, "  '%s' was accepted\n", devices[i]);
        CHECK(refused && message[0]);
    }
    static const char *const files[] = {"out.dmp", "console.dmp", "NULL", "nul1", "COM10", "COM0", "LPT", "con_x",
                                        "C:\\dumps\\aux_\\x.dmp", "\\\\?\\C:\\dumps\\x.dmp",
                                        "\xD0\x94\xD0\xBC\xD0\xB8\xD1\x82\xD1\x80\xD0\xB8\xD0\xB9 \xC3\xBC.out",
                                        ".hidden", "a.con"};
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        int accepted = pmm_output_name_check(files[i], message, sizeof message) == 0;
        if (!accepted)
            fprintf(stderr, "  '%s' was refused: %s\n", files[i], message);
        CHECK(accepted);
    }
    CHECK(pmm_output_name_check("COM1", message, sizeof message) == -1 && strstr(message, "COM1"));
}

CHECK_MAIN(CASE(protections_read_like_vmmap), CASE(device_paths_become_drive_paths), CASE(counts_and_sizes_with_separators),
           CASE(protections_in_vmmap_words),
           CASE(utf16_converts_and_replaces_lone_surrogates), CASE(numbers_as_users_type_them),
           CASE(device_and_empty_output_names_are_refused))
