package dev.memtrace.model;

import static dev.memtrace.decode.LinuxFlags.CLONE_FILES;
import static dev.memtrace.decode.LinuxFlags.CLONE_THREAD;
import static dev.memtrace.decode.LinuxFlags.CLONE_VM;

import dev.memtrace.decode.Call;
import dev.memtrace.decode.Clone;
import dev.memtrace.decode.Execve;
import dev.memtrace.trace.SyscallEvent;
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
      h.put(
          name,
          (m, t, e, a) -> clone(m, t, ((Clone) a).flags(), (int) ((Clone) a).child(), e.ref()));
    }
    for (String name : new String[] {"execve", "execveat"}) {
      h.put(name, (m, t, e, a) -> execve(m, t, (Execve) a, e.ref()));
    }
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

  private static Outcome clone(
      MemoryModel m, Task parent, OptionalLong decoded, int child, int line) {
    if (child <= 0) {
      return Outcome.NONE;
    }
    long flags = decoded.orElse(Clone.FORK_FLAGS);
    Task early = m.known(child);
    if (early != null && (early.execed || early.adopted)) {
      // it ran an execve before its parent's clone returned in the log: it keeps its own space;
      // or its first line already made it this call's child (adopt): it has what it inherits
      early.adopted = false;
      m.made = new Who.Made(kindOf(flags), child, m.process(early), m.handle(early.mm));
      return Outcome.NONE;
    }
    Task c = child(m, parent, flags, child, early, line);
    if (kindOf(flags) == Who.Kind.THREAD && !m.sawPids() && c.mm.untracedClone == 0) {
      c.mm.untracedClone = line; // no pid yet: strace may follow this task alone (no -f)
    }
    m.made = new Who.Made(kindOf(flags), child, c.process, m.handle(c.mm));
    return decoded.isPresent()
        ? Outcome.NONE
        : Outcome.note("unknown clone flags: the model assumes a fork (a copied address space)");
  }

  /**
   * The child a clone with these flags makes of the parent: the parent's space shared (CLONE_VM) or
   * copied, its fd table shared (CLONE_FILES) or copied. What the model learnt of the child's own
   * lines before the clone returned ({@code early}, or null) is laid over it.
   */
  static Task child(MemoryModel m, Task parent, long flags, int child, Task early, int line) {
    AddressSpace mm = (flags & CLONE_VM) != 0 ? parent.mm : parent.mm.copy();
    if (mm != parent.mm) {
      mm.copiedAt(line, parent.tgid, child);
    }
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
    return c;
  }

  /**
   * The task of a line whose pid the model has not met, when clone-family calls of other tasks had
   * not returned yet in the log ({@link SyscallEvent#clonesInFlight}): under {@code strace -f} a
   * child can run, and its lines be printed, before its parent's {@code <... clone resumed> = PID}.
   * A pid no clone has returned yet is one of theirs (every task strace -f follows is the child of
   * a traced clone). When there is one, or several that would all give the child the same space, fd
   * table and process (threads of one process cloning threads), the task is made that call's child
   * now, its space copied or shared as the call's flags say; when they would differ, or a caller or
   * its flags are unknown, it stays a task met midway (null). The clone's return then finds it
   * made.
   */
  static Task adopt(MemoryModel m, SyscallEvent e, int tid) {
    Task parent = null;
    long flags = 0;
    int line = 0;
    for (SyscallEvent c : e.clonesInFlight()) {
      Task p = m.known(MemoryModel.key(c.pid()));
      OptionalLong f = ((Clone) Call.of(c)).flags();
      if (p == null || !p.seen || f.isEmpty()) {
        return null; // a caller met midway may be a task strace attached to (-p), not a parent
      }
      long asked = f.getAsLong();
      if (parent != null && !sameChild(parent, flags, p, asked)) {
        return null;
      }
      parent = p;
      flags = asked;
      line = c.ref();
    }
    if (parent == null) {
      return null;
    }
    Task c = child(m, parent, flags, tid, null, line);
    c.adopted = true;
    m.adoptedFrom = (flags & CLONE_VM) != 0 ? null : m.handle(parent.mm);
    return c;
  }

  /** Whether two clones would make the same child: same kind, same space, fds and process. */
  private static boolean sameChild(Task a, long aFlags, Task b, long bFlags) {
    long bits = CLONE_VM | CLONE_FILES | CLONE_THREAD;
    return (aFlags & bits) == (bFlags & bits)
        && a.mm == b.mm
        && a.fds == b.fds
        && (kindOf(aFlags) != Who.Kind.THREAD || a.tgid == b.tgid);
  }

  private static Who.Kind kindOf(long flags) {
    return (flags & CLONE_THREAD) != 0
        ? Who.Kind.THREAD
        : (flags & CLONE_VM) != 0 ? Who.Kind.VFORK : Who.Kind.PROCESS;
  }

  private static Outcome execve(MemoryModel m, Task t, Execve call, int line) {
    // /proc/self/exe is the exec'ing process's own program (proc_exe_link): the one its space's
    // execve ran, when the trace showed it; else the link stays, and its headers unknown
    String named = call.named();
    boolean own = Execve.ownExe(named, t.tid) && t.mm.exe != null;
    String ran = own ? t.mm.exe : named;
    freshSpace(m, t);
    t.mm.exe = ran;
    // a path relative to a directory fd the call does not show names the program, but its headers
    // cannot be read
    return ExecImages.execve(m, t, own ? ran : call.path(), line);
  }

  /**
   * What every execve does to the task: the other threads go, a fresh space, fds closed on exec. An
   * execve the trace does not show ({@link MemoryCalls#unseenExec}) does this alone: the trace does
   * not say which program runs, so no image is laid out.
   */
  static void freshSpace(MemoryModel m, Task t) {
    m.removeOtherThreads(t);
    if (t.tgid != t.tid && t.tid != 0 && t.tgid != 0) {
      // A thread other than the leader: de_thread (fs/exec.c) gives it the leader's pid, and the
      // process stays the leader's (execve(2)). Lines after it name that pid, or none in strace's
      // stderr mode once this is the one task left; this line's tid is kept until the next event.
      m.renumber(t, t.tgid);
    }
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
