/* MSF 7.0 layout: a 56-byte superblock (magic, block size, free block map block, block count,
 * directory size, reserved, block map address); the block at the block map address lists the
 * directory's blocks; the directory is: stream count, each stream's size, each stream's blocks. */
#include "pdb_msf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "byte_cursor.h"

static const char msf_magic[32] = "Microsoft C/C++ MSF 7.00\r\n\x1a" "DS\0\0\0";

#define SUPERBLOCK_SIZE 56u

static pmm_status fail(char *message, size_t cap, pmm_status st, const char *why)
{
    snprintf(message, cap, "%s", why);
    return st;
}

static int valid_block_size(uint32_t size)
{
    return size == 512 || size == 1024 || size == 2048 || size == 4096 || size == 8192 || size == 16384 ||
           size == 32768;
}

static uint32_t blocks_for(uint32_t bytes, uint32_t block_size)
{
    return (uint32_t)(((uint64_t)bytes + block_size - 1) / block_size);
}

/* Reads the bytes held by a list of blocks, in order, into buf. */
static pmm_status read_blocks(const msf_file *msf, const uint32_t *blocks, uint32_t bytes, uint8_t *buf)
{
    for (uint32_t done = 0, i = 0; done < bytes; i++) {
        uint32_t chunk = bytes - done < msf->block_size ? bytes - done : msf->block_size;
        uint64_t at = (uint64_t)blocks[i] * msf->block_size;
        if (pmm_source_read_exact(msf->src, at, buf + done, chunk) != PMM_OK)
            return PMM_ERR_READ;
        done += chunk;
    }
    return PMM_OK;
}

static int block_ok(const msf_file *msf, uint32_t block)
{
    return block < msf->block_count && (uint64_t)block * msf->block_size < msf->file_size;
}

static pmm_status read_directory(msf_file *msf, uint32_t dir_bytes, uint32_t map_block, uint8_t **out,
                                 char *message, size_t cap)
{
    uint32_t dir_blocks = blocks_for(dir_bytes, msf->block_size);
    if (dir_blocks > msf->block_size / 4)
        return fail(message, cap, PMM_ERR_FORMAT, "stream directory larger than one block map holds");
    uint32_t *list = calloc(dir_blocks ? dir_blocks : 1, sizeof *list);
    uint8_t *dir = malloc(dir_bytes ? dir_bytes : 1);
    uint8_t *raw = malloc((size_t)(dir_blocks ? dir_blocks : 1) * 4);
    pmm_status st = list && dir && raw ? PMM_OK : PMM_ERR_NOMEM;
    if (st == PMM_OK && pmm_source_read_exact(msf->src, (uint64_t)map_block * msf->block_size, raw,
                                              (size_t)dir_blocks * 4) != PMM_OK)
        st = fail(message, cap, PMM_ERR_READ, "the stream directory's block map cannot be read");
    for (uint32_t i = 0; st == PMM_OK && i < dir_blocks; i++) {
        byte_cursor c = bc_make(raw + 4 * i, 4);
        list[i] = bc_u32(&c);
        if (!block_ok(msf, list[i]))
            st = fail(message, cap, PMM_ERR_FORMAT, "the stream directory names a block past the file");
    }
    if (st == PMM_OK && read_blocks(msf, list, dir_bytes, dir) != PMM_OK)
        st = fail(message, cap, PMM_ERR_READ, "the stream directory cannot be read (file cut short?)");
    free(list);
    free(raw);
    if (st != PMM_OK) {
        free(dir);
        return st;
    }
    *out = dir;
    return PMM_OK;
}

