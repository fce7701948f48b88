/* libFuzzer harness for the API set schema reader (core/formats/apiset.c): the input is a schema;
 * it is read and a few contract names, fixed and taken from the input, are resolved. Any crash,
 * hang or sanitizer report is a bug. */
#include <stdint.h>
#include <string.h>
#include "core/formats/apiset.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    pmm_apiset set;
    if (pmm_apiset_from_bytes(data, size, &set) != PMM_OK)
        return 0;
    static const char *const names[] = {"api-ms-win-core-synch-l1-2-0.dll", "ext-ms-win-a-l1-1-0", "api-x-1",
                                        "api-ms-win-core-file-l1-1-0"};
    char host[260], name[64];
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        pmm_apiset_resolve(&set, names[i], strlen(names[i]), "importer.dll", host, sizeof host);
    size_t n = size < sizeof name - 5 ? size : sizeof name - 5;
    memcpy(name, "api-", 4);
    for (size_t i = 0; i < n; i++)
        name[4 + i] = (char)(data[i] ? data[i] : '-');
    pmm_apiset_resolve(&set, name, 4 + n, NULL, host, sizeof host);
    pmm_apiset_free(&set);
    return 0;
}
