#ifndef KUBE9_CSPAWN_H
#define KUBE9_CSPAWN_H
#include <sys/types.h>

/* What Swift's Glibc module does not give kube9's ChildSpawner: a spawn that sets the parent-death signal in the
   child (posix_spawn cannot, and a `setpriv --pdeathsig` wrapper costs one more exec per child), pipe2 (declared
   only under _GNU_SOURCE) and pidfd_open (syscall(2) is variadic, which Swift cannot call). */

/* Starts `path` with `argv` and `envp` (NULL-terminated) through vfork and execve. In the child, before execve:
   - a process group of its own (setpgid 0 0);
   - every signal at its default disposition and an empty signal mask;
   - the parent-death signal `death_signal` (0: none); it is delivered when the *thread* that calls this ends;
   - `niceness` added to the calling thread's nice value (0: the same), before the program's first instruction;
   - stdin from `input` (-1: /dev/null), stdout to `output` and stderr to `error` (-1 for either: /dev/null);
   - no other descriptor (3 and up closed).
   Returns the child's process ID, or -errno: the child could not be created, or it could not exec (then it has
   already been reaped). Never a shell; safe to call from any thread (signals are blocked in the calling thread
   while the child shares its memory). */
pid_t kube9_spawn(const char *path, char *const argv[], char *const envp[], int input, int output, int error,
                  int death_signal, int niceness);

/* pipe2(2). */
int kube9_pipe2(int fds[2], int flags);

/* pidfd_open(2) (Linux 5.3 and later); the descriptor is close-on-exec. -1 and errno on failure. */
int kube9_pidfd_open(pid_t pid);

/* epoll for the children's descriptors (struct epoll_event is packed on x86_64, which Swift does not import):
   a close-on-exec epoll instance; level-triggered EPOLLIN interest in `descriptor`, reported as the descriptor
   itself; its removal; and a wait that stores up to `capacity` ready descriptors in `ready` (their count, or -1
   and errno). */
int kube9_epoll_create(void);
int kube9_epoll_watch(int epoll, int descriptor);
int kube9_epoll_unwatch(int epoll, int descriptor);
int kube9_epoll_wait(int epoll, int *ready, int capacity);

/* A close-on-exec, non-blocking eventfd(2) (counter 0). */
int kube9_eventfd(void);
#endif
