package dev.memtrace.model;

import static dev.memtrace.decode.LinuxFlags.CLONE_FILES;
import static dev.memtrace.decode.LinuxFlags.CLONE_THREAD;
import static dev.memtrace.decode.LinuxFlags.CLONE_VM;

import dev.memtrace.decode.Clone;
import dev.memtrace.decode.Execve;
import java.util.Map;
import java.util.OptionalLong;

/**
 * Tasks and what they share. clone with CLONE_VM shares the address space (threads, and vfork until
 * the child's execve), without it the child gets a copy (fork); CLONE_FILES shares the fd table;
 * CLONE_THREAD puts the child in the parent's thread group. execve gives the process a new, address
 * space holding only what {@link ExecImages} can lay out from ELF headers, and closes close-on-exec
 * fds. A child often runs before strace prints its parent's clone result; what the model learnt of
 * it meanwhile is laid over what it inherits.
 */
final class ProcessCalls {

  private ProcessCalls() {}

  static void register(Map<String, MemoryModel.Handler> h) {
    for (String name : new String[] {"clone", "clone3", "fork", "vfork"}) {
      h.put(name, (m, t, e, a) -> clone(m, t, ((Clone) a).flags(), (int) ((Clone) a).child()));
    }
    h.put("execve", (m, t, e, a) -> execve(m, t, ((Execve) a).path(), e.line()));
    h.put("execveat", (m, t, e, a) -> execve(m, t, ((Execve) a).path(), e.line()));
    for (String name : new String[] {"set_tid_address", "gettid", "getpid"}) {
      h.put(name, (m, t, e, a) -> named(m, t, e.pid(), a.returned()));
    }
  }

  /**
   * A call of a line without pid returned the tid of its task: the task answers to it too. When a
   * task of that tid is already known (strace drops the pids again once one task is left), the
   * lines without pid were that task's: what the model learnt of them joins it.
   */
  private static Outcome named(MemoryModel m, Task t, Integer pid, long tid) {
    if (pid != null || t.tid != 0 || t.alias >= 0 || tid <= 0 || tid > Integer.MAX_VALUE) {
      return Outcome.NONE;
    }
    Task known = m.known((int) tid);
    if (known == null) {
      m.alias((int) tid, t);
    } else if (known != t && known.alias < 0) {
      known.mm.overlay(t.mm);
      known.fds.overlay(t.fds);
      m.handle(t.mm).joinTo(m.handle(known.mm));
      m.process(t).joinTo(m.process(known));
      known.alias = 0;
      m.putTask(0, known);
    }
    return Outcome.NONE;
  }

  private static Outcome clone(MemoryModel m, Task parent, OptionalLong decoded, int child) {
    if (child <= 0) {
      return Outcome.NONE;
    }
    long flags = decoded.orElse(Clone.FORK_FLAGS);
    Task early = m.known(child);
    if (early != null && early.execed) {
      // it ran an execve before its parent's clone returned in the log: it keeps its own space
      m.made = new Who.Made(kindOf(flags), child, m.process(early), m.handle(early.mm));
      return Outcome.NONE;
    }
    AddressSpace mm = (flags & CLONE_VM) != 0 ? parent.mm : parent.mm.copy();
    FdTable fds = (flags & CLONE_FILES) != 0 ? parent.fds : parent.fds.copy();
    Who.Kind kind = kindOf(flags);
    Handle process =
        kind == Who.Kind.THREAD
            ? m.process(parent)
            : early != null && early.process != null ? early.process : new Handle(child);
    Handle space = m.handle(mm);
    if (early != null) {
      mm.overlay(early.mm);
      fds.overlay(early.fds);
      // what the child's lines before this one were said to belong to is what it made
      if (early.process != null) {
        early.process.joinTo(process);
      }
      if (early.mm.handle != null) {
        early.mm.handle.joinTo(space);
      }
    }
    int tgid = kind == Who.Kind.THREAD ? parent.tgid : child;
    Task c = new Task(child, tgid, mm, fds, parent.cwd, parent.seen);
    c.process = process;
    m.putTask(child, c);
    m.made = new Who.Made(kind, child, process, space);
    return decoded.isPresent()
        ? Outcome.NONE
        : Outcome.note("unknown clone flags: the model assumes a fork (a copied address space)");
  }

  private static Who.Kind kindOf(long flags) {
    return (flags & CLONE_THREAD) != 0
        ? Who.Kind.THREAD
        : (flags & CLONE_VM) != 0 ? Who.Kind.VFORK : Who.Kind.PROCESS;
  }

  private static Outcome execve(MemoryModel m, Task t, String path, int line) {
    // /proc/self/exe is the exec'ing process's own program (proc_exe_link): the one its space's
    // execve ran, when the trace showed it; else the link stays, and its headers unknown
    String ran = Execve.ownExe(path, t.tid) && t.mm.exe != null ? t.mm.exe : path;
    freshSpace(m, t);
    t.mm.exe = ran;
    return ExecImages.execve(m, t, ran, line);
  }

  /**
   * What every execve does to the task: the other threads go, a fresh space, fds closed on exec. An
   * execve the trace does not show ({@link MemoryCalls#unseenExec}) does this alone: the trace does
   * not say which program runs, so no image is laid out.
   */
  static void freshSpace(MemoryModel m, Task t) {
    m.removeOtherThreads(t);
    if (t.tgid != t.tid && t.tid != 0) {
      t.process = new Handle(t.tid);
    }
    t.tgid = t.tid == 0 ? t.tgid : t.tid;
    AddressSpace old = t.mm;
    t.mm = new AddressSpace();
    m.leftSpace = !m.used(old);
    t.mm.freshExec = true;
    t.fds = t.fds.copy();
    t.fds.closeOnExec();
    t.seen = true;
    t.execed = true;
    t.warned = false;
    m.made = new Who.Made(Who.Kind.EXEC, t.tid, m.process(t), m.handle(t.mm));
  }

  /**
   * The task with this tid exited (and the tid of a log without pids, if it named the same task).
   * Returns whether that was the last task of its address space.
   */
  static boolean exit(MemoryModel m, int tid) {
    Task t = m.known(tid);
    m.removeTask(tid);
    if (t == null) {
      return false;
    }
    for (int other : new int[] {t.tid, t.alias}) {
      if (other != tid && other >= 0 && m.known(other) == t) {
        m.removeTask(other);
      }
    }
    return !m.used(t.mm);
  }
}
