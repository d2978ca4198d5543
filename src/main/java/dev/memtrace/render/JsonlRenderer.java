package dev.memtrace.render;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.SerializedString;
import dev.memtrace.model.Region;
import dev.memtrace.model.RegionChange;
import dev.memtrace.timeline.AnnotatedEvent;
import dev.memtrace.timeline.BufferRef;
import dev.memtrace.timeline.Explanation;
import dev.memtrace.trace.ByteWords;
import dev.memtrace.trace.ExitEvent;
import dev.memtrace.trace.NoticeEvent;
import dev.memtrace.trace.Prefix;
import dev.memtrace.trace.Result;
import dev.memtrace.trace.SignalEvent;
import dev.memtrace.trace.StackFrame;
import dev.memtrace.trace.SyscallEvent;
import dev.memtrace.trace.TraceEvent;
import dev.memtrace.trace.UnparsedEvent;
import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import java.util.Locale;

/**
 * JSON Lines, one object per event, schema version {@value #SCHEMA} (documented in docs/formats.md,
 * "JSON Lines output"). Written with Jackson's streaming generator (no tree per event), the one
 * JSON writer of memtrace's output. Log text is turned into Unicode by {@link Texts#unicode}, but
 * for a pure-ASCII line (almost every line), whose texts are already.
 *
 * <p>A hand-written writer for pure-ASCII calls (straight from the line's bytes) once bypassed the
 * generator here. On bench/out/big.log (1,379,595 lines), in interleaved runs of {@code analyze
 * --format jsonl} on a shared 2-CPU machine, it saved up to 7% of the CPU time (5.3 to 5.7 s
 * against 5.7 to 6.2 s; under load the two were within noise), and neither way reached a million
 * lines a second (the best run: 425,072 lines/s, with it). It was not what reaches the speed, so
 * one writer was kept.
 */
public final class JsonlRenderer implements Renderer {

  public static final int SCHEMA = 1;

  private static final SerializedString V = new SerializedString("v");
  private static final SerializedString LINE = new SerializedString("line");
  private static final SerializedString PID = new SerializedString("pid");
  private static final SerializedString KIND = new SerializedString("kind");
  private static final SerializedString SYSCALL = new SerializedString("syscall");
  private static final SerializedString ARGS = new SerializedString("args");
  private static final SerializedString RET = new SerializedString("ret");
  private static final SerializedString ERRNO = new SerializedString("errno");
  private static final SerializedString TIME = new SerializedString("time");
  private static final SerializedString DURATION = new SerializedString("duration");

  private final JsonGenerator g;
  private final boolean withFile;
  private boolean any;
  private final char[] numberBuf = new char[32];

  /** The longest line {@link #ascii(String)} copies. */
  private static final int MAX_ASCII_CHECK = 1 << 16;

  /** The event's line is pure ASCII (almost always): its texts need no UTF-8 repair. */
  private boolean ascii;

  /** The line's chars as bytes, for {@link #ascii(String)}. */
  private byte[] lineBytes = new byte[512];

  /**
   * @param withFile add {@code "file"} to each object (several files merged)
   */
  public JsonlRenderer(OutputStream out, boolean withFile) throws IOException {
    this.g =
        new JsonFactory()
            .createGenerator(out, JsonEncoding.UTF8)
            .disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
    // the newline between objects is written here, as some objects bypass the generator
    this.g.setRootValueSeparator(null);
    this.withFile = withFile;
  }

