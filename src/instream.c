/*
 * instream.c - bytes from a file descriptor, gunzipped when it is gzip.
 *
 * gzip is recognised by its magic bytes (1f 8b), never by the file name.
 * zlib's gzread() was the first choice, but when it meets a corrupt block it
 * fails the whole read request and drops what it had already decompressed
 * in it; a damaged archive must keep every record before the damage. So this
 * drives inflate() itself: decompressed bytes are handed out as soon as they
 * exist, and an error is reported only on the next call, after them.
 *
 * Concatenated gzip members (as `cat a.gz b.gz` makes) are read one after
 * the other; bytes after the last member that are not another member are
 * ignored, as gzip(1) does.
 */
#include "internal.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#define IN_CHUNK ((size_t)1 << 18)

struct syndic_instream {
    int fd;
    bool gzip, eof, done;
    int pending;        /* an error to report on the next read */
    char message[160];  /* ... and its text */
    z_stream zs;
    bool zs_live;
    unsigned char *in;
    size_t in_len, in_pos; /* plain mode: bytes peeked at open */
};

static int fill(syndic_instream *s)
{
    ssize_t n;
    do n = read(s->fd, s->in, IN_CHUNK);
    while (n < 0 && errno == EINTR);
    if (n < 0) {
        snprintf(s->message, sizeof s->message, "read error: %s", strerror(errno));
        return -1;
    }
    if (n == 0) s->eof = true;
    s->zs.next_in = s->in;
    s->zs.avail_in = (uInt)n;
    return 0;
}

int syndic__instream_open(syndic_instream **out, int fd)
{
    *out = NULL;
    syndic_instream *s = syndic__calloc(1, sizeof *s);
    if (!s || !(s->in = syndic__malloc(IN_CHUNK))) {
        syndic__free(s);
        close(fd);
        return syndic__oom();
    }
    s->fd = fd;
    /* Peek at the first bytes (two are needed for the magic). */
    size_t got = 0;
    while (got < 2) {
        ssize_t n = read(fd, s->in + got, IN_CHUNK - got);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) {
            int rc = syndic__error(SYNDIC_EIO, "read error: %s", strerror(errno));
            syndic__instream_close(s);
            return rc;
        }
        if (n == 0) { s->eof = true; break; }
        got += (size_t)n;
    }
    s->gzip = got >= 2 && s->in[0] == 0x1f && s->in[1] == 0x8b;
    if (s->gzip) {
        if (inflateInit2(&s->zs, 15 + 16) != Z_OK) {
            syndic__instream_close(s);
            return syndic__oom();
        }
        s->zs_live = true;
        s->zs.next_in = s->in;
        s->zs.avail_in = (uInt)got;
    } else {
        s->in_len = got;
    }
    *out = s;
    return SYNDIC_OK;
}

long syndic__instream_read(syndic_instream *s, char *buf, size_t cap)
{
    if (cap > (size_t)1 << 30) cap = (size_t)1 << 30;
    if (s->pending) {
        int rc = syndic__error(s->pending, "%s", s->message);
        s->pending = 0;
        s->done = true;
        return rc;
    }
    if (s->done) return 0;
    if (!s->gzip) {
        if (s->in_pos < s->in_len) { /* the peeked bytes first */
            size_t n = s->in_len - s->in_pos < cap ? s->in_len - s->in_pos : cap;
            memcpy(buf, s->in + s->in_pos, n);
            s->in_pos += n;
            return (long)n;
        }
        if (s->eof) { s->done = true; return 0; }
        ssize_t n;
        do n = read(s->fd, buf, cap);
        while (n < 0 && errno == EINTR);
        if (n < 0) {
            s->done = true;
            return syndic__error(SYNDIC_EIO, "read error: %s", strerror(errno));
        }
        if (n == 0) s->done = s->eof = true;
        return (long)n;
    }
    s->zs.next_out = (unsigned char *)buf;
    s->zs.avail_out = (uInt)cap;
    /* Inflate until there is output, the stream ends, or an error (kept in
     * `pending` and reported on the next call, after the output). */
    while (s->zs.avail_out == cap && !s->done && !s->pending) {
        if (s->zs.avail_in == 0) {
            if (s->eof) {
                snprintf(s->message, sizeof s->message,
                         "truncated gzip stream (it ends before its last block)");
                s->pending = SYNDIC_EIO;
            } else if (fill(s) < 0) {
                s->pending = SYNDIC_EIO;
            }
            continue;
        }
        int z = inflate(&s->zs, Z_NO_FLUSH);
        if (z == Z_STREAM_END) {
            if (s->zs.avail_in == 0 && !s->eof && fill(s) < 0) {
                s->pending = SYNDIC_EIO;
            } else if (s->zs.avail_in >= 2 && s->zs.next_in[0] == 0x1f &&
                       s->zs.next_in[1] == 0x8b) {
                inflateReset(&s->zs); /* another member follows */
            } else {
                s->done = true;
            }
        } else if (z != Z_OK && z != Z_BUF_ERROR) {
            snprintf(s->message, sizeof s->message, "corrupt gzip stream: %s",
                     s->zs.msg ? s->zs.msg : "invalid data");
            s->pending = z == Z_MEM_ERROR ? SYNDIC_ENOMEM : SYNDIC_EIO;
        }
    }
    size_t produced = cap - s->zs.avail_out;
    if (produced) return (long)produced;
    return s->pending ? syndic__instream_read(s, buf, cap) : 0;
}

void syndic__instream_close(syndic_instream *s)
{
    if (!s) return;
    if (s->zs_live) inflateEnd(&s->zs);
    if (s->fd >= 0) close(s->fd);
    syndic__free(s->in);
    syndic__free(s);
}
