package dev.memtrace.model;

import static dev.memtrace.decode.LinuxFlags.AT_FDCWD;
import static dev.memtrace.decode.LinuxFlags.CLOSE_RANGE;
import static dev.memtrace.decode.LinuxFlags.CLOSE_RANGE_CLOEXEC;
import static dev.memtrace.decode.LinuxFlags.F_DUPFD;
import static dev.memtrace.decode.LinuxFlags.F_DUPFD_CLOEXEC;
import static dev.memtrace.decode.LinuxFlags.F_SETFD;
import static dev.memtrace.decode.LinuxFlags.MFD_CLOEXEC;
import static dev.memtrace.decode.LinuxFlags.OPEN;
import static dev.memtrace.decode.LinuxFlags.O_CLOEXEC;
import static dev.memtrace.decode.LinuxFlags.O_CREAT;
import static dev.memtrace.decode.LinuxFlags.O_RDWR;
import static dev.memtrace.decode.LinuxFlags.O_TMPFILE;
import static dev.memtrace.decode.LinuxFlags.O_TRUNC;
import static dev.memtrace.decode.LinuxFlags.O_WRONLY;

import dev.memtrace.decode.ArgText;
import dev.memtrace.decode.Call;
import dev.memtrace.decode.Close;
import dev.memtrace.decode.Dup;
import dev.memtrace.decode.Fcntl;
import dev.memtrace.decode.FdAlias;
import dev.memtrace.decode.FlagTable;
import dev.memtrace.decode.LinuxFlags;
import dev.memtrace.decode.Open;
import dev.memtrace.decode.Pipe;
import dev.memtrace.trace.Numbers;
import dev.memtrace.trace.SyscallEvent;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;

/**
 * The calls that make, copy and close fds, so that {@code mmap(..., 3, 0)} knows which file fd 3 is
 * with or without {@code -yy}. Each row says where the new fd is (the return value, or an array
 * argument for pipe), what it refers to and where its close-on-exec bit comes from.
 */
final class FileCalls {

  private FileCalls() {}

  /** Calls returning an fd to an object without a path: call → name as -y would print it. */
  private static final Map<String, String> ANON_FDS =
      Map.ofEntries(
          Map.entry("socket", "socket:" + OpenFile.UNKNOWN_INODE),
          Map.entry("accept", "socket:" + OpenFile.UNKNOWN_INODE),
          Map.entry("accept4", "socket:" + OpenFile.UNKNOWN_INODE),
          Map.entry("eventfd", "anon_inode:[eventfd]"),
          Map.entry("eventfd2", "anon_inode:[eventfd]"),
          Map.entry("signalfd", "anon_inode:[signalfd]"),
          Map.entry("signalfd4", "anon_inode:[signalfd]"),
          Map.entry("timerfd_create", "anon_inode:[timerfd]"),
          Map.entry("epoll_create", "anon_inode:[eventpoll]"),
          Map.entry("epoll_create1", "anon_inode:[eventpoll]"),
          Map.entry("inotify_init", "anon_inode:inotify"),
          Map.entry("inotify_init1", "anon_inode:inotify"),
          Map.entry("userfaultfd", "anon_inode:[userfaultfd]"),
          Map.entry("pidfd_open", "anon_inode:[pidfd]"),
          // memfd_secret's file lives on the kernel's secretmem mount: -y shows </secretmem>
          Map.entry("memfd_secret", "/secretmem" + MapsFormat.DELETED));

  /** The bpf(2) commands that return a new fd (kernel/bpf/syscall.c). */
  private static final Set<String> BPF_FD_COMMANDS =
      Set.of(
          "BPF_MAP_CREATE",
          "BPF_MAP_GET_FD_BY_ID",
          "BPF_PROG_LOAD",
          "BPF_PROG_GET_FD_BY_ID",
          "BPF_OBJ_GET",
          "BPF_BTF_LOAD",
          "BPF_BTF_GET_FD_BY_ID",
          "BPF_RAW_TRACEPOINT_OPEN",
          "BPF_LINK_CREATE",
          "BPF_LINK_GET_FD_BY_ID",
          "BPF_ITER_CREATE");

  /** Where the flags argument (with O_CLOEXEC-valued bits) of a new-fd call is. */
  private static final Map<String, Integer> CLOEXEC_ARG =
      Map.ofEntries(
          Map.entry("socket", 1),
          Map.entry("accept4", 3),
          Map.entry("eventfd2", 1),
          Map.entry("signalfd4", 3),
          Map.entry("timerfd_create", 1),
          Map.entry("epoll_create1", 0),
          Map.entry("inotify_init1", 0),
          Map.entry("memfd_secret", 0));

