#ifndef KUBE9_CSPAWN_SHIM_H
#define KUBE9_CSPAWN_SHIM_H
#include <spawn.h>
#include <sys/types.h>
#include <unistd.h>

/* glibc declares these only under _GNU_SOURCE, which Swift's Glibc module is not built with (closefrom since
   glibc 2.34). */
extern int posix_spawn_file_actions_addclosefrom_np(posix_spawn_file_actions_t *actions, int from);
extern int pipe2(int fds[2], int flags);

/* syscall(2) is variadic, which Swift cannot call, and glibc 2.36 has no pidfd_open wrapper. 434 is
   pidfd_open on every Linux architecture (Linux 5.3 and later). The descriptor is close-on-exec. */
static inline int kube9_pidfd_open(pid_t pid) { return (int)syscall(434, pid, 0); }
#endif
