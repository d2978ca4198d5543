package dev.memtrace.render;

import dev.memtrace.model.Region;
import dev.memtrace.model.RegionChange;
import dev.memtrace.timeline.AnnotatedEvent;
import dev.memtrace.timeline.BufferRef;
import dev.memtrace.timeline.Explanation;
import dev.memtrace.trace.Args;
import dev.memtrace.trace.ByteWords;
import dev.memtrace.trace.Prefix;
import dev.memtrace.trace.Result;
import dev.memtrace.trace.SyscallEvent;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

/**
 * JSON bytes for the events of pure-ASCII lines, written straight from the line (no String per
 * argument, no generator): the "args" array of any call, and the whole object of a plain call with
 * what the later stages added to it (changes, checks, buffer, reasons), which is almost every event
 * of a large log. This is the hottest part of {@code analyze --format jsonl}. The escaping is
 * exactly Jackson's default and the fields are those {@link JsonlRenderer} writes with Jackson, in
 * the same order ({@code AsciiJsonTest} and {@code RendererTest} compare the two). Not thread-safe.
 */
final class AsciiJson implements Args.TextSink {

  private static final byte[] HEX = bytes("0123456789ABCDEF");

  /**
   * The longest line written here; a longer one goes through the generator, which streams it (here
   * a string may need six bytes per char: a 10 MB buffer would need 60 MB at once).
   */
  static final int MAX_LINE = 1 << 16;

  private byte[] buf = new byte[512];

  /** An argument's chars as bytes, when it is not cut from {@link #line}. */
  private byte[] src = new byte[512];

  /** The line last checked by {@link #ascii}, and its bytes. */
  private String line;

  private byte[] lineBytes = new byte[512];
  private int n;
  private boolean first;

