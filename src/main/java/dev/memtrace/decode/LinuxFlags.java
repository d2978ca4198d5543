package dev.memtrace.decode;

/**
 * The x86_64 Linux constants the model reads, as strace's {@code xlat/*.in} tables spell them. Only
 * values matter here; the names are those strace prints.
 */
public final class LinuxFlags {

  private LinuxFlags() {}

  public static final long PAGE = 4096;

  public static final int PROT_READ = 0x1;
  public static final int PROT_WRITE = 0x2;
  public static final int PROT_EXEC = 0x4;

  public static final FlagTable PROT =
      FlagTable.of(
          "prot",
          "PROT_NONE",
          0x0,
          "PROT_READ",
          PROT_READ,
          "PROT_WRITE",
          PROT_WRITE,
          "PROT_EXEC",
          PROT_EXEC,
          "PROT_SEM",
          0x8,
          "PROT_GROWSDOWN",
          0x01000000,
          "PROT_GROWSUP",
          0x02000000);

  public static final long MAP_SHARED = 0x01;
  public static final long MAP_PRIVATE = 0x02;
  public static final long MAP_SHARED_VALIDATE = 0x03;
  public static final long MAP_TYPE = 0x0f;
  public static final long MAP_FIXED = 0x10;
  public static final long MAP_ANONYMOUS = 0x20;
  public static final long MAP_GROWSDOWN = 0x0100;
  public static final long MAP_DENYWRITE = 0x0800;
  public static final long MAP_LOCKED = 0x2000;
  public static final long MAP_NORESERVE = 0x4000;
  public static final long MAP_STACK = 0x20000;
  public static final long MAP_HUGETLB = 0x40000;
  public static final long MAP_FIXED_NOREPLACE = 0x100000;

  public static final FlagTable MAP =
      FlagTable.of(
          "map",
          "MAP_SHARED",
          MAP_SHARED,
          "MAP_PRIVATE",
          MAP_PRIVATE,
          "MAP_SHARED_VALIDATE",
          MAP_SHARED_VALIDATE,
          "MAP_DROPPABLE",
          0x08,
          "MAP_FIXED",
          MAP_FIXED,
          "MAP_ANONYMOUS",
          MAP_ANONYMOUS,
          "MAP_ANON",
          MAP_ANONYMOUS,
          "MAP_32BIT",
          0x40,
          "MAP_GROWSDOWN",
          MAP_GROWSDOWN,
          "MAP_DENYWRITE",
          MAP_DENYWRITE,
          "MAP_EXECUTABLE",
          0x1000,
          "MAP_LOCKED",
          MAP_LOCKED,
          "MAP_NORESERVE",
          MAP_NORESERVE,
          "MAP_POPULATE",
          0x8000,
          "MAP_NONBLOCK",
          0x10000,
          "MAP_STACK",
          MAP_STACK,
          "MAP_HUGETLB",
          MAP_HUGETLB,
          "MAP_SYNC",
          0x80000,
          "MAP_FIXED_NOREPLACE",
          MAP_FIXED_NOREPLACE,
          "MAP_UNINITIALIZED",
          0x4000000);

  public static final long MREMAP_MAYMOVE = 1;
  public static final long MREMAP_FIXED = 2;
  public static final long MREMAP_DONTUNMAP = 4;

  public static final FlagTable MREMAP =
      FlagTable.of(
          "mremap",
          "MREMAP_MAYMOVE",
          MREMAP_MAYMOVE,
          "MREMAP_FIXED",
          MREMAP_FIXED,
          "MREMAP_DONTUNMAP",
          MREMAP_DONTUNMAP);

  public static final long CLONE_VM = 0x100;
  public static final long CLONE_FILES = 0x400;
  public static final long CLONE_VFORK = 0x4000;
  public static final long CLONE_THREAD = 0x10000;

