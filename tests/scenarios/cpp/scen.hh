/* SPDX-License-Identifier: MIT */
// The C++ scenarios' helpers (tests/scenarios/scen.h is C): a scenario
// prints nothing and exits 0 when it behaves as designed; on an unexpected
// result it says so on stderr ("scenario NAME: ...") and exits 99.
#ifndef ASLEEP_SCEN_HH
#define ASLEEP_SCEN_HH

#include <cerrno>
#include <cstdarg>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <pthread.h>
#include <unistd.h>

[[noreturn, gnu::format(printf, 1, 2)]] static inline void scen_die(const char *fmt, ...)
{
    extern char *program_invocation_short_name;
    va_list ap;
    std::fprintf(stderr, "scenario %s: ", program_invocation_short_name);
    va_start(ap, fmt);
    std::vfprintf(stderr, fmt, ap);
    va_end(ap);
    std::fputc('\n', stderr);
    _exit(99);
}

static inline void scen_name(const char *name)
{
    pthread_setname_np(pthread_self(), name);
}

static inline double scen_cpu_seconds()
{
    timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

// Computes for about `seconds` of this thread's CPU time (a slow worker, not
// a sleep: the thread is running all along).  Returns a nonzero result.
static inline unsigned long scen_crunch(double seconds)
{
    unsigned long v = 1;
    double start = scen_cpu_seconds();
    do {
        for (int i = 0; i < 100000; i++)
            v = v * 2862933555777941757UL + 3037000493UL;
    } while (scen_cpu_seconds() - start < seconds);
    return v | 1;
}

#endif