  static void register(Map<String, MemoryModel.Handler> h) {
    h.put("open", (m, t, e, a) -> open(m, t, e, (Open) a));
    h.put("creat", (m, t, e, a) -> open(m, t, e, (Open) a));
    h.put("openat", (m, t, e, a) -> open(m, t, e, (Open) a));
    h.put(
        "openat2",
        (m, t, e, a) -> {
          String how = a.field(2, "flags");
          long flags = how == null ? 0 : OPEN.decodeText(how).orElse(0);
          return put(
              t, (int) a.returned(), openedPath(t, a, 0, 1, true), 0, (flags & O_CLOEXEC) != 0);
        });
    h.put(
        "memfd_create",
        (m, t, e, a) -> {
          String name = a.string(0);
          long flags = a.flags(1, OPEN).orElse(0);
          String path =
              a.resultPath() != null
                  ? a.resultPath()
                  : name == null ? OpenFile.UNNAMED_MEMFD : "/memfd:" + name + MapsFormat.DELETED;
          return put(t, (int) a.returned(), path, m.newKey(), (flags & MFD_CLOEXEC) != 0);
        });
    // io_uring_setup's fd: io_uring_install_fd opens it O_RDWR | O_CLOEXEC, whatever the flags
    h.put(
        "io_uring_setup",
        (m, t, e, a) ->
            put(
                t,
                (int) a.returned(),
                a.resultPath() != null ? a.resultPath() : OpenFile.IO_URING,
                m.newKey(),
                true));
    // perf_event_open's fd: anon_inode_getfile names it [perf_event]; its close-on-exec bit comes
    // from PERF_FLAG_FD_CLOEXEC, not O_CLOEXEC (kernel/events/core.c)
    h.put(
        "perf_event_open",
        (m, t, e, a) ->
            put(
                t,
                (int) a.returned(),
                a.resultPath() != null ? a.resultPath() : OpenFile.PERF_EVENT,
                m.newKey(),
                (a.flags(4, LinuxFlags.PERF_FLAG).orElse(0) & LinuxFlags.PERF_FLAG_FD_CLOEXEC)
                    != 0));
    // bpf's fd-returning commands: a map's fd is anon_inode:bpf-map (bpf_map_new_fd), always
    // O_CLOEXEC; another command's fd is named only by -y; a command that returns no fd is passed
    h.put(
        "bpf",
        (m, t, e, a) -> {
          String cmd = a.text(0);
          if (cmd == null || !BPF_FD_COMMANDS.contains(cmd)) {
            return Outcome.NONE;
          }
          String path =
              a.resultPath() != null
                  ? a.resultPath()
                  : cmd.startsWith("BPF_MAP_") ? OpenFile.BPF_MAP : null;
          return put(t, (int) a.returned(), path, m.newKey(), true);
        });
    for (Map.Entry<String, String> anon : ANON_FDS.entrySet()) {
      h.put(
          anon.getKey(),
          (m, t, e, a) -> {
            Integer at = CLOEXEC_ARG.get(anon.getKey());
            boolean cloexec = at != null && (a.flags(at, OPEN).orElse(0) & O_CLOEXEC) != 0;
            String path = a.resultPath() != null ? a.resultPath() : anon.getValue();
            return put(t, (int) a.returned(), path, m.newKey(), cloexec);
          });
    }
    h.put("pipe", (m, t, e, a) -> pipe(m, t, (Pipe) a));
    h.put("pipe2", (m, t, e, a) -> pipe(m, t, (Pipe) a));
    h.put(
        "socketpair",
        (m, t, e, a) -> {
          long key = m.newKey();
          boolean cloexec = (a.flags(1, OPEN).orElse(0) & O_CLOEXEC) != 0;
          pair(t, a.items(3), "socket:" + OpenFile.UNKNOWN_INODE, key, cloexec);
          return Outcome.NONE;
        });
    for (String dup : new String[] {"dup", "dup2", "dup3"}) {
      h.put(
          dup,
          (m, t, e, a) -> {
            Dup d = (Dup) a;
            return dup(
                t,
                d.oldFd(),
                d.oldPath(),
                (int) a.returned(),
                (d.flags().orElse(0) & O_CLOEXEC) != 0);
          });
    }
    h.put(
        "fcntl",
        (m, t, e, a) -> {
          Fcntl fc = (Fcntl) a;
          OptionalLong cmd = fc.cmd();
          if (cmd.isEmpty()) {
            return Outcome.NONE;
          }
          long c = cmd.getAsLong();
          if (c == F_DUPFD || c == F_DUPFD_CLOEXEC) {
            return dup(t, fc.fd(), fc.fdPath(0), (int) a.returned(), c == F_DUPFD_CLOEXEC);
          }
          if (c == F_SETFD) {
            OptionalLong fd = fc.fd();
            OpenFile f = fd.isPresent() ? t.fds.get((int) fd.getAsLong()) : null;
            if (f != null) {
              t.fds.put((int) fd.getAsLong(), f.withCloexec((fc.arg().orElse(0) & 1) != 0));
            }
          }
          return Outcome.NONE;
        });
    h.put(
        "close",
        (m, t, e, a) -> {
          ((Close) a).fd().ifPresent(fd -> t.fds.close((int) fd));
          return Outcome.NONE;
        });
    h.put(
        "close_range",
        (m, t, e, a) -> {
          OptionalLong first = a.num(0);
          OptionalLong last = a.num(1);
          long flags = a.flags(2, CLOSE_RANGE).orElse(0);
          if (first.isPresent() && last.isPresent()) {
            t.fds.closeRange(
                first.getAsLong(), last.getAsLong(), (flags & CLOSE_RANGE_CLOEXEC) != 0);
          }
          return Outcome.NONE;
        });
    h.put("unlink", (m, t, e, a) -> unlink(m, t, a, -1, 0));
    h.put(
        "unlinkat",
        (m, t, e, a) ->
            (a.flags(2, AT).orElse(0) & 0x200) != 0
                ? Outcome.NONE
                : unlink(m, t, a, 0, 1)); // AT_REMOVEDIR removes a directory
    h.put("rename", (m, t, e, a) -> rename(m, t, a, -1, 0, -1, 1));
    h.put("renameat", (m, t, e, a) -> rename(m, t, a, 0, 1, 2, 3));
    h.put("renameat2", (m, t, e, a) -> rename(m, t, a, 0, 1, 2, 3));
    h.put(
        "chdir",
        (m, t, e, a) -> {
          String p = a.string(0);
          if (p != null) {
            t.cwd = p.startsWith("/") || t.cwd != null ? Paths.resolve(t.cwd, p) : null;
          }
          return Outcome.NONE;
        });
    h.put(
        "fchdir",
        (m, t, e, a) -> {
          OptionalLong fd = a.num(0);
          String dir = a.fdPath(0);
          if (dir == null && fd.isPresent() && t.fds.get((int) fd.getAsLong()) != null) {
            dir = t.fds.get((int) fd.getAsLong()).path();
          }
          t.cwd = dir != null && dir.startsWith("/") ? dir : null;
          return Outcome.NONE;
        });
    h.put(
        "getcwd",
        (m, t, e, a) -> {
          String p = a.string(0);
          if (p != null && p.startsWith("/")) {
            t.cwd = p;
          }
          return Outcome.NONE;
        });
  }