  /** clone flags; the low byte is the exit signal, which strace prints by name (SIGCHLD). */
  public static final FlagTable CLONE =
      FlagTable.of(
          "clone",
          "CLONE_VM",
          CLONE_VM,
          "CLONE_FS",
          0x200,
          "CLONE_FILES",
          CLONE_FILES,
          "CLONE_SIGHAND",
          0x800,
          "CLONE_PIDFD",
          0x1000,
          "CLONE_PTRACE",
          0x2000,
          "CLONE_VFORK",
          CLONE_VFORK,
          "CLONE_PARENT",
          0x8000,
          "CLONE_THREAD",
          CLONE_THREAD,
          "CLONE_NEWNS",
          0x20000,
          "CLONE_SYSVSEM",
          0x40000,
          "CLONE_SETTLS",
          0x80000,
          "CLONE_PARENT_SETTID",
          0x100000,
          "CLONE_CHILD_CLEARTID",
          0x200000,
          "CLONE_DETACHED",
          0x400000,
          "CLONE_UNTRACED",
          0x800000,
          "CLONE_CHILD_SETTID",
          0x1000000,
          "CLONE_NEWCGROUP",
          0x2000000,
          "CLONE_NEWUTS",
          0x4000000,
          "CLONE_NEWIPC",
          0x8000000,
          "CLONE_NEWUSER",
          0x10000000,
          "CLONE_NEWPID",
          0x20000000,
          "CLONE_NEWNET",
          0x40000000,
          "CLONE_IO",
          0x80000000L,
          "CLONE_CLEAR_SIGHAND",
          0x100000000L,
          "CLONE_INTO_CGROUP",
          0x200000000L,
          "SIGHUP",
          1,
          "SIGINT",
          2,
          "SIGQUIT",
          3,
          "SIGILL",
          4,
          "SIGTRAP",
          5,
          "SIGABRT",
          6,
          "SIGBUS",
          7,
          "SIGFPE",
          8,
          "SIGKILL",
          9,
          "SIGUSR1",
          10,
          "SIGSEGV",
          11,
          "SIGUSR2",
          12,
          "SIGPIPE",
          13,
          "SIGALRM",
          14,
          "SIGTERM",
          15,
          "SIGSTKFLT",
          16,
          "SIGCHLD",
          17,
          "SIGCONT",
          18,
          "SIGSTOP",
          19,
          "SIGTSTP",
          20,
          "SIGTTIN",
          21,
          "SIGTTOU",
          22,
          "SIGURG",
          23,
          "SIGXCPU",
          24,
          "SIGXFSZ",
          25,
          "SIGVTALRM",
          26,
          "SIGPROF",
          27,
          "SIGWINCH",
          28,
          "SIGIO",
          29,
          "SIGPWR",
          30,
          "SIGSYS",
          31);

  public static final long O_WRONLY = 01;
  public static final long O_RDWR = 02;
  public static final long O_CREAT = 0100;
  public static final long O_EXCL = 0200;
  public static final long O_TRUNC = 01000;
  public static final long O_CLOEXEC = 02000000;

  /** __O_TMPFILE | O_DIRECTORY, as open(2) asks for it. */
  public static final long O_TMPFILE = 020200000;

  public static final FlagTable OPEN =
      FlagTable.of(
          "open",
          "O_RDONLY",
          0,
          "O_WRONLY",
          O_WRONLY,
          "O_RDWR",
          O_RDWR,
          "O_ACCMODE",
          03,
          "O_CREAT",
          O_CREAT,
          "O_EXCL",
          O_EXCL,
          "O_NOCTTY",
          0400,
          "O_TRUNC",
          O_TRUNC,
          "O_APPEND",
          02000,
          "O_NONBLOCK",
          04000,
          "O_NDELAY",
          04000,
          "O_DSYNC",
          010000,
          "O_ASYNC",
          020000,
          "O_DIRECT",
          040000,
          "O_LARGEFILE",
          0100000,
          "O_DIRECTORY",
          0200000,
          "O_NOFOLLOW",
          0400000,
          "O_NOATIME",
          01000000,
          "O_CLOEXEC",
          O_CLOEXEC,
          "O_SYNC",
          04010000,
          "O_PATH",
          010000000,
          "O_TMPFILE",
          O_TMPFILE,
          "SOCK_NONBLOCK",
          04000,
          "SOCK_CLOEXEC",
          O_CLOEXEC,
          "EFD_CLOEXEC",
          O_CLOEXEC,
          "EFD_NONBLOCK",
          04000,
          "EFD_SEMAPHORE",
          1,
          "TFD_CLOEXEC",
          O_CLOEXEC,
          "TFD_NONBLOCK",
          04000,
          "IN_CLOEXEC",
          O_CLOEXEC,
          "IN_NONBLOCK",
          04000,
          "EPOLL_CLOEXEC",
          O_CLOEXEC,
          "MFD_CLOEXEC",
          1,
          "MFD_ALLOW_SEALING",
          2,
          "MFD_HUGETLB",
          4,
          "MFD_NOEXEC_SEAL",
          8,
          "MFD_EXEC",
          0x10);

  public static final long MFD_CLOEXEC = 1;

  public static final FlagTable FCNTL =
      FlagTable.of(
          "fcntl",
          "F_DUPFD",
          0,
          "F_GETFD",
          1,
          "F_SETFD",
          2,
          "F_GETFL",
          3,
          "F_SETFL",
          4,
          "F_DUPFD_CLOEXEC",
          1030,
          "FD_CLOEXEC",
          1);

  public static final long F_DUPFD = 0;
  public static final long F_SETFD = 2;
  public static final long F_DUPFD_CLOEXEC = 1030;

  public static final long CLOSE_RANGE_UNSHARE = 2;
  public static final long CLOSE_RANGE_CLOEXEC = 4;

  public static final FlagTable CLOSE_RANGE =
      FlagTable.of(
          "close_range",
          "CLOSE_RANGE_UNSHARE",
          CLOSE_RANGE_UNSHARE,
          "CLOSE_RANGE_CLOEXEC",
          CLOSE_RANGE_CLOEXEC);

