/*
 * textstore.c - the batch's kept texts, in memory or in a spool file.
 *
 * The analysis needs every clustered document's text (template lines
 * dropped) after clustering, but only a story's worth at a time. Kept in
 * memory, the texts are most of a batch's footprint: ~2.1 KB of the ~3.9 KB
 * per document at a million news articles. Spooled, each text is appended to
 * an unlinked temporary file as it is sketched, and read back with pread()
 * when a range of stories is analysed: the batch keeps 12 bytes per
 * document, and the page cache (not the process) holds the rest while memory
 * allows. When it does not (10 million articles: a 21 GB file), the texts
 * of a range come from the disk: syndic__textstore_prefetch asks for all of
 * them at once (POSIX_FADV_WILLNEED), so the disk sees many requests in
 * flight instead of one 2 KB read at a time (4 MB/s, an hour at 10M).
 * (Mapping the file and pointing into it was tried: every text then
 * kept its 4 KiB pages resident, with the kernel's fault-around 64 KiB, even
 * under MADV_RANDOM: +150 MiB of peak memory at 100k documents; dropping
 * the pages with MADV_DONTNEED often enough cost more than the pread()s.)
 *
 * Texts are put in document order, index by index; a put at an index below
 * the count replaces the tail (the batch puts a document's text before the
 * last step that can fail, and a failed document's index is reused). After
 * syndic__textstore_seal, reads are thread-safe: pread() on one descriptor
 * has no shared offset.
 */
#include "internal.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define SPOOL_BUFFER ((size_t)1 << 20)

struct syndic_textstore {
    size_t count, cap;
    uint32_t *lens;
    /* In memory: */
    syndic_arena arena;
    const char **ptrs;
    /* Spooled: */
    int fd;              /* -1 in memory */
    char *dir;
    uint64_t *offs;
    uint64_t end;        /* file size, counting the buffer */
    syndic_buf pending;  /* written at SPOOL_BUFFER, and by seal */
};

int syndic__textstore_new(syndic_textstore **out, const char *spool_dir)
{
    *out = NULL;
    syndic_textstore *s = syndic__calloc(1, sizeof *s);
    if (!s) return syndic__oom();
    s->fd = -1;
    if (spool_dir) {
        const char *dir = *spool_dir ? spool_dir : getenv("TMPDIR");
        if (!dir || !*dir) dir = "/tmp";
        size_t n = strlen(dir) + 32;
        char *path = syndic__malloc(n);
        s->dir = syndic__strndup(dir, strlen(dir));
        if (!path || !s->dir) {
            syndic__free(path);
            syndic__textstore_free(s);
            return syndic__oom();
        }
        snprintf(path, n, "%s/syndic-texts-XXXXXX", dir);
        s->fd = mkstemp(path);
        int err = errno;
        if (s->fd >= 0) unlink(path); /* gone with the process, whatever happens */
        syndic__free(path);
        if (s->fd < 0) {
            syndic__textstore_free(s);
            return syndic__error(SYNDIC_EIO, "%s: cannot create a temporary file for texts: %s",
                                 dir, strerror(err));
        }
    }
    *out = s;
    return SYNDIC_OK;
}

void syndic__textstore_free(syndic_textstore *s)
{
    if (!s) return;
    if (s->fd >= 0) close(s->fd);
    syndic__arena_free(&s->arena);
    syndic__free(s->ptrs);
    syndic__free(s->offs);
    syndic__free(s->lens);
    syndic__free(s->dir);
    syndic__buf_free(&s->pending);
    syndic__free(s);
}

bool syndic__textstore_spooled(const syndic_textstore *s) { return s->fd >= 0; }

static int write_pending(syndic_textstore *s)
{
    const char *p = s->pending.data;
    size_t left = s->pending.len;
    uint64_t at = s->end - left;
    while (left) {
        ssize_t w = pwrite(s->fd, p, left, (off_t)at);
        if (w < 0 && errno == EINTR) continue;
        if (w <= 0)
            return syndic__error(SYNDIC_EIO, "%s: cannot write the texts' temporary file: %s",
                                 s->dir, w < 0 ? strerror(errno) : "no space");
        p += w;
        left -= (size_t)w;
        at += (uint64_t)w;
    }
    s->pending.len = 0;
    return SYNDIC_OK;
}

int syndic__textstore_put(syndic_textstore *s, size_t i, const char *text, size_t len)
{
    if (i > s->count) return syndic__error(SYNDIC_EINVAL, "text %zu put after %zu", i, s->count);
    if (len > UINT32_MAX) return syndic__error(SYNDIC_EINVAL, "text of %zu bytes", len);
    if (i == s->cap) {
        size_t cap = s->cap;
        int rc = syndic__grow(&s->lens, &cap, i + 1, sizeof *s->lens);
        if (rc < 0) return rc;
        size_t cap2 = s->cap;
        if (s->fd >= 0) rc = syndic__grow(&s->offs, &cap2, i + 1, sizeof *s->offs);
        else rc = syndic__grow(&s->ptrs, &cap2, i + 1, sizeof *s->ptrs);
        if (rc < 0) return rc;
        s->cap = cap < cap2 ? cap : cap2;
    }
    if (s->fd < 0) {
        const char *p = syndic__arena_strndup(&s->arena, text, len);
        if (!p) return syndic__oom();
        s->ptrs[i] = p;
    } else {
        if (s->pending.len + len > SPOOL_BUFFER && s->pending.len) {
            int rc = write_pending(s);
            if (rc < 0) return rc;
        }
        int rc = syndic__buf_append(&s->pending, text, len);
        if (rc < 0) return rc;
        s->offs[i] = s->end;
        s->end += len;
    }
    s->lens[i] = (uint32_t)len;
    s->count = i + 1;
    return SYNDIC_OK;
}

int syndic__textstore_seal(syndic_textstore *s)
{
    if (s->fd < 0 || !s->pending.len) return SYNDIC_OK;
    int rc = write_pending(s);
    syndic__buf_free(&s->pending);
    return rc;
}

size_t syndic__textstore_len(const syndic_textstore *s, size_t i)
{
    return i < s->count ? s->lens[i] : 0;
}

const char *syndic__textstore_peek(const syndic_textstore *s, size_t i, size_t *len)
{
    if (s->fd >= 0 || i >= s->count) return NULL;
    if (len) *len = s->lens[i];
    return s->ptrs[i];
}

void syndic__textstore_prefetch(const syndic_textstore *s, size_t i)
{
    if (s->fd >= 0 && i < s->count && s->lens[i])
        (void)posix_fadvise(s->fd, (off_t)s->offs[i], (off_t)s->lens[i], POSIX_FADV_WILLNEED);
}

int syndic__textstore_read(const syndic_textstore *s, size_t i, char *dst)
{
    if (i >= s->count) return syndic__error(SYNDIC_EINVAL, "no text %zu", i);
    size_t left = s->lens[i];
    if (s->fd < 0) {
        memcpy(dst, s->ptrs[i], left);
        return SYNDIC_OK;
    }
    uint64_t at = s->offs[i];
    while (left) {
        ssize_t r = pread(s->fd, dst, left, (off_t)at);
        if (r < 0 && errno == EINTR) continue;
        if (r <= 0)
            return syndic__error(SYNDIC_EIO, "%s: cannot read back the texts' temporary file: %s",
                                 s->dir, r < 0 ? strerror(errno) : "it is shorter than written");
        dst += r;
        left -= (size_t)r;
        at += (uint64_t)r;
    }
    return SYNDIC_OK;
}
