package dev.memtrace.model;

import static dev.memtrace.model.abi.LinuxFlags.CLONE;
import static dev.memtrace.model.abi.LinuxFlags.CLONE_FILES;
import static dev.memtrace.model.abi.LinuxFlags.CLONE_THREAD;
import static dev.memtrace.model.abi.LinuxFlags.CLONE_VFORK;
import static dev.memtrace.model.abi.LinuxFlags.CLONE_VM;

import java.util.Map;
import java.util.OptionalLong;

/**
 * Tasks and what they share. clone with CLONE_VM shares the address space (threads, and vfork
 * until the child's execve), without it the child gets a copy (fork); CLONE_FILES shares the fd
 * table; CLONE_THREAD puts the child in the parent's thread group. execve gives the process a new,
 * address space holding only what {@link ExecImages} can lay out from ELF headers, and closes
 * close-on-exec fds. A child often runs before strace prints its parent's clone result; what the
 * model learnt of it meanwhile is laid over what it inherits.
 */
final class ProcessCalls {

  private ProcessCalls() {}

  private static final long FORK_FLAGS = 17; // SIGCHLD
  private static final long VFORK_FLAGS = CLONE_VM | CLONE_VFORK | 17;

  static void register(Map<String, MemoryModel.Handler> h) {
    h.put("clone", (m, t, e, a) -> {
      String named = a.named("flags");
      OptionalLong flags = named != null ? CLONE.decodeText(named) : a.flags(0, CLONE);
      return clone(m, t, flags, (int) a.result());
    });
    h.put("clone3", (m, t, e, a) -> {
      String f = a.field(0, "flags");
      return clone(m, t, f == null ? OptionalLong.empty() : CLONE.decodeText(f), (int) a.result());
    });
    h.put("fork", (m, t, e, a) -> clone(m, t, OptionalLong.of(FORK_FLAGS), (int) a.result()));
    h.put("vfork", (m, t, e, a) -> clone(m, t, OptionalLong.of(VFORK_FLAGS), (int) a.result()));
    h.put("execve", (m, t, e, a) -> execve(m, t, a.string(0), e.line()));
    h.put("execveat", (m, t, e, a) -> execve(m, t,
        a.string(1) != null && a.string(1).startsWith("/") ? a.string(1) : null, e.line()));
  }

  private static Outcome clone(MemoryModel m, Task parent, OptionalLong decoded, int child) {
    if (child <= 0) {
      return Outcome.NONE;
    }
    long flags = decoded.orElse(FORK_FLAGS);
    Task early = m.known(child);
    if (early != null && early.execed) {
      return Outcome.NONE; // it ran an execve before its parent's clone returned in the log
    }
    AddressSpace mm = (flags & CLONE_VM) != 0 ? parent.mm : parent.mm.copy();
    FdTable fds = (flags & CLONE_FILES) != 0 ? parent.fds : parent.fds.copy();
    if (early != null) {
      mm.overlay(early.mm);
      fds.overlay(early.fds);
    }
    int tgid = (flags & CLONE_THREAD) != 0 ? parent.tgid : child;
    Task c = new Task(child, tgid, mm, fds, parent.cwd, parent.seen);
    m.putTask(child, c);
    return decoded.isPresent() ? Outcome.NONE
        : Outcome.note("unknown clone flags: the model assumes a fork (a copied address space)");
  }

  private static Outcome execve(MemoryModel m, Task t, String path, int line) {
    m.removeOtherThreads(t);
    t.tgid = t.tid;
    t.mm = new AddressSpace();
    t.mm.freshExec = true;
    t.fds = t.fds.copy();
    t.fds.closeOnExec();
    t.seen = true;
    t.execed = true;
    t.warned = false;
    return ExecImages.execve(m, t, path, line);
  }

  static void exit(MemoryModel m, int tid) {
    m.removeTask(tid);
  }
}