static pmm_status parse_directory(msf_file *msf, const uint8_t *dir, uint32_t dir_bytes, char *message, size_t cap)
{
    byte_cursor c = bc_make(dir, dir_bytes);
    uint32_t count = bc_u32(&c);
    if (c.bad || count > MSF_MAX_STREAMS || count > bc_left(&c) / 4)
        return fail(message, cap, PMM_ERR_FORMAT, "impossible stream count in the stream directory");
    msf->stream_count = count;
    msf->stream_sizes = calloc(count ? count : 1, sizeof *msf->stream_sizes);
    msf->stream_first = calloc(count ? count : 1, sizeof *msf->stream_first);
    if (!msf->stream_sizes || !msf->stream_first)
        return PMM_ERR_NOMEM;
    uint64_t total_blocks = 0;
    for (uint32_t i = 0; i < count; i++) {
        uint32_t size = bc_u32(&c);
        msf->stream_sizes[i] = size == MSF_NIL_STREAM ? 0 : size;
        /* Blocks may repeat, so the lists alone do not bound a stream: the file's size does. */
        if (msf->stream_sizes[i] > msf->file_size)
            return fail(message, cap, PMM_ERR_FORMAT, "a stream is larger than the file");
        msf->stream_first[i] = (uint32_t)total_blocks;
        total_blocks += blocks_for(msf->stream_sizes[i], msf->block_size);
    }
    /* The block lists must be in the directory: this bounds every stream by the file's size. */
    if (total_blocks > bc_left(&c) / 4)
        return fail(message, cap, PMM_ERR_FORMAT, "stream sizes need more blocks than the directory lists");
    msf->blocks = malloc((size_t)(total_blocks ? total_blocks : 1) * sizeof *msf->blocks);
    if (!msf->blocks)
        return PMM_ERR_NOMEM;
    for (uint64_t i = 0; i < total_blocks; i++) {
        msf->blocks[i] = bc_u32(&c);
        if (!block_ok(msf, msf->blocks[i]))
            return fail(message, cap, PMM_ERR_FORMAT, "a stream names a block past the end of the file");
    }
    return PMM_OK;
}

pmm_status msf_open(pmm_source *src, uint64_t file_size, msf_file *out, char *message, size_t cap)
{
    memset(out, 0, sizeof *out);
    out->src = src;
    out->file_size = file_size;
    uint8_t sb[SUPERBLOCK_SIZE];
    if (file_size < SUPERBLOCK_SIZE || pmm_source_read_exact(src, 0, sb, sizeof sb) != PMM_OK)
        return fail(message, cap, PMM_ERR_FORMAT, "too short for a PDB");
    if (memcmp(sb, msf_magic, sizeof msf_magic) != 0)
        return fail(message, cap, PMM_ERR_FORMAT, "not an MSF 7.0 PDB (wrong signature)");
    byte_cursor c = bc_make(sb + 32, SUPERBLOCK_SIZE - 32);
    out->block_size = bc_u32(&c);
    bc_u32(&c);   /* free block map block */
    out->block_count = bc_u32(&c);
    uint32_t dir_bytes = bc_u32(&c);
    bc_u32(&c);
    uint32_t map_block = bc_u32(&c);
    if (!valid_block_size(out->block_size))
        return fail(message, cap, PMM_ERR_FORMAT, "invalid MSF block size");
    if (!block_ok(out, map_block) || dir_bytes < 4 || dir_bytes > (uint64_t)out->block_count * out->block_size)
        return fail(message, cap, PMM_ERR_FORMAT, "invalid stream directory location or size");
    uint8_t *dir = NULL;
    pmm_status st = read_directory(out, dir_bytes, map_block, &dir, message, cap);
    if (st == PMM_OK)
        st = parse_directory(out, dir, dir_bytes, message, cap);
    free(dir);
    if (st != PMM_OK)
        msf_close(out);
    return st;
}

void msf_close(msf_file *msf)
{
    free(msf->stream_sizes);
    free(msf->stream_first);
    free(msf->blocks);
    memset(msf, 0, sizeof *msf);
}

pmm_status msf_read_stream(const msf_file *msf, uint32_t stream, uint8_t **data, size_t *size)
{
    *data = NULL;
    *size = 0;
    if (stream >= msf->stream_count)
        return PMM_ERR_NOT_FOUND;
    uint32_t bytes = msf->stream_sizes[stream];
    if (bytes == 0)
        return PMM_OK;
    uint8_t *buf = malloc(bytes);
    if (!buf)
        return PMM_ERR_NOMEM;
    pmm_status st = read_blocks(msf, msf->blocks + msf->stream_first[stream], bytes, buf);
    if (st != PMM_OK) {
        free(buf);
        return st;
    }
    *data = buf;
    *size = bytes;
    return PMM_OK;
}
