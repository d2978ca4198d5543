package dev.memtrace.render;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.memtrace.model.Region;
import dev.memtrace.model.RegionChange;
import dev.memtrace.timeline.AnnotatedEvent;
import dev.memtrace.timeline.BufferRef;
import dev.memtrace.timeline.Explanation;
import dev.memtrace.timeline.RegionClass;
import dev.memtrace.trace.Args;
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
import java.io.UncheckedIOException;
import java.util.List;

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
 * one writer was kept. On the memory-heavy benchmark log (bench/out/heavy.log) the thread that
 * renders jsonl now spends less time than the parsing thread it waits for (a JFR sample: 841
 * against 1,103 samples, bench/README.md), so no writer here can bring analyze to issue 18's figure
 * on its own.
 *
 * <p>What keeps the generator fast: field names and fixed values are pre-encoded ({@link
 * JsonlFields}), numbers and addresses are written from a reused char buffer, and the arguments of
 * a pure-ASCII line are handed to the generator as the line's own bytes, with no String per
 * argument.
 */
public final class JsonlRenderer implements Renderer {

  public static final int SCHEMA = 1;

  private final JsonGenerator g;
  private final boolean withFile;

  /** An object is written whose newline is not: it comes before the next object or at the end. */
  private boolean any;

  /** Numbers and addresses as text, written without a String. */
  private final char[] numberBuf = new char[32];

  /** The longest line {@link #ascii(String)} copies. */
  private static final int MAX_ASCII_CHECK = 1 << 16;

  /** The event's line is pure ASCII (almost always): its texts need no UTF-8 repair. */
  private boolean ascii;

  /** Writes each argument of the call being written ({@link #arg}). */
  private final Args.TextSink args = this::arg;

  /** The event's line, while its arguments are written. */
  private String line;

  /** The line's chars as bytes, for {@link #ascii(String)}; its arguments are written from here. */
  private byte[] lineBytes = new byte[512];

  /**
   * @param withFile add {@code "file"} to each object (several files merged)
   */
  public JsonlRenderer(OutputStream out, boolean withFile) throws IOException {
    this.g =
        new JsonFactory()
            .createGenerator(out, JsonEncoding.UTF8)
            .disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
    // the newline between objects is written here, not by the generator
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
    line = e.source().text();
    // a very long line (a 10 MB write buffer) is not copied: its texts go through Texts.unicode
    ascii = line.length() <= MAX_ASCII_CHECK && ascii(line);
    g.writeStartObject();
    g.writeFieldName(JsonlFields.V);
    g.writeNumber(SCHEMA);
    g.writeFieldName(JsonlFields.LINE);
    g.writeNumber(e.line());
    g.writeFieldName(JsonlFields.PID);
    if (e.pid() == null) {
      g.writeNull();
    } else {
      g.writeNumber(e.pid());
    }
    g.writeFieldName(JsonlFields.KIND);
    if (e instanceof SyscallEvent s) {
      g.writeString(JsonlFields.SYSCALL);
      prefix(s.prefix());
      syscall(s);
    } else if (e instanceof SignalEvent s) {
      g.writeString(JsonlFields.SIGNAL);
      prefix(s.prefix());
      g.writeFieldName(JsonlFields.SIGNAL);
      g.writeString(s.signal());
      g.writeFieldName(JsonlFields.SIGINFO);
      g.writeString(s.siginfoText() == null ? null : Texts.unicode(s.siginfoText()));
      stack(s.stack());
    } else if (e instanceof ExitEvent x) {
      g.writeString(JsonlFields.EXIT);
      prefix(x.prefix());
      g.writeFieldName(JsonlFields.EXIT);
      g.writeString(JsonlFields.exit(x.kind()));
      if (x.status() != null) {
        g.writeFieldName(JsonlFields.STATUS);
        g.writeNumber(x.status());
      }
      if (x.signal() != null) {
        g.writeFieldName(JsonlFields.SIGNAL);
        g.writeString(x.signal());
        g.writeFieldName(JsonlFields.CORE_DUMPED);
        g.writeBoolean(x.coreDumped());
      }
      if (x.execvePid() != null) {
        g.writeFieldName(JsonlFields.EXECVE_PID);
        g.writeNumber(x.execvePid());
      }
    } else if (e instanceof NoticeEvent n) {
      g.writeString(JsonlFields.NOTICE);
      prefix(n.prefix());
      g.writeFieldName(JsonlFields.NOTICE);
      g.writeString(JsonlFields.notice(n.kind()));
      g.writeFieldName(JsonlFields.TEXT);
      g.writeString(Texts.unicode(n.text()));
    } else if (e instanceof UnparsedEvent u) {
      g.writeString(JsonlFields.UNPARSED);
      g.writeFieldName(JsonlFields.TEXT);
      g.writeString(Texts.unicode(u.source().text()));
      g.writeFieldName(JsonlFields.ERROR);
      g.writeString(u.error());
    }
    if (withFile) {
      g.writeFieldName(JsonlFields.FILE);
      g.writeString(e.source().file());
    }
    annotations(a);
    g.writeEndObject();
    line = null;
  }

