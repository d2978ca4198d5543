package dev.memtrace.render;

import dev.memtrace.trace.Args;
import dev.memtrace.trace.ByteWords;
import dev.memtrace.trace.Prefix;
import dev.memtrace.trace.Result;
import dev.memtrace.trace.SyscallEvent;
import java.util.Arrays;

/**
 * JSON bytes for the events of pure-ASCII lines, written straight from the line (no String per
 * argument, no generator): the "args" array of any call, and the whole object of a plain call
 * (one the later stages added nothing to), which is most of a large log. This is the hottest part
 * of {@code analyze --format jsonl}. The escaping is exactly Jackson's default and the fields are
 * those {@link JsonlRenderer} writes with Jackson, in the same order ({@code AsciiJsonTest} and
 * {@code RendererTest} compare the two). Not thread-safe.
 */
final class AsciiJson implements Args.TextSink {

  private static final byte[] HEX = bytes("0123456789ABCDEF");

  /**
   * The longest line written here; a longer one goes through the generator, which streams it
   * (here a string may need six bytes per char: a 10 MB buffer would need 60 MB at once).
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

  private static byte[] bytes(String s) {
    return s.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
  }

  /**
   * Whether {@link #plain} can write this call of the line last given to {@link #ascii} (which
   * must have been ASCII): nothing annotated, no stack, no -r/-Y prefix, a finished call without
   * an auxiliary string or tampering notes.
   */
  static boolean isPlain(SyscallEvent s) {
    Prefix p = s.prefix();
    Result r = s.result();
    return r != null && r.aux() == null && r.notes().isEmpty() && s.stack().isEmpty()
        && s.completion() != SyscallEvent.Completion.UNFINISHED && p.relative() == null
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
    room(1);
    buf[n++] = '}';
    return new RawJson(buf, n);
  }

  private void put(byte[] bytes) {
    room(bytes.length);
    System.arraycopy(bytes, 0, buf, n, bytes.length);
    n += bytes.length;
  }

  private void number(long v) {
    room(20);
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
      long found = ByteWords.equal(x, QUOTES) | ByteWords.equal(x, BACKSLASHES)
          | ByteWords.below(x, SPACES);
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
