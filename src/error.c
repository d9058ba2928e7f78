/*
 * error.c - status codes and the thread-local last-error message.
 *
 * After libgit2: a failing function returns a negative status and leaves one
 * line in a thread-local buffer. The message is written where the failure is
 * detected; callers on the way up return the status without rewriting it.
 */
#include "internal.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static _Thread_local char last_error[512];

const char *syndic_version(void) { return SYNDIC_VERSION_STRING; }

const char *syndic_strerror(int status)
{
    switch (status) {
    case SYNDIC_OK: return "success";
    case SYNDIC_ERROR: return "error";
    case SYNDIC_ENOMEM: return "out of memory";
    case SYNDIC_EINVAL: return "invalid argument";
    case SYNDIC_EIO: return "input/output error";
    case SYNDIC_EBADREC: return "bad input record";
    case SYNDIC_EDUPLICATE: return "duplicate id";
    default: return "unknown status";
    }
}

const char *syndic_last_error(void) { return last_error; }

void syndic__error_clear(void) { last_error[0] = '\0'; }

int syndic__error(int status, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(last_error, sizeof last_error, fmt, ap);
    va_end(ap);
    /* One line, always: a newline inside a message would break log parsers. */
    for (char *p = last_error; *p; p++)
        if (*p == '\n' || *p == '\r') *p = ' ';
    return status;
}

int syndic__oom(void) { return syndic__error(SYNDIC_ENOMEM, "out of memory"); }

int syndic__error_within(int status, const char *where)
{
    char inner[sizeof last_error];
    snprintf(inner, sizeof inner, "%s", last_error);
    return syndic__error(status, "%s: %s", where, inner);
}
