// The independent reader for the kernel dump tests: kdmp-parser (../shared/oracles/kdmp-parser,
// header-only) opens a dump and this program prints, as JSON, what test_kdump_oracle.py compares
// with `pmm kdump --json`: the dump type, every context register, the bug check, the checksum of
// every physical page (pmm's page checksum, documented in the README, computed here over
// kdmp-parser's bytes) and VirtTranslate of each address given.
//   kdmp_oracle DUMP [VA...]
// Built natively by the test (g++ -std=c++20), never part of the product.
#include "kdmp-parser.h"

#include <algorithm>
#include <cinttypes>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <vector>

static uint64_t checksum64(const uint8_t *p, size_t len)
{
    uint64_t h = 0xcbf29ce484222325ull;
    for (size_t i = 0; i + 8 <= len; i += 8) {
        uint64_t word = 0;
        for (int b = 7; b >= 0; b--)
            word = word << 8 | p[i + b];
        h = (h ^ word) * 0x100000001b3ull;
        h ^= h >> 31;
    }
    for (size_t i = len / 8 * 8; i < len; i++)
        h = (h ^ p[i]) * 0x100000001b3ull;
    return h;
}

static void hex_field(const char *name, uint64_t v, bool comma = true)
{
    printf("\"%s\": \"0x%" PRIx64 "\"%s", name, v, comma ? ", " : "");
}

static void xmm_field(const char *name, const kdmpparser::uint128_t &v)
{
    printf("\"%s\": \"0x%016" PRIx64 "%016" PRIx64 "\", ", name, v.High, v.Low);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: kdmp_oracle DUMP [--dtb DTB] [VA...]\n");
        return 2;
    }
    kdmpparser::KernelDumpParser dump;
    // kdmp-parser reports its progress on stdout; keep stdout for the JSON alone.
    FILE *saved = stdout;
    stdout = stderr;
    bool ok = dump.Parse(argv[1]);
    stdout = saved;
    if (!ok) {
        fprintf(stderr, "kdmp-parser could not parse %s\n", argv[1]);
        return 1;
    }
    const auto &c = dump.GetContext();
    printf("{\"dump_type\": %u, \"dtb\": \"0x%" PRIx64 "\", ", uint32_t(dump.GetDumpType()),
           dump.GetDirectoryTableBase());
    printf("\"context\": {\"context_flags\": %u, \"mxcsr\": %u, \"eflags\": %u, ", c.ContextFlags, c.MxCsr, c.EFlags);
    printf("\"cs\": %u, \"ds\": %u, \"es\": %u, \"fs\": %u, \"gs\": %u, \"ss\": %u, ", c.SegCs, c.SegDs, c.SegEs,
           c.SegFs, c.SegGs, c.SegSs);
    hex_field("dr0", c.Dr0), hex_field("dr1", c.Dr1), hex_field("dr2", c.Dr2), hex_field("dr3", c.Dr3);
    hex_field("dr6", c.Dr6), hex_field("dr7", c.Dr7);
    hex_field("rax", c.Rax), hex_field("rcx", c.Rcx), hex_field("rdx", c.Rdx), hex_field("rbx", c.Rbx);
    hex_field("rsp", c.Rsp), hex_field("rbp", c.Rbp), hex_field("rsi", c.Rsi), hex_field("rdi", c.Rdi);
    hex_field("r8", c.R8), hex_field("r9", c.R9), hex_field("r10", c.R10), hex_field("r11", c.R11);
    hex_field("r12", c.R12), hex_field("r13", c.R13), hex_field("r14", c.R14), hex_field("r15", c.R15);
    const kdmpparser::uint128_t *xmm[16] = {&c.Xmm0, &c.Xmm1, &c.Xmm2,  &c.Xmm3,  &c.Xmm4,  &c.Xmm5,  &c.Xmm6,  &c.Xmm7,
                                            &c.Xmm8, &c.Xmm9, &c.Xmm10, &c.Xmm11, &c.Xmm12, &c.Xmm13, &c.Xmm14, &c.Xmm15};
    for (int i = 0; i < 16; i++) {
        char name[8];
        snprintf(name, sizeof name, "xmm%d", i);
        xmm_field(name, *xmm[i]);
    }
    printf("\"fpu_control\": %u, \"fpu_status\": %u, ", c.ControlWord, c.StatusWord);
    hex_field("rip", c.Rip, false);
    const auto bugcheck = dump.GetBugCheckParameters();
    printf("}, \"bugcheck\": {\"code\": %u, \"parameters\": [", bugcheck.BugCheckCode);
    for (int i = 0; i < 4; i++)
        printf("%s\"0x%" PRIx64 "\"", i ? ", " : "", bugcheck.BugCheckCodeParameter[i]);
    printf("]}, \"pages\": [");
    std::vector<uint64_t> addresses;
    for (const auto &[pa, page] : dump.GetPhysmem())
        addresses.push_back(pa);
    std::sort(addresses.begin(), addresses.end());
    for (size_t i = 0; i < addresses.size(); i++)
        printf("%s{\"address\": \"0x%" PRIx64 "\", \"hash\": \"0x%" PRIx64 "\"}", i ? ", " : "", addresses[i],
               checksum64(dump.GetPhysicalPage(addresses[i]), kdmpparser::Page::Size));
    printf("], \"translations\": [");
    int first = 2;
    uint64_t dtb = 0;   // 0: the header's
    if (argc > 3 && strcmp(argv[2], "--dtb") == 0) {
        dtb = strtoull(argv[3], nullptr, 0);
        first = 4;
    }
    for (int i = first; i < argc; i++) {
        uint64_t va = strtoull(argv[i], nullptr, 0);
        saved = stdout;
        stdout = stderr;   // VirtTranslate prints why a walk failed
        const auto pa = dump.VirtTranslate(va, dtb);
        stdout = saved;
        printf("%s{\"address\": \"0x%" PRIx64 "\", \"physical\": ", i > first ? ", " : "", va);
        if (pa)
            printf("\"0x%" PRIx64 "\"}", *pa);
        else
            printf("null}");
    }
    printf("]}\n");
    return 0;
}
