package dev.memtrace.render;

import dev.memtrace.explain.Human;
import dev.memtrace.model.Region;
import dev.memtrace.model.RegionChange;
import dev.memtrace.timeline.AnnotatedEvent;
import dev.memtrace.timeline.BufferRef;
import dev.memtrace.timeline.Explanation;
import dev.memtrace.trace.ExitEvent;
import dev.memtrace.trace.NoticeEvent;
import dev.memtrace.trace.Result;
import dev.memtrace.trace.SignalEvent;
import dev.memtrace.trace.StackFrame;
import dev.memtrace.trace.SyscallEvent;
import dev.memtrace.trace.TraceEvent;
import dev.memtrace.trace.UnparsedEvent;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The readable timeline: one line per event with its log line number ({@code 111:}, what the
 * explanations' "made at line 111" point at), the pid and time in aligned columns and the call as
 * strace printed it, then, indented under it, its stack frames, the regions it added ({@code +}),
 * changed ({@code ~}) or removed ({@code -}), what the snapshots said, the region its buffer lies
 * in, and why. Output is UTF-8; log bytes that are not UTF-8 show as U+FFFD.
 */
public final class TextRenderer implements Renderer {

  private static final String INDENT = "        ";

  private final OutputStream out;
  private final Style style;

  /** Grows with the line numbers seen, so the columns after it stay aligned. */
  private int lineWidth = 4;

  /** 0 until a pid has been seen: logs without pids get no empty column. */
  private int pidWidth;

  private int timeWidth;

  /** Each event's text, built here and encoded; kept from one event to the next. */
  private StringBuilder text = new StringBuilder(256);

  /** The longest text {@link #text} keeps its room for: a 10 MB buffer's line lets it go. */
  private static final int KEPT_CAPACITY = 1 << 16;

  /** Seconds as text ({@link Texts#seconds(double, char[])}). */
  private final char[] seconds = new char[32];

  public TextRenderer(OutputStream out, boolean colour) {
    this.out = out;
    this.style = new Style(colour);
  }

  @Override
  public void event(AnnotatedEvent a) throws IOException {
    TraceEvent e = a.event();
    StringBuilder b = text;
    if (b.capacity() > KEPT_CAPACITY) {
      b = new StringBuilder(256);
      text = b;
    }
    b.setLength(0);
    String line = Integer.toString(e.line());
    lineWidth = Math.max(lineWidth, line.length());
    spaces(b, lineWidth - line.length()); // right-aligned, as pad does, but dimmed
    b.append(style.dim(line + ":")).append(' ');
    String pid = e.pid() == null ? "" : e.pid().toString();
    if (!pid.isEmpty()) {
      pidWidth = Math.max(Math.max(pidWidth, 5), pid.length());
    }
    if (pidWidth > 0) {
      pad(b, pid, pidWidth);
      b.append(' ');
    }
    String time = e.prefix().time() == null ? "" : e.prefix().time();
    if (e.prefix().relative() != null) {
      int n = Texts.seconds(e.prefix().relative(), seconds);
      time = time + (time.isEmpty() ? "" : " ") + "(+" + String.valueOf(seconds, 0, n) + ")";
    }
    timeWidth = Math.max(timeWidth, time.length());
    if (timeWidth > 0) {
      b.append(time);
      spaces(b, timeWidth - time.length());
      b.append(' ');
    }
    body(b, e);
    b.append('\n');
    if (e instanceof SyscallEvent s) {
      frames(b, s.stack());
    } else if (e instanceof SignalEvent s) {
      frames(b, s.stack());
    }
    annotations(b, a);
    // String.getBytes encodes as an OutputStreamWriter would (a lone surrogate as '?'; an event
    // ends with a newline, so no pair is split between two writes), with far less work per char:
    // ASCII text is one array copy (bench/README.md)
    out.write(b.toString().getBytes(StandardCharsets.UTF_8));
  }

  private void body(StringBuilder b, TraceEvent e) {
    if (e instanceof SyscallEvent s) {
      b.append(style.name(s.name())).append('(').append(Texts.terminal(s.args().text()));
      Result r = s.result();
      if (r == null) {
        b.append(
            style.dim(
                s.completion() == SyscallEvent.Completion.DETACHED
                    ? " <" + Texts.DETACHED + ">"
                    : " <unfinished>"));
        return;
      }
      b.append(") = ");
      String ret = Texts.terminal(r.text());
      if (r.errno() != null || r.errmsg() != null) {
        ret =
            ret
                + (r.errno() == null ? "" : " " + r.errno())
                + (r.errmsg() == null ? "" : " (" + r.errmsg() + ")");
        b.append(style.error(Texts.unicode(ret))); // strerror text can be localised
      } else {
        b.append(ret);
      }
      if (r.aux() != null) {
        b.append(" (").append(Texts.terminal(r.aux())).append(')');
      }
      for (String note : r.notes()) {
        b.append(" (").append(Texts.terminal(note)).append(')');
      }
      if (s.duration() != null) {
        int n = Texts.seconds(s.duration(), seconds);
        if (style.on()) {
          b.append(style.dim(" <" + String.valueOf(seconds, 0, n) + ">"));
        } else {
          b.append(" <").append(seconds, 0, n).append('>');
        }
      }
    } else if (e instanceof SignalEvent s) {
      b.append(
          style.signal(
              "--- "
                  + s.signal()
                  + (s.siginfoText() == null ? " (stopped)" : " " + Texts.terminal(s.siginfoText()))
                  + " ---"));
    } else if (e instanceof ExitEvent x) {
      String t =
          switch (x.kind()) {
            case EXITED -> "+++ exited with " + x.status() + " +++";
            case KILLED ->
                "+++ killed by " + x.signal() + (x.coreDumped() ? " (core dumped)" : "") + " +++";
            case SUPERSEDED -> "+++ superseded by execve in pid " + x.execvePid() + " +++";
          };
      b.append(style.exit(t));
    } else if (e instanceof NoticeEvent n) {
      b.append(style.dim(Texts.terminal(n.text())));
    } else if (e instanceof UnparsedEvent u) {
      b.append(style.error("unparsed (" + u.error() + "): "))
          .append(Texts.terminal(u.source().text().replace('\n', ' ')));
    }
  }

  private void frames(StringBuilder b, List<StackFrame> frames) {
    for (StackFrame f : frames) {
      b.append(INDENT).append("> ").append(Texts.terminal(f.object()));
      if (f.symbol() != null) {
        b.append('(')
            .append(Texts.terminal(f.symbol()))
            .append("+0x")
            .append(Long.toHexString(f.symbolOffset()))
            .append(')');
      }
      if (f.offset() != null) {
        b.append(" [0x").append(Long.toHexString(f.offset())).append(']');
      }
      b.append('\n');
    }
  }

  private void annotations(StringBuilder b, AnnotatedEvent a) {
    for (int i = 0; i < a.changes().size(); i++) {
      RegionChange c = a.changes().get(i);
      b.append(INDENT);
      switch (c.op()) {
        case ADDED -> b.append(style.added("+ " + region(c.after())));
        case REMOVED -> b.append(style.removed("- " + region(c.before())));
        case CHANGED ->
            b.append("~ ").append(region(c.before())).append(" -> ").append(region(c.after()));
      }
      if (a.classLabel(i) != null) {
        b.append(" [").append(a.classLabel(i)).append(']');
      }
      b.append('\n');
    }
    for (String check : a.checks()) {
      b.append(INDENT).append("check: ").append(Texts.controls(check)).append('\n');
    }
    BufferRef buf = a.buffer();
    if (buf != null) {
      b.append(INDENT).append("buffer: 0x").append(Long.toHexString(buf.address()));
      if (buf.region() == null) {
        // the class of no region is UNKNOWN: the why line says where the buffer most likely is
        b.append(" (in no region the trace made)");
      } else {
        b.append(" at +").append(buf.offset()).append(" in ").append(region(buf.region()));
      }
      if (buf.region() != null && buf.regionClass() != null) {
        b.append(" [").append(Texts.controls(buf.regionClass().label)).append(']');
      }
      b.append('\n');
    }
    for (Explanation x : a.why()) {
      b.append(INDENT).append("why: ").append(Texts.controls(x.text())).append('\n');
    }
  }

  /** {@code 7f9b0f71e000-7f9b0f720000 8 KiB rw-p anonymous}. */
  static String region(Region r) {
    return Long.toHexString(r.start())
        + "-"
        + Long.toHexString(r.end())
        + " "
        + Human.brief(r.size())
        + " "
        + r.perms()
        + " "
        + (r.isAnonymous() ? "anonymous" : Texts.terminalName(r.path()));
  }

  private static void pad(StringBuilder b, String s, int width) {
    spaces(b, width - s.length());
    b.append(s);
  }

  private static void spaces(StringBuilder b, int n) {
    for (int k = 0; k < n; k++) {
      b.append(' ');
    }
  }

  @Override
  public void finish() throws IOException {
    out.flush();
  }
}
