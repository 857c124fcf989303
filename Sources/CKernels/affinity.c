// Thread placement for lock-step training's workers: each worker stays on one core, so the runs
// it owns keep their weights and buffers in that core's caches from chunk to chunk.
#define _GNU_SOURCE
#include "affinity.h"

#include <errno.h>
#include <pthread.h>
#include <sched.h>

int dlboard_allowed_cpus(int *cpus, int capacity) {
    cpu_set_t set;
    CPU_ZERO(&set);
    if (sched_getaffinity(0, sizeof set, &set) != 0) return 0;
    int n = 0;
    for (int cpu = 0; cpu < CPU_SETSIZE; cpu++) {
        if (!CPU_ISSET(cpu, &set)) continue;
        if (n < capacity) cpus[n] = cpu;
        n++;
    }
    return n;
}

int dlboard_pin_current_thread(int cpu) {
    if (cpu < 0 || cpu >= CPU_SETSIZE) return EINVAL;
    cpu_set_t set;
    CPU_ZERO(&set);
    CPU_SET(cpu, &set);
    return pthread_setaffinity_np(pthread_self(), sizeof set, &set);
}