  @Override
  public void event(AnnotatedEvent a) throws IOException {
    TraceEvent e = a.event();
    if (any) {
      g.writeRaw('\n');
    }
    any = true;
    String line = e.source().text();
    // a very long line (a 10 MB write buffer) is not copied: its texts go through Texts.unicode
    ascii = line.length() <= MAX_ASCII_CHECK && ascii(line);
    g.writeStartObject();
    g.writeFieldName(V);
    g.writeNumber(SCHEMA);
    g.writeFieldName(LINE);
    g.writeNumber(e.line());
    g.writeFieldName(PID);
    if (e.pid() == null) {
      g.writeNull();
    } else {
      g.writeNumber(e.pid());
    }
    g.writeFieldName(KIND);
    if (e instanceof SyscallEvent s) {
      g.writeString("syscall");
      prefix(s.prefix());
      syscall(s);
    } else if (e instanceof SignalEvent s) {
      g.writeString("signal");
      prefix(s.prefix());
      g.writeStringField("signal", s.signal());
      g.writeStringField(
          "siginfo", s.siginfoText() == null ? null : Texts.unicode(s.siginfoText()));
      stack(s.stack());
    } else if (e instanceof ExitEvent x) {
      g.writeString("exit");
      prefix(x.prefix());
      g.writeStringField("exit", x.kind().name().toLowerCase(Locale.ROOT));
      if (x.status() != null) {
        g.writeNumberField("status", x.status());
      }
      if (x.signal() != null) {
        g.writeStringField("signal", x.signal());
        g.writeBooleanField("core_dumped", x.coreDumped());
      }
      if (x.execvePid() != null) {
        g.writeNumberField("execve_pid", x.execvePid());
      }
    } else if (e instanceof NoticeEvent n) {
      g.writeString("notice");
      prefix(n.prefix());
      g.writeStringField("notice", n.kind().name().toLowerCase(Locale.ROOT));
      g.writeStringField("text", Texts.unicode(n.text()));
    } else if (e instanceof UnparsedEvent u) {
      g.writeString("unparsed");
      g.writeStringField("text", Texts.unicode(u.source().text()));
      g.writeStringField("error", u.error());
    }
    if (withFile) {
      g.writeStringField("file", e.source().file());
    }
    annotations(a);
    g.writeEndObject();
  }

  /**
   * Whether every char of {@code text} (a log line: chars are bytes) is below 0x80, eight bytes a
   * step.
   */
  private boolean ascii(String text) {
    int len = text.length();
    if (lineBytes.length < len) {
      lineBytes = new byte[Math.max(lineBytes.length * 2, len)];
    }
    text.getBytes(0, len, lineBytes, 0);
    long high = 0;
    int i = 0;
    for (; i + 8 <= len; i += 8) {
      high |= ByteWords.at(lineBytes, i);
    }
    for (; i < len; i++) {
      high |= lineBytes[i];
    }
    return (high & ByteWords.HIGHS) == 0;
  }

  private String text(String logText) {
    return ascii ? logText : Texts.unicode(logText);
  }

  private void prefix(Prefix p) throws IOException {
    if (p.time() != null) {
      g.writeFieldName(TIME);
      g.writeString(p.time());
    }
    if (p.relative() != null) {
      g.writeFieldName("relative");
      g.writeNumber(Texts.seconds(p.relative()));
    }
    if (p.comm() != null) {
      g.writeStringField("comm", Texts.unicode(p.comm()));
    }
  }

  private void syscall(SyscallEvent s) throws IOException {
    g.writeFieldName(SYSCALL);
    g.writeString(s.name());
    g.writeFieldName(ARGS);
    List<String> texts = s.args().texts();
    g.writeStartArray(texts, texts.size());
    for (int i = 0, n = texts.size(); i < n; i++) {
      g.writeString(text(texts.get(i)));
    }
    g.writeEndArray();
    Result r = s.result();
    g.writeFieldName(RET);
    g.writeString(r == null ? null : text(r.text()));
    g.writeFieldName(ERRNO);
    g.writeString(r == null ? null : r.errno());
    if (r != null && (r.errmsg() != null || r.aux() != null || !r.notes().isEmpty())) {
      resultDetails(r);
    }
    if (s.duration() != null) {
      g.writeFieldName(DURATION);
      g.writeNumber(numberBuf, 0, Texts.seconds(s.duration(), numberBuf));
    }
    if (s.completion() == SyscallEvent.Completion.UNFINISHED) {
      g.writeBooleanField("unfinished", true);
    }
    if (!s.stack().isEmpty()) {
      stack(s.stack());
    }
    if (s.dump() != null) {
      g.writeStringField("dump", s.dump());
    }
  }

  /** Error text, auxiliary string, tampering notes: rare, so kept out of the hot path. */
  private void resultDetails(Result r) throws IOException {
    if (r.errmsg() != null) {
      g.writeStringField("errmsg", Texts.unicode(r.errmsg()));
    }
    if (r.aux() != null) {
      g.writeStringField("aux", Texts.unicode(r.aux()));
    }
    if (!r.notes().isEmpty()) {
      g.writeArrayFieldStart("notes");
      for (String note : r.notes()) {
        g.writeString(note);
      }
      g.writeEndArray();
    }
  }