  private static final FlagTable AT =
      FlagTable.of(
          "at", "AT_REMOVEDIR", 0x200, "AT_SYMLINK_NOFOLLOW", 0x100, "AT_EMPTY_PATH", 0x1000);

  private static Outcome unlink(MemoryModel m, Task t, Call a, int dirArg, int pathArg) {
    String p = m.kernelPath(openedPath(t, a, dirArg, pathArg, false));
    return p == null ? Outcome.NONE : m.renameFile(p, p + MapsFormat.DELETED);
  }

  private static Outcome rename(
      MemoryModel m, Task t, Call a, int fromDir, int from, int toDir, int to) {
    String p = m.kernelPath(openedPath(t, a, fromDir, from, false));
    String q = openedPath(t, a, toDir, to, false);
    if (m.elfFiles() != null && q != null) {
      m.elfFiles().traceWrites(m.kernelPath(q));
    }
    return p == null || q == null ? Outcome.NONE : m.renameFile(p, q);
  }

  /** The file behind an fd argument of a call, as a mapping's backing; null when unknown. */
  static Backing backingOf(MemoryModel m, Task t, Call a, int i) {
    String decorated = m.kernelPath(a.fdPath(i));
    OptionalLong fd = a.num(i);
    OpenFile f = fd.isPresent() ? t.fds.get((int) fd.getAsLong()) : null;
    if (decorated != null) {
      return new Backing(Backing.Kind.FILE, decorated, Backing.NO_DEV, 0, f == null ? 0 : f.key());
    }
    if (f != null) {
      return new Backing(Backing.Kind.FILE, m.kernelPath(f.path()), Backing.NO_DEV, 0, f.key());
    }
    return null;
  }

