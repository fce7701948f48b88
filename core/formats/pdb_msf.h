/* The MSF 7.0 container of a PDB: a file of fixed-size blocks holding numbered streams, whose
 * block lists live in a stream directory. Streams are read whole into memory on demand; every
 * size and block number is checked against the file's real size first, so no allocation is ever
 * larger than the file. */
#ifndef PMM_PDB_MSF_H
#define PMM_PDB_MSF_H

#include <stddef.h>
#include <stdint.h>
#include "../source/source.h"

#define MSF_NIL_STREAM 0xffffffffu    /* a stream size meaning "no such stream" */
#define MSF_MAX_STREAMS 65535u        /* stream numbers are 16 bits everywhere they are stored */

typedef struct msf_file {
    pmm_source *src;             /* not owned: address = file offset */
    uint64_t file_size;
    uint32_t block_size;
    uint32_t block_count;
    uint32_t stream_count;
    uint32_t *stream_sizes;      /* bytes; 0 for a nil stream */
    uint32_t *stream_first;      /* index into blocks of each stream's first block */
    uint32_t *blocks;            /* every stream's blocks, back to back */
} msf_file;

/* PMM_ERR_FORMAT with a reason in message when the file is not an MSF 7.0 file or its directory
 * is damaged; PMM_ERR_READ when it is cut short. */
pmm_status msf_open(pmm_source *src, uint64_t file_size, msf_file *out, char *message, size_t message_cap);
void msf_close(msf_file *msf);
/* The whole stream in a buffer the caller frees (NULL and 0 for an empty or nil stream).
 * PMM_ERR_NOT_FOUND for a stream number past the directory. */
pmm_status msf_read_stream(const msf_file *msf, uint32_t stream, uint8_t **data, size_t *size);

#endif
