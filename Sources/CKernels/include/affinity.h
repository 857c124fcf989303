#ifndef DLBOARD_AFFINITY_H
#define DLBOARD_AFFINITY_H
#include <stddef.h>

/// The CPUs this process may run on (its affinity mask), in ascending order, at most `capacity`
/// of them written to `cpus`. Returns how many there are (0 if the mask cannot be read).
int dlboard_allowed_cpus(int *cpus, int capacity);

/// Pins the calling thread to the one CPU `cpu`. Returns 0, or the error number (the CPU is not
/// in the process's mask, or the kernel refused): the thread then runs where it ran before.
int dlboard_pin_current_thread(int cpu);

#endif