  /**
   * Whether every char of {@code text} (a log line: chars are bytes) is below 0x80; the line's
   * bytes are kept, so its arguments are not copied again. No allocation, eight bytes a step.
   */
  boolean ascii(String text) {
    int len = text.length();
    if (lineBytes.length < len) {
      lineBytes = new byte[Math.max(lineBytes.length * 2, len)];
    }
    text.getBytes(0, len, lineBytes, 0);
    line = text;
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

  /**
   * The array of {@code args}' texts; every char of them must be below 0x80. The bytes are valid
   * until the next call.
   */
  RawJson write(Args args) {
    n = 0;
    array(args);
    return new RawJson(buf, n);
  }

  private void array(Args args) {
    first = true;
    room(1);
    buf[n++] = '[';
    args.eachText(this);
    room(1);
    buf[n++] = ']';
  }

  private static final byte[] V_LINE = bytes("{\"v\":" + JsonlRenderer.SCHEMA + ",\"line\":");
  private static final byte[] PID = bytes(",\"pid\":");
  private static final byte[] KIND_SYSCALL = bytes(",\"kind\":\"syscall\"");
  private static final byte[] TIME = bytes(",\"time\":");
  private static final byte[] SYSCALL = bytes(",\"syscall\":");
  private static final byte[] ARGS = bytes(",\"args\":");
  private static final byte[] RET = bytes(",\"ret\":");
  private static final byte[] ERRNO = bytes(",\"errno\":");
  private static final byte[] ERRMSG = bytes(",\"errmsg\":");
  private static final byte[] DURATION = bytes(",\"duration\":");
  private static final byte[] NULL = bytes("null");
  private static final byte[] MIN_LONG = bytes(Long.toString(Long.MIN_VALUE));

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  /**
   * Whether {@link #plain} can write this call of the line last given to {@link #ascii} (which must
   * have been ASCII): nothing annotated, no stack, no -r/-Y prefix, a finished call without an
   * auxiliary string or tampering notes.
   */
  static boolean isPlain(SyscallEvent s) {
    Prefix p = s.prefix();
    Result r = s.result();
    return r != null
        && r.aux() == null
        && r.notes().isEmpty()
        && s.stack().isEmpty()
        && s.dump() == null
        && s.completion() != SyscallEvent.Completion.UNFINISHED
        && p.relative() == null
        && p.comm() == null;
  }

  /**
   * The whole object of a plain call ({@link #isPlain}), as {@link JsonlRenderer} writes it with
   * Jackson. The bytes are valid until the next call.
   *
   * @param line the event's line number
   * @param digits the call's duration as {@link Texts#seconds} wrote it (the first {@code length}
   *     chars), when it has one
   */
  RawJson plain(SyscallEvent s, int line, char[] digits, int length) {
    n = 0;
    call(s, line, digits, length);
    room(1);
    buf[n++] = '}';
    return new RawJson(buf, n);
  }

  /**
   * As {@link #plain}, followed by what the later stages added, as {@link JsonlRenderer} writes it
   * with Jackson; null when one of those texts holds a char the generator must judge (a lone
   * surrogate): the caller then uses the generator.
   */
  RawJson annotated(AnnotatedEvent a, SyscallEvent s, int line, char[] digits, int length) {
    n = 0;
    call(s, line, digits, length);
    if (!annotations(a)) {
      return null;
    }
    room(1);
    buf[n++] = '}';
    return new RawJson(buf, n);
  }

  /** The fields of a plain call, without the closing brace. */
  private void call(SyscallEvent s, int line, char[] digits, int length) {
    put(V_LINE);
    number(line);
    put(PID);
    Integer pid = s.pid();
    if (pid == null) {
      put(NULL);
    } else {
      number(pid);
    }
    put(KIND_SYSCALL);
    String time = s.prefix().time();
    if (time != null) {
      put(TIME);
      quoted(time, 0, time.length());
    }
    put(SYSCALL);
    quoted(s.name(), 0, s.name().length());
    put(ARGS);
    array(s.args());
    Result r = s.result();
    put(RET);
    quoted(r.text(), 0, r.text().length());
    put(ERRNO);
    if (r.errno() == null) {
      put(NULL);
    } else {
      quoted(r.errno(), 0, r.errno().length());
    }
    if (r.errmsg() != null) {
      put(ERRMSG);
      quoted(r.errmsg(), 0, r.errmsg().length());
    }
    if (s.duration() != null) {
      put(DURATION);
      room(length);
      for (int i = 0; i < length; i++) {
        buf[n++] = (byte) digits[i];
      }
    }
  }

  private static final byte[] CHANGES = bytes(",\"changes\":[");
  private static final byte[] OP = bytes("{\"op\":");
  private static final byte[] CLASS = bytes(",\"class\":");
  private static final byte[] BEFORE = bytes(",\"before\":");
  private static final byte[] AFTER = bytes(",\"after\":");
  private static final byte[] CHECKS = bytes(",\"checks\":[");
  private static final byte[] BUFFER = bytes(",\"buffer\":{\"address\":");
  private static final byte[] REGION = bytes(",\"region\":");
  private static final byte[] OFFSET = bytes(",\"offset\":");
  private static final byte[] WHY = bytes(",\"why\":[");
  private static final byte[] START = bytes("{\"start\":");
  private static final byte[] END = bytes(",\"end\":");
  private static final byte[] SIZE = bytes(",\"size\":");
  private static final byte[] PERMS = bytes(",\"perms\":");
  private static final byte[] PATH = bytes(",\"path\":");

  /** changes, checks, buffer and why, in {@link JsonlRenderer}'s order; false as for annotated. */
  private boolean annotations(AnnotatedEvent a) {
    List<RegionChange> changes = a.changes();
    if (!changes.isEmpty()) {
      put(CHANGES);
      for (int i = 0; i < changes.size(); i++) {
        RegionChange c = changes.get(i);
        if (i > 0) {
          put(COMMA);
        }
        put(OP);
        if (!string(c.op().symbol)) {
          return false;
        }
        String cls = a.classLabel(i);
        if (cls != null) {
          put(CLASS);
          if (!string(cls)) {
            return false;
          }
        }
        if (c.before() != null) {
          put(BEFORE);
          if (!region(c.before())) {
            return false;
          }
        }
        if (c.after() != null) {
          put(AFTER);
          if (!region(c.after())) {
            return false;
          }
        }
        put(CLOSE_OBJECT);
      }
      put(CLOSE_ARRAY);
    }
    if (!a.checks().isEmpty()) {
      put(CHECKS);
      if (!strings(a.checks(), Function.identity())) {
        return false;
      }
    }
    BufferRef b = a.buffer();
    if (b != null) {
      put(BUFFER);
      hex(b.address());
      put(REGION);
      if (b.region() == null) {
        put(NULL);
      } else if (!region(b.region())) {
        return false;
      }
      put(OFFSET);
      number(b.offset());
      put(CLASS);
      if (!string(b.regionLabel())) {
        return false;
      }
      put(CLOSE_OBJECT);
    }
    if (!a.why().isEmpty()) {
      put(WHY);
      return strings(a.why(), Explanation::text) && reasons(a.why(), a.event().line());
    }
    return true;
  }

  private static final byte[] REASONS = bytes(",\"reasons\":[");
  private static final byte[] TEXT = bytes("{\"text\":");
  private static final byte[] BASIS = bytes(",\"basis\":");
  private static final byte[] RULE = bytes(",\"rule\":");
  private static final byte[] EVIDENCE = bytes(",\"evidence\":[");
  private static final byte[] LINES = bytes(",\"lines\":[");

  /** The "reasons" array: each sentence as an object with its basis, rule, evidence and lines. */
  private boolean reasons(List<Explanation> why, int line) {
    put(REASONS);
    for (int i = 0; i < why.size(); i++) {
      Explanation x = why.get(i);
      if (i > 0) {
        put(COMMA);
      }
      put(TEXT);
      if (!string(x.text())) {
        return false;
      }
      put(BASIS);
      string(x.basis().label);
      put(RULE);
      if (!string(x.rule())) {
        return false;
      }
      put(EVIDENCE);
      if (!strings(x.evidence(), Function.identity())) {
        return false;
      }
      put(LINES);
      boolean firstLine = true;
      for (int l : x.lines(line)) {
        if (!firstLine) {
          put(COMMA);
        }
        firstLine = false;
        number(l);
      }
      put(CLOSE_ARRAY);
      put(CLOSE_OBJECT);
    }
    put(CLOSE_ARRAY);
    return true;
  }

  private static final byte[] COMMA = bytes(",");
  private static final byte[] CLOSE_OBJECT = bytes("}");
  private static final byte[] CLOSE_ARRAY = bytes("]");

  /** The texts of {@code items} as the rest of a JSON array, and its closing bracket. */
  private <T> boolean strings(List<T> items, Function<T, String> text) {
    for (int i = 0; i < items.size(); i++) {
      if (i > 0) {
        put(COMMA);
      }
      if (!string(text.apply(items.get(i)))) {
        return false;
      }
    }
    put(CLOSE_ARRAY);
    return true;
  }

  private boolean region(Region r) {
    put(START);
    hex(r.start());
    put(END);
    hex(r.end());
    put(SIZE);
    number(r.size());
    put(PERMS);
    if (!string(r.perms())) {
      return false;
    }
    put(OFFSET);
    number(r.offset());
    put(PATH);
    if (!string(Texts.name(r.path()))) {
      return false;
    }
    put(CLOSE_OBJECT);
    return true;
  }

  /** {@code "0x"} and the lower-case hex digits of {@code v}, quoted, as Long.toHexString. */
  private void hex(long v) {
    room(20);
    buf[n++] = '"';
    buf[n++] = '0';
    buf[n++] = 'x';
    int digits = Math.max(1, (67 - Long.numberOfLeadingZeros(v)) / 4);
    for (int shift = (digits - 1) * 4; shift >= 0; shift -= 4) {
      buf[n++] = LOWER_HEX[(int) (v >>> shift) & 0xF];
    }
    buf[n++] = '"';
  }

  private static final byte[] LOWER_HEX = bytes("0123456789abcdef");

  /**
   * Any text (or null) as the generator writes it: JSON escapes below 0x80, UTF-8 above; false for
   * a surrogate (a char outside the BMP, or half of one), which the generator writes its own way.
   */
  private boolean string(String s) {
    if (s == null) {
      put(NULL);
      return true;
    }
    int len = s.length();
    room(6 * len + 2);
    byte[] b = buf;
    int k = n;
    b[k++] = '"';
    for (int i = 0; i < len; i++) {
      char c = s.charAt(i);
      if (c < 0x80) {
        if (c < 0x20 || c == '"' || c == '\\') {
          k = escape(b, k, c);
        } else {
          b[k++] = (byte) c;
        }
      } else if (c < 0x800) {
        b[k++] = (byte) (0xC0 | (c >> 6));
        b[k++] = (byte) (0x80 | (c & 0x3F));
      } else if (!Character.isSurrogate(c)) {
        b[k++] = (byte) (0xE0 | (c >> 12));
        b[k++] = (byte) (0x80 | ((c >> 6) & 0x3F));
        b[k++] = (byte) (0x80 | (c & 0x3F));
      } else {
        return false;
      }
    }
    b[k++] = '"';
    n = k;
    return true;
  }

  private void put(byte[] bytes) {
    room(bytes.length);
    System.arraycopy(bytes, 0, buf, n, bytes.length);
    n += bytes.length;
  }

  private void number(long v) {
    room(20);
    if (v == Long.MIN_VALUE) {
      put(MIN_LONG);
      return;
    }
    if (v < 0) {
      buf[n++] = '-';
      v = -v;
    }
    int start = n;
    do {
      buf[n++] = (byte) ('0' + v % 10);
      v /= 10;
    } while (v > 0);
    for (int i = start, j = n - 1; i < j; i++, j--) {
      byte t = buf[i];
      buf[i] = buf[j];
      buf[j] = t;
    }
  }

  /** An element of the array being written: a comma before all but the first. */
  @Override
  public void text(String s, int from, int to) {
    if (!first) {
      room(1);
      buf[n++] = ',';
    }
    first = false;
    quoted(s, from, to);
  }

  /** {@code s[from, to)} as a JSON string; every char must be below 0x80. */
  private void quoted(String s, int from, int to) {
    int len = to - from;
    room(6 * len + 2);
    byte[] src;
    int p;
    int end;
    if (s == line) {
      src = lineBytes;
      p = from;
      end = to;
    } else {
      if (this.src.length < len) {
        this.src = new byte[Math.max(this.src.length * 2, len)];
      }
      // Latin-1 chars to bytes in one copy
      s.getBytes(from, to, this.src, 0);
      src = this.src;
      p = 0;
      end = len;
    }
    // runs of bytes that need no escape are found eight at a time and copied whole
    byte[] b = buf;
    int k = n;
    b[k++] = '"';
    while (p < end) {
      int q = special(src, p, end);
      System.arraycopy(src, p, b, k, q - p);
      k += q - p;
      if (q == end) {
        break;
      }
      k = escape(b, k, (char) src[q]);
      p = q + 1;
    }
    b[k++] = '"';
    n = k;
  }

  private static final long QUOTES = ByteWords.repeat('"');
  private static final long BACKSLASHES = ByteWords.repeat('\\');
  private static final long SPACES = ByteWords.repeat(0x20);

  /**
   * Index of the first byte in {@code b[from, to)} that JSON escapes ({@code "}, {@code \\}, or a
   * control character), or {@code to}; eight bytes at a time ({@link ByteWords}: every byte is
   * below 0x80 here).
   */
  static int special(byte[] b, int from, int to) {
    int i = from;
    for (; i + 8 <= to; i += 8) {
      long x = ByteWords.at(b, i);
      long found =
          ByteWords.equal(x, QUOTES) | ByteWords.equal(x, BACKSLASHES) | ByteWords.below(x, SPACES);
      if (found != 0) {
        return i + ByteWords.first(found);
      }
    }
    for (; i < to; i++) {
      byte c = b[i];
      if (c < 0x20 || c == '"' || c == '\\') {
        return i;
      }
    }
    return to;
  }

  private static int escape(byte[] b, int k, char c) {
    b[k++] = '\\';
    switch (c) {
      case '"', '\\' -> b[k++] = (byte) c;
      case '\b' -> b[k++] = 'b';
      case '\t' -> b[k++] = 't';
      case '\n' -> b[k++] = 'n';
      case '\f' -> b[k++] = 'f';
      case '\r' -> b[k++] = 'r';
      default -> {
        b[k++] = 'u';
        b[k++] = '0';
        b[k++] = '0';
        b[k++] = HEX[c >> 4];
        b[k++] = HEX[c & 0xF];
      }
    }
    return k;
  }

  private void room(int more) {
    if (n + more > buf.length) {
      buf = Arrays.copyOf(buf, Math.max(buf.length * 2, n + more));
    }
  }
}
