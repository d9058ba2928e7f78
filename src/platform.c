/*
 * platform.c - what the library asks of the operating system beside files:
 * clocks and the number of processors. One place, so that a port (or a test
 * that needs a fixed clock) has one file to look at. Files, locks and
 * spools stay with the modules that own them (textstore.c, store.c).
 */
#include "internal.h"

#include <time.h>
#include <unistd.h>

static double seconds_of(clockid_t clock)
{
    struct timespec ts;
    if (clock_gettime(clock, &ts) != 0) return 0;
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

double syndic__now(void) { return seconds_of(CLOCK_MONOTONIC); }

double syndic__thread_cpu(void) { return seconds_of(CLOCK_THREAD_CPUTIME_ID); }

unsigned syndic__online_cpus(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n < 1 ? 1u : n > SYNDIC_MAX_THREADS ? SYNDIC_MAX_THREADS : (unsigned)n;
}
