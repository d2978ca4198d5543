package dev.memtrace.trace;

import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Joins the two halves of a thread's execve across the files of an {@code strace -ff} set
 * (strace-format.md 4.8), for {@link MergedReader}. The thread's file ends with {@code execve(ARGS
 * <pid changed to LEADER ...>}; the leader's file goes on with {@code +++ superseded by execve in
 * pid THREAD +++} and {@code <... execve resumed>) = 0}. Each file's reader hands these out as an
 * unfinished execve and an execve with no arguments; here they become the one event a single {@code
 * -f} log gives ({@link Assembler#resume}): the thread's arguments and line, the leader's pid and
 * result, {@link SyscallEvent.Completion#JOINED}, handed out where the resumed half is.
 *
 * <p>Whichever half comes first is held until the other comes, but only while the other can still
 * come: while some file's next event is the partner's (the leader's for a thread half, the thread's
 * named by {@code superseded} for a leader half). Then it is let go as it is. While a leader half
 * is held, its file is not read further, so each process stays in order. At most one half per file
 * and one per leader is held.
 */
final class ThreadExecves {

  /**
   * A held half: the event as its reader gave it, its line read again as a piece, and the pid of
   * the other half (the thread's for a leader half, the leader's for a thread half).
   */
  private record Half(TraceEvent event, Piece piece, int partner) {}

  private final LineParser parser = new LineParser(null);
  private final ArrayDeque<TraceEvent> out = new ArrayDeque<>();

  /** Per file: the THREAD of its last {@code superseded} record, until its next event. */
  private final Integer[] superseded;

  /** Per file: its resumed execve, waiting for the thread half. */
  private final Half[] leaders;

  /** Thread halves waiting for their resumed half, by leader pid. */
  private final Map<Integer, Half> threads = new LinkedHashMap<>();

  private int held;

  ThreadExecves(int sources) {
    this.superseded = new Integer[sources];
    this.leaders = new Half[sources];
  }

  /** Events ready to be handed out, in order. */
  ArrayDeque<TraceEvent> output() {
    return out;
  }

  /** Whether a file's reading waits: its resumed execve is held for the thread's half. */
  boolean blocked(int source) {
    return leaders[source] != null;
  }

  /** Takes the next event of a file: it (or the joined call) goes to the output, or is held. */
  void accept(int source, TraceEvent e) {
    Integer thread = superseded[source];
    superseded[source] = null;
    if (e instanceof ExitEvent x && x.kind() == ExitEvent.Kind.SUPERSEDED && x.pid() != null) {
      superseded[source] = x.execvePid();
    } else if (thread != null
        && e instanceof SyscallEvent s
        && s.pid() != null
        && s.completion() == SyscallEvent.Completion.COMPLETE
        && reread(s) instanceof Piece.Resumed r) {
      Half leader = new Half(e, r, thread);
      Half t = threads.get(s.pid());
      if (t != null && thread.equals(t.event().pid())) {
        threads.remove(s.pid());
        held--;
        join(t, leader);
      } else {
        leaders[source] = leader;
        held++;
      }
      return;
    } else if (e instanceof SyscallEvent s
        && s.completion() == SyscallEvent.Completion.UNFINISHED
        && s.pid() != null
        && reread(s) instanceof Piece.Unfinished u
        && u.newPid() != null) {
      Half t = new Half(e, u, u.newPid());
      for (int k = 0; k < leaders.length; k++) {
        Half l = leaders[k];
        if (l != null && l.event().pid().equals(u.newPid()) && l.partner() == s.pid()) {
          leaders[k] = null;
          held--;
          join(t, l);
          return;
        }
      }
      Half before = threads.put(u.newPid(), t);
      if (before != null) {
        out.add(before.event());
      } else {
        held++;
      }
      return;
    }
    out.add(e);
  }

  /**
   * Lets go of every held half whose partner no file's next event shows any more (its file ended,
   * or went on to other pids): {@code heads} are the files' next events, null for a file that ended
   * or waits.
   */
  void giveUp(TraceEvent[] heads) {
    if (held == 0) {
      return;
    }
    for (int k = 0; k < leaders.length; k++) {
      if (leaders[k] != null && !shown(heads, leaders[k].partner())) {
        out.add(leaders[k].event());
        leaders[k] = null;
        held--;
      }
    }
    for (Iterator<Half> it = threads.values().iterator(); it.hasNext(); ) {
      Half t = it.next();
      if (!shown(heads, t.partner())) {
        out.add(t.event());
        it.remove();
        held--;
      }
    }
  }

  private static boolean shown(TraceEvent[] heads, int pid) {
    for (TraceEvent h : heads) {
      if (h != null && h.pid() != null && h.pid() == pid) {
        return true;
      }
    }
    return false;
  }

  /**
   * Puts out the thread half joined with the leader's resumed half, which keeps its {@code -k}
   * frames; or both as they are when they do not make one call.
   */
  private void join(Half thread, Half leader) {
    Piece.Unfinished u = (Piece.Unfinished) thread.piece();
    Piece.Resumed r = (Piece.Resumed) leader.piece();
    SyscallEvent resumed = (SyscallEvent) leader.event();
    TraceEvent joined = null;
    if (u.name().equals(r.name())) {
      joined =
          Assembler.resume(
              parser,
              new Piece.Unfinished(
                  u.source(), thread.event().prefix(), u.name(), u.argsText(), u.newPid()),
              new Piece.Resumed(r.source(), resumed.prefix(), r.name(), r.rest()));
    }
    if (joined instanceof SyscallEvent s) {
      out.add(s.withStack(resumed.stack()));
    } else {
      out.add(thread.event());
      out.add(resumed);
    }
  }

  /** The call's line read again as a piece (its raw text is kept), or null for a joined text. */
  private Piece reread(SyscallEvent s) {
    String text = s.source().text();
    if (text.indexOf('\n') >= 0) {
      return null;
    }
    try {
      return parser.parse(text, s.source());
    } catch (RuntimeException e) {
      return null; // the reader reported this line already; here it is just not a half
    }
  }
}
