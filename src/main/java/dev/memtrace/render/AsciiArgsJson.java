package dev.memtrace.render;

import dev.memtrace.trace.Args;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * The jsonl "args" array of a pure-ASCII line, written byte by byte straight from the line (no
 * String per argument, no generator): the hottest part of {@code analyze --format jsonl}. The
 * escaping is exactly Jackson's default, so the bytes are those {@link JsonlRenderer} writes for a
 * line that is not ASCII ({@code AsciiArgsJsonTest} compares the two). One per thread.
 */
final class AsciiArgsJson implements Args.TextSink {

  private static final byte[] HEX = "0123456789ABCDEF".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

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
      high |= (long) LONGS.get(lineBytes, i);
    }
    for (; i < len; i++) {
      high |= lineBytes[i];
    }
    return (high & HIGHS) == 0;
  }

  /**
   * The array of {@code args}' texts; every char of them must be below 0x80. The bytes are valid
   * until the next call.
   */
  RawJson write(Args args) {
    n = 0;
    first = true;
    buf[n++] = '[';
    args.eachText(this);
    room(1);
    buf[n++] = ']';
    return new RawJson(buf, n);
  }

  @Override
  public void text(String s, int from, int to) {
    int len = to - from;
    room(6 * len + 3);
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
    if (!first) {
      b[k++] = ',';
    }
    first = false;
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

  private static final VarHandle LONGS =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final long ONES = 0x0101010101010101L;
  private static final long HIGHS = 0x8080808080808080L;
  private static final long QUOTES = ONES * '"';
  private static final long BACKSLASHES = ONES * '\\';
  private static final long SPACES = ONES * 0x20;

  /**
   * Index of the first byte in {@code b[from, to)} that JSON escapes ({@code "}, {@code \\}, or a
   * control character), or {@code to}. Eight bytes at a time: each test flags a byte by its high
   * bit, and the lowest flagged byte is always a true one (every byte is below 0x80 here).
   */
  static int special(byte[] b, int from, int to) {
    int i = from;
    for (; i + 8 <= to; i += 8) {
      long x = (long) LONGS.get(b, i);
      long q = x ^ QUOTES;
      long bs = x ^ BACKSLASHES;
      long found = ((q - ONES) & ~q | (bs - ONES) & ~bs | (x - SPACES) & ~x) & HIGHS;
      if (found != 0) {
        return i + (Long.numberOfTrailingZeros(found) >>> 3);
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
