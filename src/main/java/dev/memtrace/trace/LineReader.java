package dev.memtrace.trace;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Splits a byte stream into lines without assuming any charset. Each byte becomes one char
 * (ISO-8859-1), so raw non-UTF-8 bytes from {@code -k} paths or tracee output survive unchanged and
 * can be turned back into the original bytes. A last line without {@code \n} (strace was killed) is
 * still returned, and {@link #lastLineCut()} says so.
 */
public final class LineReader implements AutoCloseable {

  private static final int CHUNK = 1 << 16;

  private final InputStream in;
  private byte[] buf = new byte[CHUNK];
  private int pos;
  private int limit;
  private boolean eof;
  private boolean cut;
  private int lineNo;

  public LineReader(InputStream in) {
    this.in = in;
  }

  /**
   * The next line without its {@code \n} (and without a {@code \r} before it), or null at the end.
   */
  public String next() throws IOException {
    int scanFrom = pos;
    while (true) {
      int i = newline(buf, scanFrom, limit);
      if (i >= 0) {
        int end = i > pos && buf[i - 1] == '\r' ? i - 1 : i;
        String line = new String(buf, pos, end - pos, StandardCharsets.ISO_8859_1);
        pos = i + 1;
        lineNo++;
        return line;
      }
      scanFrom = limit - pos;
      if (eof || !fill()) {
        if (pos < limit) {
          String line = new String(buf, pos, limit - pos, StandardCharsets.ISO_8859_1);
          pos = limit;
          lineNo++;
          cut = true;
          return line;
        }
        return null;
      }
      scanFrom += pos;
    }
  }

  /**
   * Whether bytes are at hand (buffered, or readable without waiting) or the input has ended: then
   * {@link #next()} will not wait. Asks the stream only when the buffer is empty.
   */
  public boolean ready() throws IOException {
    return pos < limit || eof || in.available() > 0;
  }

  private static final long NEWLINES = ByteWords.repeat('\n');

  /**
   * Index of the first {@code \n} in {@code b[from, to)}, or -1: eight bytes at a time ({@link
   * ByteWords}), which is several times faster than a byte loop over lines of 100 to 200 bytes.
   */
  static int newline(byte[] b, int from, int to) {
    int i = from;
    for (; i + 8 <= to; i += 8) {
      long found = ByteWords.equal(ByteWords.at(b, i), NEWLINES);
      if (found != 0) {
        return i + ByteWords.first(found);
      }
    }
    for (; i < to; i++) {
      if (b[i] == '\n') {
        return i;
      }
    }
    return -1;
  }

  /** 1-based number of the line last returned. */
  public int lineNumber() {
    return lineNo;
  }

  /** True when the last line returned had no terminating newline. */
  public boolean lastLineCut() {
    return cut;
  }

  /** Moves unread bytes to the front, grows the buffer for long lines, reads more. */
  private boolean fill() throws IOException {
    if (pos > 0) {
      System.arraycopy(buf, pos, buf, 0, limit - pos);
      limit -= pos;
      pos = 0;
    }
    if (limit == buf.length) {
      buf = Arrays.copyOf(buf, buf.length * 2);
    }
    int n = in.read(buf, limit, buf.length - limit);
    if (n < 0) {
      eof = true;
      return false;
    }
    limit += n;
    return true;
  }

  @Override
  public void close() throws IOException {
    in.close();
  }
}
