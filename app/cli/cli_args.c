#include "cli_args.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "commands.h"
#include "core/util/file_platform.h"
#include "core/util/output_name.h"
#include "core/util/text.h"

void cli_error(const char *fmt, ...)
{
    va_list ap;
    fputs("pmm: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}

static const cli_option *find_option(const cli_option *options, int count, const char *name)
{
    for (int i = 0; i < count; i++)
        if (strcmp(options[i].name, name) == 0)
            return &options[i];
    return NULL;
}

static int usage_error(const char *usage, const char *fmt, const char *arg)
{
    fputs("pmm: ", stderr);
    fprintf(stderr, fmt, arg);
    fprintf(stderr, "\nusage: %s\n", usage);
    return PMM_EXIT_USAGE;
}

int cli_parse(int argc, char **argv, const cli_option *options, int option_count, const char **positionals,
              int min_positionals, int max_positionals, int *positional_count, const char *usage)
{
    *positional_count = 0;
    for (int i = 0; i < argc; i++) {
        const char *arg = argv[i];
        if (strcmp(arg, "--help") == 0 || strcmp(arg, "-h") == 0) {
            printf("usage: %s\n", usage);
            return PMM_EXIT_OK;
        }
        if (arg[0] == '-' && arg[1] == '-') {
            const cli_option *o = find_option(options, option_count, arg);
            if (!o)
                return usage_error(usage, "unknown option %s", arg);
            if (o->present)
                *o->present = 1;
            if (o->value) {
                if (i + 1 >= argc)
                    return usage_error(usage, "option %s needs a value", arg);
                *o->value = argv[++i];
            }
            continue;
        }
        if (*positional_count >= max_positionals)
            return usage_error(usage, "unexpected argument %s", arg);
        positionals[(*positional_count)++] = arg;
    }
    if (*positional_count < min_positionals)
        return usage_error(usage, "%s", "missing argument");
    return CLI_PARSED;
}

int cli_parse_u64(const char *text, unsigned long long *out)
{
    uint64_t value;
    if (pmm_parse_u64(text, &value) != 0)
        return -1;
    *out = value;
    return 0;
}

int cli_check_output(const char *output, const char *input)
{
    char message[1200];
    if (pmm_output_name_check(output, message, sizeof message) != 0) {
        cli_error("%s", message);
        return PMM_EXIT_USAGE;
    }
    if (input && pmm_file_same(output, input)) {
        cli_error("'%s' is the input ('%s'): writing there would destroy what is being read; choose another "
                  "output name", output, input);
        return PMM_EXIT_USAGE;
    }
    return CLI_PARSED;
}