  private static Outcome open(MemoryModel m, Task t, SyscallEvent e, Open a) {
    long flags = a.flags().orElse(0);
    String resolved = a.resultPath();
    String path = resolved != null ? resolved : joined(t, a.dirPath(), a.dirfd(), a.path());
    OpenFile through = resolved != null ? null : throughFd(m, t, path);
    if (through != null) {
      return put(t, (int) a.returned(), through.path(), through.key(), (flags & O_CLOEXEC) != 0);
    }
    if ((flags & O_TMPFILE) == O_TMPFILE && path != null) {
      // open(2) O_TMPFILE: path names a directory, and the fd is a new regular file with no name
      // in it, on that directory's filesystem; d_tmpfile names its dentry "#" and the inode
      // number, and since it is in no directory maps shows DIR/#INODE (deleted)
      String file = resolved != null ? resolved : OpenFile.tmpfileIn(path);
      return put(t, (int) a.returned(), file, m.newKey(), (flags & O_CLOEXEC) != 0);
    }
    if (m.elfFiles() != null && path != null && (flags & WRITES) != 0) {
      m.elfFiles().traceWrites(m.kernelPath(path));
    }
    FileContents.opened(m, path, FileContents.emptying(a, flags), e.ref());
    return put(t, (int) a.returned(), path, 0, (flags & O_CLOEXEC) != 0);
  }

  /**
   * The file an open of /proc/self/fd/N (or /proc/PID/fd/N, /dev/fd/N, /dev/stdin) opens: what that
   * process's fd N refers to (proc_fd_link, fs/proc/fd.c), the same object; null when the path is
   * no such alias or the model does not know that fd.
   */
  private static OpenFile throughFd(MemoryModel m, Task t, String path) {
    FdAlias alias = FdAlias.of(path);
    if (alias == null) {
      return null;
    }
    Task owner =
        alias.pid() == 0 || alias.pid() == t.tid || alias.pid() == t.tgid
            ? t
            : m.known(alias.pid());
    return owner == null ? null : owner.fds.get(alias.fd());
  }

  /** An open that may change the file. */
  private static final long WRITES = O_WRONLY | O_RDWR | O_CREAT | O_TRUNC;

  /**
   * The path a call named: -y's resolved path of the fd it returned, else the argument joined to
   * its directory.
   */
  static String openedPath(Task t, Call a, int dirArg, int pathArg, boolean resultIsFd) {
    String resolved = resultIsFd ? a.resultPath() : null;
    if (resolved != null) {
      return resolved;
    }
    return dirArg < 0
        ? joined(t, null, OptionalLong.of(AT_FDCWD), a.string(pathArg))
        : joined(t, a.fdPath(dirArg), a.num(dirArg), a.string(pathArg));
  }

  /** A path argument joined to its directory: -y's path of dirFd, else the fd's, else the cwd. */
  static String joined(Task t, String decorated, OptionalLong dirFd, String p) {
    if (p == null) {
      return null;
    }
    String dir = t.cwd;
    if (decorated != null) {
      dir = decorated;
    } else if (dirFd.isPresent() && dirFd.getAsLong() != AT_FDCWD) {
      OpenFile d = t.fds.get((int) dirFd.getAsLong());
      dir = d == null ? null : d.path();
    }
    return Paths.resolve(dir, p);
  }

  private static Outcome put(Task t, int fd, String path, long key, boolean cloexec) {
    if (fd >= 0 && path != null) {
      t.fds.put(fd, new OpenFile(path, key, cloexec));
    } else if (fd >= 0) {
      t.fds.close(fd);
    }
    return Outcome.NONE;
  }

  private static Outcome dup(
      Task t, OptionalLong old, String decorated, int newFd, boolean cloexec) {
    OpenFile f = old.isPresent() ? t.fds.get((int) old.getAsLong()) : null;
    if (f == null && decorated != null) {
      f = new OpenFile(decorated, 0, false);
    }
    if (f != null) {
      t.fds.put(newFd, f.withCloexec(cloexec));
    } else {
      t.fds.close(newFd);
    }
    return Outcome.NONE;
  }

  private static Outcome pipe(MemoryModel m, Task t, Pipe a) {
    pair(
        t,
        a.fds(),
        "pipe:" + OpenFile.UNKNOWN_INODE,
        m.newKey(),
        (a.flags().orElse(0) & O_CLOEXEC) != 0);
    return Outcome.NONE;
  }

  private static void pair(Task t, List<String> fds, String name, long key, boolean cloexec) {
    for (String item : fds) {
      OptionalLong fd = Numbers.parse(ArgText.bare(item));
      String decorated = ArgText.decoration(item);
      String path = decorated != null ? decorated : name;
      fd.ifPresent(v -> t.fds.put((int) v, new OpenFile(path, key, cloexec)));
    }
  }
}
