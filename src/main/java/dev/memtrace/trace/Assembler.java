package dev.memtrace.trace;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Puts line pieces back together into events, in the order a reader needs them:
 *
 * <ul>
 *   <li>an entry half waits, per pid, for its {@code <... NAME resumed>} half; the joined call is
 *       released when it completes (memory effects happen at exit), numbered by its first line;
 *   <li>{@code +++ superseded by execve in pid N +++} moves pid N's waiting execve to the leader,
 *       whose pid it resumes under (strace.c:maybe_switch_tcbs);
 *   <li>a call or signal is held back until the next line that is not a {@code -k} frame or a data
 *       dump line, so its frames and its dumped data (printed after it) can be attached;
 *   <li>a call whose text stops before its closing parenthesis (stderr mode: the tracee wrote into
 *       the middle of it) is joined with the following lines that fit no record shape, until it
 *       closes; if it never does, it is released as unfinished;
 *   <li>the rest of a call on a bare line right after its entry half (strace 6.1 and older with a
 *       status filter, {@link #stagedRest}) is joined with that half.
 * </ul>
 *
 * Memory stays flat: at most one waiting half per live task, one held event, one open line.
 */
final class Assembler {

  /** Give up joining an open line after this many continuation lines or chars. */
  private static final int MAX_JOIN_LINES = 16;

  private static final int MAX_JOIN_CHARS = 1 << 20;

  private final LineParser parser;
  private final ArrayDeque<TraceEvent> out = new ArrayDeque<>();
  private final Map<Integer, Piece.Unfinished> waiting = new HashMap<>();
  private TraceEvent held;
  private List<StackFrame> heldFrames;
  private StringBuilder heldDump;
  private Piece.Open open;
  private StringBuilder openText;
  private int openLines;

  /** The entry half the previous piece was, until the next piece comes. */
  private Piece.Unfinished lastUnfinished;

  Assembler(LineParser parser) {
    this.parser = parser;
  }

  ArrayDeque<TraceEvent> output() {
    return out;
  }

  void accept(Piece piece) {
    Piece.Unfinished before = lastUnfinished;
    lastUnfinished = null;
    if (before != null
        && piece instanceof Piece.Done d
        && d.event() instanceof UnparsedEvent u
        && stagedRest(before, u.source())) {
      return;
    }
    if (open != null) {
      if (piece instanceof Piece.Done d && d.event() instanceof UnparsedEvent u) {
        continueOpen(u.source());
        return;
      }
      releaseOpen();
    }
    if (piece instanceof Piece.Frame f) {
      if (held != null) {
        if (heldFrames == null) {
          heldFrames = new ArrayList<>(8);
        }
        heldFrames.add(f.frame());
      } else {
        emit(
            new NoticeEvent(
                f.source(),
                Prefix.NONE,
                NoticeEvent.Kind.OTHER,
                "stack frame with no call before it: " + f.source().text()));
      }
      return;
    }
    if (piece instanceof Piece.Dump d) {
      if (held instanceof SyscallEvent) {
        if (heldDump == null) {
          heldDump = new StringBuilder();
        }
        heldDump.append(d.hex());
      } else {
        emit(
            new NoticeEvent(
                d.source(),
                Prefix.NONE,
                NoticeEvent.Kind.OTHER,
                "data dump with no call before it: " + d.source().text()));
      }
      return;
    }
    releaseHeld();
    if (piece instanceof Piece.Done d) {
      done(d.event());
    } else if (piece instanceof Piece.Unfinished u) {
      Piece.Unfinished previous = putWaiting(key(u.prefix()), u);
      if (previous != null) {
        hold(
            unfinished(previous.source(), previous.prefix(), previous.name(), previous.argsText()));
      }
      lastUnfinished = u;
    } else if (piece instanceof Piece.Resumed r) {
      resumed(r);
    } else if (piece instanceof Piece.Open o) {
      open = o;
      openText = new StringBuilder(o.source().text());
      openLines = 1;
    } else if (piece instanceof Piece.Detached d) {
      hold(
          entered(
              d.source(), d.prefix(), d.name(), d.argsText(), SyscallEvent.Completion.DETACHED));
    }
  }

  /** Everything still waiting at the end of the input, oldest first. */
  void finish() {
    if (open != null) {
      releaseOpen();
    }
    releaseHeld();
    List<Piece.Unfinished> rest = new ArrayList<>(waiting.values());
    waiting.clear();
    clonesWaiting = 0;
    inFlight = List.of();
    rest.sort(Comparator.comparingInt(u -> u.source().line()));
    for (Piece.Unfinished u : rest) {
      emit(unfinished(u.source(), u.prefix(), u.name(), u.argsText()));
    }
  }

  private void done(TraceEvent e) {
    if (e instanceof ExitEvent x) {
      Integer pid = x.pid();
      if (x.kind() == ExitEvent.Kind.SUPERSEDED && x.execvePid() != null) {
        Piece.Unfinished exec = removeWaiting(x.execvePid());
        if (exec != null) {
          flushWaiting(pid);
          putWaiting(key(x.prefix()), exec);
        }
      } else {
        flushWaiting(pid);
      }
      emit(e);
      return;
    }
    if (e instanceof SyscallEvent || e instanceof SignalEvent) {
      hold(e);
    } else {
      emit(e);
    }
  }

  private void flushWaiting(Integer pid) {
    Piece.Unfinished u = removeWaiting(pid == null ? -1 : pid);
    if (u != null) {
      emit(unfinished(u.source(), u.prefix(), u.name(), u.argsText()));
    }
  }

  private void resumed(Piece.Resumed r) {
    TraceEvent e = resume(parser, take(key(r.prefix()), r.name()), r);
    if (e instanceof SyscallEvent) {
      hold(e);
    } else {
      emit(e);
    }
  }

  /**
   * The call a resumed half makes: joined with its entry half {@code u} (numbered by the entry's
   * line, under the resumed half's pid), or alone when {@code u} is null. An {@code -ff} set's
   * thread execve is joined here too, across files ({@link ThreadExecves}).
   */
  static TraceEvent resume(LineParser parser, Piece.Unfinished u, Piece.Resumed r) {
    Source src;
    Prefix prefix;
    String body;
    SyscallEvent.Completion how;
    if (u == null) {
      src = r.source();
      prefix = r.prefix();
      body = r.name() + "(" + r.rest();
      how = SyscallEvent.Completion.COMPLETE;
    } else {
      src =
          new Source(
              u.source().file(),
              u.source().line(),
              u.source().text() + "\n" + r.source().text(),
              r.source().endLine(),
              u.source().ref());
      prefix = r.prefix().pid() == null ? u.prefix() : u.prefix().withPid(r.prefix().pid());
      body = u.name() + "(" + u.argsText() + r.rest();
      how = SyscallEvent.Completion.JOINED;
    }
    Piece p = parser.call(src, prefix, body, r.name(), r.name().length() + 1);
    if (p instanceof Piece.Done d && d.event() instanceof SyscallEvent s) {
      return how == SyscallEvent.Completion.COMPLETE
          ? s
          : new SyscallEvent(
              s.source(), s.prefix(), s.name(), s.args(), s.result(), s.duration(), List.of(), how);
    } else if (p instanceof Piece.Done d) {
      return d.event();
    }
    return new UnparsedEvent(src, prefix, "resumed call does not close its argument list");
  }

  /**
   * The entry half a resumed line belongs to: the same pid's, else (stderr mode, where the {@code
   * [pid N]} prefix comes and goes with the number of tasks) one with no pid when the resumed line
   * has one, or the latest with the same name when it has none.
   */
  private Piece.Unfinished take(int k, String name) {
    Piece.Unfinished u = waiting.get(k);
    if (u != null && u.name().equals(name)) {
      return removeWaiting(k);
    }
    if (k != -1) {
      u = waiting.get(-1);
      return u != null && u.name().equals(name) ? removeWaiting(-1) : null;
    }
    Piece.Unfinished best = null;
    for (Piece.Unfinished c : waiting.values()) {
      if (c.name().equals(name) && (best == null || c.source().line() > best.source().line())) {
        best = c;
      }
    }
    if (best != null) {
      removeWaiting(key(best.prefix()));
    }
    return best;
  }

  /**
   * Joins {@code next}, a line that fits no record shape, to the entry half {@code u} printed just
   * before it, when together they make a whole call with a result. strace 6.1 and older, following
   * forks with a status filter ({@code -z}, {@code -Z}, {@code -e status=}), stage each call's text
   * until its result decides whether it is shown; when another task printed meanwhile, printleader
   * ended the staged entry with {@code <unfinished ...>}, and the rest was staged on a line of its
   * own, with no prefix and no {@code <... NAME resumed>}, then both were written together (fixed
   * in strace 6.2, "printleader: do not mark output as unfinished unnecessarily"):
   *
   * <pre>
   * 30963 20:12:00.584658 wait4(-1,  &lt;unfinished ...&gt;
   * [{WIFEXITED(s) &amp;&amp; WEXITSTATUS(s) == 0}], 0, NULL) = 30966 &lt;0.000061&gt;
   * </pre>
   */
  private boolean stagedRest(Piece.Unfinished u, Source next) {
    int k = key(u.prefix());
    if (waiting.get(k) != u) {
      return false;
    }
    TraceEvent e = resume(parser, u, new Piece.Resumed(next, Prefix.NONE, u.name(), next.text()));
    if (!(e instanceof SyscallEvent s) || s.result() == null) {
      return false;
    }
    removeWaiting(k);
    hold(e);
    return true;
  }

  private void continueOpen(Source next) {
    openText.append(next.text());
    openLines++;
    Source src =
        new Source(
            open.source().file(),
            open.source().line(),
            open.source().text() + "\n" + next.text(),
            next.endLine(),
            open.source().ref());
    Piece p = parser.parse(openText.toString(), src);
    if (p instanceof Piece.Open o) {
      if (openLines < MAX_JOIN_LINES && openText.length() < MAX_JOIN_CHARS) {
        open = new Piece.Open(src, o.prefix(), o.name(), o.argsText());
        return;
      }
      p = new Piece.Done(unfinished(src, o.prefix(), o.name(), o.argsText()));
    }
    if (p instanceof Piece.Done d && d.event() instanceof UnparsedEvent) {
      // The lines do not make one record after all: release the call as unfinished and
      // report the continuation on its own.
      Piece.Open o = open;
      open = null;
      hold(unfinished(o.source(), o.prefix(), o.name(), o.argsText()));
      releaseHeld();
      emit(new UnparsedEvent(next, Prefix.NONE, "text inside a record (stderr mode)"));
      return;
    }
    open = null;
    accept(p);
  }

  private void releaseOpen() {
    Piece.Open o = open;
    open = null;
    releaseHeld();
    hold(unfinished(o.source(), o.prefix(), o.name(), o.argsText()));
  }

  private void hold(TraceEvent e) {
    releaseHeld();
    held = e;
  }

  private void releaseHeld() {
    if (held == null) {
      return;
    }
    TraceEvent e = held;
    held = null;
    if (heldFrames != null) {
      List<StackFrame> frames = heldFrames;
      heldFrames = null;
      if (e instanceof SyscallEvent s) {
        e = s.withStack(frames);
      } else if (e instanceof SignalEvent s) {
        e = s.withStack(frames);
      }
    }
    if (heldDump != null) {
      if (e instanceof SyscallEvent s) {
        e = s.withDump(heldDump.toString());
      }
      heldDump = null;
    }
    emit(e);
  }

  private void emit(TraceEvent e) {
    if (clonesWaiting > 0 && e instanceof SyscallEvent s) {
      List<SyscallEvent> clones = clonesInFlight(key(s.prefix()));
      if (!clones.isEmpty()) {
        e = s.withClonesInFlight(clones);
      }
    }
    out.add(e);
  }

  /** How many of the waiting entry halves are of clone, clone3, fork or vfork. */
  private int clonesWaiting;

  /** Those entry halves as unfinished calls, oldest first; null when they changed since. */
  private List<SyscallEvent> inFlight = List.of();

  private Piece.Unfinished putWaiting(int k, Piece.Unfinished u) {
    Piece.Unfinished previous = waiting.put(k, u);
    changedWaiting(previous, -1);
    changedWaiting(u, 1);
    return previous;
  }

  private Piece.Unfinished removeWaiting(int k) {
    Piece.Unfinished u = waiting.remove(k);
    changedWaiting(u, -1);
    return u;
  }

  private void changedWaiting(Piece.Unfinished u, int by) {
    if (u != null && isClone(u.name())) {
      clonesWaiting += by;
      inFlight = null;
    }
  }

  static boolean isClone(String name) {
    return switch (name) {
      case "clone", "clone3", "fork", "vfork" -> true;
      default -> false;
    };
  }

  /**
   * The clone-family calls other tasks than the one keyed {@code k} are in, as strace printed their
   * entry: a child met before its parent's clone returned in the log is one of theirs.
   */
  private List<SyscallEvent> clonesInFlight(int k) {
    if (inFlight == null) {
      List<Piece.Unfinished> clones = new ArrayList<>(clonesWaiting);
      for (Piece.Unfinished u : waiting.values()) {
        if (isClone(u.name())) {
          clones.add(u);
        }
      }
      clones.sort(Comparator.comparingInt(u -> u.source().line()));
      List<SyscallEvent> calls = new ArrayList<>(clones.size());
      for (Piece.Unfinished u : clones) {
        calls.add(unfinished(u.source(), u.prefix(), u.name(), u.argsText()));
      }
      inFlight = List.copyOf(calls);
    }
    for (SyscallEvent c : inFlight) {
      if (key(c.prefix()) == k) {
        List<SyscallEvent> others = new ArrayList<>(inFlight);
        others.removeIf(o -> key(o.prefix()) == k);
        return List.copyOf(others);
      }
    }
    return inFlight;
  }

  private static int key(Prefix p) {
    return p.pid() == null ? -1 : p.pid();
  }

  static SyscallEvent unfinished(Source src, Prefix p, String name, String argsText) {
    return entered(src, p, name, argsText, SyscallEvent.Completion.UNFINISHED);
  }

  /** A call entered and never resumed in the log, its arguments as far as strace printed them. */
  private static SyscallEvent entered(
      Source src, Prefix p, String name, String argsText, SyscallEvent.Completion how) {
    String t =
        argsText.endsWith(", ")
            ? argsText.substring(0, argsText.length() - 2)
            : argsText.endsWith(" ") ? argsText.stripTrailing() : argsText;
    return new SyscallEvent(src, p, name, new TextArgs(t), null, null, List.of(), how);
  }
}