  /**
   * Whether every char of {@code text} (a log line: chars are bytes) is below 0x80, eight bytes a
   * step; leaves its bytes in {@link #lineBytes}.
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
      g.writeFieldName(JsonlFields.TIME);
      g.writeString(p.time());
    }
    if (p.relative() != null) {
      g.writeFieldName(JsonlFields.RELATIVE);
      g.writeNumber(numberBuf, 0, Texts.seconds(p.relative(), numberBuf));
    }
    if (p.comm() != null) {
      g.writeFieldName(JsonlFields.COMM);
      g.writeString(Texts.unicode(p.comm()));
    }
  }

  private void syscall(SyscallEvent s) throws IOException {
    g.writeFieldName(JsonlFields.SYSCALL);
    g.writeString(s.name());
    g.writeFieldName(JsonlFields.ARGS);
    g.writeStartArray();
    try {
      s.args().eachText(args);
    } catch (UncheckedIOException e) {
      throw e.getCause(); // from arg: the output failed
    }
    g.writeEndArray();
    Result r = s.result();
    g.writeFieldName(JsonlFields.RET);
    g.writeString(r == null ? null : text(r.text()));
    g.writeFieldName(JsonlFields.ERRNO);
    g.writeString(r == null ? null : r.errno());
    if (r != null && (r.errmsg() != null || r.aux() != null || !r.notes().isEmpty())) {
      resultDetails(r);
    }
    if (s.duration() != null) {
      g.writeFieldName(JsonlFields.DURATION);
      g.writeNumber(numberBuf, 0, Texts.seconds(s.duration(), numberBuf));
    }
    if (s.neverReturned()) {
      g.writeFieldName(JsonlFields.UNFINISHED);
      g.writeBoolean(true);
    }
    if (s.completion() == SyscallEvent.Completion.DETACHED) {
      g.writeFieldName(JsonlFields.DETACHED); // strace let go of the task during the call
      g.writeBoolean(true);
    }
    if (!s.stack().isEmpty()) {
      stack(s.stack());
    }
    if (s.dump() != null) {
      g.writeFieldName(JsonlFields.DUMP);
      g.writeString(s.dump());
    }
  }

  /**
   * One argument, chars {@code from} to {@code to} of {@code text}: of a pure-ASCII line, its bytes
   * as they are in the line (the generator escapes them as it would the String).
   */
  private void arg(String text, int from, int to) {
    try {
      if (ascii && text == line) {
        g.writeUTF8String(lineBytes, from, to - from);
      } else {
        g.writeString(text(text.substring(from, to)));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Error text, auxiliary string, tampering notes: rare, so kept out of the hot path. */
  private void resultDetails(Result r) throws IOException {
    if (r.errmsg() != null) {
      g.writeFieldName(JsonlFields.ERRMSG);
      g.writeString(Texts.unicode(r.errmsg()));
    }
    if (r.aux() != null) {
      g.writeFieldName(JsonlFields.AUX);
      g.writeString(Texts.unicode(r.aux()));
    }
    if (!r.notes().isEmpty()) {
      g.writeFieldName(JsonlFields.NOTES);
      g.writeStartArray();
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
    g.writeFieldName(JsonlFields.STACK);
    g.writeStartArray();
    for (StackFrame f : frames) {
      g.writeStartObject();
      g.writeFieldName(JsonlFields.OBJECT);
      g.writeString(Texts.unicode(f.object()));
      if (f.symbol() != null) {
        g.writeFieldName(JsonlFields.SYMBOL);
        g.writeString(Texts.unicode(f.symbol()));
        g.writeFieldName(JsonlFields.SYMBOL_OFFSET);
        g.writeNumber(f.symbolOffset());
      }
      if (f.offset() != null) {
        g.writeFieldName(JsonlFields.OFFSET);
        hex(f.offset());
      }
      g.writeEndObject();
    }
    g.writeEndArray();
  }

  private void annotations(AnnotatedEvent a) throws IOException {
    List<RegionChange> changes = a.changes();
    if (!changes.isEmpty()) {
      g.writeFieldName(JsonlFields.CHANGES);
      g.writeStartArray();
      for (int i = 0, n = changes.size(); i < n; i++) {
        RegionChange c = changes.get(i);
        g.writeStartObject();
        g.writeFieldName(JsonlFields.OP);
        g.writeString(JsonlFields.op(c.op()));
        RegionClass cls = a.classOf(i);
        if (cls != null) {
          g.writeFieldName(JsonlFields.CLASS);
          g.writeString(JsonlFields.label(cls));
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
        g.writeFieldName(JsonlFields.OP);
        g.writeString(JsonlFields.op(c.op()));
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
      g.writeFieldName(JsonlFields.CHECKS);
      g.writeStartArray();
      for (String c : a.checks()) {
        g.writeString(c);
      }
      g.writeEndArray();
    }
    BufferRef b = a.buffer();
    if (b != null) {
      g.writeFieldName(JsonlFields.BUFFER);
      g.writeStartObject();
      g.writeFieldName(JsonlFields.ADDRESS);
      hex(b.address());
      g.writeFieldName(JsonlFields.REGION);
      if (b.region() == null) {
        g.writeNull();
      } else {
        region(b.region());
      }
      g.writeFieldName(JsonlFields.OFFSET);
      g.writeNumber(b.offset());
      g.writeFieldName(JsonlFields.CLASS);
      if (b.regionClass() == null) {
        g.writeNull();
      } else {
        g.writeString(JsonlFields.label(b.regionClass()));
      }
      g.writeEndObject();
    }
    List<Explanation> why = a.why();
    if (!why.isEmpty()) {
      g.writeFieldName(JsonlFields.WHY);
      g.writeStartArray();
      for (int i = 0, n = why.size(); i < n; i++) {
        g.writeString(why.get(i).text());
      }
      g.writeEndArray();
      g.writeFieldName(JsonlFields.REASONS);
      g.writeStartArray();
      for (int i = 0, n = why.size(); i < n; i++) {
        reason(why.get(i), a.event().line());
      }
      g.writeEndArray();
    }
  }

  /** A change's regions: {@code before} unless it adds one, {@code after} unless it removes one. */
  private void beforeAfter(RegionChange c) throws IOException {
    if (c.before() != null) {
      g.writeFieldName(JsonlFields.BEFORE);
      region(c.before());
    }
    if (c.after() != null) {
      g.writeFieldName(JsonlFields.AFTER);
      region(c.after());
    }
  }

  private void reason(Explanation x, int line) throws IOException {
    g.writeStartObject();
    g.writeFieldName(JsonlFields.TEXT);
    g.writeString(x.text());
    g.writeFieldName(JsonlFields.BASIS);
    g.writeString(JsonlFields.basis(x.basis()));
    g.writeFieldName(JsonlFields.RULE);
    g.writeString(x.rule());
    g.writeFieldName(JsonlFields.EVIDENCE);
    g.writeStartArray();
    List<String> evidence = x.evidence();
    for (int i = 0, n = evidence.size(); i < n; i++) {
      g.writeString(evidence.get(i));
    }
    g.writeEndArray();
    g.writeFieldName(JsonlFields.LINES);
    g.writeStartArray();
    for (int n : x.lines(line)) {
      g.writeNumber(n);
    }
    g.writeEndArray();
    g.writeEndObject();
  }

  private void region(Region r) throws IOException {
    g.writeStartObject();
    g.writeFieldName(JsonlFields.START);
    hex(r.start());
    g.writeFieldName(JsonlFields.END);
    hex(r.end());
    g.writeFieldName(JsonlFields.SIZE);
    g.writeNumber(r.size());
    g.writeFieldName(JsonlFields.PERMS);
    g.writeString(r.perms());
    g.writeFieldName(JsonlFields.OFFSET);
    g.writeNumber(r.offset());
    g.writeFieldName(JsonlFields.PATH);
    g.writeString(Texts.name(r.path()));
    g.writeEndObject();
  }

  /** {@code "0x"} and the lower-case hex digits of {@code v} (unsigned), as a JSON string. */
  private void hex(long v) throws IOException {
    int digits = Math.max(1, (Long.SIZE - Long.numberOfLeadingZeros(v) + 3) / 4);
    numberBuf[0] = '0';
    numberBuf[1] = 'x';
    for (int i = digits + 1; i >= 2; i--) {
      numberBuf[i] = HEX[(int) (v & 0xf)];
      v >>>= 4;
    }
    g.writeString(numberBuf, 0, digits + 2);
  }

  private static final char[] HEX = "0123456789abcdef".toCharArray();

  /** Ends the last object's line and writes out what the generator holds (a live run waits). */
  @Override
  public void flush() throws IOException {
    if (any) {
      g.writeRaw('\n');
      any = false;
    }
    g.flush();
  }

  @Override
  public void finish() throws IOException {
    flush();
  }

  @Override
  public void close() throws IOException {
    g.close();
  }
}
