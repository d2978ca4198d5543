package dev.memtrace.render;

import dev.memtrace.trace.Args;
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
  private int n;
  private boolean first;

  /** The array of {@code args}' texts; every char of them must be below 0x80. */
  RawJson write(Args args) {
    n = 0;
    first = true;
    buf[n++] = '[';
    args.eachText(this);
    room(1);
    buf[n++] = ']';
    return new RawJson(Arrays.copyOf(buf, n));
  }

  @Override
  public void text(String s, int from, int to) {
    room(6 * (to - from) + 3);
    byte[] b = buf;
    int k = n;
    if (!first) {
      b[k++] = ',';
    }
    first = false;
    b[k++] = '"';
    for (int i = from; i < to; i++) {
      char c = s.charAt(i);
      if (c >= 0x20 && c != '"' && c != '\\') {
        b[k++] = (byte) c;
      } else {
        k = escape(b, k, c);
      }
    }
    b[k++] = '"';
    n = k;
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