  private void stack(List<StackFrame> frames) throws IOException {
    if (frames.isEmpty()) {
      return;
    }
    g.writeArrayFieldStart("stack");
    for (StackFrame f : frames) {
      g.writeStartObject();
      g.writeStringField("object", Texts.unicode(f.object()));
      if (f.symbol() != null) {
        g.writeStringField("symbol", Texts.unicode(f.symbol()));
        g.writeNumberField("symbol_offset", f.symbolOffset());
      }
      if (f.offset() != null) {
        g.writeStringField("offset", "0x" + Long.toHexString(f.offset()));
      }
      g.writeEndObject();
    }
    g.writeEndArray();
  }

  private void annotations(AnnotatedEvent a) throws IOException {
    if (!a.changes().isEmpty()) {
      g.writeArrayFieldStart("changes");
      for (int i = 0; i < a.changes().size(); i++) {
        RegionChange c = a.changes().get(i);
        g.writeStartObject();
        g.writeStringField("op", c.op().symbol);
        if (a.classLabel(i) != null) {
          g.writeStringField("class", a.classLabel(i));
        }
        beforeAfter(c);
        g.writeEndObject();
      }
      g.writeEndArray();
    }
    if (!a.learnt().isEmpty()) {
      // what the model learnt at this event from a snapshot or from ELF headers, not from the call
      g.writeArrayFieldStart("learnt");
      for (RegionChange c : a.learnt()) {
        g.writeStartObject();
        g.writeStringField("op", c.op().symbol);
        // only a snapshot's resync takes a region away
        g.writeStringField(
            "from",
            c.after() != null ? c.after().learnt().words() : Region.Learnt.SNAPSHOT.words());
        beforeAfter(c);
        g.writeEndObject();
      }
      g.writeEndArray();
    }
    if (!a.checks().isEmpty()) {
      g.writeArrayFieldStart("checks");
      for (String c : a.checks()) {
        g.writeString(c);
      }
      g.writeEndArray();
    }
    BufferRef b = a.buffer();
    if (b != null) {
      g.writeObjectFieldStart("buffer");
      g.writeStringField("address", "0x" + Long.toHexString(b.address()));
      g.writeFieldName("region");
      if (b.region() == null) {
        g.writeNull();
      } else {
        region(b.region());
      }
      g.writeNumberField("offset", b.offset());
      g.writeStringField("class", b.regionLabel());
      g.writeEndObject();
    }
    if (!a.why().isEmpty()) {
      g.writeArrayFieldStart("why");
      for (Explanation x : a.why()) {
        g.writeString(x.text());
      }
      g.writeEndArray();
      g.writeArrayFieldStart("reasons");
      for (Explanation x : a.why()) {
        g.writeStartObject();
        g.writeStringField("text", x.text());
        g.writeStringField("basis", x.basis().label);
        g.writeStringField("rule", x.rule());
        g.writeArrayFieldStart("evidence");
        for (String ev : x.evidence()) {
          g.writeString(ev);
        }
        g.writeEndArray();
        g.writeArrayFieldStart("lines");
        for (int n : x.lines(a.event().line())) {
          g.writeNumber(n);
        }
        g.writeEndArray();
        g.writeEndObject();
      }
      g.writeEndArray();
    }
  }

  /** A change's regions: {@code before} unless it adds one, {@code after} unless it removes one. */
  private void beforeAfter(RegionChange c) throws IOException {
    if (c.before() != null) {
      g.writeFieldName("before");
      region(c.before());
    }
    if (c.after() != null) {
      g.writeFieldName("after");
      region(c.after());
    }
  }

  private void region(Region r) throws IOException {
    g.writeStartObject();
    g.writeStringField("start", "0x" + Long.toHexString(r.start()));
    g.writeStringField("end", "0x" + Long.toHexString(r.end()));
    g.writeNumberField("size", r.size());
    g.writeStringField("perms", r.perms());
    g.writeNumberField("offset", r.offset());
    g.writeStringField("path", Texts.name(r.path()));
    g.writeEndObject();
  }

  @Override
  public void finish() throws IOException {
    if (any) {
      g.writeRaw('\n');
    }
    g.flush();
  }

  @Override
  public void close() throws IOException {
    g.close();
  }
}