  public static final FlagTable MADVISE =
      FlagTable.of(
          "madvise",
          "MADV_NORMAL",
          0,
          "MADV_RANDOM",
          1,
          "MADV_SEQUENTIAL",
          2,
          "MADV_WILLNEED",
          3,
          "MADV_DONTNEED",
          4,
          "MADV_FREE",
          8,
          "MADV_REMOVE",
          9,
          "MADV_DONTFORK",
          10,
          "MADV_DOFORK",
          11,
          "MADV_MERGEABLE",
          12,
          "MADV_UNMERGEABLE",
          13,
          "MADV_HUGEPAGE",
          14,
          "MADV_NOHUGEPAGE",
          15,
          "MADV_DONTDUMP",
          16,
          "MADV_DODUMP",
          17,
          "MADV_WIPEONFORK",
          18,
          "MADV_KEEPONFORK",
          19,
          "MADV_COLD",
          20,
          "MADV_PAGEOUT",
          21,
          "MADV_POPULATE_READ",
          22,
          "MADV_POPULATE_WRITE",
          23,
          "MADV_DONTNEED_LOCKED",
          24,
          "MADV_COLLAPSE",
          25,
          "MADV_HWPOISON",
          100,
          "MADV_SOFT_OFFLINE",
          101,
          "MADV_GUARD_INSTALL",
          102,
          "MADV_GUARD_REMOVE",
          103);

  public static final long SHM_RDONLY = 010000;
  public static final long SHM_RND = 020000;
  public static final long SHM_REMAP = 040000;
  public static final long SHM_EXEC = 0100000;
  public static final long IPC_CREAT = 01000;
  public static final long IPC_EXCL = 02000;

  public static final FlagTable SHM =
      FlagTable.of(
          "shm",
          "SHM_RDONLY",
          SHM_RDONLY,
          "SHM_RND",
          SHM_RND,
          "SHM_REMAP",
          SHM_REMAP,
          "SHM_EXEC",
          SHM_EXEC,
          "IPC_CREAT",
          IPC_CREAT,
          "IPC_EXCL",
          IPC_EXCL,
          "IPC_PRIVATE",
          0,
          "SHM_HUGETLB",
          04000,
          "SHM_NORESERVE",
          010000);

  public static final long GRND_NONBLOCK = 1;

  /** msync(2)'s flags (include/uapi/asm-generic/mman-common.h). */
  public static final long MS_SYNC = 4;

  public static final FlagTable MSYNC =
      FlagTable.of("msync", "MS_ASYNC", 1, "MS_INVALIDATE", 2, "MS_SYNC", MS_SYNC);

  /** mlock2(2)'s flags. */
  public static final long MLOCK_ONFAULT = 1;

  public static final FlagTable MLOCK2 = FlagTable.of("mlock2", "MLOCK_ONFAULT", MLOCK_ONFAULT);

  /** mlockall(2)'s flags. */
  public static final long MCL_CURRENT = 1;

  public static final long MCL_FUTURE = 2;

  public static final long MCL_ONFAULT = 4;

  public static final FlagTable MLOCKALL =
      FlagTable.of(
          "mlockall",
          "MCL_CURRENT",
          MCL_CURRENT,
          "MCL_FUTURE",
          MCL_FUTURE,
          "MCL_ONFAULT",
          MCL_ONFAULT);

  /** getrandom(2)'s flags. */
  public static final FlagTable GRND =
      FlagTable.of("grnd", "GRND_NONBLOCK", GRND_NONBLOCK, "GRND_RANDOM", 2, "GRND_INSECURE", 4);

  /** perf_event_open(2)'s flags (include/uapi/linux/perf_event.h). */
  public static final long PERF_FLAG_FD_CLOEXEC = 8;

  public static final FlagTable PERF_FLAG =
      FlagTable.of(
          "perf_event_open",
          "PERF_FLAG_FD_NO_GROUP",
          1,
          "PERF_FLAG_FD_OUTPUT",
          2,
          "PERF_FLAG_PID_CGROUP",
          4,
          "PERF_FLAG_FD_CLOEXEC",
          PERF_FLAG_FD_CLOEXEC);

  /** setsockopt(2)'s level for a packet socket's options (include/linux/socket.h). */
  public static final long SOL_PACKET = 263;

  public static final FlagTable SOCKOPT_LEVEL = FlagTable.of("level", "SOL_PACKET", SOL_PACKET);

  /** The packet socket options that set up a ring (include/uapi/linux/if_packet.h). */
  public static final long PACKET_RX_RING = 5;

  public static final long PACKET_TX_RING = 13;

  public static final FlagTable PACKET_OPTION =
      FlagTable.of(
          "packet option", "PACKET_RX_RING", PACKET_RX_RING, "PACKET_TX_RING", PACKET_TX_RING);

  /** Symbolic fd arguments. */
  public static final long AT_FDCWD = -100;

  public static final FlagTable FD = FlagTable.of("fd", "AT_FDCWD", AT_FDCWD);

  public static long pageDown(long a) {
    return a & ~(PAGE - 1);
  }

  public static long pageUp(long a) {
    return (a + PAGE - 1) & ~(PAGE - 1);
  }
}
